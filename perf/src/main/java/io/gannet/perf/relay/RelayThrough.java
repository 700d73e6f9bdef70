package io.gannet.perf.relay;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs through a relay (or, without one, straight from source to sink). {@link #start} starts the
 * Java {@link BenchSink} and the {@link Mta} relaying to it, once for the whole benchmark, and
 * warms the relay up with a stream of 1 KiB and 10 KiB messages (a JVM compiles its hot code
 * during its first minute of traffic; a relay runs for weeks, so the benchmark measures the warm
 * state, and gives Postfix the same warm-up). Each {@link #run} then sends the case's warm-up
 * messages (opening the sessions and connections), waits until they arrived, sends the measured
 * ones and waits until the sink counted every accepted message (or the deadline). Ingest ends at
 * the last {@code 250}, end to end at the last arrival; both start when the source starts its
 * sessions.
 */
final class RelayThrough implements BenchSystem {
  /** How long to wait for late duplicates once every message arrived. */
  private static final long GRACE_MILLIS = 300;
  /** Messages per warm-up batch, and its sessions. */
  private static final int WARMUP_BATCH = 2000;
  private static final int WARMUP_SESSIONS = 50;

  private final String label;
  private final String description;
  private final Mta mta;
  private final long warmupSeconds;
  private BenchSink sink;
  private int port;

  /**
   * @param mta the system under test, not started yet; null to send straight to the sink
   * @param warmupSeconds how long {@link #start} sends warm-up traffic
   */
  RelayThrough(String label, String description, Mta mta, long warmupSeconds) {
    this.label = label;
    this.description = description;
    this.mta = mta;
    this.warmupSeconds = warmupSeconds;
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
  public void start(Path dir, long deadlineNanos) throws Exception {
    sink = new BenchSink(new Timeline(0), "none");
    port = sink.port();
    if (mta != null) {
      Running.add(mta);
      port = Processes.freePort();
      mta.start(dir, port, sink.port());
    }
    long end = Math.min(deadlineNanos, System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds));
    int sent = 0;
    for (int batch = 0; System.nanoTime() - end < 0; batch++) {
      int size = batch % 2 == 0 ? 1024 : 10240;
      Timeline t = new Timeline(WARMUP_BATCH);
      String tag = newTag();
      sink.reset(t, tag);
      BenchSource.Outcome o = new BenchSource(port, new BenchMessage(tag, size), t)
          .send(0, WARMUP_BATCH, WARMUP_SESSIONS);
      long batchDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      if (!awaitArrivals(t, 0, WARMUP_BATCH, o.accepted(),
          batchDeadline - deadlineNanos < 0 ? batchDeadline : deadlineNanos)) {
        throw new java.io.IOException(label + ": warm-up messages did not all arrive");
      }
      if (o.accepted() < WARMUP_BATCH) {
        throw new java.io.IOException(label + ": warm-up messages refused: " + o.firstError());
      }
      sent += o.accepted();
    }
    System.err.printf(Locale.ROOT, "relay-bench: %s started%s; warm-up: %d messages in %d s%n",
        label, mta == null ? "" : " (pid " + mta.pid() + ")", sent, warmupSeconds);
  }

  @Override
  public void stop() throws Exception {
    try {
      if (mta != null) {
        mta.close();
        Running.remove(mta);
      }
    } finally {
      if (sink != null) {
        sink.close();
      }
    }
  }

  @Override
  public RunResult run(Case c, int round, Path dir, long deadlineNanos) throws Exception {
    int total = c.warmup() + c.messages();
    Timeline timeline = new Timeline(total);
    String tag = newTag();
    BenchMessage message = new BenchMessage(tag, c.size());
    sink.reset(timeline, tag);
    BenchSource source = new BenchSource(port, message, timeline);
    String note = "";
    if (c.warmup() > 0) {
      BenchSource.Outcome w = source.send(0, c.warmup(), c.sessions());
      if (!awaitArrivals(timeline, 0, c.warmup(), w.accepted(), deadlineNanos)) {
        note = "warm-up incomplete; ";
      }
    }
    long cpu0 = mta == null ? -1 : Processes.cpuTicks(mta.pid());
    Map<String, Long> breakdown0 = mta == null ? Map.of() : Processes.cpuBreakdown(mta.pid());
    BenchSource.Outcome o = source.send(c.warmup(), total, c.sessions());
    boolean all = awaitArrivals(timeline, c.warmup(), total, o.accepted(), deadlineNanos);
    long cpu1 = mta == null ? -1 : Processes.cpuTicks(mta.pid());
    long cpuMillis =
        cpu0 < 0 || cpu1 < 0 ? -1 : (cpu1 - cpu0) * 1000 / Processes.TICKS_PER_SECOND;
    if (mta != null) {
      writeBreakdown(dir.getParent().resolve(dir.getFileName() + ".cpu.txt"), breakdown0,
          Processes.cpuBreakdown(mta.pid()), o.accepted());
    }
    if (all) {
      Thread.sleep(GRACE_MILLIS); // late duplicates, if any, arrive now
    } else {
      note += "timed out waiting for the sink; ";
    }
    if (sink.strays() > 0) {
      note += sink.strays() + " messages without a known id; ";
    }
    OptionalLong rss = mta == null ? OptionalLong.empty() : mta.peakRssKiB();
    return result(c, round, timeline, o, rss, cpuMillis, note);
  }

  private static String newTag() {
    return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }

  /** Where the system's CPU went during the measured messages, per thread or process. */
  private static void writeBreakdown(
      Path file, Map<String, Long> before, Map<String, Long> after, int messages)
      throws java.io.IOException {
    StringBuilder b = new StringBuilder("# CPU during the measured messages (" + messages
        + "): ms, then microseconds per message\n");
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
        .forEach(e -> {
          long ms = e.getValue() * 1000 / Processes.TICKS_PER_SECOND;
          b.append(String.format(Locale.ROOT, "%-40s %7d ms %8.1f us/msg%n", e.getKey(), ms,
              messages == 0 ? 0.0 : ms * 1000.0 / messages));
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
