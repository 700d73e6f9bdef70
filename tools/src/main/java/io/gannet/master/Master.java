package io.gannet.master;

import io.gannet.global.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NAME master - the Gannet daemon's lifecycle, as Postfix's master(8).
 *
 * <p>DESCRIPTION Runs one {@link DaemonBody} on one queue directory: {@link #start} takes the
 * {@link QueueLock} (one instance per queue_directory), registers the built-in admin commands,
 * starts the body, then opens the admin socket ({@link AdminServer}) — so a daemon that answers
 * {@code status} is ready. {@link #stop} undoes it in reverse: admin socket, body, lock. A start
 * that fails releases everything it took and throws with the reason.
 *
 * <p>Built-in admin commands ({@link AdminProtocol}):
 *
 * <ul>
 *   <li>{@code status}: {@code pid}, {@code started}, {@code queue_directory}, {@code
 *       config_directory}, {@code commands} as {@code name = value} lines.
 *   <li>{@code stop}: answers {@code OK}, then the daemon stops gracefully ({@link
 *       #awaitStopRequest} returns).
 *   <li>{@code reload}: re-reads main.cf and master.cf through the {@link ConfigSource} and hands
 *       them to {@link DaemonBody#reload}; a file that cannot be used, or a changed
 *       queue_directory, is refused with {@code ERR} and the daemon runs on as before.
 * </ul>
 *
 * <p>DIAGNOSTICS Logged as master: {@code daemon started -- version V, configuration DIR}, {@code
 * reload -- version V, configuration DIR}, {@code terminating on REASON}; refused reloads as
 * warnings. Thread-safe: start, reload and stop are serialized.
 */
public final class Master {
  private static final Logger log = LoggerFactory.getLogger(Master.class);

  private enum State {
    NEW,
    RUNNING,
    STOPPING,
    STOPPED
  }

  private final ConfigSource source;
  private final DaemonBody body;
  private final Clock clock;
  private final Path queueDirectory;
  private final AdminCommands commands = new AdminCommands();
  private final ReentrantLock lifecycle = new ReentrantLock();
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final AtomicReference<String> stopReason = new AtomicReference<>();
  private volatile boolean failed;

  private volatile DaemonConfig config;
  private volatile State state = State.NEW;
  private volatile Instant started;
  private QueueLock lock;
  private AdminServer server;

  /**
   * @param initial the configuration to start with (its queue_directory is the one locked)
   * @param source reads the configuration again for {@code reload}
   * @param body the components to run
   * @param clock time for the body and for {@code status}
   */
  public Master(DaemonConfig initial, ConfigSource source, DaemonBody body, Clock clock) {
    this.config = Objects.requireNonNull(initial, "initial");
    this.source = Objects.requireNonNull(source, "source");
    this.body = Objects.requireNonNull(body, "body");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.queueDirectory = DaemonFiles.queueDirectory(initial.config());
  }

  /** The queue directory this daemon runs on, absolute. */
  public Path queueDirectory() {
    return queueDirectory;
  }

  /** The admin commands answered (the body adds its own in {@link DaemonBody#start}). */
  public AdminCommands admin() {
    return commands;
  }

  /** The version of this build, from the jar's manifest ({@code unknown} outside the jar). */
  public static String version() {
    String v = Master.class.getPackage().getImplementationVersion();
    return v != null ? v : "unknown";
  }

  /**
   * Locks the queue directory, starts the body, opens the admin socket. Once only.
   *
   * @throws QueueLockedException another instance runs on the queue directory
   * @throws Exception the body's reason for not starting, or the admin socket's
   */
  public void start() throws Exception {
    lifecycle.lock();
    try {
      if (state != State.NEW) {
        throw new IllegalStateException("start called twice");
      }
      if (stopRequested.getCount() == 0) {
        state = State.STOPPED;
        throw new IllegalStateException("stopped before it started");
      }
      lock = QueueLock.acquire(queueDirectory);
      boolean bodyCalled = false;
      try {
        registerBuiltIns();
        bodyCalled = true;
        body.start(new DaemonContext(queueDirectory, config, commands, clock, this::failStop));
        started = clock.instant();
        server = AdminServer.open(queueDirectory, commands);
      } catch (Exception | Error e) {
        if (bodyCalled) {
          stopBody();
        }
        releaseLock();
        state = State.STOPPED;
        throw e;
      }
      state = State.RUNNING;
      log.info(
          "daemon started -- version {}, configuration {}", version(), config.configDirectory());
    } finally {
      lifecycle.unlock();
    }
  }

  private void registerBuiltIns() {
    commands.register(
        "status",
        (args, reply) -> {
          reply.line("pid = " + ProcessHandle.current().pid());
          reply.line("started = " + started);
          reply.line("queue_directory = " + queueDirectory);
          reply.line("config_directory = " + config.configDirectory());
          reply.line("commands = " + String.join(" ", commands.names()));
        });
    commands.register("stop", (args, reply) -> requestStop("stop command"));
    commands.register("reload", (args, reply) -> reload());
  }

  /** Asks for a graceful stop: {@link #awaitStopRequest} returns. Returns at once. */
  public void requestStop(String reason) {
    if (stopReason.compareAndSet(null, reason)) {
      log.info("stop requested: {}", reason);
    }
    stopRequested.countDown();
  }

  /** The body's {@link DaemonContext#requestStop}: a stop because it cannot go on. */
  private void failStop(String reason) {
    if (stopReason.compareAndSet(null, reason)) {
      failed = true;
      log.error(MaillogLayout.FATAL, "{}: stopping the mail system", reason);
    }
    stopRequested.countDown();
  }

  /** Whether the stop was asked for by the body because of a failure (exit status 1). */
  public boolean stoppedByFailure() {
    return failed;
  }

  /** Blocks until a stop is asked for: the admin {@code stop}, the body, or {@link #stop}. */
  public void awaitStopRequest() throws InterruptedException {
    stopRequested.await();
  }

  /** The admin {@code reload}: load, check, hand over; refusals are {@link AdminException}. */
  void reload() throws AdminException {
    DaemonConfig fresh;
    try {
      fresh = source.load();
    } catch (ConfigException e) {
      log.warn("reload refused: {}", e.getMessage());
      throw new AdminException(e.getMessage());
    }
    Path q = DaemonFiles.queueDirectory(fresh.config());
    if (!q.equals(queueDirectory)) {
      String reason =
          "queue_directory changed from "
              + queueDirectory
              + " to "
              + q
              + ": stop and start to move the queue";
      log.warn("reload refused: {}", reason);
      throw new AdminException(reason);
    }
    lifecycle.lock();
    try {
      if (state != State.RUNNING) {
        throw new AdminException("the mail system is stopping");
      }
      try {
        body.reload(fresh);
      } catch (Exception e) {
        log.warn("reload failed: {}", String.valueOf(e.getMessage()));
        log.debug("reload failed", e);
        throw new AdminException("reload failed: " + e.getMessage());
      }
      config = fresh;
      log.info("reload -- version {}, configuration {}", version(), fresh.configDirectory());
    } finally {
      lifecycle.unlock();
    }
  }

  /**
   * Stops gracefully: closes the admin socket, stops the body, releases the lock. Idempotent;
   * returns once stopped (a second caller waits for the first).
   *
   * @param reason logged as {@code terminating on REASON}, unless a stop was asked for already (the
   *     first reason is logged)
   */
  public void stop(String reason) {
    stopReason.compareAndSet(null, reason);
    stopRequested.countDown();
    lifecycle.lock();
    try {
      if (state != State.RUNNING) {
        if (state == State.NEW) {
          state = State.STOPPED;
        }
        return;
      }
      state = State.STOPPING;
      log.info("terminating on {}", stopReason.get());
      try {
        if (server != null) {
          server.close();
        }
      } catch (IOException e) {
        log.warn("closing the admin socket: {}", e.toString());
      }
      stopBody();
      releaseLock();
      state = State.STOPPED;
    } finally {
      lifecycle.unlock();
    }
  }

  /** Whether {@link #start} succeeded and {@link #stop} has not begun. */
  public boolean isRunning() {
    return state == State.RUNNING;
  }

  private void stopBody() {
    try {
      body.stop();
    } catch (RuntimeException e) {
      log.warn("stopping the daemon body: {}", e.toString(), e);
    }
  }

  private void releaseLock() {
    try {
      if (lock != null) {
        lock.close();
      }
    } catch (IOException e) {
      log.warn("releasing the queue lock: {}", e.toString());
    }
  }
}
