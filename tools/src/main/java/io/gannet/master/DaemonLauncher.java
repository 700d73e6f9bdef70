package io.gannet.master;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts the daemon in the background, as {@code postfix start} starts master(8): a new JVM like
 * this one (same java, same JVM flags, same class path) running the foreground command, detached
 * from the terminal (its own session through {@code setsid} where there is one), standard input
 * from {@code /dev/null}, standard output and error appended to the log file. Then waits until the
 * child answers {@code status} on the admin socket (ready), or exits, or the time is up.
 *
 * <p>JVM options that cannot be shared by two JVMs at once are left out (a debugger's {@code
 * -agentlib:jdwp}); system properties {@code gannet.*} set in this JVM but not on its command line
 * (e.g. {@link DaemonBodies#PROPERTY}) are passed on.
 */
public final class DaemonLauncher {
  /** How many lines of the log a failed start shows. */
  public static final int TAIL_LINES = 20;

  private static final long POLL_MILLIS = 100;
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);

  /** What became of a start. */
  public sealed interface Outcome {
    /** The lines the child wrote to the log during this start (the last {@link #TAIL_LINES}). */
    List<String> log();
  }

  /** The child answers on the admin socket. */
  public record Ready(long pid, List<String> log) implements Outcome {}

  /**
   * The child did not become ready.
   *
   * @param reason one line: exited with status N, or did not answer within the timeout
   * @param pid the child's pid
   * @param alive whether the child still runs (timeout)
   */
  public record Failed(String reason, long pid, boolean alive, List<String> log)
      implements Outcome {}

  private final Path queueDirectory;
  private final Path logFile;

  /**
   * @param queueDirectory the queue the child will lock (its admin socket tells readiness)
   * @param logFile where the child's output goes (appended; parent directories created)
   */
  public DaemonLauncher(Path queueDirectory, Path logFile) {
    this.queueDirectory = queueDirectory.toAbsolutePath();
    this.logFile = logFile.toAbsolutePath();
  }

  /**
   * Starts {@code mainClass} with {@code args} in a new JVM and waits for readiness.
   *
   * @throws IOException the JVM cannot be started, or the log file cannot be opened
   */
  public Outcome launch(String mainClass, List<String> args, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(logFile.getParent());
    long offset = Files.exists(logFile) ? Files.size(logFile) : 0;
    List<String> command = new ArrayList<>();
    Path setsid = setsid();
    if (setsid != null) {
      command.add(setsid.toString());
    }
    command.addAll(javaCommand(mainClass, args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .redirectErrorStream(true);
    Process child = pb.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    AdminClient client = new AdminClient(queueDirectory, STATUS_TIMEOUT);
    while (true) {
      if (child.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        return new Failed(
            "the daemon exited with status " + child.exitValue(), child.pid(), false, tail(offset));
      }
      Long answering = answeringPid(client);
      if (answering != null && answering == child.pid()) {
        return new Ready(child.pid(), tail(offset));
      }
      if (System.nanoTime() - deadline > 0) {
        return new Failed(
            "the daemon did not answer within " + timeout.toSeconds() + "s",
            child.pid(),
            child.isAlive(),
            tail(offset));
      }
    }
  }

  /** The pid reported by {@code status}, or null if nothing answers yet. */
  private static Long answeringPid(AdminClient client) {
    try {
      AdminResponse r = client.request("status");
      String pid = r.ok() ? r.value("pid") : null;
      return pid == null ? null : Long.valueOf(pid);
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  /** The JVM command line: java, flags, class path, main class, arguments. */
  static List<String> javaCommand(String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    List<String> input = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (String a : input) {
      if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp") && !a.equals("-Xdebug")) {
        cmd.add(a);
      }
    }
    for (Map.Entry<String, String> p : gannetProperties(System.getProperties()).entrySet()) {
      String flag = "-D" + p.getKey() + "=";
      if (input.stream().noneMatch(a -> a.startsWith(flag))) {
        cmd.add(flag + p.getValue());
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  private static Map<String, String> gannetProperties(Properties props) {
    Map<String, String> m = new TreeMap<>();
    for (String name : props.stringPropertyNames()) {
      if (name.startsWith("gannet.")) {
        m.put(name, props.getProperty(name));
      }
    }
    return m;
  }

  private static Path setsid() {
    for (String dir : List.of("/usr/bin", "/bin")) {
      Path p = Path.of(dir, "setsid");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** The last {@link #TAIL_LINES} lines written to the log after {@code offset}. */
  private List<String> tail(long offset) {
    Deque<String> lines = new ArrayDeque<>();
    try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
      long length = f.length();
      long from = Math.max(offset, length - 64 * 1024);
      byte[] b = new byte[(int) (length - from)];
      f.seek(from);
      f.readFully(b);
      for (String l : new String(b, StandardCharsets.UTF_8).split("\r?\n")) {
        if (!l.isEmpty()) {
          lines.addLast(l);
          if (lines.size() > TAIL_LINES) {
            lines.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      lines.add("(cannot read " + logFile + ": " + e.getMessage() + ")");
    }
    return List.copyOf(lines);
  }
}
