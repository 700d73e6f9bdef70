package io.gannet.perf.relay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loopback ceiling: Postfix's {@code smtp-source -d} straight into {@code smtp-sink} on
 * 127.0.0.1, no relay between them. Ingest ends when smtp-source exits; end to end when
 * smtp-sink's running counter ({@code -c}) shows every message. smtp-source reports no per-message
 * times, so this system has no latency figures. {@code smtp-source -l} sets the payload size,
 * which smtp-source prefixes with a few short headers.
 */
final class ToolCeiling implements BenchSystem {
  private static final Pattern MESSAGES = Pattern.compile("mesg=(\\d+)");

  @Override
  public String label() {
    return "ceiling";
  }

  @Override
  public String description() {
    return "smtp-source -d straight into smtp-sink (Postfix's test tools, C): the loopback ceiling";
  }

  @Override
  public RunResult run(Case c, int round, Path dir, long deadlineNanos) throws Exception {
    int port = Processes.freePort();
    List<String> sinkCmd = new ArrayList<>(List.of("smtp-sink", "-c"));
    if ("root".equals(System.getProperty("user.name"))) {
      sinkCmd.addAll(List.of("-u", "nobody")); // smtp-sink refuses to run as root
    }
    sinkCmd.addAll(List.of("127.0.0.1:" + port, "256"));
    Process sink =
        new ProcessBuilder(sinkCmd)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    AutoCloseable stopSink = sink::destroyForcibly;
    Running.add(stopSink);
    AtomicLong counted = new AtomicLong();
    AtomicLong lastCountNanos = new AtomicLong();
    StringBuilder sinkOutput = new StringBuilder();
    Thread reader = new Thread(() -> readCounter(sink.getInputStream(), counted, lastCountNanos,
        sinkOutput), "smtp-sink-counter");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!Processes.awaitListening(port, 10_000)) {
        throw new IOException("smtp-sink does not listen: " + sinkOutput);
      }
      // awaitListening's probe is a session (sess=1) but not a message
      List<String> cmd =
          List.of(
              "smtp-source", "-d", "-s", Integer.toString(c.sessions()),
              "-m", Integer.toString(c.messages()),
              "-l", Integer.toString(c.size()),
              "-f", "source@bench.test", "-t", "sink@sink.test",
              "127.0.0.1:" + port);
      long start = System.nanoTime();
      Process source =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      AutoCloseable stopSource = source::destroyForcibly;
      Running.add(stopSource);
      long limit = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
      byte[] sourceOut;
      boolean finished = source.waitFor(limit, TimeUnit.MILLISECONDS);
      long ingestEnd = System.nanoTime();
      if (!finished) {
        source.destroyForcibly();
      }
      try (InputStream in = source.getInputStream()) {
        sourceOut = in.readAllBytes();
      }
      Running.remove(stopSource);
      String note = "";
      if (!finished) {
        note = "smtp-source timed out";
      } else if (source.exitValue() != 0) {
        note = "smtp-source exited " + source.exitValue() + ": "
            + new String(sourceOut, StandardCharsets.UTF_8).strip();
      }
      while (counted.get() < c.messages() && System.nanoTime() - deadlineNanos < 0) {
        Thread.sleep(2); // polling smtp-sink's counter
      }
      long n = counted.get();
      if (n < c.messages() && note.isEmpty()) {
        note = "smtp-sink counted " + n;
      }
      long e2eEnd = Math.max(ingestEnd, lastCountNanos.get());
      return new RunResult(
          label(), c.size(), c.sessions(), round, c.messages(),
          finished && source.exitValue() == 0 ? c.messages() : (int) n,
          (ingestEnd - start) / 1e9, (e2eEnd - start) / 1e9,
          Double.NaN, Double.NaN, -1, -1,
          Math.max(0, c.messages() - n), Math.max(0, n - c.messages()), 0, note);
    } finally {
      sink.destroy(); // by the Process handle: its pid
      if (!sink.waitFor(5, TimeUnit.SECONDS)) {
        sink.destroyForcibly();
      }
      Running.remove(stopSink);
    }
  }

  /** Follows smtp-sink's counter line ("sess=N quit=N mesg=N", rewritten with CR). */
  private static void readCounter(
      InputStream in, AtomicLong counted, AtomicLong when, StringBuilder all) {
    byte[] buf = new byte[4096];
    StringBuilder pending = new StringBuilder();
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        long now = System.nanoTime();
        String chunk = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        synchronized (all) {
          if (all.length() < 4096) {
            all.append(chunk);
          }
        }
        pending.append(chunk);
        Matcher m = MESSAGES.matcher(pending);
        long last = -1;
        int end = 0;
        while (m.find()) {
          last = Long.parseLong(m.group(1));
          end = m.end();
        }
        if (last >= 0 && last > counted.get()) {
          when.set(now);
          counted.set(last);
        }
        pending.delete(0, Math.max(0, Math.min(end, pending.length() - 16)));
      }
    } catch (IOException e) {
      // the sink stopped
    }
  }
}
