package io.gannet.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NextHopTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "example.com                | example.com  | 25   | true",
        "Example.COM:2525           | example.com  | 2525 | true",
        "[mail.example.com]         | mail.example.com | 25 | false",
        "[192.0.2.1]:587            | 192.0.2.1    | 587  | false",
        "[ipv6:2001:db8::1]:26      | 2001:db8::1  | 26   | false",
        "[2001:db8::1]              | 2001:db8::1  | 25   | false",
        "inet:[127.0.0.1]:24        | 127.0.0.1    | 24   | false",
        "[relay.example]:submission | relay.example | 587 | false",
      })
  void parsesPostfixForms(String text, String host, int port, boolean mx) {
    assertEquals(new NextHop(host, port, mx), NextHop.parse(text, 25));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "[host", "[host]x", "host:0", "host:99999", "host:nope", "a:b:c", "[]:25"})
  void rejectsBadForms(String text) {
    assertThrows(IllegalArgumentException.class, () -> NextHop.parse(text, 25));
  }

  @Test
  void printsInPostfixSyntax() {
    assertEquals("[192.0.2.1]:587", NextHop.parse("[192.0.2.1]:587", 25).toString());
    assertEquals("example.com:25", NextHop.parse("example.com", 25).toString());
    assertEquals("[ipv6:2001:db8::1]:25", NextHop.parse("[2001:db8::1]", 25).toString());
  }
}
