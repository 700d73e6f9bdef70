package io.gannet.global;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigTest {

  private static Config config(String... nameValues) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.put(nameValues[i], nameValues[i + 1]);
    }
    return Config.of(m);
  }

  @Test
  void referenceFormsExpand() {
    Config c = config("a", "x", "b", "[$a] [${a}] [$(a)] [$$a] [$unknown] [$]");
    assertEquals("[x] [x] [x] [$a] [] [$]", c.expanded("b"));
  }

  @Test
  void conditionalFormsExpandOnEmptiness() {
    Config c = config("full", "x", "empty", "");
    assertEquals("yes", c.expand("${full?yes}"));
    assertEquals("", c.expand("${empty?yes}"));
    assertEquals("", c.expand("${full:no}"));
    assertEquals("no", c.expand("${empty:no}"));
    assertEquals("no", c.expand("${unknown:no}"));
    assertEquals("x-x", c.expand("${full?$full-$full}"));
  }

  @Test
  void bracedConditionalBranchesChooseOne() {
    Config c = config("full", "x", "empty", "");
    assertEquals("[x]", c.expand("${full?{[$full]}:{none}}"));
    assertEquals("none", c.expand("${empty?{[$full]}:{none}}"));
    assertEquals("y", c.expand("${full?{y}}"));
  }

  @Test
  void nestedReferenceInsideConditionalIsBalanced() {
    Config c = config("full", "x", "other", "o");
    assertEquals("o!", c.expand("${full?${other}!}"));
  }

  @Test
  void recursiveReferenceIsAnError() {
    Config c = config("a", "$b", "b", "${a?x}");
    assertEquals(
        "recursive reference to parameter b",
        assertThrows(IllegalArgumentException.class, () -> c.expanded("a")).getMessage());
  }

  @Test
  void unbalancedBracketIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Config.defaults().expand("${a"));
  }

  @Test
  void perTransportNameDefaultsToTheParameterItOverrides() {
    Config c = config("default_destination_concurrency_limit", "7");
    assertEquals(
        "$default_destination_concurrency_limit", c.raw("smtp_destination_concurrency_limit"));
    assertEquals("7", c.expanded("relay_destination_concurrency_limit"));
    assertEquals(
        7, c.get(TransportParams.of("lmtp", MailParams.DEFAULT_DESTINATION_CONCURRENCY_LIMIT)));
    assertEquals(null, c.raw("nosuch"));
  }

  @Test
  void referencedNamesAreFoundWithoutExpanding() {
    assertEquals(
        Set.of("a", "b", "c", "d"), Config.referencedNames("$a ${b} $(c) $$x ${d?{$$}} $"));
  }

  @Test
  void transportParamsExistOnlyForTheFiveForms() {
    assertEquals(5, TransportParams.forTransport("smtp").size());
    assertEquals(
        "smtp_initial_destination_concurrency",
        TransportParams.of("smtp", MailParams.INITIAL_DESTINATION_CONCURRENCY).name());
    assertThrows(
        IllegalArgumentException.class,
        () -> TransportParams.of("smtp", MailParams.HOPCOUNT_LIMIT));
    assertEquals(
        null, TransportParams.byName("default_destination_concurrency_limit", Set.of("default")));
  }
}
