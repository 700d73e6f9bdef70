package io.gannet.perf.relay;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** Small process and port helpers of the benchmark: run a command, wait for a pid, read VmHWM. */
final class Processes {
  private Processes() {}

  /** A finished command: exit status and its merged output. */
  record Result(int status, String output) {}

  /**
   * Runs {@code command} with extra environment variables, output merged; kills it (by pid) after
   * {@code timeoutSeconds}.
   */
  static Result run(List<String> command, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    byte[][] out = new byte[1][];
    Thread reader =
        new Thread(
            () -> {
              try (InputStream in = p.getInputStream()) {
                out[0] = in.readAllBytes();
              } catch (IOException e) {
                out[0] = new byte[0];
              }
            });
    reader.setDaemon(true);
    reader.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(5, TimeUnit.SECONDS);
      reader.join(1000);
      throw new IOException(
          "timed out after " + timeoutSeconds + "s: " + String.join(" ", command));
    }
    reader.join(5000);
    String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
    return new Result(p.exitValue(), text);
  }

  /** Waits until process {@code pid} is gone; false at the timeout. */
  static boolean awaitGone(long pid, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(20); // polling another process's exit
    }
    return true;
  }

  /** SIGTERM to {@code pid}, then SIGKILL if it is still there after {@code graceMillis}. */
  static void terminate(long pid, long graceMillis) throws InterruptedException {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty()) {
      return;
    }
    h.get().destroy();
    if (!awaitGone(pid, graceMillis)) {
      System.err.println("relay-bench: pid " + pid + " ignored SIGTERM; killing it");
      h.get().destroyForcibly();
      awaitGone(pid, 10_000);
    }
  }

  /** The peak resident set size of {@code pid} (VmHWM in /proc/PID/status), in KiB. */
  static OptionalLong peakRssKiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone or unreadable
    }
    return OptionalLong.empty();
  }

  /**
   * CPU time in clock ticks used so far by process {@code pid} and its children: its own user and
   * system time, the time of the children it has reaped (cutime, cstime), and the time of its
   * live children (for a Postfix master: smtpd, cleanup, qmgr, smtp, ... which come and go).
   * The difference of two readings is the CPU the system used between them. -1 if unknown.
   */
  static long cpuTicks(long pid) {
    long self = statTicks(pid, true);
    if (self < 0) {
      return -1;
    }
    long children =
        ProcessHandle.of(pid)
            .map(h -> h.children().mapToLong(c -> Math.max(0, statTicks(c.pid(), false))).sum())
            .orElse(0L);
    return self + children;
  }

  /** Ticks per second of {@link #cpuTicks} (USER_HZ, 100 on Linux). */
  static final int TICKS_PER_SECOND = 100;

  /**
   * CPU ticks so far of each thread of {@code pid} ("thread NAME", thread names with their
   * trailing numbers folded into "#"), of its live children by command name ("process NAME"),
   * and of its reaped children ("reaped children"). For where a system spends its CPU.
   */
  static java.util.Map<String, Long> cpuBreakdown(long pid) {
    java.util.Map<String, Long> m = new java.util.TreeMap<>();
    try (java.util.stream.Stream<Path> tasks =
        Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : tasks.toList()) {
        String name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+", "#");
        long ticks = statTicks(t.resolve("stat"), false);
        if (ticks > 0) {
          m.merge("thread " + name, ticks, Long::sum);
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    long all = statTicks(Path.of("/proc", Long.toString(pid), "stat"), true);
    long self = statTicks(Path.of("/proc", Long.toString(pid), "stat"), false);
    if (all > self) {
      m.put("reaped children", all - self);
    }
    ProcessHandle.of(pid).ifPresent(h -> h.children().forEach(c -> {
      try {
        String name = Files.readString(Path.of("/proc", Long.toString(c.pid()), "comm")).trim();
        long ticks = statTicks(c.pid(), false);
        if (ticks > 0) {
          m.merge("process " + name, ticks, Long::sum);
        }
      } catch (IOException e) {
        // gone
      }
    }));
    return m;
  }

  private static long statTicks(long pid, boolean withReaped) {
    return statTicks(Path.of("/proc", Long.toString(pid), "stat"), withReaped);
  }

  private static long statTicks(Path statFile, boolean withReaped) {
    try {
      String stat = Files.readString(statFile);
      // fields after the command (which may hold spaces) in parentheses
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // f[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17
      long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      if (withReaped) {
        t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
      }
      return t;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Reads a pid file (a decimal number, possibly padded with spaces). */
  static long readPid(Path file) throws IOException {
    String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IOException("bad pid file " + file + ": '" + s + "'");
    }
  }

  /** A port on 127.0.0.1 that was free a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }

  /** Waits until something accepts connections on 127.0.0.1:{@code port}; false at the timeout. */
  static boolean awaitListening(int port, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return true;
      } catch (IOException e) {
        if (System.nanoTime() - deadline > 0) {
          return false;
        }
        Thread.sleep(20); // polling a port that another process opens
      }
    }
  }

  /** The last {@code lines} lines of a text file, or a note that it cannot be read. */
  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
