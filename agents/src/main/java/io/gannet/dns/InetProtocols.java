package io.gannet.dns;

import io.gannet.global.Config;
import io.gannet.global.MailParams;
import java.util.List;
import java.util.Locale;

/**
 * The address families in use ({@code inet_protocols}: {@code all}, {@code ipv4}, {@code ipv6}
 * or {@code ipv4, ipv6}): which of A and AAAA records the resolver asks for.
 */
public record InetProtocols(boolean ipv4, boolean ipv6) {

  public InetProtocols {
    if (!ipv4 && !ipv6) {
      throw new IllegalArgumentException("inet_protocols: no address family");
    }
  }

  /** Both families. */
  public static InetProtocols all() {
    return new InetProtocols(true, true);
  }

  /** {@code inet_protocols} of {@code config}. */
  public static InetProtocols from(Config config) {
    return parse(config.get(MailParams.INET_PROTOCOLS));
  }

  /**
   * Parses the words of {@code inet_protocols}.
   *
   * @throws IllegalArgumentException on an unknown word or an empty list
   */
  public static InetProtocols parse(List<String> words) {
    boolean v4 = false;
    boolean v6 = false;
    for (String w : words) {
      switch (w.toLowerCase(Locale.ROOT)) {
        case "all":
          v4 = true;
          v6 = true;
          break;
        case "ipv4":
          v4 = true;
          break;
        case "ipv6":
          v6 = true;
          break;
        default:
          throw new IllegalArgumentException(
              "bad inet_protocols value: '" + w + "' (use all, ipv4 or ipv6)");
      }
    }
    if (!v4 && !v6) {
      throw new IllegalArgumentException("inet_protocols is empty (use all, ipv4 or ipv6)");
    }
    return new InetProtocols(v4, v6);
  }
}
