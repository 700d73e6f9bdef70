package io.gannet.agent.smtp;

import io.gannet.smtp.EhloCapabilities;
import io.gannet.smtp.SmtpClientChannel;
import io.gannet.smtp.SmtpCommands;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One greeted connection to one server (Postfix's SMTP_SESSION): the channel, the server, what it
 * offers, when it was opened and how many transactions it has carried. A session is used by one
 * delivery at a time; between deliveries it waits in the {@link ConnectionCache}.
 */
final class Session {

  private final SmtpClientChannel channel;
  private final Endpoint endpoint;
  private final EhloCapabilities capabilities;
  private final long createdAt;
  private int transactions;
  private volatile long idleSince;
  private volatile String cacheKey;
  private volatile long cacheSequence;

  Session(SmtpClientChannel channel, Endpoint endpoint, EhloCapabilities capabilities,
      long createdAt) {
    this.channel = channel;
    this.endpoint = endpoint;
    this.capabilities = capabilities;
    this.createdAt = createdAt;
  }

  SmtpClientChannel channel() {
    return channel;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  EhloCapabilities capabilities() {
    return capabilities;
  }

  long createdAt() {
    return createdAt;
  }

  /** Transactions started on this connection, the current one included. */
  int transactions() {
    return transactions;
  }

  /** Counts a new transaction; returns the count (Postfix's {@code conn_use}). */
  int startTransaction() {
    return ++transactions;
  }

  boolean usable() {
    return channel.isUsable();
  }

  long idleSince() {
    return idleSince;
  }

  void idleSince(long millis) {
    idleSince = millis;
  }

  String cacheKey() {
    return cacheKey;
  }

  void cacheKey(String key) {
    cacheKey = key;
  }

  /** Which caching of this session a cache timer belongs to. */
  long cacheSequence() {
    return cacheSequence;
  }

  void cacheSequence(long seq) {
    cacheSequence = seq;
  }

  /**
   * Postfix's RSET probe before a cached connection is reused: true when the server answers 2xx
   * in time.
   */
  CompletableFuture<Boolean> probe(Duration timeout) {
    CompletableFuture<Boolean> f =
        channel
            .expect(timeout.toMillis(), "sending RSET probe")
            .handle((r, x) -> x == null && r.isPositive());
    channel.send(SmtpCommands.RSET);
    return f;
  }

  /** Ends the session politely (QUIT, no wait for the reply). */
  void quit() {
    channel.quit();
  }

  @Override
  public String toString() {
    return "Session[" + endpoint.relay() + ", transactions=" + transactions + "]";
  }
}
