package io.gannet.master;

import io.gannet.global.Config;
import io.gannet.global.MailParams;
import java.nio.file.Path;

/**
 * Where the daemon keeps its own files under {@code queue_directory}, as Postfix keeps {@code
 * pid/master.pid} and {@code private/}:
 *
 * <pre>
 *   pid/master.lock    the lock held by the running instance ({@link QueueLock})
 *   pid/master.pid     its process id, one decimal line
 *   private/admin      the admin socket ({@link AdminProtocol}); private/ is mode 0700
 *   log/gannet.log     standard output and error of a daemon started with {@code gannet start},
 *                      unless maillog_file names another file
 * </pre>
 */
public final class DaemonFiles {
  private DaemonFiles() {}

  public static Path pidDirectory(Path queueDirectory) {
    return queueDirectory.resolve("pid");
  }

  public static Path lockFile(Path queueDirectory) {
    return pidDirectory(queueDirectory).resolve("master.lock");
  }

  public static Path pidFile(Path queueDirectory) {
    return pidDirectory(queueDirectory).resolve("master.pid");
  }

  public static Path privateDirectory(Path queueDirectory) {
    return queueDirectory.resolve("private");
  }

  public static Path adminSocket(Path queueDirectory) {
    return privateDirectory(queueDirectory).resolve("admin");
  }

  /** {@code queue_directory}, absolute (a relative one is relative to the working directory). */
  public static Path queueDirectory(Config config) {
    return Path.of(config.get(MailParams.QUEUE_DIRECTORY)).toAbsolutePath().normalize();
  }

  /** {@code maillog_file} if set, else {@code $queue_directory/log/gannet.log}; absolute. */
  public static Path logFile(Config config, Path queueDirectory) {
    String maillog = config.get(MailParams.MAILLOG_FILE).trim();
    Path p =
        maillog.isEmpty() ? queueDirectory.resolve("log").resolve("gannet.log") : Path.of(maillog);
    return p.toAbsolutePath().normalize();
  }
}
