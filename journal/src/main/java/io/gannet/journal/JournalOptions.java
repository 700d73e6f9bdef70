package io.gannet.journal;

import io.gannet.global.Config;
import io.gannet.global.MailParams;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * How a {@link ChronicleJournal} is opened: sync mode ({@code journal_sync}), roll cycle
 * ({@code journal_roll_cycle}), the clock that decides cycles, content chunk size, records per
 * group commit ({@code journal_batch_limit}), and read-only (tools that must not write).
 */
public record JournalOptions(
    SyncMode sync, RollCycle rollCycle, Clock clock, int chunkSize, int batchLimit,
    boolean readOnly) {

  public JournalOptions {
    Objects.requireNonNull(sync);
    Objects.requireNonNull(rollCycle);
    Objects.requireNonNull(clock);
    if (chunkSize < 1 || batchLimit < 1) {
      throw new IllegalArgumentException("chunk size and batch limit must be positive");
    }
  }

  public static JournalOptions defaults() {
    return new JournalOptions(SyncMode.GROUP, RollCycles.FAST_HOURLY, Clock.systemUTC(),
        RecordCodec.DEFAULT_CHUNK_SIZE, 4096, false);
  }

  public static JournalOptions from(Config config, Clock clock) {
    return new JournalOptions(
        SyncMode.parse(config.get(MailParams.JOURNAL_SYNC)),
        parseRollCycle(config.get(MailParams.JOURNAL_ROLL_CYCLE)),
        clock,
        RecordCodec.DEFAULT_CHUNK_SIZE,
        config.get(MailParams.JOURNAL_BATCH_LIMIT),
        false);
  }

  public JournalOptions withSync(SyncMode s) {
    return new JournalOptions(s, rollCycle, clock, chunkSize, batchLimit, readOnly);
  }

  public JournalOptions withRollCycle(RollCycle r) {
    return new JournalOptions(sync, r, clock, chunkSize, batchLimit, readOnly);
  }

  public JournalOptions withClock(Clock c) {
    return new JournalOptions(sync, rollCycle, c, chunkSize, batchLimit, readOnly);
  }

  public JournalOptions withChunkSize(int size) {
    return new JournalOptions(sync, rollCycle, clock, size, batchLimit, readOnly);
  }

  public JournalOptions withReadOnly(boolean ro) {
    return new JournalOptions(sync, rollCycle, clock, chunkSize, batchLimit, ro);
  }

  /** {@code journal_roll_cycle}: five_minutely, ten_minutely, half_hourly, hourly, daily, weekly. */
  public static RollCycle parseRollCycle(String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "five_minutely":
        return RollCycles.FIVE_MINUTELY;
      case "ten_minutely":
        return RollCycles.TEN_MINUTELY;
      case "half_hourly":
        return RollCycles.HALF_HOURLY;
      case "hourly":
        return RollCycles.FAST_HOURLY;
      case "daily":
        return RollCycles.FAST_DAILY;
      case "weekly":
        return RollCycles.WEEKLY;
      default:
        throw new IllegalArgumentException("bad value for parameter journal_roll_cycle: '"
            + value + "' (use five_minutely, ten_minutely, half_hourly, hourly, daily or weekly)");
    }
  }
}
