package io.gannet.cli;

import io.gannet.global.MailParams;
import io.gannet.master.ConfigSource;
import io.gannet.master.DaemonBodies;
import io.gannet.master.DaemonBody;
import io.gannet.master.DaemonConfig;
import io.gannet.master.DaemonLogging;
import io.gannet.master.MaillogLayout;
import io.gannet.master.Master;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gannet start-fg}: runs the mail system in the foreground (as {@code postfix start-fg}),
 * logging to standard output in Postfix's format. SIGTERM or SIGINT (a shutdown hook), or the admin
 * command {@code stop}, stop it gracefully; exit 0 then. Exit 1 when it cannot start (queue locked
 * by another instance, port taken, no daemon body), with a {@code fatal:} log line giving the
 * reason; exit 2 for a bad configuration. {@code gannet start} runs this in the background.
 */
@Command(
    name = "start-fg",
    description = "Run the mail system in the foreground, logging to" + " standard output.",
    mixinStandardHelpOptions = true)
final class StartFgCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "-v", description = "Verbose logging (debug).")
  boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    ConfigOption.Loaded loaded = ConfigOption.load(main);
    DaemonLogging.toStandardOutput(loaded.config().get(MailParams.MYHOSTNAME), verbose);
    Logger log = LoggerFactory.getLogger(Master.class);
    Optional<DaemonBody> body;
    try {
      body = DaemonBodies.find();
    } catch (IllegalStateException e) {
      log.error(MaillogLayout.FATAL, "{}", e.getMessage());
      return 1;
    }
    if (body.isEmpty()) {
      log.error(MaillogLayout.FATAL, "no daemon body available");
      return 1;
    }
    Path confDir = Path.of(main.configDirectory()).toAbsolutePath().normalize();
    ConfigSource source =
        () -> {
          ConfigOption.Loaded l = ConfigOption.read(confDir.toString(), w -> log.warn("{}", w));
          return new DaemonConfig(confDir, l.config(), l.master());
        };
    Master master =
        new Master(
            new DaemonConfig(confDir, loaded.config(), loaded.master()),
            source,
            body.get(),
            Clock.systemUTC());
    Thread hook = new Thread(() -> master.stop("signal"), "gannet-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      master.start();
    } catch (Exception e) {
      log.error(MaillogLayout.FATAL, "{}", reason(e));
      log.debug("start failed", e);
      removeHook(hook);
      return 1;
    }
    master.awaitStopRequest();
    master.stop("stop request");
    removeHook(hook);
    return master.stoppedByFailure() ? 1 : 0;
  }

  private static String reason(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.toString() : m;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run: nothing to remove
    }
  }
}
