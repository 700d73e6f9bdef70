package io.gannet.global.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegexpTableTest {

  @TempDir Path dir;

  private LookupTable regexp(String text) throws IOException {
    Files.writeString(dir.resolve("checks"), text);
    return LookupTables.open("regexp:checks", dir);
  }

  private String error(String text) {
    return assertThrows(LookupTableException.class, () -> regexp(text)).getMessage();
  }

  @Test
  void firstMatchingRuleWinsAndMatchesAnywhere() throws IOException {
    LookupTable t = regexp("/viagra/ REJECT no spam\n/^Subject:/ WARN subject\n");
    assertEquals("REJECT no spam", t.lookup("Subject: cheap Viagra"));
    assertEquals("WARN subject", t.lookup("Subject: hello"));
    assertNull(t.lookup("From: x"));
    assertTrue(t.isPattern());
  }

  @Test
  void caseInsensitiveByDefaultAndIFlagToggles() throws IOException {
    LookupTable t = regexp("/ABC/i exact\n/abc/ folded\n");
    assertEquals("exact", t.lookup("xABCx"));
    assertEquals("folded", t.lookup("xAbCx"));
  }

  @Test
  void groupsAreSubstituted() throws IOException {
    LookupTable t = regexp("/^(.*)@old\\.example$/ $1@new.example (${1}) $$5\n");
    assertEquals("joe@new.example (joe) $5", t.lookup("joe@old.example"));
  }

  @Test
  void unmatchedOptionalGroupBecomesEmpty() throws IOException {
    assertEquals("[]", regexp("/^a(x)?b$/ [$1]\n").lookup("ab"));
  }

  @Test
  void negatedPatternMatchesWhenThePatternDoesNot() throws IOException {
    LookupTable t = regexp("!/@example\\.com$/ foreign\n");
    assertEquals("foreign", t.lookup("a@example.net"));
    assertNull(t.lookup("a@example.com"));
  }

  @Test
  void ifEndifBlocksNest() throws IOException {
    LookupTable t =
        regexp(
            "if /@example\\.com$/\n"
                + "if !/^admin/\n"
                + "/.*/ user-in-example\n"
                + "endif\n"
                + "/^admin/ admin-in-example\n"
                + "endif\n"
                + "/.*/ elsewhere\n");
    assertEquals("user-in-example", t.lookup("joe@example.com"));
    assertEquals("admin-in-example", t.lookup("admin@example.com"));
    assertEquals("elsewhere", t.lookup("admin@example.net"));
  }

  @Test
  void extendedFlagOffMeansPosixBasicSyntax() throws IOException {
    LookupTable t = regexp("/^\\(a+\\)(b)$/x $1\n");
    assertEquals("a+", t.lookup("a+(b)"));
    assertNull(t.lookup("aa(b)"));
  }

  @Test
  void posixCharacterClassesWork() throws IOException {
    LookupTable t = regexp("/^Subject:[[:space:]]+([[:digit:]]+)$/ n=$1\n");
    assertEquals("n=42", t.lookup("Subject:  42"));
  }

  @Test
  void dotMatchesNewlineUnlessMultiline() throws IOException {
    assertEquals("y", regexp("/a.b/ y\n").lookup("a\nb"));
    assertNull(regexp("/a.b/m y\n").lookup("a\nb"));
    assertEquals("y", regexp("/^b/m y\n").lookup("a\nb"));
  }

  @Test
  void otherDelimitersAndEscapedDelimiter() throws IOException {
    assertEquals("ok", regexp("|a/b| ok\n").lookup("xa/by"));
    assertEquals("ok", regexp("/a\\/b/ ok\n").lookup("a/b"));
  }

  @Test
  void continuationLinesExtendTheResult() throws IOException {
    assertEquals("REJECT long  text", regexp("/x/ REJECT long\n  text\n").lookup("x"));
  }

  @Test
  void pcreDialectUsesPcreFlags() throws IOException {
    Files.writeString(dir.resolve("p"), "/a b # comment/x hit\n/c.d/s dot\n");
    LookupTable t = LookupTables.open("pcre:p", dir);
    assertEquals("hit", t.lookup("AB"));
    assertEquals("dot", t.lookup("c\nd"));
  }

  @Test
  void errorsNameFileAndLine() {
    assertTrue(error("/ok/ x\n/unclosed x\n").contains("checks, line 2: no closing /"));
    assertTrue(error("/a/ x\n/b/\n").contains("line 2: no result"));
    assertTrue(error("/a/q x\n").contains("line 1: unknown or unsupported flag 'q'"));
    assertTrue(error("/(a/ x\n").contains("line 1: bad regular expression"));
    assertTrue(error("/(a)/ $2\n").contains("line 1: out-of-range replacement index $2"));
    assertTrue(error("!/(a)/ $1\n").contains("line 1: $1 in the result of a negated"));
    assertTrue(error("endif\n").contains("line 1: endif without matching if"));
    assertTrue(error("/a/ x\nif /b/\n/c/ y\n").contains("line 2: if without matching endif"));
    assertTrue(error("/a/ $x\n").contains("line 1: bad replacement"));
    assertTrue(error("abc x\n").contains("line 1: expected /pattern/flags result"));
    assertTrue(error("/a/ x\n/[[:nope:]]/ y\n").contains("line 2: unknown character class"));
  }

  @Test
  void basicToExtendedSwapsEscapes() {
    assertEquals("(a)\\+\\{", RegexpTable.basicToExtended("\\(a\\)+{"));
    assertFalse(RegexpTable.basicToExtended("a\\.b").contains("\\\\"));
  }
}
