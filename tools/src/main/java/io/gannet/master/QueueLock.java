package io.gannet.master;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One running instance per queue directory, as Postfix's master locks {@code pid/master.pid}: an
 * exclusive {@link FileChannel#tryLock} on {@code $queue_directory/pid/master.lock}, held for the
 * life of the daemon, with the holder's process id in {@code pid/master.pid}. The kernel drops the
 * lock when the process dies, so a crash never leaves the queue locked; a stale pid file is only
 * read while its lock is held.
 *
 * <p>{@link #holder} answers "is it running?" the way {@code postfix status} does: by trying the
 * lock (and letting go at once).
 *
 * <p>The lock is a POSIX record lock, which the kernel drops when the process closes <em>any</em>
 * descriptor of the file. So within one JVM the locks held are also kept in a table, and {@link
 * #acquire} and {@link #holder} answer from it without opening the file a second time.
 */
public final class QueueLock implements AutoCloseable {
  /** Tries before giving up: a {@link #holder} probe holds the lock for a moment. */
  private static final int TRIES = 10;

  private static final long RETRY_NANOS = 20_000_000;

  /** The queue directories this JVM holds, by absolute normalized path. */
  private static final Map<Path, QueueLock> HELD = new HashMap<>();

  private final Path queueDirectory;
  private final FileChannel channel;
  private final FileLock lock;
  private final long pid;

  private QueueLock(Path queueDirectory, FileChannel channel, FileLock lock, long pid) {
    this.queueDirectory = queueDirectory;
    this.channel = channel;
    this.lock = lock;
    this.pid = pid;
  }

  /**
   * Locks {@code queueDirectory} for this process and writes its pid (creating {@code pid/}).
   *
   * @throws QueueLockedException another instance holds it: "queue directory X is locked by another
   *     gannet instance (pid N)"
   */
  public static QueueLock acquire(Path queueDirectory) throws IOException {
    Files.createDirectories(DaemonFiles.pidDirectory(queueDirectory.toAbsolutePath()));
    Path dir = canonical(queueDirectory);
    synchronized (HELD) {
      if (HELD.containsKey(dir)) {
        throw new QueueLockedException(dir, HELD.get(dir).pid);
      }
      QueueLock l = lock(dir);
      HELD.put(dir, l);
      return l;
    }
  }

  /** The real path of an existing directory (symbolic links resolved), else the absolute one. */
  private static Path canonical(Path dir) {
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      return dir.toAbsolutePath().normalize();
    }
  }

  private static QueueLock lock(Path dir) throws IOException {
    FileChannel ch =
        FileChannel.open(
            DaemonFiles.lockFile(dir),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    try {
      FileLock lock = null;
      for (int i = 0; i < TRIES && lock == null; i++) {
        if (i > 0) {
          LockSupport.parkNanos(RETRY_NANOS);
        }
        lock = tryLock(ch);
      }
      if (lock == null) {
        throw new QueueLockedException(dir, readPid(dir));
      }
      long pid = ProcessHandle.current().pid();
      writePid(dir, pid);
      return new QueueLock(dir, ch, lock, pid);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * The process id of the instance holding {@code queueDirectory}'s lock, empty when none does; -1
   * when the lock is held but the pid file cannot be read.
   */
  public static OptionalLong holder(Path queueDirectory) throws IOException {
    Path dir = canonical(queueDirectory);
    synchronized (HELD) {
      if (HELD.containsKey(dir)) {
        return OptionalLong.of(HELD.get(dir).pid);
      }
    }
    Path file = DaemonFiles.lockFile(dir);
    if (!Files.exists(file)) {
      return OptionalLong.empty();
    }
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock probe = tryLock(ch);
      if (probe != null) {
        probe.release();
        return OptionalLong.empty();
      }
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(readPid(dir));
  }

  /** The lock, or null if another process holds it. */
  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }

  private static void writePid(Path dir, long pid) throws IOException {
    Path tmp = DaemonFiles.pidDirectory(dir).resolve("master.pid.tmp");
    Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
    Files.move(
        tmp,
        DaemonFiles.pidFile(dir),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** The pid in {@code pid/master.pid}, or -1. */
  static long readPid(Path dir) {
    try {
      String s = Files.readString(DaemonFiles.pidFile(dir), StandardCharsets.US_ASCII).trim();
      long pid = Long.parseLong(s);
      return pid > 0 ? pid : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** The queue directory locked, absolute. */
  public Path queueDirectory() {
    return queueDirectory;
  }

  /** This process's id, as written to the pid file. */
  public long pid() {
    return pid;
  }

  /** Removes the pid file and releases the lock. */
  @Override
  public void close() throws IOException {
    synchronized (HELD) {
      if (!channel.isOpen()) {
        return;
      }
      try {
        Files.deleteIfExists(DaemonFiles.pidFile(queueDirectory));
        lock.release();
      } finally {
        channel.close();
        HELD.remove(queueDirectory, this);
      }
    }
  }
}
