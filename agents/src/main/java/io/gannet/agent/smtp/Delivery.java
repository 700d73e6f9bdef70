package io.gannet.agent.smtp;

import io.gannet.agent.smtp.Attempt.Kind;
import io.gannet.agent.smtp.SmtpClientSettings.Protocol;
import io.gannet.dns.DnsLookupException;
import io.gannet.global.BodyType;
import io.gannet.global.DeliveryRecipient;
import io.gannet.global.DeliveryRequest;
import io.gannet.global.DeliveryResult;
import io.gannet.global.DeliveryStatus;
import io.gannet.global.DsnRet;
import io.gannet.global.RecipientOutcome;
import io.gannet.smtp.EhloCapabilities;
import io.gannet.smtp.MimeDowngrade;
import io.gannet.smtp.SmtpCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One delivery request carried through (Postfix's smtp_connect + smtp_trouble): a cached
 * connection to the destination first (after an RSET probe), then the resolved servers in order,
 * each with one transaction for every recipient still open.
 *
 * <p>A 2xx or 5xx answer is final. A 4xx answer, a connection that fails, a greeting refused, a
 * lost connection or a timeout leaves the recipient open for the next server; after the last
 * server the recipient is deferred with the last reason. A server without SMTPUTF8 for a message
 * that needs it is skipped, and the message bounces ({@code 5.6.7}) when no server offers it.
 * 8-bit content for a server without 8BITMIME is converted ({@link MimeDowngrade}), or bounces
 * when it cannot be ({@code 5.6.3}); content larger than the server's SIZE bounces ({@code
 * 5.3.4}).
 *
 * <p>{@code siteFailure} in the result: no session with any server completed and some server
 * trouble (connect, greeting, lost connection, timeout, DNS) was met. Not thread-safe: its steps
 * run one after another.
 */
final class Delivery {

  /** A final outcome and where it came from, for the log. */
  private record Final(RecipientOutcome outcome, String relay, int connUse) {}

  private final SmtpAgent agent;
  private final SmtpClientSettings settings;
  private final DeliveryRequest request;
  private final long started;
  private final String cacheKey;
  private final List<DeliveryRecipient> pending;
  private final Map<Integer, Attempt> lastAttempt = new HashMap<>();
  private final Map<Integer, Final> finals = new HashMap<>();
  private final boolean eightBit;
  private final boolean needsSmtputf8;
  private MimeDowngrade.Result downgraded;
  private String envid;
  private boolean sessionCompleted;
  private boolean siteTrouble;
  private String lastRelay = "none";
  private Endpoint reused;
  private long queueMillis;
  private long setupMillis;
  private long xferMillis;

  Delivery(SmtpAgent agent, DeliveryRequest request) {
    this.agent = agent;
    this.settings = agent.settings();
    this.request = request;
    this.started = agent.clock().millis();
    this.cacheKey = request.nexthop().toLowerCase(Locale.ROOT);
    this.pending = new ArrayList<>(request.recipients());
    this.eightBit = MimeDowngrade.has8bit(request.content());
    this.needsSmtputf8 = request.smtputf8() && utf8Needed(request);
  }

  CompletableFuture<DeliveryResult> run() {
    CompletableFuture<Void> work;
    try {
      validate();
      work = pending.isEmpty() ? done() : viaCache(0).thenCompose(v -> resolveAndTry());
    } catch (RuntimeException e) {
      work = CompletableFuture.failedFuture(e);
    }
    return work.handle(
        (v, x) -> {
          if (x != null) {
            Throwable t = Handshake.unwrap(x);
            if (t instanceof AgentClosedException) {
              recordAll(Attempt.local(Kind.SOFT, "4.3.2", t.getMessage(), "none"), true);
            } else {
              agent.log().error(request.queueId() + ": delivery agent failed", t);
              recordAll(Attempt.local(Kind.SOFT, "4.3.0", "delivery agent failed: " + t, "none"),
                  true);
            }
          }
          return finish();
        });
  }

  // ---- steps -----------------------------------------------------------------------------

  /** Refuses what can never be sent: control characters in addresses would become commands. */
  private void validate() {
    envid = request.envid();
    if (envid != null && (!SmtpCommands.isAscii(envid) || hasControl(envid))) {
      envid = null;
    }
    if (hasControl(request.sender())) {
      recordAll(Attempt.local(Kind.HARD, "5.1.7", "bad sender address syntax", "none"), true);
      return;
    }
    for (DeliveryRecipient r : List.copyOf(pending)) {
      if (hasControl(r.address())
          || (r.recipient().orcpt() != null && hasControl(r.recipient().orcpt()))) {
        record(r, Attempt.local(Kind.HARD, "5.1.3", "bad recipient address syntax", "none"),
            true, 0);
      }
    }
  }

