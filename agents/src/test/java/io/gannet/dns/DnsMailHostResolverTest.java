package io.gannet.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.dns.testing.TestDnsServer;
import io.gannet.global.Config;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SimpleResolver;

class DnsMailHostResolverTest {

  private TestDnsServer dns;

  @BeforeEach
  void startDns() throws Exception {
    dns = TestDnsServer.start();
  }

  @AfterEach
  void stopDns() {
    dns.close();
  }

  // ---- MX order -------------------------------------------------------------------------------

  @Test
  void mxHostsInPreferenceOrder() throws Exception {
    dns.mx("example.com", 20, "mx2.example.com")
        .mx("example.com", 10, "mx1.example.com")
        .mx("example.com", 30, "mx3.example.com")
        .a("mx1.example.com", "192.0.2.1")
        .a("mx2.example.com", "192.0.2.2")
        .a("mx3.example.com", "192.0.2.3");
    List<MailHost> hosts = resolve(resolver(), "example.com");
    assertEquals(
        List.of(
            "mx1.example.com[192.0.2.1]:25",
            "mx2.example.com[192.0.2.2]:25",
            "mx3.example.com[192.0.2.3]:25"),
        relays(hosts));
    assertEquals(List.of(10, 20, 30), hosts.stream().map(MailHost::preference).toList());
  }

  @Test
  void equalPreferencesAreShuffledWithTheInjectedGenerator() throws Exception {
    dns.mx("example.com", 5, "best.example.com").a("best.example.com", "192.0.2.100");
    for (int i = 1; i <= 4; i++) {
      dns.mx("example.com", 10, "mx" + i + ".example.com").a("mx" + i + ".example.com",
          "192.0.2." + i);
    }
    Config config = config(Map.of("smtp_mx_address_limit", "0"));
    DnsMailHostResolver a = seeded(config, new Random(42));
    DnsMailHostResolver b = seeded(config, new Random(42));
    Set<List<String>> orders = new HashSet<>();
    for (int run = 0; run < 20; run++) {
      List<String> names = names(resolve(a, "example.com"));
      assertEquals("best.example.com", names.get(0));
      assertEquals(
          Set.of("mx1.example.com", "mx2.example.com", "mx3.example.com", "mx4.example.com"),
          new HashSet<>(names.subList(1, 5)));
      assertEquals(names, names(resolve(b, "example.com")), "same seed, same order");
      orders.add(names);
    }
    assertTrue(orders.size() > 1, "equal preferences were never shuffled: " + orders);
  }

  @Test
  void eachExchangeIpv4ThenIpv6() throws Exception {
    dns.mx("example.com", 10, "mx.example.com")
        .aaaa("mx.example.com", "2001:db8::1")
        .a("mx.example.com", "192.0.2.1");
    assertEquals(
        List.of("mx.example.com[192.0.2.1]:25", "mx.example.com[2001:db8:0:0:0:0:0:1]:25"),
        relays(resolve(resolver(), "example.com")));
  }

  @Test
  void inetProtocolsIpv4AsksNoAaaa() throws Exception {
    dns.mx("example.com", 10, "mx.example.com")
        .aaaa("mx.example.com", "2001:db8::1")
        .a("mx.example.com", "192.0.2.1");
    List<MailHost> hosts =
        resolve(resolver(config(Map.of("inet_protocols", "ipv4"))), "example.com");
    assertEquals(List.of("mx.example.com[192.0.2.1]:25"), relays(hosts));
    assertFalse(dns.queries().contains("mx.example.com AAAA"), dns.queries().toString());
  }

  @Test
  void portOfTheNextHopApplies() throws Exception {
    dns.mx("example.com", 10, "mx.example.com").a("mx.example.com", "192.0.2.1");
    assertEquals(
        List.of("mx.example.com[192.0.2.1]:2525"),
        relays(resolve(resolver(), "example.com:2525")));
  }

