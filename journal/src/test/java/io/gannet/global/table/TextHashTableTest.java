package io.gannet.global.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextHashTableTest {

  @TempDir Path dir;

  private LookupTable table(String text) throws IOException {
    Files.writeString(dir.resolve("map"), text);
    return LookupTables.open("texthash:map", dir);
  }

  @Test
  void keyValueLinesWithCommentsAndBlankLines() throws IOException {
    LookupTable t =
        table(
            "# comment\n\nexample.com   smtp:[relay.example.net]:2525\n"
                + "  # indented comment\nuser@example.org other@example.net\n");
    assertEquals("smtp:[relay.example.net]:2525", t.lookup("example.com"));
    assertEquals("other@example.net", t.lookup("user@example.org"));
    assertNull(t.lookup("missing"));
    assertEquals("texthash:map", t.spec());
  }

  @Test
  void keysAreCaseInsensitiveValuesKeepCase() throws IOException {
    LookupTable t = table("Postmaster@Example.COM  Admin@Example.net\n");
    assertEquals("Admin@Example.net", t.lookup("postmaster@example.com"));
    assertEquals("Admin@Example.net", t.lookup("POSTMASTER@EXAMPLE.COM"));
  }

  @Test
  void continuationLinesJoinTheValue() throws IOException {
    LookupTable t = table("list a@example.com,\n    b@example.com\nnext x\n");
    assertEquals("a@example.com,    b@example.com", t.lookup("list"));
    assertEquals("x", t.lookup("next"));
  }

  @Test
  void crlfLineEndsAreAccepted() throws IOException {
    assertEquals("v", table("k v\r\n").lookup("k"));
  }

  @Test
  void firstOfDuplicateKeysWins() throws IOException {
    assertEquals("first", table("k first\nK second\n").lookup("k"));
  }

  @Test
  void keyWithoutValueNamesFileAndLine() throws IOException {
    LookupTableException e =
        assertThrows(LookupTableException.class, () -> table("a b\n# c\nlonely\n"));
    assertTrue(
        e.getMessage().contains("map, line 3: expected format: key whitespace value"),
        e.getMessage());
  }

  @Test
  void continuationWithoutLogicalLineIsAnError() throws IOException {
    LookupTableException e = assertThrows(LookupTableException.class, () -> table("  x y\n"));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }

  @Test
  void missingFileIsAClearError() {
    LookupTableException e =
        assertThrows(LookupTableException.class, () -> LookupTables.open("texthash:nope", dir));
    assertTrue(e.getMessage().endsWith("nope: no such file"), e.getMessage());
  }

  @Test
  void absolutePathIgnoresBaseDirectory() throws IOException {
    Path f = dir.resolve("abs");
    Files.writeString(f, "k v\n");
    assertEquals("v", LookupTables.open("texthash:" + f, Path.of("/nonexistent")).lookup("k"));
  }
}
