package io.gannet.cli;

import io.gannet.master.DaemonFiles;
import io.gannet.master.DaemonLauncher;
import io.gannet.master.QueueLockedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gannet start}: as {@code postfix start}, starts the mail system in the background and
 * returns once it listens. Checks the configuration (exit 2) and the queue lock here first, then
 * runs {@code gannet start-fg} in a new JVM ({@link DaemonLauncher}) with its output appended to
 * {@code maillog_file} or {@code $queue_directory/log/gannet.log}, and waits for the daemon to
 * answer on its admin socket: {@code gannet/master: starting the mail system}, exit 0. Already
 * running: {@code gannet: fatal: queue directory X is locked by another gannet instance (pid N)},
 * exit 1. The daemon exits or does not answer within {@code --timeout} seconds (60): {@code gannet:
 * fatal: the mail system did not start: ...} and the last lines it logged, exit 1.
 */
@Command(
    name = "start",
    description = "Start the mail system in the background, as postfix" + " start.",
    mixinStandardHelpOptions = true)
final class StartCommand implements Callable<Integer> {

  @ParentCommand Main main;
  @Spec CommandSpec spec;

  @Option(names = "-v", description = "Verbose logging (debug) in the daemon.")
  boolean verbose;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description = "How long to wait for the daemon to answer (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    ConfigOption.Loaded loaded = ConfigOption.load(main);
    Path queue = MailSystem.queueDirectory(loaded);
    OptionalLong running = MailSystem.running(queue);
    if (running.isPresent()) {
      throw new UserException(
          1, "fatal: " + new QueueLockedException(queue, running.getAsLong()).getMessage());
    }
    Path confDir = Path.of(main.configDirectory()).toAbsolutePath().normalize();
    Path logFile = DaemonFiles.logFile(loaded.config(), queue);
    PrintWriter out = spec.commandLine().getOut();
    out.println(MailSystem.PROGRAM + "starting the mail system");
    out.flush();
    List<String> args = new ArrayList<>(List.of("-c", confDir.toString(), "start-fg"));
    if (verbose) {
      args.add("-v");
    }
    DaemonLauncher.Outcome outcome;
    try {
      outcome =
          new DaemonLauncher(queue, logFile)
              .launch(Main.class.getName(), args, Duration.ofSeconds(timeoutSeconds));
    } catch (IOException e) {
      throw new UserException(1, "fatal: cannot start the mail system: " + e.getMessage());
    }
    if (outcome instanceof DaemonLauncher.Failed f) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "gannet: fatal: the mail system did not start: "
              + f.reason()
              + (f.alive() ? " (it still runs as pid " + f.pid() + ")" : "")
              + "; last lines of "
              + logFile
              + ":");
      f.log().forEach(l -> err.println("  " + l));
      err.flush();
      return 1;
    }
    return 0;
  }
}
