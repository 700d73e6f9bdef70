package io.gannet.dns;

import io.gannet.dns.AddressLookup.HostAddresses;
import io.gannet.dns.DnsQuery.Answer;
import io.gannet.dns.DnsQuery.Status;
import io.gannet.global.Config;
import io.gannet.global.MailParams;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;

/**
 * MX resolution for the smtp and lmtp clients, over DNS with dnsjava (Postfix's {@code
 * smtp_addr.c} with {@code dns_lookup}).
 *
 * <h2>DESCRIPTION</h2>
 *
 * <ul>
 *   <li>{@code [host]}, {@code [host]:port}: no MX lookup; the IP literal, or the host's A and
 *       AAAA records.
 *   <li>{@code domain}, {@code domain:port}: the MX records, sorted by preference, equal
 *       preferences shuffled; each exchange's A and AAAA records (IPv4 first); exchanges without
 *       an address are skipped. No MX records (NODATA): the domain's own A and AAAA records.
 *   <li>At most {@code smtp_mx_address_limit} addresses, duplicates removed.
 *   <li>MX hosts that are this instance ({@link OwnAddresses}) and every MX host of the same or
 *       a worse preference are dropped; if that leaves nothing: "mail for X loops back to
 *       myself".
 * </ul>
 *
 * <h2>DIAGNOSTICS</h2>
 *
 * The stage completes exceptionally with a {@link DnsLookupException} (the direct cause):
 *
 * <ul>
 *   <li>5.4.4 NXDOMAIN, or no address at all: {@code Host or domain name not found. Name service
 *       error for name=X type=MX: Host not found} (or {@code ...: Host found but no data record
 *       of requested type}).
 *   <li>4.4.3 SERVFAIL, timeout, other resolver errors: {@code ...: Host not found, try again}.
 *       Temporary wins over permanent when several hosts fail.
 *   <li>5.1.10 a null MX (RFC 7505): {@code Domain X does not accept mail (nullMX)}.
 *   <li>5.4.6 {@code mail for X loops back to myself}.
 *   <li>4.3.5 a malformed next hop (a configuration error: the mail waits for a fix).
 * </ul>
 *
 * <h2>CONFIGURATION PARAMETERS</h2>
 *
 * <ul>
 *   <li>{@code smtp_mx_address_limit (5)}: addresses returned, 0 for no limit.
 *   <li>{@code inet_protocols (all)}: which of A and AAAA are asked for.
 *   <li>{@code dns_resolver (empty)}: Gannet's; the DNS servers, else /etc/resolv.conf ({@link
 *       DnsServers}).
 * </ul>
 *
 * <h2>THREADS</h2>
 *
 * Nothing blocks: queries go out through dnsjava's NIO selector thread and the stages complete
 * on dnsjava's executor (the common fork-join pool unless one is given). A Netty caller hops back
 * to its event loop with {@code whenCompleteAsync(..., eventLoop)}. Thread-safe.
 *
 * <h2>SEE ALSO</h2>
 *
 * RFC 5321 section 5.1, RFC 7505, Postfix smtp(8).
 */
public final class DnsMailHostResolver implements MailHostResolver {

  private static final Logger log = LoggerFactory.getLogger(DnsMailHostResolver.class);

  private final DnsQuery dns;
  private final AddressLookup addresses;
  private final int addressLimit;
  private final RandomGenerator random;
  private final OwnAddresses own;

  /**
   * A resolver for {@code config}: its {@code dns_resolver} servers (else the system's), a
   * thread-local random order for equal preferences, and no loop check.
   *
   * @throws IllegalArgumentException on a bad {@code dns_resolver} or {@code inet_protocols}
   */
  public DnsMailHostResolver(Config config) {
    this(config, OwnAddresses.none());
  }

  /** As {@link #DnsMailHostResolver(Config)}, skipping MX hosts that are {@code own}. */
  public DnsMailHostResolver(Config config, OwnAddresses own) {
    this(config, DnsServers.resolver(config), null, own);
  }

