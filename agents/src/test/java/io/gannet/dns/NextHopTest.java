package io.gannet.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NextHopTest {

  @Test
  void domainLooksUpMx() {
    NextHop h = NextHop.parse("example.com", 25);
    assertEquals("example.com", h.host());
    assertEquals(25, h.port());
    assertTrue(h.mxLookup());
    assertNull(h.literal());
    assertEquals("example.com:25", h.toString());
  }

  @Test
  void domainWithPort() {
    NextHop h = NextHop.parse("example.com:2525", 25);
    assertEquals("example.com", h.host());
    assertEquals(2525, h.port());
    assertTrue(h.mxLookup());
  }

  @Test
  void bracketsTurnOffMx() {
    NextHop h = NextHop.parse("[smtp.example.com]:587", 25);
    assertEquals("smtp.example.com", h.host());
    assertEquals(587, h.port());
    assertFalse(h.mxLookup());
    assertEquals("[smtp.example.com]:587", h.toString());
  }

  @Test
  void ipv4Literal() throws Exception {
    NextHop h = NextHop.parse("[192.0.2.1]", 24);
    assertEquals(InetAddress.getByName("192.0.2.1"), h.literal());
    assertEquals(24, h.port());
    assertFalse(h.mxLookup());
  }

  @Test
  void unbracketedIpv4IsNeverAnMxLookup() {
    NextHop h = NextHop.parse("192.0.2.1:2525", 25);
    assertFalse(h.mxLookup());
    assertEquals(2525, h.port());
    assertEquals("192.0.2.1", h.literal().getHostAddress());
  }

  @Test
  void ipv6Literals() {
    assertEquals(16, NextHop.parse("[2001:db8::1]:2525", 25).literal().getAddress().length);
    assertEquals(2525, NextHop.parse("[2001:db8::1]:2525", 25).port());
    NextHop prefixed = NextHop.parse("[IPv6:2001:db8::1]", 25);
    assertEquals("2001:db8::1", prefixed.host());
    assertEquals(16, prefixed.literal().getAddress().length);
    assertEquals(16, NextHop.parse("2001:db8::1", 25).literal().getAddress().length);
  }

  @Test
  void serviceNamesAsPorts() {
    assertEquals(25, NextHop.parse("example.com:smtp", 2525).port());
    assertEquals(24, NextHop.parse("[lmtp.example]:lmtp", 25).port());
    assertEquals(587, NextHop.parse("[relay.example]:submission", 25).port());
  }

  @Test
  void malformedDestinationsSayWhy() {
    assertBad("", "empty next-hop destination");
    assertBad("[example.com", "bad next-hop destination '[example.com': missing ']'");
    assertBad("[example.com]587", "text after ']' is not ':port'");
    assertBad("example.com:", "bad port ''");
    assertBad("example.com:99999", "port out of range '99999'");
    assertBad("example.com:x", "bad port 'x'");
    assertBad("[ipv6:192.0.2.1]", "not an IPv6 address after 'ipv6:'");
    assertBad("a::b::c:25", "an IPv6 address with a port must be written [address]:port");
    assertBad("exa mple.com", "bad character in host name");
    assertBad(":25", "empty host name");
  }

  private static void assertBad(String nexthop, String expected) {
    String msg =
        assertThrows(IllegalArgumentException.class, () -> NextHop.parse(nexthop, 25))
            .getMessage();
    assertTrue(msg.contains(expected), msg);
  }
}
