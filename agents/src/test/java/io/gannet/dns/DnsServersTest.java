package io.gannet.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.Config;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DnsServersTest {

  @Test
  void addressesWithAndWithoutPort() {
    Config c = Config.of(Map.of("dns_resolver", "127.0.0.1:5353, 192.0.2.53 [::1]:5300 ::1"));
    assertEquals(
        List.of(
            new InetSocketAddress("127.0.0.1", 5353),
            new InetSocketAddress("192.0.2.53", 53),
            new InetSocketAddress("::1", 5300),
            new InetSocketAddress("::1", 53)),
        DnsServers.servers(c));
  }

  @Test
  void emptyMeansTheSystemServers() {
    assertFalse(DnsServers.servers(Config.defaults()).isEmpty());
  }

  @Test
  void namesAndBadPortsAreRefusedNamingTheParameter() {
    for (String bad : List.of("dns.example.com", "127.0.0.1:0", "127.0.0.1:x", "[::1", "[::1]x")) {
      Config c = Config.of(Map.of("dns_resolver", bad));
      String msg =
          assertThrows(IllegalArgumentException.class, () -> DnsServers.resolver(c)).getMessage();
      assertTrue(msg.startsWith("bad dns_resolver value '" + bad + "'"), msg);
    }
  }
}
