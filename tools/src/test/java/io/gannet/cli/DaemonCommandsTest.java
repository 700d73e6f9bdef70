package io.gannet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import io.gannet.global.Config;
import io.gannet.global.MasterCf;
import io.gannet.master.AdminClient;
import io.gannet.master.DaemonBodies;
import io.gannet.master.DaemonConfig;
import io.gannet.master.ListeningBody;
import io.gannet.master.Master;
import io.gannet.master.QueueLock;
import io.gannet.master.QueueLockedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle commands against real daemons: {@code start} spawns a JVM on the test class path
 * running {@code start-fg} with {@link ListeningBody} (passed on as {@code -Dgannet.daemon.body}).
 * Two tests spawn a daemon (a second or two each); the rest run in this JVM.
 */
class DaemonCommandsTest {
  @TempDir Path dir;

  private Path conf;
  private Path queue;

  private record Run(int exitCode, String out, String err) {}

  @BeforeEach
  void configure() throws IOException {
    conf = Files.createDirectories(dir.resolve("conf"));
    queue = dir.resolve("var");
    writeConfiguration(0);
    System.setProperty(DaemonBodies.PROPERTY, ListeningBody.class.getName());
  }

  private void writeConfiguration(int port) throws IOException {
    Files.writeString(
        conf.resolve("main.cf"), "queue_directory = " + queue + "\nmyhostname = test.example\n");
    Files.writeString(
        conf.resolve("master.cf"),
        "127.0.0.1:" + port + " inet n - n - - smtpd\nsmtp unix - - n - - smtp\n");
  }

  /** Whatever happened, no daemon of this test outlives it. */
  @AfterEach
  void killLeftovers() throws IOException {
    System.clearProperty(DaemonBodies.PROPERTY);
    OptionalLong pid = QueueLock.holder(queue);
    if (pid.isPresent() && pid.getAsLong() != ProcessHandle.current().pid()) {
      ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private Run gannet(String... args) {
    List<String> all = new ArrayList<>(List.of("-c", conf.toString()));
    all.addAll(Arrays.asList(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(all.toArray(new String[0]));
    return new Run(code, out.toString(), err.toString());
  }

  private String log() throws IOException {
    return Files.readString(queue.resolve("log/gannet.log"));
  }

  @Test
  void startStatusStartAgainReloadStopStatus() throws Exception {
    Run start = gannet("start");
    assertEquals(
        new Run(0, "gannet/master: starting the mail system\n", ""),
        start,
        () -> "log:\n" + logOrNothing());
    long pid = QueueLock.holder(queue).orElseThrow();
    assertTrue(pid != ProcessHandle.current().pid());
    assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

    assertEquals(
        new Run(0, "gannet/master: the mail system is running: PID: " + pid + "\n", ""),
        gannet("status"));

    // it listens: the test body bound master.cf's smtpd service
    String port = new AdminClient(queue).request("ports").lines().get(0);
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(
              InetAddress.getLoopbackAddress(),
              Integer.parseInt(port.substring(port.lastIndexOf(':') + 1))),
          2000);
    }

    String locked = "is locked by another gannet instance (pid " + pid + ")";
    Run again = gannet("start");
    assertEquals(1, again.exitCode());
    assertEquals("", again.out());
    assertEquals("gannet: fatal: queue directory " + queue + " " + locked + "\n", again.err());
    // the daemon's own check, across processes: a second master in this JVM is refused
    Master second =
        new Master(
            new DaemonConfig(
                conf, Config.of(Map.of("queue_directory", queue.toString())), MasterCf.load(conf)),
            () -> {
              throw new AssertionError("no reload");
            },
            new ListeningBody(),
            Clock.systemUTC());
    QueueLockedException e = assertThrows(QueueLockedException.class, second::start);
    assertTrue(e.getMessage().endsWith(locked), e.getMessage());

    assertEquals(new Run(0, "gannet/master: refreshing the mail system\n", ""), gannet("reload"));

    assertEquals(new Run(0, "gannet/master: stopping the mail system\n", ""), gannet("stop"));
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertEquals(
        new Run(1, "gannet/master: the mail system is not running\n", ""), gannet("status"));

    String log = log();
    assertTrue(
        log.contains(" test.example gannet/master[" + pid + "]: daemon started -- version "), log);
    assertTrue(log.contains("gannet/master[" + pid + "]: reload -- version "), log);
    assertTrue(log.contains("gannet/master[" + pid + "]: terminating on stop command"), log);
  }

  @Test
  void startWithThePortTakenFailsWithTheReason() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      writeConfiguration(taken.getLocalPort());
      Run r = gannet("start");
      assertEquals(1, r.exitCode(), r.toString());
      assertEquals("gannet/master: starting the mail system\n", r.out());
      assertTrue(
          r.err()
              .startsWith(
                  "gannet: fatal: the mail system did not start: the daemon"
                      + " exited with status 1; last lines of "
                      + queue.resolve("log/gannet.log")
                      + ":\n"),
          r.err());
      assertTrue(
          r.err().contains("gannet/master[")
              && r.err()
                  .contains("]: fatal: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "),
          r.err());
    }
    assertEquals(1, gannet("status").exitCode());
  }

  @Test
  void withoutADaemonStatusAndStopSayNotRunningAndReloadFails() {
    assertEquals(
        new Run(1, "gannet/master: the mail system is not running\n", ""), gannet("status"));
    assertEquals(new Run(1, "gannet/master: the mail system is not running\n", ""), gannet("stop"));
    assertEquals(
        new Run(1, "", "gannet: fatal: the mail system is not running\n"), gannet("reload"));
  }

  @Test
  void startFgWithADaemonBodyThatCannotBeMadeSaysSoAndExits1() {
    // The production body (GannetBody) is registered; name one that does not exist.
    System.setProperty(DaemonBodies.PROPERTY, "io.gannet.NoSuchBody");
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Run r;
    try {
      r = gannet("start-fg");
    } finally {
      System.setOut(stdout);
      restoreLogging();
    }
    assertEquals(1, r.exitCode());
    String line = captured.toString(StandardCharsets.UTF_8);
    assertTrue(
        line.matches(
            "(?s)[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d test\\.example"
                + " gannet/master\\[\\d+\\]: fatal: cannot create daemon body"
                + " io.gannet.NoSuchBody .*\n"),
        line);
  }

  @Test
  void aBadConfigurationIsRefusedBeforeAnythingIsSpawned() throws IOException {
    Files.writeString(conf.resolve("main.cf"), "queue_directory = " + queue + "\nbad line\n");
    Run r = gannet("start");
    assertEquals(2, r.exitCode());
    assertTrue(
        r.err().startsWith("gannet: fatal: " + conf.resolve("main.cf") + ", line 2: "), r.err());
    assertFalse(Files.exists(queue.resolve("log")));
  }

  /** start-fg reconfigured logging for a daemon; give the other tests the usual one back. */
  private static void restoreLogging() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    try {
      new ContextInitializer(ctx).autoConfig();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String logOrNothing() {
    try {
      return log();
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
