package io.gannet.qmgr;

import java.util.random.RandomGenerator;

/**
 * When a deferred message is tried again (Postfix qmgr): after its age at the time of the failed
 * attempt, clamped to [{@code minimal_backoff_time}, {@code maximal_backoff_time}], so the gap
 * doubles with each retry until the maximum; plus a random jitter of up to a tenth of the gap
 * (at most a minute), never negative, so a backlog deferred at once does not come due at once.
 */
public final class Backoff {
  private static final long MAX_JITTER = 60_000;
  private final long minimal;
  private final long maximal;
  private final RandomGenerator random;

  public Backoff(long minimalMillis, long maximalMillis, RandomGenerator random) {
    if (minimalMillis <= 0 || maximalMillis < minimalMillis) {
      throw new IllegalArgumentException("backoff bounds " + minimalMillis + ", " + maximalMillis);
    }
    this.minimal = minimalMillis;
    this.maximal = maximalMillis;
    this.random = random;
  }

  /** The gap before the next attempt, without jitter. */
  public long gap(long arrival, long now) {
    long age = Math.max(0, now - arrival);
    return Math.min(maximal, Math.max(minimal, age));
  }

  /** The next attempt time of a message that arrived at {@code arrival} and failed at {@code now}. */
  public long nextAttempt(long arrival, long now) {
    long gap = gap(arrival, now);
    long jitterBound = Math.min(MAX_JITTER, gap / 10);
    long jitter = jitterBound > 0 ? random.nextLong(jitterBound + 1) : 0;
    return now + gap + jitter;
  }
}