  @Test
  void mxHostWithoutAddressIsSkipped() throws Exception {
    dns.mx("example.com", 10, "gone.example.com")
        .mx("example.com", 20, "broken.example.com")
        .mx("example.com", 30, "mx.example.com")
        .servfail("broken.example.com")
        .a("mx.example.com", "192.0.2.3");
    assertEquals(List.of("mx.example.com[192.0.2.3]:25"),
        relays(resolve(resolver(), "example.com")));
  }

  @Test
  void mxTargetBehindCnameIsFollowed() throws Exception {
    dns.mx("example.com", 10, "alias.example.com")
        .cname("alias.example.com", "real.example.net")
        .a("real.example.net", "192.0.2.9");
    assertEquals(
        List.of("alias.example.com[192.0.2.9]:25"), relays(resolve(resolver(), "example.com")));
  }

  @Test
  void duplicateAddressesAppearOnce() throws Exception {
    dns.mx("example.com", 10, "a.example.com")
        .mx("example.com", 20, "b.example.com")
        .a("a.example.com", "192.0.2.1")
        .a("b.example.com", "192.0.2.1", "192.0.2.2");
    assertEquals(
        List.of("a.example.com[192.0.2.1]:25", "b.example.com[192.0.2.2]:25"),
        relays(resolve(resolver(), "example.com")));
  }

