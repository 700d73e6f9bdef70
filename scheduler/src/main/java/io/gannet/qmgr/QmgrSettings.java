package io.gannet.qmgr;

import io.gannet.global.Config;
import io.gannet.global.MailParams;
import io.gannet.global.Param;
import io.gannet.global.TransportParams;
import java.util.HashMap;
import java.util.Map;

/**
 * qmgr's parameters, read once from the configuration (Postfix names and defaults). Times are in
 * milliseconds here. Per-transport limits ({@code smtp_destination_concurrency_limit}...) fall
 * back to their {@code default_} forms.
 */
public final class QmgrSettings {

  /** Per-transport limits of one transport. */
  public record TransportLimits(int initialConcurrency, int concurrencyLimit,
      int failedCohortLimit, long rateDelayMillis, int recipientLimit) {}

  private final Config config;
  private final Map<String, TransportLimits> byTransport = new HashMap<>();
  final int activeLimit;
  final int recipientLimit;
  final int processLimit;
  final long minimalBackoff;
  final long maximalBackoff;
  final long queueRunDelay;
  final long maximalQueueLifetime;
  final long bounceQueueLifetime;
  final long transportRetryTime;
  final long retentionInterval;
  final int keepCycles;

  public QmgrSettings(Config config) {
    this.config = config;
    this.activeLimit = config.get(MailParams.QMGR_MESSAGE_ACTIVE_LIMIT);
    this.recipientLimit = config.get(MailParams.QMGR_MESSAGE_RECIPIENT_LIMIT);
    this.processLimit = config.get(MailParams.DEFAULT_PROCESS_LIMIT);
    this.minimalBackoff = millis(MailParams.MINIMAL_BACKOFF_TIME);
    this.maximalBackoff = Math.max(minimalBackoff, millis(MailParams.MAXIMAL_BACKOFF_TIME));
    this.queueRunDelay = millis(MailParams.QUEUE_RUN_DELAY);
    this.maximalQueueLifetime = millis(MailParams.MAXIMAL_QUEUE_LIFETIME);
    this.bounceQueueLifetime = millis(MailParams.BOUNCE_QUEUE_LIFETIME);
    this.transportRetryTime = millis(MailParams.TRANSPORT_RETRY_TIME);
    this.retentionInterval = millis(MailParams.JOURNAL_RETENTION_INTERVAL);
    this.keepCycles = config.get(MailParams.JOURNAL_KEEP_CYCLES);
  }

  private long millis(Param<Long> seconds) {
    return config.get(seconds) * 1000L;
  }

  /** The limits of {@code transport}, with its {@code TRANSPORT_...} overrides. */
  public TransportLimits limits(String transport) {
    return byTransport.computeIfAbsent(transport, t -> new TransportLimits(
        config.get(TransportParams.of(t, MailParams.INITIAL_DESTINATION_CONCURRENCY)),
        config.get(TransportParams.of(t, MailParams.DEFAULT_DESTINATION_CONCURRENCY_LIMIT)),
        config.get(TransportParams.of(t,
            MailParams.DEFAULT_DESTINATION_CONCURRENCY_FAILED_COHORT_LIMIT)),
        config.get(TransportParams.of(t, MailParams.DEFAULT_DESTINATION_RATE_DELAY)) * 1000L,
        config.get(TransportParams.of(t, MailParams.DEFAULT_DESTINATION_RECIPIENT_LIMIT))));
  }

  public Config config() {
    return config;
  }
}