  /** The cached connection to this destination, if any answers the RSET probe. */
  private CompletableFuture<Void> viaCache(int tries) {
    if (tries >= 3 || pending.isEmpty()) {
      return done();
    }
    Session s = agent.cache().take(cacheKey, needsSmtputf8);
    if (s == null) {
      return done();
    }
    long t0 = agent.clock().millis();
    return s.probe(settings.rsetTimeout())
        .thenCompose(
            ok -> {
              setupMillis += agent.clock().millis() - t0;
              if (!ok) {
                s.quit();
                return viaCache(tries + 1);
              }
              reused = s.endpoint();
              return deliverOn(s, false);
            });
  }

  private CompletableFuture<Void> resolveAndTry() {
    if (pending.isEmpty()) {
      return done();
    }
    long t0 = agent.clock().millis();
    CompletableFuture<List<Endpoint>> endpoints;
    try {
      endpoints = endpoints().toCompletableFuture();
    } catch (RuntimeException e) {
      endpoints = CompletableFuture.failedFuture(e);
    }
    return endpoints
        .handle(
            (list, x) -> {
              setupMillis += agent.clock().millis() - t0;
              if (x != null) {
                Throwable t = Handshake.unwrap(x);
                if (t instanceof DnsLookupException d) {
                  recordAll(dnsFailure(d), true);
                  return done();
                }
                if (t instanceof IllegalArgumentException bad) {
                  recordAll(Attempt.local(Kind.SOFT, "4.3.5",
                      "bad " + settings.protocol().logName() + " destination: "
                          + bad.getMessage(), "none"), true);
                  return done();
                }
                throw new CompletionException(t);
              }
              List<Endpoint> todo = new ArrayList<>();
              for (Endpoint e : list) {
                if (!e.equals(reused)
                    && (settings.mxAddressLimit() <= 0 || todo.size() < settings.mxAddressLimit())) {
                  todo.add(e);
                }
              }
              if (list.isEmpty()) {
                siteTrouble = true;
                recordAll(Attempt.local(Kind.SOFT, "4.4.3",
                    "Host or domain name not found. Name service error for name="
                        + request.nexthop() + ": no address", "none"), true);
                return done();
              }
              return tryEndpoints(todo, 0);
            })
        .thenCompose(f -> f);
  }

  private Attempt dnsFailure(DnsLookupException d) {
    String dsn = d.dsn() != null ? d.dsn() : (d.permanent() ? "5.4.4" : "4.4.3");
    if (!d.permanent()) {
      siteTrouble = true;
    }
    return new Attempt(d.permanent() ? Kind.HARD : Kind.SOFT, dsn, d.getMessage(), "none",
        !d.permanent());
  }

  private CompletionStage<List<Endpoint>> endpoints() {
    String nexthop = request.nexthop();
    if (settings.protocol() == Protocol.LMTP) {
      if (nexthop.startsWith("unix:")) {
        String path = nexthop.substring(5);
        if (path.isEmpty()) {
          throw new IllegalArgumentException("empty socket path in " + nexthop);
        }
        return CompletableFuture.completedFuture(
            List.of(Endpoint.unix(settings.myhostname(), path)));
      }
      nexthop = noMx(nexthop.startsWith("inet:") ? nexthop.substring(5) : nexthop);
    }
    if (agent.resolver() == null) {
      throw new IllegalArgumentException("no resolver for " + nexthop);
    }
    return agent
        .resolver()
        .resolve(nexthop, settings.defaultPort())
        .thenApply(hosts -> hosts.stream().map(Endpoint::of).toList());
  }

  /** lmtp never looks up MX records: {@code host:port} becomes {@code [host]:port}. */
  static String noMx(String hop) {
    if (hop.startsWith("[")) {
      return hop;
    }
    int colon = hop.lastIndexOf(':');
    if (colon > 0 && hop.indexOf(':') == colon && hop.substring(colon + 1).matches("\\d+")) {
      return "[" + hop.substring(0, colon) + "]" + hop.substring(colon);
    }
    if (hop.isEmpty()) {
      throw new IllegalArgumentException("empty destination");
    }
    return "[" + hop + "]";
  }

