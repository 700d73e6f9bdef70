package io.gannet.agent.smtp;

import io.gannet.dns.MailHostResolver;
import io.gannet.global.Config;
import io.gannet.global.DeliveryAgent;
import io.gannet.global.DeliveryRequest;
import io.gannet.global.DeliveryResult;
import io.gannet.global.DeliveryStatus;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The smtp delivery agent (Postfix's smtp(8)); in LMTP mode, the engine of {@link
 * io.gannet.agent.lmtp.LmtpAgent}. An asynchronous Netty client on a shared event loop group
 * (epoll or NIO, as the group is made): each request is one delivery to one next hop, carrying
 * all its recipients in one transaction per server, with results per recipient.
 *
 * <p>What it does and what it honours is told by {@link Delivery} (server order, which reply does
 * what), {@link Handshake} (greeting, EHLO/HELO/LHLO), {@link Transaction} (pipelining, time
 * limits), {@link ConnectionCache} (scache: reuse of connections between requests) and {@link
 * ConnectionLimiter} ({@code default_process_limit} open connections at most); the parameters are
 * listed at {@link SmtpClientSettings}. Log lines: {@link DeliveryLog}.
 *
 * <p>Never completes a request exceptionally: trouble becomes DEFERRED or BOUNCED outcomes; a
 * bug in the agent defers the recipients still open with {@code 4.3.0}. Thread-safe.
 *
 * <p>SEE ALSO Postfix smtp(8), scache(8); RFC 5321, 2920 (PIPELINING), 1870 (SIZE), 6152
 * (8BITMIME), 6531 (SMTPUTF8), 3461 (DSN), 2033 (LMTP).
 */
public final class SmtpAgent implements DeliveryAgent {

  private final SmtpClientSettings settings;
  private final MailHostResolver resolver;
  private final Clock clock;
  private final Connector connector;
  private final Handshake handshake;
  private final ConnectionCache cache;
  private final ConnectionLimiter limiter;
  private final DeliveryLog log;
  private volatile boolean closed;

  /** The smtp agent with the {@code smtp_*} parameters of {@code config}. */
  public SmtpAgent(Config config, MailHostResolver resolver, Clock clock, EventLoopGroup group) {
    this(SmtpClientSettings.smtp(config), resolver, clock, group);
  }

  /**
   * An agent with explicit settings (SMTP or LMTP).
   *
   * @param resolver turns next hops into servers; may be null for an lmtp agent that only
   *     delivers to {@code unix:} sockets
   * @param clock for timings, delays and the connection cache's age checks
   * @param group the shared event loop group; not shut down by {@link #close()}
   */
  public SmtpAgent(SmtpClientSettings settings, MailHostResolver resolver, Clock clock,
      EventLoopGroup group) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.resolver = resolver;
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(group, "group");
    this.connector = new Connector(group, settings);
    this.handshake = new Handshake(settings, connector, clock);
    this.cache = new ConnectionCache(clock, settings);
    this.limiter = new ConnectionLimiter(settings.processLimit(), cache::evictOldest);
    this.log = new DeliveryLog(settings.protocol());
  }

  @Override
  public CompletionStage<DeliveryResult> deliver(DeliveryRequest request) {
    if (closed) {
      return CompletableFuture.completedFuture(
          DeliveryResult.all(request, "none", false, DeliveryStatus.DEFERRED, "4.3.2",
              "delivery agent is shutting down"));
    }
    return new Delivery(this, request).run();
  }

  /** Stops taking requests, fails requests waiting for a connection, ends cached connections. */
  @Override
  public void close() {
    closed = true;
    limiter.close();
    cache.close();
  }

  public SmtpClientSettings settings() {
    return settings;
  }

  /** Open connections now (busy and cached). */
  public int openConnections() {
    return limiter.open();
  }

  /** Connections waiting in the cache now. */
  public int cachedConnections() {
    return cache.size();
  }

  /** True when connections use the native epoll transport, false for NIO. */
  public boolean epoll() {
    return connector.epoll();
  }

  /**
   * A delivery is done with {@code s}: hand it to a delivery waiting for the same destination,
   * end it when other deliveries wait for a connection slot, else cache it.
   */
  void release(String key, Session s) {
    if (!cache.reusable(s)) {
      s.quit();
      return;
    }
    if (limiter.handOff(key, s)) {
      return;
    }
    if (limiter.waiting() > 0 || !cache.put(key, s)) {
      s.quit();
      return;
    }
    if (limiter.waiting() > 0) {
      cache.evictOldest();
    }
  }

  MailHostResolver resolver() {
    return resolver;
  }

  Clock clock() {
    return clock;
  }

  Handshake handshake() {
    return handshake;
  }

  ConnectionCache cache() {
    return cache;
  }

  ConnectionLimiter limiter() {
    return limiter;
  }

  DeliveryLog log() {
    return log;
  }
}
