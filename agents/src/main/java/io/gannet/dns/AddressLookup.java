package io.gannet.dns;

import io.gannet.dns.DnsQuery.Answer;
import io.gannet.dns.DnsQuery.Status;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The addresses of one host (Postfix's {@code smtp_addr_one}): its A and AAAA records, asked for
 * at the same time, IPv4 addresses first, as {@code inet_protocols} allows.
 */
final class AddressLookup {

  /**
   * A host's addresses, or, when there are none, the answer that says why ({@code failure}).
   */
  record HostAddresses(String name, List<InetAddress> addresses, Answer failure) {}

  private final DnsQuery dns;
  private final InetProtocols protocols;

  AddressLookup(DnsQuery dns, InetProtocols protocols) {
    this.dns = dns;
    this.protocols = protocols;
  }

  CompletionStage<HostAddresses> lookup(String host) {
    CompletableFuture<Answer> v4 =
        protocols.ipv4() ? dns.query(host, Type.A).toCompletableFuture() : null;
    CompletableFuture<Answer> v6 =
        protocols.ipv6() ? dns.query(host, Type.AAAA).toCompletableFuture() : null;
    CompletableFuture<Void> both =
        CompletableFuture.allOf(
            v4 != null ? v4 : CompletableFuture.completedFuture(null),
            v6 != null ? v6 : CompletableFuture.completedFuture(null));
    return both.thenApply(ignored -> combine(host, v4 == null ? null : v4.join(),
        v6 == null ? null : v6.join()));
  }

  private static HostAddresses combine(String host, Answer v4, Answer v6) {
    List<InetAddress> out = new ArrayList<>();
    for (Answer a : new Answer[] {v4, v6}) {
      if (a == null) {
        continue;
      }
      for (Record r : a.records()) {
        InetAddress addr =
            r instanceof ARecord ? ((ARecord) r).getAddress() : ((AAAARecord) r).getAddress();
        if (!out.contains(addr)) {
          out.add(addr);
        }
      }
    }
    if (!out.isEmpty()) {
      return new HostAddresses(host, List.copyOf(out), null);
    }
    return new HostAddresses(host, List.of(), worst(v4, v6));
  }

  /**
   * The answer that explains the failure: a temporary one first (ask again later beats giving
   * up), then NXDOMAIN, then NODATA; between equals the later question (AAAA), as Postfix logs.
   */
  private static Answer worst(Answer v4, Answer v6) {
    if (v4 == null) {
      return v6;
    }
    if (v6 == null) {
      return v4;
    }
    return rank(v4.status()) > rank(v6.status()) ? v4 : v6;
  }

  private static int rank(Status s) {
    switch (s) {
      case TRY_AGAIN:
        return 3;
      case NOT_FOUND:
        return 2;
      case NODATA:
        return 1;
      default:
        return 0;
    }
  }
}
