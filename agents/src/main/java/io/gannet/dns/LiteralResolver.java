package io.gannet.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A resolver without MX lookups: {@code [host]:port}, {@code [host]}, {@code host:port} and {@code
 * host} all become the host's addresses ({@link InetAddress#getAllByName}: an IP literal as is, a
 * name through the system resolver) on the given or default port. For tests and for relays to a
 * literal next hop; {@link MailHostResolver} implementations with DNS live beside it.
 */
public final class LiteralResolver implements MailHostResolver {

  private final int addressLimit;

  /** @param addressLimit most addresses returned ({@code smtp_mx_address_limit}; 0: no limit) */
  public LiteralResolver(int addressLimit) {
    this.addressLimit = addressLimit;
  }

  public LiteralResolver() {
    this(0);
  }

  @Override
  public CompletionStage<List<MailHost>> resolve(String nexthop, int defaultPort) {
    String host;
    int port = defaultPort;
    String hop = nexthop.trim();
    try {
      if (hop.startsWith("[")) {
        int close = hop.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException("missing ] in " + nexthop);
        }
        host = hop.substring(1, close);
        String rest = hop.substring(close + 1);
        if (!rest.isEmpty()) {
          port = port(rest, nexthop);
        }
      } else {
        int colon = hop.lastIndexOf(':');
        if (colon > 0 && hop.indexOf(':') == colon) {
          host = hop.substring(0, colon);
          port = port(hop.substring(colon), nexthop);
        } else {
          host = hop;
        }
      }
      if (host.isEmpty()) {
        throw new IllegalArgumentException("empty host in " + nexthop);
      }
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new DnsLookupException(false, "4.3.5", "bad next hop '" + nexthop + "': "
              + e.getMessage()));
    }
    try {
      List<MailHost> out = new ArrayList<>();
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (addressLimit > 0 && out.size() >= addressLimit) {
          break;
        }
        out.add(new MailHost(host, a, port, 0));
      }
      return CompletableFuture.completedFuture(out);
    } catch (UnknownHostException e) {
      return CompletableFuture.failedFuture(
          new DnsLookupException(false, "4.4.3",
              "Host or domain name not found. Name service error for name=" + host
                  + " type=A: Host not found, try again"));
    }
  }

  private static int port(String colonPort, String nexthop) {
    if (!colonPort.startsWith(":") || !colonPort.substring(1).matches("\\d{1,5}")) {
      throw new IllegalArgumentException("bad port in " + nexthop);
    }
    int p = Integer.parseInt(colonPort.substring(1));
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("bad port in " + nexthop);
    }
    return p;
  }
}