  private CompletableFuture<Void> tryEndpoints(List<Endpoint> list, int i) {
    if (pending.isEmpty() || i >= list.size()) {
      return done();
    }
    boolean last = i == list.size() - 1;
    return attempt(list.get(i), last).thenCompose(v -> tryEndpoints(list, i + 1));
  }

  private CompletableFuture<Void> attempt(Endpoint e, boolean last) {
    long t0 = agent.clock().millis();
    return agent
        .limiter()
        .acquire(cacheKey)
        .thenCompose(
            grant -> {
              long t1 = agent.clock().millis();
              queueMillis += t1 - t0;
              if (grant.session() != null) {
                return reuse(grant.session(), e, last, t1);
              }
              return agent
                  .handshake()
                  .open(e, grant.permit())
                  .handle(
                      (s, x) -> {
                        setupMillis += agent.clock().millis() - t1;
                        if (x != null) {
                          Throwable t = Handshake.unwrap(x);
                          if (t instanceof AttemptFailure a) {
                            if (!a.attempt().relay().equals("none")) {
                              lastRelay = a.attempt().relay();
                            }
                            recordAll(a.attempt(), last);
                            return done();
                          }
                          throw new CompletionException(t);
                        }
                        return deliverOn(s, last);
                      })
                  .thenCompose(f -> f);
            });
  }

  /**
   * A session to this destination that another delivery just finished with: probe it, use it,
   * or start over when it does not answer.
   */
  private CompletableFuture<Void> reuse(Session s, Endpoint e, boolean last, long t1) {
    if (needsSmtputf8 && !s.capabilities().smtputf8()) {
      agent.release(cacheKey, s);
      return attempt(e, last);
    }
    return s.probe(settings.rsetTimeout())
        .thenCompose(
            ok -> {
              setupMillis += agent.clock().millis() - t1;
              if (!ok) {
                s.quit();
                return attempt(e, last);
              }
              return deliverOn(s, last);
            });
  }

  /** One transaction on an open session, after the checks that need its capabilities. */
  private CompletableFuture<Void> deliverOn(Session s, boolean last) {
    Endpoint e = s.endpoint();
    lastRelay = e.relay();
    EhloCapabilities caps = s.capabilities();
    if (needsSmtputf8 && !caps.smtputf8()) {
      recordAll(Attempt.local(Kind.HARD_IF_FINAL, "5.6.7",
          "message requires SMTPUTF8, but no server was found that supports SMTPUTF8."
              + " The last attempted server was " + e.namaddr(), e.relay()), last);
      s.quit();
      return done();
    }
    byte[] body = request.content();
    boolean downgrade = eightBit && !caps.eightBitMime() && !caps.smtputf8();
    if (downgrade) {
      if (downgraded == null) {
        downgraded = MimeDowngrade.convert(body);
      }
      if (!downgraded.ok()) {
        sessionCompleted = true;
        recordAll(Attempt.local(Kind.HARD, downgraded.dsn(), downgraded.error(), e.relay()), last);
        keep(s);
        return done();
      }
      body = downgraded.content();
    }
    if (caps.sizeLimit() > 0 && body.length > caps.sizeLimit()) {
      sessionCompleted = true;
      recordAll(Attempt.local(Kind.HARD, "5.3.4", "message size " + body.length
          + " exceeds size limit " + caps.sizeLimit() + " of server " + e.namaddr(), e.relay()),
          last);
      keep(s);
      return done();
    }
    List<DeliveryRecipient> rcpts = List.copyOf(pending);
    List<String> rcptCommands = new ArrayList<>(rcpts.size());
    for (DeliveryRecipient r : rcpts) {
      rcptCommands.add(Transaction.rcptCommand(r, caps.dsn()));
    }
    long t0 = agent.clock().millis();
    Transaction tx = new Transaction(s, settings, mailCommand(caps, body), rcptCommands, body);
    return tx.run()
        .thenApply(
            result -> {
              xferMillis += agent.clock().millis() - t0;
              if (result.completed()) {
                sessionCompleted = true;
              }
              for (int i = 0; i < rcpts.size(); i++) {
                record(rcpts.get(i), result.attempts().get(i), last, s.transactions());
              }
              if (result.reusable()) {
                keep(s);
              } else {
                s.quit();
              }
              return null;
            });
  }

