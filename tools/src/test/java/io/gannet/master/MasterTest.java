package io.gannet.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.Config;
import io.gannet.global.ConfigException;
import io.gannet.global.MasterCf;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-11-23T16:45:05Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private Path queue;
  private MasterCf masterCf;
  private final List<Master> masters = new ArrayList<>();

  /** Records what the lifecycle asks of it; registers {@code echo}; may refuse to start. */
  private static final class RecordingBody implements DaemonBody {
    final List<String> calls = new ArrayList<>();
    DaemonContext context;
    Exception startFailure;
    Exception reloadFailure;
    DaemonConfig reloaded;

    @Override
    public void start(DaemonContext context) throws Exception {
      this.context = context;
      calls.add("start");
      context.admin().register("echo", (args, reply) -> args.forEach(reply::line));
      if (startFailure != null) {
        throw startFailure;
      }
    }

    @Override
    public void reload(DaemonConfig config) throws Exception {
      calls.add("reload");
      if (reloadFailure != null) {
        throw reloadFailure;
      }
      reloaded = config;
    }

    @Override
    public void stop() {
      calls.add("stop");
    }
  }

  @BeforeEach
  void files() throws Exception {
    queue = dir.resolve("var");
    Files.writeString(dir.resolve("master.cf"), "smtp unix - - n - - smtp\n");
    masterCf = MasterCf.load(dir);
  }

  @AfterEach
  void stopAll() {
    masters.forEach(m -> m.stop("end of test"));
  }

  private DaemonConfig config(Map<String, String> extra) {
    Map<String, String> m = new java.util.HashMap<>(extra);
    m.putIfAbsent("queue_directory", queue.toString());
    return new DaemonConfig(dir, Config.of(m), masterCf);
  }

  private Master master(DaemonBody body, ConfigSource source) {
    Master m = new Master(config(Map.of()), source, body, CLOCK);
    masters.add(m);
    return m;
  }

  private Master master(DaemonBody body) {
    return master(body, () -> config(Map.of()));
  }

  @Test
  void aStartedDaemonAnswersStatusAndTheBodysCommandsThenStopsOnTheAdminStop() throws Exception {
    RecordingBody body = new RecordingBody();
    Master m = master(body);
    m.start();
    assertTrue(m.isRunning());
    assertEquals(queue.toAbsolutePath(), body.context.queueDirectory());
    assertSame(CLOCK, body.context.clock());

    AdminClient client = new AdminClient(queue);
    AdminResponse status = client.request("status");
    assertTrue(status.ok());
    assertEquals(String.valueOf(ProcessHandle.current().pid()), status.value("pid"));
    assertEquals("2024-11-23T16:45:05Z", status.value("started"));
    assertEquals(queue.toAbsolutePath().toString(), status.value("queue_directory"));
    assertEquals("echo reload status stop", status.value("commands"));
    assertEquals(List.of("hello world"), client.request("echo", "hello world").lines());

    assertTrue(client.request("stop").ok());
    m.awaitStopRequest(); // returns: the stop was asked for
    assertTrue(m.isRunning()); // the caller of awaitStopRequest stops it
    m.stop("stop request");
    assertFalse(m.isRunning());
    assertFalse(m.stoppedByFailure());
    assertEquals(List.of("start", "stop"), body.calls);
    assertEquals(OptionalLong.empty(), QueueLock.holder(queue));
    assertFalse(Files.exists(queue.resolve("private/admin"), LinkOption.NOFOLLOW_LINKS));
    assertThrows(AdminUnavailableException.class, () -> client.request("status"));
  }

  @Test
  void aSecondInstanceOnTheSameQueueIsRefusedAndTheFirstRunsOn() throws Exception {
    master(new RecordingBody()).start();
    RecordingBody second = new RecordingBody();
    QueueLockedException e = assertThrows(QueueLockedException.class, () -> master(second).start());
    assertTrue(
        e.getMessage()
            .endsWith(
                "is locked by another gannet instance (pid " + ProcessHandle.current().pid() + ")"),
        e.getMessage());
    assertEquals(List.of(), second.calls);
    assertTrue(new AdminClient(queue).request("status").ok());
  }

  @Test
  void aBodyThatCannotStartReleasesTheQueueAndTheReasonIsThrown() throws Exception {
    RecordingBody body = new RecordingBody();
    body.startFailure = new java.io.IOException("cannot listen on 127.0.0.1:2525: Address in use");
    Master m = master(body);
    Exception e = assertThrows(Exception.class, m::start);
    assertEquals("cannot listen on 127.0.0.1:2525: Address in use", e.getMessage());
    assertEquals(List.of("start", "stop"), body.calls);
    assertFalse(m.isRunning());
    assertEquals(OptionalLong.empty(), QueueLock.holder(queue));
    assertFalse(Files.exists(queue.resolve("private/admin"), LinkOption.NOFOLLOW_LINKS));
    m.stop("after a failed start"); // harmless
    assertEquals(List.of("start", "stop"), body.calls);
  }

  @Test
  void reloadHandsTheFreshConfigurationToTheBody() throws Exception {
    RecordingBody body = new RecordingBody();
    master(body, () -> config(Map.of("myhostname", "reloaded.example"))).start();
    AdminResponse r = new AdminClient(queue).request("reload");
    assertTrue(r.ok(), r.error());
    assertEquals("reloaded.example", body.reloaded.config().raw("myhostname"));
  }

  @Test
  void aReloadThatCannotBeUsedIsRefusedAndTheDaemonRunsOn() throws Exception {
    RecordingBody body = new RecordingBody();
    AtomicReference<DaemonConfig> next = new AtomicReference<>();
    Master m =
        master(
            body,
            () -> {
              if (next.get() == null) {
                throw new ConfigException("/conf/main.cf, line 3: bad line");
              }
              return next.get();
            });
    m.start();
    AdminClient client = new AdminClient(queue);
    assertEquals("/conf/main.cf, line 3: bad line", client.request("reload").error());

    next.set(config(Map.of("queue_directory", dir.resolve("elsewhere").toString())));
    assertTrue(client.request("reload").error().startsWith("queue_directory changed from "));

    next.set(config(Map.of()));
    body.reloadFailure = new IllegalArgumentException("unknown transport: foo");
    assertEquals("reload failed: unknown transport: foo", client.request("reload").error());
    assertTrue(m.isRunning());
    assertTrue(client.request("status").ok());
    assertEquals(List.of("start", "reload"), body.calls);
  }

  @Test
  void aBodyThatCannotGoOnStopsTheDaemonAsAFailure() throws Exception {
    RecordingBody body = new RecordingBody();
    Master m = master(body);
    m.start();
    body.context.requestStop("journal writer failed");
    m.awaitStopRequest();
    m.stop("stop request");
    assertTrue(m.stoppedByFailure());
    assertEquals(List.of("start", "stop"), body.calls);
  }
}