  @Test
  void manyLookupsAtOnceShareOneResolver() throws Exception {
    int n = 200;
    for (int i = 0; i < n; i++) {
      dns.mx("d" + i + ".example", 10, "mx.d" + i + ".example")
          .a("mx.d" + i + ".example", "10.1." + (i / 250) + "." + (i % 250 + 1));
    }
    DnsMailHostResolver r = resolver();
    List<java.util.concurrent.CompletableFuture<List<MailHost>>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(r.resolve("d" + i + ".example", 25).toCompletableFuture());
    }
    for (int i = 0; i < n; i++) {
      assertEquals(
          List.of("mx.d" + i + ".example[10.1." + (i / 250) + "." + (i % 250 + 1) + "]:25"),
          relays(all.get(i).get(30, TimeUnit.SECONDS)));
    }
  }

  // ---- Address limit --------------------------------------------------------------------------

  @Test
  void addressLimitCutsTheList() throws Exception {
    dns.mx("example.com", 10, "mx1.example.com")
        .mx("example.com", 20, "mx2.example.com")
        .a("mx1.example.com", "192.0.2.1", "192.0.2.2")
        .a("mx2.example.com", "192.0.2.3", "192.0.2.4");
    assertEquals(
        List.of(
            "mx1.example.com[192.0.2.1]:25",
            "mx1.example.com[192.0.2.2]:25",
            "mx2.example.com[192.0.2.3]:25"),
        relays(resolve(resolver(config(Map.of("smtp_mx_address_limit", "3"))),
            "example.com")));
    assertEquals(4, resolve(resolver(config(Map.of("smtp_mx_address_limit", "0"))),
        "example.com").size());
  }

  @Test
  void defaultAddressLimitIsFive() throws Exception {
    dns.a("many.example.com", "192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5",
        "192.0.2.6", "192.0.2.7");
    assertEquals(5, resolve(resolver(), "many.example.com").size());
  }

  @Test
  void largeAnswerComesOverTcp() throws Exception {
    List<String> expected = new ArrayList<>();
    String[] addrs = new String[300]; // 300 A records: ~4.8 KB, more than any UDP size offered
    for (int i = 0; i < addrs.length; i++) {
      addrs[i] = "10.0." + (i / 250) + "." + (i % 250 + 1);
      expected.add("big.example.com[" + addrs[i] + "]:25");
    }
    dns.a("big.example.com", addrs);
    assertEquals(
        expected,
        relays(resolve(resolver(config(Map.of("smtp_mx_address_limit", "0"))),
            "[big.example.com]")));
    assertTrue(dns.tcpQueries() > 0, "truncated UDP answer not retried over TCP");
  }

  // ---- Fallbacks and brackets -----------------------------------------------------------------

  @Test
  void noMxFallsBackToTheDomainsAddresses() throws Exception {
    dns.a("example.org", "192.0.2.7").aaaa("example.org", "2001:db8::7");
    List<MailHost> hosts = resolve(resolver(), "example.org");
    assertEquals(
        List.of("example.org[192.0.2.7]:25", "example.org[2001:db8:0:0:0:0:0:7]:25"),
        relays(hosts));
    assertEquals(0, hosts.get(0).preference());
  }

  @Test
  void bracketedHostIsNotAnMxLookup() throws Exception {
    dns.mx("relay.example.com", 10, "elsewhere.example.com")
        .a("elsewhere.example.com", "192.0.2.99")
        .a("relay.example.com", "192.0.2.5");
    assertEquals(
        List.of("relay.example.com[192.0.2.5]:587"),
        relays(resolve(resolver(), "[relay.example.com]:587")));
    assertFalse(dns.queries().contains("relay.example.com MX"), dns.queries().toString());
  }

  @Test
  void ipLiteralsAskNothing() throws Exception {
    assertEquals(
        List.of("192.0.2.1[192.0.2.1]:2525"), relays(resolve(resolver(), "[192.0.2.1]:2525")));
    assertEquals(
        List.of("2001:db8::1[2001:db8:0:0:0:0:0:1]:25"),
        relays(resolve(resolver(), "[ipv6:2001:db8::1]")));
    assertEquals(List.of(), dns.queries());
  }

  // ---- Failures -------------------------------------------------------------------------------

  @Test
  void nullMxIsPermanent() {
    dns.nullMx("example.net").a("example.net", "192.0.2.1");
    DnsLookupException e = failure(resolver(), "example.net");
    assertTrue(e.permanent());
    assertEquals("5.1.10", e.dsn());
    assertEquals("Domain example.net does not accept mail (nullMX)", e.getMessage());
  }

  @Test
  void nxdomainIsPermanent() {
    DnsLookupException e = failure(resolver(), "nowhere.test");
    assertTrue(e.permanent());
    assertEquals("5.4.4", e.dsn());
    assertEquals(
        "Host or domain name not found. Name service error for name=nowhere.test type=MX: "
            + "Host not found",
        e.getMessage());
  }

  @Test
  void servfailIsTemporary() {
    dns.servfail("example.com");
    DnsLookupException e = failure(resolver(), "example.com");
    assertFalse(e.permanent());
    assertEquals("4.4.3", e.dsn());
    assertEquals(
        "Host or domain name not found. Name service error for name=example.com type=MX: "
            + "Host not found, try again",
        e.getMessage());
  }

  @Test
  void timeoutIsTemporary() {
    dns.silent("example.com");
    SimpleResolver servers = new SimpleResolver(dns.address());
    servers.setTimeout(Duration.ofMillis(300));
    DnsMailHostResolver r =
        new DnsMailHostResolver(config(Map.of()), servers, null, OwnAddresses.none());
    DnsLookupException e = failure(r, "example.com");
    assertFalse(e.permanent());
    assertEquals("4.4.3", e.dsn());
    assertTrue(e.getMessage().endsWith("type=MX: Host not found, try again"), e.getMessage());
  }

  @Test
  void noAddressForAnyMxHostIsPermanent() {
    dns.mx("example.com", 10, "gone1.example.com").mx("example.com", 20, "gone2.example.com");
    DnsLookupException e = failure(resolver(), "example.com");
    assertTrue(e.permanent());
    assertEquals("5.4.4", e.dsn());
    assertTrue(e.getMessage().contains("name=gone"), e.getMessage());
    assertTrue(e.getMessage().endsWith(": Host not found"), e.getMessage());
  }

  @Test
  void temporaryFailureOfAnMxHostWinsWhenNothingResolves() {
    dns.mx("example.com", 10, "gone.example.com")
        .mx("example.com", 20, "broken.example.com")
        .servfail("broken.example.com");
    DnsLookupException e = failure(resolver(), "example.com");
    assertFalse(e.permanent());
    assertEquals("4.4.3", e.dsn());
    assertTrue(e.getMessage().contains("name=broken.example.com"), e.getMessage());
  }

  @Test
  void hostWithoutRecordsOfTheFamilyIsNodata() {
    dns.aaaa("v6only.example.com", "2001:db8::1");
    DnsLookupException e =
        failure(resolver(config(Map.of("inet_protocols", "ipv4"))), "[v6only.example.com]");
    assertTrue(e.permanent());
    assertEquals(
        "Host or domain name not found. Name service error for name=v6only.example.com type=A: "
            + "Host found but no data record of requested type",
        e.getMessage());
  }

  @Test
  void malformedNextHopWaitsForAConfigFix() {
    DnsLookupException e = failure(resolver(), "[relay.example.com");
    assertFalse(e.permanent());
    assertEquals("4.3.5", e.dsn());
    assertTrue(e.getMessage().contains("missing ']'"), e.getMessage());
  }

  // ---- Loops back to myself -------------------------------------------------------------------

  @Test
  void bestMxIsMyselfLoops() throws Exception {
    dns.mx("example.com", 10, "me.example.com")
        .mx("example.com", 20, "backup.example.com")
        .a("me.example.com", "127.0.0.1")
        .a("backup.example.com", "192.0.2.2");
    OwnAddresses own = OwnAddresses.of(List.of(new InetSocketAddress("127.0.0.1", 25)));
    DnsLookupException e = failure(resolver(config(Map.of()), own), "example.com");
    assertTrue(e.permanent());
    assertEquals("5.4.6", e.dsn());
    assertEquals("mail for example.com loops back to myself", e.getMessage());
  }

  @Test
  void asBackupMxOnlyBetterHostsRemain() throws Exception {
    dns.mx("example.com", 10, "primary.example.com")
        .mx("example.com", 20, "me.example.com")
        .mx("example.com", 30, "worse.example.com")
        .a("primary.example.com", "192.0.2.1")
        .a("me.example.com", "127.0.0.1")
        .a("worse.example.com", "192.0.2.3");
    OwnAddresses own = OwnAddresses.of(List.of(new InetSocketAddress("0.0.0.0", 25)));
    assertEquals(
        List.of("primary.example.com[192.0.2.1]:25"),
        relays(resolve(resolver(config(Map.of()), own), "example.com")));
  }

  @Test
  void anotherPortOnThisMachineIsNotMyself() throws Exception {
    dns.mx("example.com", 10, "sink.example.com").a("sink.example.com", "127.0.0.1");
    OwnAddresses own = OwnAddresses.of(List.of(new InetSocketAddress("127.0.0.1", 2525)));
    assertEquals(
        List.of("sink.example.com[127.0.0.1]:2526"),
        relays(resolve(resolver(config(Map.of()), own), "example.com:2526")));
    DnsLookupException e = failure(resolver(config(Map.of()), own), "[127.0.0.1]:2525");
    assertEquals("mail for 127.0.0.1 loops back to myself", e.getMessage());
  }

  // ---- Helpers --------------------------------------------------------------------------------

  private Config config(Map<String, String> values) {
    Map<String, String> m = new HashMap<>(values);
    m.put("dns_resolver", dns.resolverAddress());
    return Config.of(m);
  }

  private DnsMailHostResolver resolver() {
    return new DnsMailHostResolver(config(Map.of()));
  }

  private DnsMailHostResolver seeded(Config config, Random random) {
    return new DnsMailHostResolver(
        config, DnsServers.resolver(config), random, OwnAddresses.none());
  }

  private DnsMailHostResolver resolver(Config config) {
    return new DnsMailHostResolver(config);
  }

  private DnsMailHostResolver resolver(Config config, OwnAddresses own) {
    return new DnsMailHostResolver(config, own);
  }

  private static List<MailHost> resolve(MailHostResolver r, String nexthop) throws Exception {
    return r.resolve(nexthop, 25).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static DnsLookupException failure(MailHostResolver r, String nexthop) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> r.resolve(nexthop, 25).toCompletableFuture().get(30, TimeUnit.SECONDS));
    return assertInstanceOf(DnsLookupException.class, e.getCause());
  }

  private static List<String> relays(List<MailHost> hosts) {
    return hosts.stream().map(MailHost::relay).collect(Collectors.toList());
  }

  private static List<String> names(List<MailHost> hosts) {
    return hosts.stream().map(MailHost::name).collect(Collectors.toList());
  }

}