  private String mailCommand(EhloCapabilities caps, byte[] body) {
    String bodyParam = null;
    if (caps.eightBitMime()) {
      // the content was scanned once (eightBit); converted content is 7-bit
      boolean has8bit = body == request.content() ? eightBit : MimeDowngrade.has8bit(body);
      if (has8bit || request.body() == BodyType.EIGHT_BIT_MIME
          || request.body() == BodyType.BINARY_MIME) {
        bodyParam = "8BITMIME";
      } else if (request.body() == BodyType.SEVEN_BIT) {
        bodyParam = "7BIT";
      }
    }
    boolean dsn = caps.dsn();
    return SmtpCommands.mailFrom(
        request.sender(),
        caps.size() ? body.length : -1,
        bodyParam,
        caps.smtputf8() && request.smtputf8(),
        dsn && request.ret() != DsnRet.DEFAULT ? request.ret().name() : null,
        dsn ? envid : null);
  }

  /** Caches the session for the next delivery to this destination, or ends it. */
  private void keep(Session s) {
    agent.release(cacheKey, s);
  }

  // ---- results ---------------------------------------------------------------------------

  private void recordAll(Attempt a, boolean last) {
    for (DeliveryRecipient r : List.copyOf(pending)) {
      record(r, a, last, 0);
    }
  }

  private void record(DeliveryRecipient r, Attempt a, boolean last, int connUse) {
    if (a.site()) {
      siteTrouble = true;
    }
    switch (a.kind()) {
      case SENT -> finalOutcome(r, DeliveryStatus.SENT, a, connUse);
      case HARD -> finalOutcome(r, DeliveryStatus.BOUNCED, a, connUse);
      case SOFT, HARD_IF_FINAL -> {
        boolean first = !lastAttempt.containsKey(r.index()) || !lastAttempt.get(r.index()).text()
            .equals(a.text());
        lastAttempt.put(r.index(), a);
        if (!last && first) {
          agent.log().skipped(request.queueId(), a.text());
        }
      }
    }
  }

  private void finalOutcome(DeliveryRecipient r, DeliveryStatus status, Attempt a, int connUse) {
    pending.remove(r);
    lastAttempt.remove(r.index());
    finals.put(r.index(), new Final(
        new RecipientOutcome(r.index(), r.address(), status, a.dsn(), a.text()), a.relay(),
        connUse));
  }

  private DeliveryResult finish() {
    for (DeliveryRecipient r : List.copyOf(pending)) {
      Attempt a = lastAttempt.get(r.index());
      if (a == null) {
        a = Attempt.local(Kind.SOFT, "4.3.0", "delivery was not attempted", "none");
      }
      DeliveryStatus status =
          a.kind() == Kind.HARD_IF_FINAL ? DeliveryStatus.BOUNCED : DeliveryStatus.DEFERRED;
      finalOutcome(r, status, a, 0);
    }
    long now = agent.clock().millis();
    long total = Math.max(0, now - request.arrivalTime());
    long[] timings = {queueMillis, setupMillis, xferMillis};
    long before = Math.max(0, total - queueMillis - setupMillis - xferMillis);
    long[] delays = {before, queueMillis, setupMillis, xferMillis};
    List<RecipientOutcome> outcomes = new ArrayList<>(request.recipients().size());
    for (DeliveryRecipient r : request.recipients()) {
      Final f = finals.get(r.index());
      outcomes.add(f.outcome);
      agent.log().outcome(request.queueId(), f.outcome, f.relay, f.connUse, total, delays);
    }
    return new DeliveryResult(lastRelay, !sessionCompleted && siteTrouble, outcomes, timings);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  /**
   * Postfix's DELIVERY_REQUIRES_SMTPUTF8: the sender asked for SMTPUTF8 and the envelope or the
   * headers really hold UTF-8.
   */
  private static boolean utf8Needed(DeliveryRequest r) {
    if (!SmtpCommands.isAscii(r.sender())) {
      return true;
    }
    for (DeliveryRecipient d : r.recipients()) {
      if (!SmtpCommands.isAscii(d.address())) {
        return true;
      }
    }
    byte[] c = r.content();
    for (int i = 0; i < c.length; i++) {
      if (c[i] < 0) {
        return true;
      }
      if (c[i] == '\n' && (i + 1 == c.length || c[i + 1] == '\n'
          || (c[i + 1] == '\r' && i + 2 < c.length && c[i + 2] == '\n'))) {
        return false; // end of the header section
      }
    }
    return false;
  }
}
