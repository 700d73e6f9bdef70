package io.gannet.cli;

import static io.gannet.showq.QueueFixture.REFUSED;
import static io.gannet.showq.QueueFixture.T0;
import static io.gannet.showq.QueueFixture.accepted;
import static io.gannet.showq.QueueFixture.deferred;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.showq.QueueFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gannet queue} on a large queue (10^5 messages here; {@code -Dshowq.scale.messages=1000000}
 * for the manual run; {@code -Dshowq.scale.dir=DIR} keeps the queue and its configuration in DIR
 * for {@code bin/gannet -c DIR queue}): the first line comes out at once and memory stays flat,
 * because the listing streams page by page. Memory is checked by listing in a JVM whose heap could
 * not hold the queue.
 *
 * <pre>
 *   mvn -o -q -pl tools -am test -Dtest=QueueScaleTest -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Dshowq.scale.messages=1000000
 * </pre>
 */
class QueueScaleTest {

  private static final int MESSAGES = Integer.getInteger("showq.scale.messages", 100_000);
  /** Heap for the listing JVM: far less than the queue's states would take (about 1 KB each). */
  private static final String HEAP = System.getProperty("showq.scale.heap", "-Xmx40m");

  @TempDir static Path tempDir;
  private static Path dir;

  @BeforeAll
  static void buildQueue() throws Exception {
    String keep = System.getProperty("showq.scale.dir");
    dir = keep == null ? tempDir : Files.createDirectories(Path.of(keep));
    Files.writeString(dir.resolve("main.cf"), "queue_directory = " + dir.resolve("queue") + "\n");
    Files.writeString(dir.resolve("master.cf"), "");
    long started = System.nanoTime();
    try (QueueFixture q = new QueueFixture(dir.resolve("queue"))) {
      for (int i = 0; i < MESSAGES; i++) {
        Accepted a = accepted(QueueId.of(T0 + i / 100, i % 100, 5), T0 + i / 100,
            "sender" + i + "@example.com", 1024, "r" + i + "@example.org",
            "s" + i + "@example.net");
        q.appendAsync(a);
        if (i % 2 == 0) {
          q.appendAsync(deferred(a, T0 + i / 100 + 60_000, REFUSED, 0, 1));
        }
        if (i % 10_000 == 9_999) {
          q.sync();
        }
      }
      q.project();
      // a tail the projection has not seen, as when the daemon was stopped
      q.append(accepted(QueueId.of(T0 + MESSAGES, 0, 6), T0 + MESSAGES, "last@example.com", 1,
          "z@example.org"));
    }
    System.out.printf("QueueScaleTest: %d messages written and projected in %d ms%n", MESSAGES,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** A writer that notes when the first character arrives and counts lines. */
  private static final class Timing extends Writer {
    final long start = System.nanoTime();
    long firstAt = -1;
    long lines;
    final StringBuilder lastLines = new StringBuilder();

    @Override
    public void write(char[] buf, int off, int len) {
      if (firstAt < 0 && len > 0) {
        firstAt = System.nanoTime();
      }
      for (int i = off; i < off + len; i++) {
        if (buf[i] == '\n') {
          lines++;
        }
      }
      lastLines.append(buf, off, len);
      if (lastLines.length() > 4096) {
        lastLines.delete(0, lastLines.length() - 256);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void firstLineAtOnceAndEveryMessageListed() {
    Main.commandLine().execute("-c", dir.toString(), "queue", "--json", "--queue", "hold");
    Timing t = new Timing();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(t));
    int code = cl.execute("-c", dir.toString(), "queue");
    long first = TimeUnit.NANOSECONDS.toMillis(t.firstAt - t.start);
    long all = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t.start);
    System.out.printf("QueueScaleTest: %d messages: first line after %d ms, all %d lines in %d ms"
        + "%n", MESSAGES + 1, first, t.lines, all);
    assertEquals(0, code);
    assertTrue(first < 1000, "first line after " + first + " ms");
    assertTrue(t.lastLines.toString().endsWith(" Kbytes in " + (MESSAGES + 1) + " Requests.\n"),
        t.lastLines.toString());
  }

  @Test
  void memoryStaysFlat() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Xmx")) {
        cmd.add(a);
      }
    }
    cmd.addAll(List.of(HEAP, "-cp", System.getProperty("java.class.path"),
        "io.gannet.cli.Main", "-c", dir.toString(), "queue"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    long lines = 0;
    String last = "";
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l; (l = r.readLine()) != null; ) {
        lines++;
        if (!l.isEmpty()) {
          last = l;
        }
        if (l.contains("OutOfMemoryError") || l.contains("Exception")) {
          last = l;
          break;
        }
      }
    }
    assertTrue(p.waitFor(10, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), last);
    assertTrue(last.endsWith(" Kbytes in " + (MESSAGES + 1) + " Requests."), last);
    System.out.printf("QueueScaleTest: %d lines listed with %s%n", lines, HEAP);
  }
}
