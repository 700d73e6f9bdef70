package io.gannet.rewrite;

import java.util.Locale;

/**
 * A next-hop destination as Postfix writes it in {@code relayhost}, {@code transport_maps} and the
 * {@code *_transport} parameters, parsed for a delivery agent:
 *
 * <ul>
 *   <li>{@code example.com}: look up the MX records of example.com, default port;
 *   <li>{@code example.com:2525}: MX lookup, then port 2525;
 *   <li>{@code [mail.example.com]} or {@code [192.0.2.1]:587}: no MX lookup, connect to the host
 *       (its A/AAAA records, or the literal address) directly;
 *   <li>{@code [ipv6:2001:db8::1]:25} or {@code [2001:db8::1]}: an IPv6 literal.
 * </ul>
 *
 * An {@code inet:} prefix (LMTP style) is accepted and ignored. Ports may be numbers or the service
 * names {@code smtp}, {@code submission}, {@code smtps}, {@code submissions} and {@code lmtp}.
 *
 * @param host the host or domain, lower case, without brackets
 * @param port the port to connect to
 * @param mxLookup false for the bracketed form
 */
public record NextHop(String host, int port, boolean mxLookup) {

  public NextHop {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("next hop without a host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("next hop port out of range: " + port);
    }
  }

  /**
   * Parses {@code text}; {@code defaultPort} applies when no port is written. Throws {@link
   * IllegalArgumentException} naming the bad text.
   */
  public static NextHop parse(String text, int defaultPort) {
    String s = text.strip();
    if (s.regionMatches(true, 0, "inet:", 0, 5)) {
      s = s.substring(5);
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty next hop");
    }
    String host;
    String port = null;
    boolean mx;
    if (s.charAt(0) == '[') {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("bad next hop '" + text + "': missing ']'");
      }
      host = s.substring(1, close);
      if (host.regionMatches(true, 0, "ipv6:", 0, 5)) {
        host = host.substring(5);
      }
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (rest.charAt(0) != ':') {
          throw new IllegalArgumentException(
              "bad next hop '" + text + "': expected :port after ']'");
        }
        port = rest.substring(1);
      }
      mx = false;
    } else {
      int colon = s.indexOf(':');
      if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException(
            "bad next hop '" + text + "': write IPv6 addresses as [ipv6:address]");
      }
      host = colon < 0 ? s : s.substring(0, colon);
      port = colon < 0 ? null : s.substring(colon + 1);
      mx = true;
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("bad next hop '" + text + "': no host");
    }
    return new NextHop(
        host.toLowerCase(Locale.ROOT), port == null ? defaultPort : port(text, port), mx);
  }

  private static int port(String text, String port) {
    switch (port.toLowerCase(Locale.ROOT)) {
      case "smtp":
        return 25;
      case "lmtp":
        return 24;
      case "submission":
        return 587;
      case "smtps":
      case "submissions":
        return 465;
      default:
        break;
    }
    try {
      int p = Integer.parseInt(port);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("bad next hop '" + text + "': bad port '" + port + "'");
  }

  /** The Postfix form: {@code [host]:port} or {@code host:port}. */
  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "ipv6:" + host : host;
    return (mxLookup ? h : "[" + h + "]") + ":" + port;
  }
}
