package io.gannet.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.gannet.agent.testing.SmtpSink;
import io.gannet.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability contract against a real daemon JVM killed with SIGKILL: every recipient of every
 * message answered {@code 250} gets it after a restart. Duplicates are allowed (at-least-once, as
 * Postfix) and printed.
 *
 * <p>The daemon is the production one: {@code gannet start} spawns {@code start-fg} on this class
 * path and {@link GannetBody} is found by {@link java.util.ServiceLoader}. Clients send over SMTP
 * from several threads; every attempt carries a unique token (its {@code Message-ID}, in its
 * recipients' addresses and in its body), and an attempt whose connection broke before its reply
 * is tried again under a new token, so the tokens answered 250 are exactly the promises the daemon
 * made. Each message has two recipients; every tenth is larger than the journal's content chunk,
 * so a kill can tear a record written in several frames. The kill goes to the pid in {@code
 * $queue_directory/pid/master.pid} at a random moment (the seed is printed). Two cases: the
 * destination down while clients are still sending (mail only queued, then flushed), and the
 * destination up but slow, deferring some recipients once (mail in delivery, partly delivered).
 */
class DaemonCrashTest {
  private static final int MESSAGES = 300;
  private static final int CLIENTS = 6;
  private static final Duration PHASE = Duration.ofSeconds(40);
  private static final int RECIPIENTS = 2;
  private static final Pattern TOKEN =
      Pattern.compile("(?mi)^Message-ID: <([^@>\\s]+)@crash\\.test>");
  private static final Pattern LOGICAL = Pattern.compile("m(\\d+)-a\\d+-c\\d+");

  @TempDir Path dir;
  private Path conf;
  private Path queue;
  private SmtpSink sink;
  private Senders senders;

  @BeforeEach
  void clearBodyOverride() {
    System.clearProperty(DaemonBodies.PROPERTY); // the production body, by ServiceLoader
  }

  @AfterEach
  void tearDown() throws IOException {
    if (senders != null) {
      senders.stop();
    }
    if (queue != null) {
      java.util.OptionalLong pid = QueueLock.holder(queue);
      if (pid.isPresent() && pid.getAsLong() != ProcessHandle.current().pid()) {
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        cl.execute("-c", conf.toString(), "stop", "--timeout", "10");
        ProcessHandle.of(pid.getAsLong()).ifPresent(p -> {
          p.destroyForcibly(); // if stop did not end it
          p.onExit().join(); // before @TempDir deletes its files
        });
      }
    }
    if (sink != null) {
      sink.close();
    }
  }

  @Test
  void killedWhileQueueingWithTheDestinationDownLosesNothing() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int sinkPort = freePort();
    InetSocketAddress smtpd = configure(sinkPort);
    long pid = start();

    senders = new Senders(smtpd, MESSAGES, CLIENTS);
    senders.start();
    int killAt = MESSAGES / 5 + random.nextInt(MESSAGES * 2 / 5);
    await(() -> senders.acked.size() >= killAt, "250 for " + killAt + " messages");
    int ackedAtKill = kill(pid);
    assertTrue(senders.remaining() > 0, "the kill came while clients were still sending");
    long second = start();
    assertNotEquals(pid, second);
    await(senders::done, "the clients to finish");

    sink = SmtpSink.smtp(sinkPort);
    flush();
    Report r = awaitArrivals(() -> { });
    r.print("destination down, seed " + seed + ", killed after " + ackedAtKill + " answered 250"
        + recoveryWarnings());
    r.assertNoLoss();
  }

  @Test
  void killedWhileDeliveringToASlowDestinationLosesNothing() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int sinkPort = freePort();
    Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
    sink = SmtpSink.smtp(sinkPort)
        // some recipients are deferred at first, so messages are partly delivered at the kill
        .onRcpt(a -> Math.floorMod(a.hashCode(), 4) == 0 && refusedOnce.add(a)
            ? "450 4.2.0 try again later" : null)
        .onMessage(m -> {
          try {
            Thread.sleep(10); // a slow destination: deliveries are in flight when the kill comes
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        });
    InetSocketAddress smtpd = configure(sinkPort);
    long pid = start();

    senders = new Senders(smtpd, MESSAGES, CLIENTS);
    senders.start();
    int killAt = MESSAGES / 10 + random.nextInt(MESSAGES / 3);
    await(() -> sink.messages().size() >= killAt, killAt + " arrivals at the sink");
    int ackedAtKill = kill(pid);
    int arrivedAtKill = sink.messages().size();
    long second = start();
    assertNotEquals(pid, second);
    await(senders::done, "the clients to finish");
    Report r = awaitArrivals(this::flush); // the deferred recipients are due at once
    r.print("destination slow, seed " + seed + ", killed after " + ackedAtKill
        + " answered 250 and " + arrivedAtKill + " transactions arrived; "
        + refusedOnce.size() + " recipients deferred once" + recoveryWarnings());
    r.assertNoLoss();
  }

  // ---- the daemon ------------------------------------------------------------------------

  /** Writes main.cf and master.cf; returns smtpd's address (fixed, so clients find it again). */
  private InetSocketAddress configure(int sinkPort) throws IOException {
    conf = Files.createDirectories(dir.resolve("conf"));
    queue = dir.resolve("var");
    int smtpdPort = freePort();
    Files.writeString(conf.resolve("main.cf"), String.join("\n",
        "queue_directory = " + queue,
        "myhostname = crash.test",
        "mynetworks = 127.0.0.0/8",
        "relayhost = [127.0.0.1]:" + sinkPort,
        "smtp_connect_timeout = 2s", ""));
    Files.writeString(conf.resolve("master.cf"), String.join("\n",
        "127.0.0.1:" + smtpdPort + " inet n - n - - smtpd",
        "smtp unix - - n - - smtp",
        "relay unix - - n - - smtp", ""));
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), smtpdPort);
  }

  /** {@code gannet start}; returns the daemon's pid from {@code pid/master.pid}. */
  private long start() throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("-c", conf.toString(), "start");
    assertEquals(0, code, () -> "gannet start: " + out + err + "\nlog:\n" + log());
    long pid = Long.parseLong(Files.readString(DaemonFiles.pidFile(queue)).trim());
    assertEquals(pid, QueueLock.holder(queue).orElseThrow(), "the pid file names the lock holder");
    return pid;
  }

  /** kill -9; returns how many messages had been answered 250 at that moment. */
  private int kill(long pid) throws Exception {
    ProcessHandle daemon = ProcessHandle.of(pid).orElseThrow();
    int acked = senders.acked.size();
    assertTrue(daemon.destroyForcibly(), "SIGKILL sent");
    daemon.onExit().get(10, TimeUnit.SECONDS);
    return acked;
  }

  /** {@code postqueue -f}: the deferred queue is due now. */
  private void flush() {
    try {
      AdminResponse flushed = new AdminClient(queue).request("flush");
      assertTrue(flushed.ok(), flushed.toString());
    } catch (IOException e) {
      throw new AssertionError("flush: " + e, e);
    }
  }

  /** What the daemon logged about damage it found after the kill (a torn record, a stale lock). */
  private String recoveryWarnings() {
    try {
      List<String> found = Files.readAllLines(queue.resolve("log/gannet.log")).stream()
          .filter(l -> l.contains("warning:") && (l.contains("torn") || l.contains("corrupt")
              || l.contains("incomplete") || l.contains("Forced unlocking")))
          .map(l -> l.substring(l.indexOf("warning:")))
          .toList();
      return found.isEmpty() ? "" : "; daemon warnings: " + found;
    } catch (IOException e) {
      return "; (no log: " + e + ")";
    }
  }

  private String log() {
    try {
      List<String> lines = Files.readAllLines(queue.resolve("log/gannet.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + PHASE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + PHASE.toSeconds() + "s waiting for " + what);
      }
      Thread.sleep(10); // polling other processes, not waiting for a timer
    }
  }

  // ---- arrivals --------------------------------------------------------------------------

  /**
   * What arrived at the sink, per recipient, compared with what was answered 250: {@code
   * expected} maps each recipient of a message answered 250 to its queue id.
   */
  private record Report(
      Map<String, String> expected, Map<String, Integer> arrived, int corrupt, int messages,
      int attempts) {
    List<String> lost() {
      return expected.keySet().stream().filter(t -> !arrived.containsKey(t)).sorted().toList();
    }

    int duplicates() {
      return arrived.values().stream().mapToInt(n -> n - 1).sum();
    }

    long unacknowledged() {
      return arrived.keySet().stream().filter(t -> !expected.containsKey(t)).count();
    }

    void print(String what) {
      System.out.printf(
          "DaemonCrashTest (%s): attempts=%d answered-250=%d recipients=%d arrived=%d lost=%d"
              + " duplicates=%d arrived-without-250=%d corrupt=%d%n",
          what, attempts, messages, expected.size(), arrived.size(), lost().size(),
          duplicates(), unacknowledged(), corrupt);
    }

    void assertNoLoss() {
      assertEquals(0, corrupt, "messages arrived without their token or with another body");
      List<String> lost = lost();
      assertTrue(lost.isEmpty(), () -> lost.size() + " recipients of messages answered 250 got"
          + " nothing: "
          + lost.stream().limit(20).map(t -> t + " (queued as " + expected.get(t) + ")").toList());
    }
  }

  /**
   * Waits until every recipient of every message answered 250 got it (or the phase runs out),
   * running {@code nudge} about every half second meanwhile; counts arrivals.
   */
  private Report awaitArrivals(Runnable nudge) throws InterruptedException {
    long deadline = System.nanoTime() + PHASE.toNanos();
    long nextNudge = System.nanoTime();
    while (true) {
      Map<String, String> expected = new TreeMap<>();
      senders.acked.forEach((token, id) -> {
        for (String r : recipients(token)) {
          expected.put(r, id);
        }
      });
      Map<String, Integer> arrived = new TreeMap<>();
      int corrupt = 0;
      for (SmtpSink.Message m : sink.messages()) {
        if (!intact(m)) {
          corrupt++;
          continue;
        }
        for (String r : m.recipients()) {
          arrived.merge(r, 1, Integer::sum);
        }
      }
      Report r = new Report(expected, arrived, corrupt, senders.acked.size(),
          senders.attempts.get());
      if (r.lost().isEmpty() || System.nanoTime() > deadline) {
        if (!r.lost().isEmpty()) {
          System.out.println("daemon log (last lines):\n" + log());
        }
        return r;
      }
      if (System.nanoTime() - nextNudge >= 0) {
        nudge.run();
        nextNudge = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
      }
      Thread.sleep(20); // polling the sink
    }
  }

  /** The recipients of the message sent under {@code token}. */
  static List<String> recipients(String token) {
    List<String> r = new ArrayList<>();
    for (int i = 1; i <= RECIPIENTS; i++) {
      r.add(token + ".r" + i + "@dest.crash.test");
    }
    return r;
  }

  /** Every tenth message is larger than the journal's content chunk (256 KiB). */
  static boolean large(String token) {
    Matcher m = LOGICAL.matcher(token);
    return m.matches() && Integer.parseInt(m.group(1)) % 10 == 9;
  }

  /** The body sent under {@code token}: one line, or ~600 KB of numbered lines, then the token. */
  static String body(String token) {
    StringBuilder b = new StringBuilder();
    if (large(token)) {
      for (int i = 0; i < 8000; i++) {
        b.append(String.format("%05d %s ", i, token)).append("x".repeat(50)).append("\r\n");
      }
    }
    return b.append("body of ").append(token).append("\r\n").toString();
  }

  /**
   * Whether a message arrived as sent: its Message-ID carries a token, its body is that token's,
   * and its recipients are among that token's.
   */
  private static boolean intact(SmtpSink.Message m) {
    String text = m.text();
    Matcher matcher = TOKEN.matcher(text);
    if (!matcher.find()) {
      return false;
    }
    String token = matcher.group(1);
    return text.endsWith("\r\n\r\n" + body(token))
        && recipients(token).containsAll(m.recipients());
  }

  // ---- the clients -----------------------------------------------------------------------

  /**
   * {@code threads} SMTP clients sharing {@code messages} messages, several per connection. An
   * attempt that gets no reply (the daemon died) or a non-250 reply is retried with a new token
   * on a new connection until the clients are stopped.
   */
  private static final class Senders {
    final Map<String, String> acked = new ConcurrentHashMap<>();
    /** Transactions started (MAIL FROM sent). */
    final AtomicInteger attempts = new AtomicInteger();
    private final InetSocketAddress smtpd;
    private final int messages;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;
    private volatile Throwable failure;

    Senders(InetSocketAddress smtpd, int messages, int threads) {
      this.smtpd = smtpd;
      this.messages = messages;
      for (int i = 0; i < threads; i++) {
        int client = i;
        Thread t = new Thread(() -> run(client), "crash-client-" + i);
        t.setDaemon(true);
        this.threads.add(t);
      }
    }

    void start() {
      threads.forEach(Thread::start);
    }

    void stop() {
      stopped = true;
      for (Thread t : threads) {
        t.interrupt();
      }
    }

    /** Logical messages not yet answered 250. */
    int remaining() {
      return messages - finished.get();
    }

    boolean done() {
      if (failure != null) {
        throw new AssertionError("a client failed", failure);
      }
      return finished.get() == messages;
    }

    private void run(int client) {
      try {
        Session session = null;
        int sent = 0;
        for (int m = next.getAndIncrement(); m < messages && !stopped;
            m = next.getAndIncrement()) {
          for (int attempt = 0; !stopped; attempt++) {
            String token = "m" + m + "-a" + attempt + "-c" + client;
            try {
              if (session == null || sent >= 10) {
                if (session != null) {
                  session.quit();
                }
                session = new Session(smtpd);
                sent = 0;
              }
              attempts.incrementAndGet();
              String reply = session.send(token);
              sent++;
              if (reply.startsWith("250")) {
                acked.put(token, reply.substring(reply.lastIndexOf(' ') + 1));
                finished.incrementAndGet();
                break;
              }
            } catch (IOException e) {
              // the daemon is down or went down: unknown outcome, try again under a new token
            }
            if (session != null) {
              session.close();
              session = null;
            }
            Thread.sleep(20); // the daemon restarts in another process; poll for it
          }
        }
        if (session != null) {
          session.quit();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Throwable t) {
        failure = t;
      }
    }
  }

  /** One SMTP connection to the daemon; messages carry their token as Message-ID and subject. */
  private static final class Session implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    Session(InetSocketAddress to) throws IOException {
      socket = new Socket();
      try {
        socket.connect(to, 2000);
        socket.setSoTimeout(15_000);
        in = new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = socket.getOutputStream();
        expect(read(), "220");
        expect(command("EHLO client.crash.test"), "250");
      } catch (IOException e) {
        socket.close();
        throw e;
      }
    }

    /** One transaction; returns the reply to the end of data (or the first refusal). */
    String send(String token) throws IOException {
      String r = command("MAIL FROM:<sender@client.crash.test>");
      if (!r.startsWith("250")) {
        return r;
      }
      for (String rcpt : recipients(token)) {
        r = command("RCPT TO:<" + rcpt + ">");
        if (!r.startsWith("250")) {
          return r;
        }
      }
      r = command("DATA");
      if (!r.startsWith("354")) {
        return r;
      }
      return command("Message-ID: <" + token + "@crash.test>\r\nSubject: crash test " + token
          + "\r\nFrom: sender@client.crash.test\r\n\r\n" + body(token) + ".");
    }

    void quit() {
      try {
        command("QUIT");
      } catch (IOException ignored) {
        // closing anyway
      }
      close();
    }

    private static void expect(String reply, String code) throws IOException {
      if (!reply.startsWith(code)) {
        throw new IOException("unexpected reply: " + reply);
      }
    }

    private String command(String line) throws IOException {
      out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return read();
    }

    private String read() throws IOException {
      String line;
      do {
        line = in.readLine();
        if (line == null) {
          throw new IOException("connection closed");
        }
      } while (line.length() > 3 && line.charAt(3) == '-');
      return line;
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
