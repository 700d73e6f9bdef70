package io.gannet.dns;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One address to try for a next hop: the host name (the MX exchange or the literal host), its
 * address, the port, and the MX preference (0 when no MX was used).
 */
public record MailHost(String name, InetAddress address, int port, int preference) {
  public MailHost {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
  }

  /** As Postfix logs a relay: {@code mx.example.com[192.0.2.1]:25}. */
  public String relay() {
    return name + "[" + address.getHostAddress() + "]:" + port;
  }
}
