package io.gannet.smtpd;

import io.gannet.global.Config;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One smtpd service of master.cf, already parsed: its service name (as in the first column, {@code
 * smtp}, {@code submission}; used in logs and anvil keys), bind address and port (port 0 binds an
 * ephemeral port), {@code maxproc} (most concurrent connections; 0 means no limit) and its
 * effective configuration (main.cf with the service's {@code -o} overrides).
 */
public record Listener(String service, InetSocketAddress address, int maxproc, Config config) {

  public Listener {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(config, "config");
    if (maxproc < 0) {
      throw new IllegalArgumentException("maxproc < 0 for service " + service);
    }
  }
}