  /**
   * The full form.
   *
   * @param config read for {@code smtp_mx_address_limit} and {@code inet_protocols}
   * @param servers the dnsjava resolver that sends the queries (see {@link
   *     DnsServers#resolver(Config)}); its timeouts and retries apply
   * @param random orders MX hosts of equal preference; {@code null}: {@link ThreadLocalRandom}
   * @param own this instance's listen addresses, for the loop check
   */
  public DnsMailHostResolver(
      Config config, Resolver servers, RandomGenerator random, OwnAddresses own) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(servers, "servers");
    this.dns = new DnsQuery(LookupSession.builder().resolver(servers).build());
    this.addresses = new AddressLookup(dns, InetProtocols.from(config));
    this.addressLimit = config.get(MailParams.SMTP_MX_ADDRESS_LIMIT);
    this.random = random;
    this.own = Objects.requireNonNull(own, "own");
  }

  @Override
  public CompletionStage<List<MailHost>> resolve(String nexthop, int defaultPort) {
    CompletableFuture<List<MailHost>> result = new CompletableFuture<>();
    NextHop hop;
    try {
      hop = NextHop.parse(nexthop, defaultPort);
    } catch (IllegalArgumentException e) {
      result.completeExceptionally(new DnsLookupException(false, "4.3.5", e.getMessage()));
      return result;
    }
    CompletionStage<List<MailHost>> work;
    try {
      if (hop.literal() != null) {
        work = CompletableFuture.completedFuture(
            withoutSelf(hop, List.of(hop.literal())));
      } else if (!hop.mxLookup()) {
        work = hostAddresses(hop);
      } else {
        work = dns.query(hop.host(), Type.MX).thenCompose(answer -> fromMx(hop, answer));
      }
    } catch (DnsLookupException e) {
      work = CompletableFuture.failedFuture(e);
    }
    work.whenComplete(
        (hosts, failure) -> {
          if (failure == null) {
            log.debug("{}: {}", nexthop, hosts);
            result.complete(hosts);
          } else {
            result.completeExceptionally(asLookupException(nexthop, failure));
          }
        });
    return result;
  }

  /** No MX lookup: the host's own addresses. */
  private CompletionStage<List<MailHost>> hostAddresses(NextHop hop) {
    return addresses
        .lookup(hop.host())
        .thenApply(
            found -> {
              if (found.addresses().isEmpty()) {
                throw failure(found.failure());
              }
              return withoutSelf(hop, found.addresses());
            });
  }

  /** The hosts of a domain from its MX answer. */
  private CompletionStage<List<MailHost>> fromMx(NextHop hop, Answer answer) {
    switch (answer.status()) {
      case OK:
        break;
      case NODATA:
        return hostAddresses(hop);
      default:
        throw failure(answer);
    }
    List<Mx> mxs = exchanges(hop, answer.records());
    List<CompletableFuture<HostAddresses>> lookups = new ArrayList<>();
    for (Mx mx : mxs) {
      lookups.add(addresses.lookup(mx.name()).toCompletableFuture());
    }
    return CompletableFuture.allOf(lookups.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            ignored -> {
              List<HostAddresses> found = new ArrayList<>();
              for (CompletableFuture<HostAddresses> f : lookups) {
                found.add(f.join());
              }
              return assemble(hop, mxs, found);
            });
  }

  /** One MX record: preference and exchange name (as written, no root dot). */
  private record Mx(int preference, String name) {}

  /**
   * The exchanges in the order to try: by preference, equal preferences shuffled, each name once
   * (at its best preference). A lone exchange "." is a null MX.
   */
  private List<Mx> exchanges(NextHop hop, List<Record> records) {
    Map<String, Integer> best = new LinkedHashMap<>();
    boolean nullMx = false;
    for (Record r : records) {
      MXRecord mx = (MXRecord) r;
      Name target = mx.getTarget();
      if (target.equals(Name.root)) {
        nullMx = true;
        continue;
      }
      String name = target.toString(true).toLowerCase(Locale.ROOT);
      best.merge(name, mx.getPriority(), Math::min);
    }
    if (best.isEmpty() && nullMx) {
      throw new DnsLookupException(
          true, "5.1.10", "Domain " + hop.host() + " does not accept mail (nullMX)");
    }
    List<Mx> out = new ArrayList<>();
    best.forEach((name, pref) -> out.add(new Mx(pref, name)));
    shuffle(out);
    out.sort(Comparator.comparingInt(Mx::preference)); // stable: keeps the shuffle within a tie
    return out;
  }

  private void shuffle(List<Mx> list) {
    if (random == null) {
      shuffle(list, ThreadLocalRandom.current());
    } else {
      synchronized (random) {
        shuffle(list, random);
      }
    }
  }

  private static void shuffle(List<Mx> list, RandomGenerator rnd) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      Mx t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  private List<MailHost> assemble(NextHop hop, List<Mx> mxs, List<HostAddresses> found) {
    int selfPreference = Integer.MAX_VALUE;
    for (int i = 0; i < mxs.size(); i++) {
      for (InetAddress a : found.get(i).addresses()) {
        if (own.contains(a, hop.port())) {
          selfPreference = Math.min(selfPreference, mxs.get(i).preference());
        }
      }
    }
    List<MailHost> out = new ArrayList<>();
    Set<InetAddress> seen = new LinkedHashSet<>();
    Answer temporary = null;
    Answer permanent = null;
    for (int i = 0; i < mxs.size(); i++) {
      Mx mx = mxs.get(i);
      HostAddresses h = found.get(i);
      if (mx.preference() >= selfPreference) {
        continue;
      }
      if (h.addresses().isEmpty()) {
        log.debug("{}: skipping MX host {}: {}", hop.host(), mx.name(), h.failure().error());
        if (h.failure().status() == Status.TRY_AGAIN) {
          temporary = temporary == null ? h.failure() : temporary;
        } else {
          permanent = h.failure();
        }
        continue;
      }
      for (InetAddress a : h.addresses()) {
        if (seen.add(a) && (addressLimit == 0 || out.size() < addressLimit)) {
          out.add(new MailHost(mx.name(), a, hop.port(), mx.preference()));
        }
      }
    }
    if (!out.isEmpty()) {
      return List.copyOf(out);
    }
    if (selfPreference != Integer.MAX_VALUE && temporary == null && permanent == null) {
      throw loop(hop);
    }
    throw failure(temporary != null ? temporary : permanent);
  }

  /** The addresses of a host that is not an MX exchange, limited, without this instance. */
  private List<MailHost> withoutSelf(NextHop hop, List<InetAddress> addrs) {
    List<MailHost> out = new ArrayList<>();
    for (InetAddress a : addrs) {
      if (own.contains(a, hop.port())) {
        continue;
      }
      if (addressLimit == 0 || out.size() < addressLimit) {
        out.add(new MailHost(hop.host(), a, hop.port(), 0));
      }
    }
    if (out.isEmpty()) {
      throw loop(hop);
    }
    return List.copyOf(out);
  }

  private static DnsLookupException loop(NextHop hop) {
    return new DnsLookupException(
        true, "5.4.6", "mail for " + hop.host() + " loops back to myself");
  }

  private static DnsLookupException failure(Answer answer) {
    return answer.status().permanent
        ? new DnsLookupException(true, "5.4.4", answer.error())
        : new DnsLookupException(false, "4.4.3", answer.error());
  }

  /** The failure as the interface promises it; a bug of ours defers, loudly. */
  private static DnsLookupException asLookupException(String nexthop, Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof DnsLookupException) {
      return (DnsLookupException) cause;
    }
    log.error("internal error resolving {}", nexthop, cause);
    return new DnsLookupException(
        false, "4.3.0", "internal error resolving " + nexthop + ": " + cause);
  }
}
