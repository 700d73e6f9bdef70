package io.gannet.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayRestrictionsTest {

  private static final InetSocketAddress INSIDE = new InetSocketAddress("10.1.2.3", 1025);
  private static final InetSocketAddress OUTSIDE = new InetSocketAddress("192.0.2.7", 1025);
  private static final InetSocketAddress V6 = new InetSocketAddress("2001:db8::5", 1025);

  private static final Mynetworks NETS =
      Mynetworks.parse("mynetworks", List.of("10.0.0.0/8", "[2001:db8::]/32", "127.0.0.1"));

  private static RelayRestrictions compile(String relay, String recipient) {
    return RelayRestrictions.compile(
        List.of(relay.split("[ ,]+")),
        recipient.isEmpty() ? List.of() : List.of(recipient.split("[ ,]+")),
        NETS,
        new TestRewrite());
  }

  @Test
  void mynetworksMatchesV4AndV6NetworksAndPlainAddresses() {
    assertTrue(NETS.contains(INSIDE));
    assertTrue(NETS.contains(V6));
    assertTrue(NETS.contains(new InetSocketAddress("127.0.0.1", 1)));
    assertFalse(NETS.contains(new InetSocketAddress("127.0.0.2", 1)));
    assertFalse(NETS.contains(OUTSIDE));
  }

  @Test
  void mynetworksRefusesNamesAndBadPrefixes() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Mynetworks.parse("mynetworks", List.of("host.example")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Mynetworks.parse("mynetworks", List.of("10.0.0.0/33")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Mynetworks.parse("mynetworks", List.of("hash:/etc/networks")));
  }

  @Test
  void defaultRestrictionsLetMynetworksRelayAndOthersReachOnlyOurDomains() {
    RelayRestrictions r = compile("permit_mynetworks, reject_unauth_destination", "");
    assertNull(r.check(INSIDE, "x@elsewhere.example"));
    assertNull(r.check(OUTSIDE, "x@example.com"));
    assertNull(r.check(OUTSIDE, "x@RELAY.example"));
    assertEquals(
        "554 5.7.1 <x@elsewhere.example>: Relay access denied",
        r.check(OUTSIDE, "x@elsewhere.example").toString());
    assertEquals(
        "554 5.7.1 <x!y@example.com>: Relay access denied",
        r.check(OUTSIDE, "x!y@example.com").toString());
  }

  @Test
  void recipientRestrictionsRunAfterRelayRestrictions() {
    RelayRestrictions r = compile("permit_mynetworks, defer_unauth_destination", "reject");
    assertEquals(
        "450 4.7.1 <x@elsewhere.example>: Relay access denied",
        r.check(OUTSIDE, "x@elsewhere.example").toString());
    assertEquals(
        "554 5.7.1 <x@example.com>: Recipient address rejected: Access denied",
        r.check(OUTSIDE, "x@example.com").toString());
    assertNull(r.check(INSIDE, "x@example.com"));
  }

  @Test
  void openRelayAndUnknownNamesAreConfigurationErrors() {
    assertThrows(IllegalArgumentException.class, () -> compile("permit_mynetworks", ""));
    assertThrows(
        IllegalArgumentException.class, () -> compile("permit, reject_unauth_destination", ""));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> compile("check_client_access", ""));
    assertEquals(
        "smtpd_relay_restrictions: unknown smtpd restriction: \"check_client_access\"",
        e.getMessage());
  }
}
