package io.gannet.perf.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Gannet as the relay under test: a fresh {@code main.cf}, {@code master.cf} and queue under the
 * run's directory, smtpd on 127.0.0.1, {@code relayhost = [127.0.0.1]:SINKPORT}, the given {@code
 * journal_sync}, everything else as shipped. Started with {@code bin/gannet -c DIR start} (a
 * daemon JVM, as a user starts it; {@code GANNET_JAVA_OPTS} reaches the daemon's JVM, e.g. for a
 * flight recording), stopped by SIGTERM to the daemon's pid (its graceful stop), killed if it is
 * still there after a minute.
 */
final class GannetMta implements Mta {
  private final Path launcher;
  private final String journalSync;
  private final String javaOpts;
  private Path queue;
  private long pid = -1;

  /**
   * @param launcher {@code bin/gannet}
   * @param journalSync {@code group} (durable) or {@code none}
   * @param javaOpts extra JVM options for the daemon ({@code GANNET_JAVA_OPTS}), may be empty
   */
  GannetMta(Path launcher, String journalSync, String javaOpts) {
    this.launcher = launcher;
    this.journalSync = journalSync;
    this.javaOpts = javaOpts;
  }

  @Override
  public void start(Path dir, int smtpdPort, int sinkPort)
      throws IOException, InterruptedException {
    Path config = dir.resolve("conf");
    queue = dir.resolve("var");
    Files.createDirectories(config);
    Files.writeString(
        config.resolve("main.cf"),
        String.join(
            "\n",
            "# relay-bench: Gannet as a loopback relay to the benchmark's sink",
            "queue_directory = " + queue,
            "myhostname = gannet.bench.test",
            "mynetworks = 127.0.0.0/8",
            "relayhost = [127.0.0.1]:" + sinkPort,
            "journal_sync = " + journalSync,
            ""));
    Files.writeString(
        config.resolve("master.cf"),
        String.join(
            "\n",
            "127.0.0.1:" + smtpdPort + " inet n - n - - smtpd",
            "smtp unix - - n - - smtp",
            "relay unix - - n - - smtp",
            "discard unix - - n - - discard",
            "error unix - - n - - error",
            ""));
    Processes.Result r =
        Processes.run(
            List.of(launcher.toString(), "-c", config.toString(), "start"),
            Map.of("GANNET_JAVA_OPTS", javaOpts),
            120);
    Path pidFile = queue.resolve("pid").resolve("master.pid");
    if (Files.exists(pidFile)) {
      pid = Processes.readPid(pidFile);
    }
    if (r.status() != 0 || pid <= 0) {
      throw new IOException(
          "gannet -c " + config + " start failed (" + r.status() + "):\n" + r.output()
              + Processes.tail(queue.resolve("log").resolve("gannet.log"), 20));
    }
    if (!Processes.awaitListening(smtpdPort, 20_000)) {
      throw new IOException("gannet smtpd does not listen on port " + smtpdPort);
    }
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public OptionalLong peakRssKiB() {
    return pid > 0 ? Processes.peakRssKiB(pid) : OptionalLong.empty();
  }

  /** The daemon's log file. */
  Path logFile() {
    return queue.resolve("log").resolve("gannet.log");
  }

  @Override
  public void close() throws InterruptedException {
    if (pid > 0) {
      Processes.terminate(pid, 60_000);
      pid = -1;
    }
  }
}
