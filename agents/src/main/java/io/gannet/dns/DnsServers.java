package io.gannet.dns;

import io.gannet.global.Config;
import io.gannet.global.MailParams;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Address;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;

/**
 * The DNS servers the resolver asks: {@code dns_resolver} (Gannet's own parameter: one or more
 * {@code address[:port]} or {@code [address]:port}, separated by white space or commas), or,
 * when it is empty, the system's ({@code /etc/resolv.conf}, read by dnsjava's {@link
 * ResolverConfig}). dnsjava sends queries from one shared NIO selector thread, retrying over TCP
 * when a UDP answer is truncated.
 */
public final class DnsServers {

  private DnsServers() {}

  /**
   * A dnsjava resolver for the servers of {@code config}.
   *
   * @throws IllegalArgumentException if {@code dns_resolver} is malformed (the message names the
   *     parameter)
   */
  public static Resolver resolver(Config config) {
    List<InetSocketAddress> servers = servers(config);
    List<Resolver> resolvers = new ArrayList<>();
    for (InetSocketAddress s : servers) {
      resolvers.add(new SimpleResolver(s));
    }
    return new ExtendedResolver(resolvers);
  }

  /** The server addresses of {@code config}: {@code dns_resolver}, else the system's. */
  public static List<InetSocketAddress> servers(Config config) {
    List<String> words = MailParams.splitList(config.get(MailParams.DNS_RESOLVER));
    if (words.isEmpty()) {
      return ResolverConfig.getCurrentConfig().servers();
    }
    List<InetSocketAddress> out = new ArrayList<>();
    for (String w : words) {
      out.add(parse(w));
    }
    return List.copyOf(out);
  }

  /**
   * One server, {@code 192.0.2.53}, {@code 127.0.0.1:5353}, {@code ::1} or {@code [::1]:5353}:
   * an IP address (a server name would need DNS to be found), port 53 by default.
   */
  static InetSocketAddress parse(String server) {
    String host = server;
    int port = SimpleResolver.DEFAULT_PORT;
    if (server.startsWith("[")) {
      int close = server.indexOf(']');
      if (close < 0) {
        throw bad(server, "missing ']'");
      }
      host = server.substring(1, close);
      String rest = server.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw bad(server, "text after ']' is not ':port'");
        }
        port = port(server, rest.substring(1));
      }
    } else if (server.indexOf(':') >= 0 && server.indexOf(':') == server.lastIndexOf(':')) {
      host = server.substring(0, server.indexOf(':'));
      port = port(server, server.substring(server.indexOf(':') + 1));
    }
    int family = host.indexOf(':') >= 0 ? Address.IPv6 : Address.IPv4;
    byte[] bytes = family == Address.IPv4 && !Address.isDottedQuad(host)
        ? null : Address.toByteArray(host, family);
    if (bytes == null) {
      throw bad(server, "not an IP address");
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
    } catch (java.net.UnknownHostException e) {
      throw bad(server, "not an IP address");
    }
  }

  private static int port(String server, String text) {
    try {
      int p = Integer.parseInt(text);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw bad(server, "bad port '" + text + "'");
  }

  private static IllegalArgumentException bad(String server, String why) {
    return new IllegalArgumentException(
        "bad " + MailParams.DNS_RESOLVER.name() + " value '" + server + "': " + why
            + " (use address[:port] or [address]:port)");
  }
}
