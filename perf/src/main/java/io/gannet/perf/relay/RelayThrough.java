package io.gannet.perf.relay;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * A run through a relay (or, without one, straight from source to sink): the Java {@link
 * BenchSink} listens, the {@link Mta} starts relaying to it, the {@link BenchSource} sends the
 * warm-up messages and waits until they all arrived, then sends the measured ones and waits
 * until the sink counted every accepted message (or the deadline). Ingest ends at the last
 * {@code 250}, end to end at the last arrival; both start when the source starts its sessions.
 */
final class RelayThrough implements BenchSystem {
  /** How long to wait for late duplicates once every message arrived. */
  private static final long GRACE_MILLIS = 300;

  private final String label;
  private final String description;
  private final Supplier<Mta> mta;

  /**
   * @param mta a new, unstarted system per run; null to send straight to the sink
   */
  RelayThrough(String label, String description, Supplier<Mta> mta) {
    this.label = label;
    this.description = description;
    this.mta = mta;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public RunResult run(Case c, int round, Path dir, long deadlineNanos) throws Exception {
    int total = c.warmup() + c.messages();
    Timeline timeline = new Timeline(total);
    String tag = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    BenchMessage message = new BenchMessage(tag, c.size());
    try (BenchSink sink = new BenchSink(timeline, tag)) {
      Mta system = mta == null ? null : mta.get();
      if (system != null) {
        Running.add(system);
      }
      try {
        int port = sink.port();
        if (system != null) {
          port = Processes.freePort();
          system.start(dir, port, sink.port());
        }
        BenchSource source = new BenchSource(port, message, timeline);
        String note = "";
        if (c.warmup() > 0) {
          BenchSource.Outcome w = source.send(0, c.warmup(), c.sessions());
          if (!awaitArrivals(timeline, 0, c.warmup(), w.accepted(), deadlineNanos)) {
            note = "warm-up incomplete; ";
          }
        }
        long cpu0 = system == null ? -1 : Processes.cpuTicks(system.pid());
        java.util.Map<String, Long> breakdown0 =
            system == null ? java.util.Map.of() : Processes.cpuBreakdown(system.pid());
        BenchSource.Outcome o = source.send(c.warmup(), total, c.sessions());
        boolean all =
            awaitArrivals(timeline, c.warmup(), total, o.accepted(), deadlineNanos);
        long cpu1 = system == null ? -1 : Processes.cpuTicks(system.pid());
        if (system != null) {
          writeBreakdown(dir.getParent().resolve(dir.getFileName() + ".cpu.txt"), breakdown0,
              Processes.cpuBreakdown(system.pid()), o.accepted());
        }
        long cpuMillis = cpu0 < 0 || cpu1 < 0 ? -1
            : (cpu1 - cpu0) * 1000 / Processes.TICKS_PER_SECOND;
        if (all) {
          Thread.sleep(GRACE_MILLIS); // late duplicates, if any, arrive now
        } else {
          note += "timed out waiting for the sink; ";
        }
        OptionalLong rss = system == null ? OptionalLong.empty() : system.peakRssKiB();
        return result(c, round, timeline, o, rss, cpuMillis, note);
      } finally {
        if (system != null) {
          system.close();
          Running.remove(system);
        }
      }
    }
  }

  /** Where the system's CPU went during the measured messages, per thread or process. */
  private static void writeBreakdown(
      Path file, java.util.Map<String, Long> before, java.util.Map<String, Long> after,
      int messages) throws java.io.IOException {
    StringBuilder b = new StringBuilder("# CPU during the measured messages (" + messages
        + "): ms, then microseconds per message\n");
    after.entrySet().stream()
        .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
        .forEach(e -> {
          long ms = e.getValue() * 1000 / Processes.TICKS_PER_SECOND;
          b.append(String.format(java.util.Locale.ROOT, "%-40s %7d ms %8.1f us/msg%n", e.getKey(),
              ms, messages == 0 ? 0.0 : ms * 1000.0 / messages));
        });
    java.nio.file.Files.writeString(file, b);
  }

  /** Waits until {@code expected} messages of {@code [from, to)} arrived; false at the deadline. */
  private static boolean awaitArrivals(
      Timeline t, int from, int to, int expected, long deadlineNanos)
      throws InterruptedException {
    while (t.arrivedIn(from, to) < expected) {
      if (System.nanoTime() - deadlineNanos > 0) {
        return false;
      }
      Thread.sleep(2); // polling the sink's counters
    }
    return true;
  }

  private RunResult result(
      Case c,
      int round,
      Timeline t,
      BenchSource.Outcome o,
      OptionalLong rss,
      long cpuMillis,
      String note) {
    int from = c.warmup();
    int to = from + c.messages();
    long[] latency = new long[c.messages()];
    int n = 0;
    long lastArrival = o.startNanos();
    long lost = 0;
    for (int i = from; i < to; i++) {
      long ack = t.ackNanos(i);
      long arrival = t.arrivalNanos(i);
      if (arrival != 0) {
        lastArrival = Math.max(lastArrival, arrival);
      }
      if (ack != 0 && arrival != 0) {
        latency[n++] = arrival - ack;
      } else if (ack != 0) {
        lost++;
      }
    }
    Arrays.sort(latency, 0, n);
    if (o.firstError() != null) {
      note += "first error: " + o.firstError();
    }
    return new RunResult(
        label,
        c.size(),
        c.sessions(),
        round,
        c.messages(),
        o.accepted(),
        (o.endNanos() - o.startNanos()) / 1e9,
        (lastArrival - o.startNanos()) / 1e9,
        n == 0 ? Double.NaN : percentile(latency, n, 50) / 1e6,
        n == 0 ? Double.NaN : percentile(latency, n, 99) / 1e6,
        rss.orElse(-1),
        cpuMillis,
        lost,
        t.duplicates(),
        o.rejected() + o.failed(),
        note.strip());
  }

  /** Nearest-rank percentile of the sorted {@code v[0..n)}. */
  static long percentile(long[] v, int n, int p) {
    int rank = (int) Math.ceil(p / 100.0 * n);
    return v[Math.max(0, Math.min(n - 1, rank - 1))];
  }
}
