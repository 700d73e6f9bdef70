package io.gannet.global.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.Config;
import io.gannet.global.MailParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LookupTablesTest {

  @TempDir Path dir;

  @Test
  void inlineTableWithBracedValues() {
    LookupTable t =
        LookupTables.open(
            "inline:{ a@example.com=b@example.com, Key2=v2, { k3 = text, with comma } }", dir);
    assertEquals("b@example.com", t.lookup("A@example.com"));
    assertEquals("v2", t.lookup("key2"));
    assertEquals("text, with comma", t.lookup("k3"));
    assertNull(t.lookup("k4"));
  }

  @Test
  void inlineWithoutBracesOrEqualsIsAnError() {
    assertThrows(LookupTableException.class, () -> LookupTables.open("inline:a=b", dir));
    LookupTableException e =
        assertThrows(
            LookupTableException.class, () -> LookupTables.open("inline:{ a=b, lonely }", dir));
    assertTrue(e.getMessage().contains("expected key=value, found 'lonely'"), e.getMessage());
  }

  @Test
  void staticTableAnswersEverything() {
    assertEquals("smtp:[gw]", LookupTables.open("static:smtp:[gw]", dir).lookup("x"));
    assertEquals("two words", LookupTables.open("static:{ two words }", dir).lookup("y"));
  }

  @Test
  void unknownAndIndexedTypesAreRefusedClearly() {
    assertTrue(
        assertThrows(LookupTableException.class, () -> LookupTables.open("foo:bar", dir))
            .getMessage()
            .contains("unsupported table type foo:"));
    assertTrue(
        assertThrows(
                LookupTableException.class,
                () -> LookupTables.open("hash:/etc/postfix/transport", dir))
            .getMessage()
            .contains("use texthash:/etc/postfix/transport"));
    assertTrue(
        assertThrows(LookupTableException.class, () -> LookupTables.open("nocolon", dir))
            .getMessage()
            .contains("type:name"));
  }

  @Test
  void listsAreSearchedInOrderAndKeepInlineBracesWhole() throws IOException {
    Files.writeString(dir.resolve("a"), "k from-a\n");
    TableList list = LookupTables.openList("inline:{ k=from-inline, j=x }, texthash:a", dir);
    assertEquals(2, list.tables().size());
    assertEquals("from-inline", list.find("k"));
    TableList reversed = LookupTables.openList("texthash:a inline:{ k=from-inline }", dir);
    assertEquals("from-a", reversed.find("k"));
  }

  @Test
  void listFromParameterNamesTheParameterOnError() {
    Config c = Config.of(Map.of("canonical_maps", "texthash:missing"));
    LookupTableException e =
        assertThrows(
            LookupTableException.class,
            () -> LookupTables.openList(c, MailParams.CANONICAL_MAPS, dir));
    assertTrue(e.getMessage().startsWith("canonical_maps: "), e.getMessage());
    assertTrue(LookupTables.openList(Config.defaults(), MailParams.CANONICAL_MAPS, dir).isEmpty());
  }

  @Test
  void unbalancedBracesAreAnError() {
    assertThrows(LookupTableException.class, () -> LookupTables.openList("inline:{ a=b", dir));
  }

  @Test
  void addressLookupOrderIsFullThenLocalUserThenAtDomain() throws IOException {
    Files.writeString(
        dir.resolve("m"),
        "joe@example.com full\njoe user\n@example.com domain\n@local.test localdomain\n");
    TableList maps = LookupTables.openList("texthash:m", dir);
    assertEquals("full", AddressLookup.find(maps, "joe@example.com", d -> true));
    assertEquals("user", AddressLookup.find(maps, "joe@local.test", d -> true));
    assertEquals("localdomain", AddressLookup.find(maps, "joe@local.test", d -> false));
    assertEquals("domain", AddressLookup.find(maps, "ann@example.com", d -> false));
    assertNull(AddressLookup.find(maps, "ann@other.test", d -> true));
  }

  @Test
  void addressLookupSearchesEveryTableForOneKeyBeforeTheNextKey() throws IOException {
    Files.writeString(dir.resolve("first"), "@example.com domain-in-first\n");
    Files.writeString(dir.resolve("second"), "joe@example.com full-in-second\n");
    TableList maps = LookupTables.openList("texthash:first, texthash:second", dir);
    assertEquals("full-in-second", AddressLookup.find(maps, "joe@example.com", d -> false));
  }

  @Test
  void patternTablesGetOnlyTheFullAddress() throws IOException {
    Files.writeString(dir.resolve("r"), "/^joe$/ bare-user\n/^@/ at-domain\n");
    TableList maps = LookupTables.openList("regexp:r", dir);
    assertNull(AddressLookup.find(maps, "joe@local.test", d -> true));
  }

  @Test
  void domainListExactDotAndParentMatching() {
    DomainList exact = DomainList.of(List.of("example.com", ".sub.test"), false, dir);
    assertTrue(exact.matches("Example.COM."));
    assertTrue(!exact.matches("a.example.com"));
    assertTrue(exact.matches("a.sub.test"));
    assertTrue(!exact.matches("sub.test"));
    DomainList parent = DomainList.of(List.of("example.com"), true, dir);
    assertTrue(parent.matches("a.b.example.com"));
    assertTrue(!parent.matches("badexample.com"));
  }

  @Test
  void domainListNegationAndTables() {
    DomainList l =
        DomainList.of(
            List.of("!no.example.com", "inline:{ example.com=x, .dot.test=x }"), false, dir);
    assertTrue(l.matches("example.com"));
    assertTrue(!l.matches("no.example.com"));
    assertTrue(!l.matches("a.example.com"));
    assertTrue(l.matches("a.dot.test"));
    DomainList p = DomainList.of(List.of("inline:{ example.com=x }"), true, dir);
    assertTrue(p.matches("a.example.com"));
  }

  @Test
  void domainListFromConfigHonoursParentDomainMatchesSubdomains() {
    Config c = Config.of(Map.of("relay_domains", "example.com", "mydestination", "example.org"));
    assertTrue(DomainList.of(c, MailParams.RELAY_DOMAINS, dir).matches("mx.example.com"));
    assertTrue(!DomainList.of(c, MailParams.MYDESTINATION, dir).matches("mx.example.org"));
    Config off =
        Config.of(Map.of("relay_domains", "example.com", "parent_domain_matches_subdomains", ""));
    assertTrue(!DomainList.of(off, MailParams.RELAY_DOMAINS, dir).matches("mx.example.com"));
  }
}
