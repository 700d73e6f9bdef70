package io.gannet.cli;

import io.gannet.master.AdminClient;
import io.gannet.master.AdminResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gannet stop}: as {@code postfix stop}. Not running: {@code gannet/master: the mail system
 * is not running}, exit 1. Else {@code gannet/master: stopping the mail system}, the admin command
 * {@code stop} (a graceful stop; SIGTERM when the admin socket does not answer, which runs the same
 * stop), then waits until the process is gone and the queue lock free: exit 0. After {@code
 * --timeout} seconds (60) it does what postfix stop does after its wait: {@code warning: stopping
 * the mail system with force} and SIGKILL (the journal keeps every acknowledged message).
 */
@Command(
    name = "stop",
    description = "Stop the mail system gracefully, as postfix stop.",
    mixinStandardHelpOptions = true)
final class StopCommand implements Callable<Integer> {

  private static final long POLL_MILLIS = 100;

  @ParentCommand Main main;
  @Spec CommandSpec spec;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description =
          "How long to wait for a graceful stop before killing (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() {
    ConfigOption.Loaded loaded = ConfigOption.load(main);
    Path queue = MailSystem.queueDirectory(loaded);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    OptionalLong running = MailSystem.running(queue);
    if (running.isEmpty()) {
      out.println(MailSystem.PROGRAM + "the mail system is not running");
      out.flush();
      return 1;
    }
    long pid = running.getAsLong();
    Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
    out.println(MailSystem.PROGRAM + "stopping the mail system");
    out.flush();
    if (!askToStop(queue, err)) {
      if (process.isEmpty()) {
        throw new UserException(
            1,
            "fatal: the admin socket does not answer and the pid of the"
                + " mail system is unknown; stop it by hand");
      }
      process.get().destroy(); // SIGTERM: the daemon's shutdown hook stops it gracefully
    }
    if (awaitGone(queue, process, timeoutSeconds * 1000)) {
      return 0;
    }
    if (process.isEmpty()) {
      throw new UserException(
          1, "fatal: the mail system did not stop within " + timeoutSeconds + "s (pid unknown)");
    }
    err.println(MailSystem.PROGRAM + "warning: stopping the mail system with force");
    err.flush();
    process.get().destroyForcibly();
    if (!awaitGone(queue, process, 10_000)) {
      throw new UserException(1, "fatal: the mail system did not stop (pid " + pid + ")");
    }
    return 0;
  }

  /** Sends the admin {@code stop}; false when the socket does not answer or refuses. */
  private static boolean askToStop(Path queue, PrintWriter err) {
    try {
      AdminResponse r = new AdminClient(queue).request("stop");
      if (r.ok()) {
        return true;
      }
      err.println(MailSystem.PROGRAM + "warning: stop refused: " + r.error() + "; sending SIGTERM");
    } catch (IOException e) {
      err.println(MailSystem.PROGRAM + "warning: " + e.getMessage() + "; sending SIGTERM");
    }
    err.flush();
    return false;
  }

  /** Waits until the process has exited and the queue lock is free; false at the timeout. */
  private static boolean awaitGone(Path queue, Optional<ProcessHandle> process, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (process.map(ProcessHandle::isAlive).orElse(false)
        || MailSystem.running(queue).isPresent()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserException(1, "interrupted");
      }
    }
    return true;
  }
}
