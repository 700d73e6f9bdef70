package io.gannet.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdminProtocolTest {

  @Test
  void plainWordsAreSentAsTheyAre() {
    assertEquals(
        "flush-site example.com", AdminProtocol.encode(List.of("flush-site", "example.com")));
  }

  @Test
  void spacesPercentAndControlCharactersAreEscapedAndRestored() {
    List<String> words = List.of("super", "-h", "held by admin", "100%", "a\tb\r\nc", "é€");
    String line = AdminProtocol.encode(words);
    assertEquals("super -h held%20by%20admin 100%25 a%09b%0D%0Ac é€", line);
    assertEquals(words, AdminProtocol.decode(line));
  }

  @Test
  void badRequestsAreRefusedWithTheReason() {
    assertEquals(
        "empty request",
        assertThrows(IllegalArgumentException.class, () -> AdminProtocol.decode("  "))
            .getMessage());
    assertEquals(
        "bad encoding",
        assertThrows(IllegalArgumentException.class, () -> AdminProtocol.decode("x %2"))
            .getMessage());
    assertEquals(
        "bad encoding",
        assertThrows(IllegalArgumentException.class, () -> AdminProtocol.decode("x %zz"))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> AdminProtocol.encode(List.of("x", "")));
  }
}
