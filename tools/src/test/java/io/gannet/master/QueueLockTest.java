package io.gannet.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueLockTest {
  @TempDir Path dir;

  private final long myPid = ProcessHandle.current().pid();

  @Test
  void acquireWritesThePidAndHolderReportsIt() throws Exception {
    Path queue = dir.resolve("var");
    try (QueueLock lock = QueueLock.acquire(queue)) {
      assertEquals(myPid, lock.pid());
      assertEquals(myPid + "\n", Files.readString(queue.resolve("pid/master.pid")));
      assertEquals(OptionalLong.of(myPid), QueueLock.holder(queue));
    }
    assertEquals(OptionalLong.empty(), QueueLock.holder(queue));
    assertFalse(Files.exists(queue.resolve("pid/master.pid")));
  }

  @Test
  void secondAcquireFailsWithTheHoldersPidUntilTheFirstIsReleased() throws Exception {
    QueueLock first = QueueLock.acquire(dir);
    QueueLockedException e = assertThrows(QueueLockedException.class, () -> QueueLock.acquire(dir));
    assertEquals(
        "queue directory "
            + dir.toRealPath()
            + " is locked by another gannet instance (pid "
            + myPid
            + ")",
        e.getMessage());
    assertEquals(myPid, e.pid());
    // the refused attempt and the probe leave the first lock intact
    assertEquals(OptionalLong.of(myPid), QueueLock.holder(dir));
    first.close();
    try (QueueLock again = QueueLock.acquire(dir)) {
      assertTrue(QueueLock.holder(dir).isPresent());
    }
  }

  @Test
  void theSameDirectoryThroughASymbolicLinkIsTheSameLock() throws Exception {
    Path real = Files.createDirectories(dir.resolve("real"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);
    try (QueueLock lock = QueueLock.acquire(real)) {
      assertThrows(QueueLockedException.class, () -> QueueLock.acquire(link));
    }
  }

  @Test
  void noLockFileMeansNotRunning() throws Exception {
    assertEquals(OptionalLong.empty(), QueueLock.holder(dir.resolve("never-created")));
  }

  @Test
  void closeIsIdempotent() throws Exception {
    QueueLock lock = QueueLock.acquire(dir);
    lock.close();
    lock.close();
    assertEquals(OptionalLong.empty(), QueueLock.holder(dir));
  }
}
