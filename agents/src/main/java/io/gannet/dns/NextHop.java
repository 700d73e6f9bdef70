package io.gannet.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import org.xbill.DNS.Address;

/**
 * A next-hop destination as written in {@code relayhost}, a transport's next hop or a recipient
 * domain: {@code domain}, {@code domain:port}, {@code [host]}, {@code [host]:port}, {@code
 * [192.0.2.1]}, {@code [2001:db8::1]:587} or {@code [ipv6:2001:db8::1]}.
 *
 * <p>Brackets turn off the MX lookup. An IP address (bracketed or not) is never looked up. The
 * port is a number or one of the service names {@code smtp}, {@code lmtp}, {@code submission},
 * {@code submissions} / {@code smtps}. Parsing never touches the network.
 *
 * @param host the host or domain name, or the IP address as written (without brackets or the
 *     {@code ipv6:} prefix)
 * @param port the TCP port
 * @param mxLookup whether MX records are looked up (not bracketed and not an IP address)
 * @param literal the address when {@code host} is an IP address, else {@code null}
 */
public record NextHop(String host, int port, boolean mxLookup, InetAddress literal) {

  public NextHop {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /**
   * Parses {@code nexthop}; {@code defaultPort} applies when it names no port.
   *
   * @throws IllegalArgumentException with a message naming the destination when it is malformed
   *     (empty, unbalanced bracket, bad port)
   */
  public static NextHop parse(String nexthop, int defaultPort) {
    Objects.requireNonNull(nexthop, "nexthop");
    String s = nexthop.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty next-hop destination");
    }
    if (s.charAt(0) == '[') {
      int close = s.indexOf(']');
      if (close < 0) {
        throw bad(nexthop, "missing ']'");
      }
      String inner = s.substring(1, close);
      String rest = s.substring(close + 1);
      int port = defaultPort;
      if (!rest.isEmpty()) {
        if (rest.charAt(0) != ':') {
          throw bad(nexthop, "text after ']' is not ':port'");
        }
        port = port(nexthop, rest.substring(1));
      }
      boolean ipv6Prefix = inner.regionMatches(true, 0, "ipv6:", 0, 5);
      if (ipv6Prefix) {
        inner = inner.substring(5);
      }
      if (inner.isEmpty()) {
        throw bad(nexthop, "empty host name");
      }
      InetAddress literal = literal(inner);
      if (ipv6Prefix && (literal == null || literal.getAddress().length != 16)) {
        throw bad(nexthop, "not an IPv6 address after 'ipv6:'");
      }
      if (literal == null) {
        checkHostName(nexthop, inner);
      }
      return new NextHop(inner, port, false, literal);
    }
    if (s.indexOf(']') >= 0) {
      throw bad(nexthop, "']' without '['");
    }
    int firstColon = s.indexOf(':');
    if (firstColon >= 0 && firstColon != s.lastIndexOf(':')) {
      // Several colons: only a bare IPv6 address makes sense.
      InetAddress literal = literal(s);
      if (literal == null) {
        throw bad(nexthop, "an IPv6 address with a port must be written [address]:port");
      }
      return new NextHop(s, defaultPort, false, literal);
    }
    String host = s;
    int port = defaultPort;
    if (firstColon >= 0) {
      host = s.substring(0, firstColon);
      port = port(nexthop, s.substring(firstColon + 1));
    }
    if (host.isEmpty()) {
      throw bad(nexthop, "empty host name");
    }
    InetAddress literal = literal(host);
    if (literal == null) {
      checkHostName(nexthop, host);
    }
    return new NextHop(host, port, literal == null, literal);
  }

  /** As written back: {@code [host]:port} or {@code domain:port}. */
  @Override
  public String toString() {
    return (mxLookup ? host : "[" + host + "]") + ":" + port;
  }

  private static InetAddress literal(String s) {
    int family = s.indexOf(':') >= 0 ? Address.IPv6 : Address.IPv4;
    if (family == Address.IPv4 && !Address.isDottedQuad(s)) {
      return null;
    }
    byte[] bytes = Address.toByteArray(s, family);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes); // no lookup: the bytes are given
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static void checkHostName(String nexthop, String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (Character.isWhitespace(c) || c == '[' || c == ']' || c == ':' || c == '@'
          || c == '/' || c == '\\' || Character.isISOControl(c)) {
        throw bad(nexthop, "bad character in host name");
      }
    }
  }

  private static int port(String nexthop, String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "smtp":
        return 25;
      case "lmtp":
        return 24;
      case "submission":
        return 587;
      case "submissions":
      case "smtps":
        return 465;
      default:
        break;
    }
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw bad(nexthop, "bad port '" + text + "'");
    }
    if (port < 1 || port > 65535) {
      throw bad(nexthop, "port out of range '" + text + "'");
    }
    return port;
  }

  private static IllegalArgumentException bad(String nexthop, String why) {
    return new IllegalArgumentException(
        "bad next-hop destination '" + nexthop + "': " + why);
  }
}
