package io.gannet.perf.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Gannet as the relay under test: a fresh {@code main.cf}, {@code master.cf} and queue under the
 * run's directory, smtpd on 127.0.0.1, {@code relayhost = [127.0.0.1]:SINKPORT}, the given {@code
 * journal_sync}, everything else as shipped. The daemon is {@code java FLAGS [OPTS] -jar
 * gannet.jar -c DIR start-fg} run directly (what {@code gannet start} runs in the background),
 * its output appended to {@code $queue_directory/log/gannet.log}: one JVM, whose pid the
 * benchmark holds, so extra JVM options (a flight recording) reach the daemon alone. Stopped by
 * SIGTERM to that pid (its graceful stop), killed if it is still there after a minute.
 */
final class GannetMta implements Mta {
  private final Path jar;
  private final List<String> jvmFlags;
  private final String journalSync;
  private final List<String> javaOpts;
  private final List<String> params;
  private Path queue;
  private Process process;
  private long pid = -1;

  /**
   * @param jar {@code tools/target/gannet.jar}
   * @param jvmFlags the root pom's JVM flags ({@code tools/target/jvm.options})
   * @param journalSync {@code group} (durable) or {@code none}
   * @param javaOpts extra JVM options for the daemon, may be empty
   * @param params extra main.cf lines ({@code name = value}), e.g. for tuning experiments
   */
  GannetMta(Path jar, List<String> jvmFlags, String journalSync, List<String> javaOpts,
      List<String> params) {
    this.jar = jar;
    this.jvmFlags = jvmFlags;
    this.journalSync = journalSync;
    this.javaOpts = javaOpts;
    this.params = params;
  }

  @Override
  public void start(Path dir, int smtpdPort, int sinkPort)
      throws IOException, InterruptedException {
    Path config = dir.resolve("conf");
    queue = dir.resolve("var");
    Files.createDirectories(config);
    List<String> mainCf = new ArrayList<>(List.of(
        "# relay-bench: Gannet as a loopback relay to the benchmark's sink",
        "queue_directory = " + queue,
        "myhostname = gannet.bench.test",
        "mynetworks = 127.0.0.0/8",
        "relayhost = [127.0.0.1]:" + sinkPort,
        "journal_sync = " + journalSync));
    mainCf.addAll(params);
    mainCf.add("");
    Files.writeString(config.resolve("main.cf"), String.join("\n", mainCf));
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
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.addAll(javaOpts);
    cmd.addAll(List.of("-jar", jar.toString(), "-c", config.toString(), "start-fg"));
    Path log = logFile();
    Files.createDirectories(log.getParent());
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    pid = process.pid();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Processes.awaitListening(smtpdPort, 100)) {
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        close();
        throw new IOException("gannet did not start (" + String.join(" ", cmd) + "):\n"
            + Processes.tail(log, 20));
      }
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

  @Override
  public String toString() {
    return "gannet (pid " + pid + ")";
  }
}
