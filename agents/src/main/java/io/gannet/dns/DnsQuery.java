package io.gannet.dns;

import java.net.IDN;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * One asynchronous DNS question (Postfix's {@code dns_lookup}) through a dnsjava {@link
 * LookupSession}: CNAMEs followed, the outcome classed as Postfix classes it. The stage never
 * completes exceptionally; every failure is an {@link Answer} status.
 */
final class DnsQuery {

  private static final Logger log = LoggerFactory.getLogger(DnsQuery.class);

  /** How a question ended, with Postfix's wording of the resolver error. */
  enum Status {
    OK(false, ""),
    /** The name exists but has no record of the type (NOERROR, empty answer). */
    NODATA(true, "Host found but no data record of requested type"),
    /** NXDOMAIN. */
    NOT_FOUND(true, "Host not found"),
    /** SERVFAIL, REFUSED, a timeout, a bad reply: ask again later. */
    TRY_AGAIN(false, "Host not found, try again"),
    /** The name cannot be a domain name. */
    MALFORMED(true, "Malformed domain name");

    final boolean permanent;
    final String text;

    Status(boolean permanent, String text) {
      this.permanent = permanent;
      this.text = text;
    }
  }

  /** The records of one type at one name (CNAMEs followed), or why there are none. */
  record Answer(String name, int type, List<Record> records, Status status) {

    /** Postfix's text: {@code Host or domain name not found. Name service error for ...}. */
    String error() {
      return "Host or domain name not found. Name service error for name=" + name + " type="
          + Type.string(type) + ": " + status.text;
    }
  }

  private final LookupSession session;

  DnsQuery(LookupSession session) {
    this.session = session;
  }

  /**
   * Asks for the {@code type} records of {@code host} (a name as written, without the root
   * dot; IDN labels are converted to A-labels).
   */
  CompletionStage<Answer> query(String host, int type) {
    Name name;
    try {
      name = name(host);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new Answer(host, type, List.of(), Status.MALFORMED));
    }
    CompletionStage<Answer> stage;
    try {
      stage =
          session
              .lookupAsync(name, type)
              .handle(
                  (result, failure) -> {
                    if (failure == null) {
                      List<Record> records =
                          result.getRecords().stream()
                              .filter(r -> r.getType() == type)
                              .collect(Collectors.toUnmodifiableList());
                      return new Answer(
                          host, type, records, records.isEmpty() ? Status.NODATA : Status.OK);
                    }
                    return new Answer(host, type, List.of(), classify(host, type, failure));
                  });
    } catch (RuntimeException e) { // a lookup that fails before it is sent
      stage = CompletableFuture.completedFuture(
          new Answer(host, type, List.of(), classify(host, type, e)));
    }
    return stage;
  }

  /** A host name as an absolute DNS name. */
  static Name name(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (h.isEmpty()) {
      throw new IllegalArgumentException("empty domain name");
    }
    try {
      return Name.fromString(IDN.toASCII(h, IDN.ALLOW_UNASSIGNED), Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("malformed domain name '" + host + "'", e);
    }
  }

  private static Status classify(String host, int type, Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof NoSuchDomainException) {
      return Status.NOT_FOUND;
    }
    if (cause instanceof NoSuchRRSetException) {
      return Status.NODATA;
    }
    log.debug("DNS lookup of {}/{} failed: {}", host, Type.string(type), cause.toString());
    return Status.TRY_AGAIN;
  }
}
