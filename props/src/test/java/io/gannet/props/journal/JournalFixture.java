package io.gannet.props.journal;

import io.gannet.journal.Journal;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What the journal properties share: a temporary directory per try (jqwik has no {@code @TempDir}),
 * reading a journal to its end, and Chronicle as the daemon runs it.
 *
 * <p><b>Chronicle's assertions are off.</b> Surefire runs tests with {@code -ea}, the daemon runs
 * without it. On a damaged cycle file Chronicle's own {@code assert}s fire ({@code
 * StoreAppender.writeHeader}, {@code StoreTailer.doToStart}) where the daemon would carry on, so
 * with them on these properties would test a journal nobody runs. Disabling them works for classes
 * not yet initialised: every property that opens a journal first calls {@link #tempDirectory()},
 * whose class initialiser runs this. (Gannet's own assertions stay on.)
 */
final class JournalFixture {

  static {
    ClassLoader loader = JournalFixture.class.getClassLoader();
    loader.setPackageAssertionStatus("net.openhft.chronicle", false);
  }

  private JournalFixture() {}

  /**
   * Directories made by {@link #tempDirectory()} and not deleted yet. When jqwik gives up shrinking
   * after its time limit, the try it was running is abandoned and its finally block may never run
   * before the JVM exits: a shutdown hook deletes what is left.
   */
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Path p : LIVE) {
                    try {
                      deleteTree(p);
                    } catch (RuntimeException e) {
                      // best effort: the directory is under target/, mvn clean removes it
                    }
                  }
                },
                "journal-fixture-cleanup"));
  }

  /**
   * A fresh directory for one try, under the module's {@code target/} (Surefire's {@code basedir});
   * delete it with {@link #deleteTree} in a finally block.
   */
  static Path tempDirectory() {
    try {
      Path target = Path.of(System.getProperty("basedir", "."), "target");
      Files.createDirectories(target);
      Path dir = Files.createTempDirectory(target, "journal-props-");
      LIVE.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
    LIVE.remove(root);
  }

  /** Every entry from the start of the journal to its current end. */
  static List<JournalEntry> readAll(Journal journal) {
    try (JournalReader reader = journal.reader()) {
      return readRest(reader);
    }
  }

  /** Every entry from the reader's position to the current end. */
  static List<JournalEntry> readRest(JournalReader reader) {
    List<JournalEntry> out = new ArrayList<>();
    for (JournalEntry e; (e = reader.next()) != null; ) {
      out.add(e);
    }
    return out;
  }
}
