package io.gannet.journal;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wires;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Power-loss repair of the journal's last cycle file: finds a torn tail and rebuilds the file from
 * the frames a reader can read, each at the index it had.
 *
 * <p><b>What goes wrong.</b> A Chronicle cycle file is a chain of frames, each a 4-byte
 * little-endian header (length in the low 30 bits, bit 30 metadata, bit 31 not complete) and its
 * payload, padded to 4 bytes; the file's own header (itself the first, metadata, frame) records the
 * position of the last frame written ({@code writePosition}) and its sequence. A reader follows the
 * chain from the start and stops at the first zero header. An appender opened later resumes at
 * {@code writePosition}: it skips the frame there and numbers its first frame one past that frame's
 * sequence. A power loss writes the dirty pages of the mapped file in any order, so after one the
 * file's header may point at a frame whose page never reached the disk (a zero header), a frame
 * may have a not-complete header, or frames may lie after a hole. Chronicle then appends past the
 * hole, at a sequence no reader counts to: the appends complete (smtpd answered 250) and no reader
 * ever sees them.
 *
 * <p><b>The probe</b> ({@link #probe}), run on every read-write open before the writer starts,
 * walks the frame headers of the last cycle file from the frame of the last index Chronicle
 * recorded as msynced ({@code lastIndexMSynced}: everything up to it is on disk, so the walk covers
 * only what the last group commit wrote; from the file's start if there is none in that cycle, as
 * with {@code journal_sync = none}). The tail is torn if the walk ends at a not-complete header, or
 * at a frame running past the end of the file, or if {@code writePosition} is not a frame on the
 * walked chain, or if the {@link #BLANK_WINDOW} bytes after the chain's end are not all zero (a
 * hole with data after it). A clean open costs one index lookup, a few header reads and one read
 * of the blank window. The probe trusts a {@code writePosition} before the synced frame: Chronicle
 * scans forward from it over intact frames.
 *
 * <p><b>The repair</b> ({@link #rebuild}) copies every data frame of the chain, in order and byte
 * for byte, into a fresh cycle file of the same cycle (a queue in a temporary directory whose
 * clock stands at the cycle's start), forces it to disk, links the damaged file to {@code
 * <file>.torn-<millis>} beside it (never deleted: it is there for inspection), atomically renames
 * the fresh file over the damaged one's name and syncs the directory. A crash during the repair
 * leaves either the damaged file in place (the next open repairs it again) or the rebuilt one.
 * One WARN line names the file, the byte position and the first index lost.
 *
 * <p><b>Indexes.</b> A Chronicle index is {@code cycle << shift | sequence}, the sequence counting
 * data frames from 0 in each cycle file (metadata frames such as index arrays are not counted).
 * The chain a reader follows holds the frames of sequences 0 to n-1; written in that order into an
 * empty file of the same roll cycle and cycle they get the same sequences, hence the same indexes,
 * which the projection and the scheduler keep. The rebuild checks each copied frame's index and
 * gives up, leaving the damaged file in place, if one differs. What is dropped is only what no
 * reader could read: frames after the first hole, none of which was acknowledged (a sync that
 * completed covers every byte before the synced frame).
 *
 * <p>A last cycle file whose own header is zero (created, then its first pages lost) holds no
 * frame; it is set aside and replaced by an empty file of that cycle, since Chronicle would
 * otherwise wait for the header (its queue timeout, 10 s) several times on every open.
 *
 * <p><b>Limits.</b> The probe does not look for a hole before the synced frame (storage that lost
 * what it reported synced), nor, when {@code writePosition} is on the chain, for data further
 * than {@link #BLANK_WINDOW} past its end. Chronicle grows a truncated file back with zeros when
 * the journal maps it, so the set-aside file may be longer than the damaged one was, never
 * different in its bytes. Tools open the journal read-only and repair nothing; a reader already
 * following the journal in another process when the daemon repairs it keeps the set-aside file.
 */
final class TornTailRepair {

  private static final Logger log = LoggerFactory.getLogger("gannet/journal");

  /** How many bytes after the end of the chain must be zero in a clean file. */
  static final int BLANK_WINDOW = 1 << 20;

  private static final int HEADER = Wires.SPB_HEADER_SIZE;

  private TornTailRepair() {}

  /**
   * A torn tail found by {@link #probe}: the cycle file and what is needed to rebuild it, the byte
   * position where the readable chain ends and what is wrong there.
   */
  record Damage(
      File file,
      int cycle,
      RollCycle rollCycle,
      long epoch,
      boolean padded,
      long position,
      String reason) {}

  /** Where a header walk stopped, how many data frames it passed, and what it saw on the way. */
  private record Walk(long end, int endHeader, long frames, boolean writePositionOnChain,
      boolean overrun) {}

  /** Receives the payload position and length of each data frame a walk passes. */
  @FunctionalInterface
  private interface FrameSink {
    void frame(long payload, int length) throws IOException;
  }

  /**
   * Checks the tail of the last cycle file of {@code queue} (open read-write, no appender yet).
   * Returns the damage found, or empty for a clean tail or a journal without cycle files.
   *
   * @throws JournalException if the file cannot be read
   */
  static Optional<Damage> probe(SingleChronicleQueue queue) {
    int cycle = queue.lastCycle();
    if (cycle < 0 || cycle == Integer.MAX_VALUE) {
      return Optional.empty();
    }
    File named = cycleFile(queue, cycle);
    if (named.isFile() && !initialised(named)) {
      // Chronicle would wait for this header on every open (queue timeout, 10 s each time)
      return Optional.of(new Damage(named, cycle, queue.rollCycle(), queue.epoch(), true, 0,
          "the cycle file's own header never reached the disk"));
    }
    SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
    if (store == null) {
      return Optional.empty();
    }
    File file;
    long writePosition;
    boolean padded;
    try {
      file = store.file();
      writePosition = store.writePosition();
      padded = store.dataVersion() > 0;
    } finally {
      queue.closeStore(store);
    }
    long from = syncedFramePosition(queue, cycle);
    try (FileWindow w = new FileWindow(file.toPath())) {
      if (from > 0 && !isCompleteData(w.readInt(from))) {
        from = 0;
      }
      Walk walk = walk(w, from, writePosition, padded, null);
      String reason = damage(walk, writePosition, w);
      if (reason == null) {
        return Optional.empty();
      }
      return Optional.of(new Damage(file, cycle, queue.rollCycle(), queue.epoch(), padded,
          walk.end(), reason));
    } catch (IOException e) {
      throw new JournalException("cannot check the end of journal file " + file + ": " + e, e);
    }
  }

  /** The file Chronicle names for {@code cycle}, by Chronicle's own naming, without opening it. */
  private static File cycleFile(SingleChronicleQueue queue, int cycle) {
    String suffix = SingleChronicleQueue.SUFFIX;
    RollingResourcesCache names = new RollingResourcesCache(queue.rollCycle(), queue.epoch(),
        name -> new File(queue.file(), name + suffix),
        file -> file.getName().substring(0, file.getName().length() - suffix.length()));
    return names.resourceFor(cycle).path;
  }

  /** True if the file starts with a complete header (the store's, a metadata frame). */
  private static boolean initialised(File file) {
    try (FileWindow w = new FileWindow(file.toPath())) {
      int h = w.readInt(0);
      return h != Wires.NOT_INITIALIZED && (h & Wires.NOT_COMPLETE) == 0
          && (h & Wires.META_DATA) != 0 && HEADER + (h & Wires.LENGTH_MASK) <= w.size();
    } catch (IOException e) {
      throw new JournalException("cannot read journal file " + file + ": " + e, e);
    }
  }

  /** Why the walked tail is torn, or null if it is clean. */
  private static String damage(Walk walk, long writePosition, FileWindow w) throws IOException {
    if (walk.overrun()) {
      return String.format("frame header 0x%08x runs past the end of the file", walk.endHeader());
    }
    if (walk.endHeader() != Wires.NOT_INITIALIZED && walk.endHeader() != Wires.END_OF_DATA) {
      return String.format("incomplete frame header 0x%08x", walk.endHeader());
    }
    if (!walk.writePositionOnChain()) {
      return "the file's write position " + writePosition + " is not a readable frame";
    }
    long blank = walk.end() + (walk.endHeader() == Wires.END_OF_DATA ? HEADER : 0);
    long dirty = w.firstNonZero(blank, blank + BLANK_WINDOW);
    if (dirty >= 0) {
      return "data at byte " + dirty + " after the last readable frame";
    }
    return null;
  }

  /**
   * The header position of the frame of the last msynced index if it is in {@code cycle}; 0 (the
   * file's start) otherwise, or if Chronicle cannot find it (damage before it).
   */
  private static long syncedFramePosition(SingleChronicleQueue queue, int cycle) {
    long synced = queue.lastIndexMSynced();
    if (synced < 0 || queue.rollCycle().toCycle(synced) != cycle) {
      return 0;
    }
    try (ExcerptTailer t = queue.createTailer()) {
      if (!t.moveToIndex(synced)) {
        return 0;
      }
      try (DocumentContext dc = t.readingDocument()) {
        return dc.isPresent() && dc.index() == synced
            ? dc.wire().bytes().readPosition() - HEADER
            : 0;
      }
    } catch (RuntimeException | AssertionError e) {
      return 0; // Chronicle trips over the damage: walk the whole cycle instead
    }
  }

  private static boolean isCompleteData(int header) {
    return header != Wires.NOT_INITIALIZED
        && (header & (Wires.NOT_COMPLETE | Wires.META_DATA)) == 0;
  }

  /**
   * Follows the chain of complete headers from {@code from} until a zero or not-complete header, or
   * a frame that runs past the end of the file; passes each data frame to {@code sink}.
   */
  private static Walk walk(FileWindow w, long from, long writePosition, boolean padded,
      FrameSink sink) throws IOException {
    long pos = from;
    long frames = 0;
    boolean onChain = writePosition < from;
    while (true) {
      int h = w.readInt(pos);
      if (h == Wires.NOT_INITIALIZED || (h & Wires.NOT_COMPLETE) != 0) {
        return new Walk(pos, h, frames, onChain, false);
      }
      int len = h & Wires.LENGTH_MASK;
      long next = pos + HEADER + len;
      if (next > w.size()) {
        return new Walk(pos, h, frames, onChain, true);
      }
      if (pos == writePosition) {
        onChain = true;
      }
      if ((h & Wires.META_DATA) == 0) {
        if (sink != null) {
          sink.frame(pos + HEADER, len);
        }
        frames++;
      }
      pos = padded ? (next + 3) & ~3L : next;
    }
  }

  /**
   * Rebuilds the damaged cycle file from its readable frames, sets the damaged file aside and logs
   * one WARN line. The journal's queue must be closed. {@code clock} names the set-aside file.
   *
   * @throws JournalException if the rebuild fails or would change an index; the damaged file is
   *     then still in place
   */
  static void rebuild(Damage d, Path directory, Clock clock) {
    Path original = d.file().toPath();
    Path tmp = directory.resolve("torn-rebuild.tmp");
    long frames;
    Path aside;
    try {
      deleteTree(tmp); // left by a repair that crashed before its rename: only a partial copy
      Files.createDirectories(tmp);
      frames = copyReadableFrames(d, tmp);
      Path rebuilt = tmp.resolve(original.getFileName());
      if (!Files.isRegularFile(rebuilt)) {
        throw new JournalException("rebuild of " + original + " wrote no file " + rebuilt);
      }
      force(rebuilt);
      aside = setAside(original, clock.millis());
      Files.move(rebuilt, original, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(directory);
      deleteTree(tmp);
    } catch (IOException e) {
      throw new JournalException("cannot repair the torn tail of journal file " + original + " ("
          + d.reason() + "): " + e, e);
    }
    long lost = d.rollCycle().toIndex(d.cycle(), frames);
    log.warn("journal: torn tail in {} at byte {}, index {} (0x{}): {}; cycle rebuilt "
            + "from its {} readable frames at their indexes, damaged file kept as {}",
        original, d.position(), lost, Long.toHexString(lost), d.reason(), frames,
        aside.getFileName());
  }

  /** Writes the chain's data frames into a fresh queue in {@code tmp}; returns how many. */
  private static long copyReadableFrames(Damage d, Path tmp) throws IOException {
    long cycleStart = d.epoch() + (long) d.cycle() * d.rollCycle().lengthInMillis();
    try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(tmp)
            .rollCycle(d.rollCycle())
            .epoch(d.epoch())
            .timeProvider(() -> cycleStart)
            .build();
        ExcerptAppender app = q.createAppender();
        FileWindow in = new FileWindow(d.file().toPath())) {
      byte[][] buf = {new byte[8192]};
      long[] seq = {0};
      Walk walk = walk(in, 0, -1, d.padded(), (payload, len) -> {
        if (buf[0].length < len) {
          buf[0] = new byte[Math.max(len, buf[0].length * 2)];
        }
        in.read(payload, buf[0], len);
        try (DocumentContext dc = app.writingDocument()) {
          dc.wire().bytes().write(buf[0], 0, len);
        }
        long want = d.rollCycle().toIndex(d.cycle(), seq[0]++);
        long got = app.lastIndexAppended();
        if (got != want) {
          throw new JournalException("rebuild of " + d.file() + " would move the frame at index "
              + want + " to index " + got + "; not repaired");
        }
      });
      if (walk.frames() == 0) {
        // no readable frame: an empty file of that cycle, so the queue's cycles stay as they were
        q.closeStore(q.storeForCycle(d.cycle(), q.epoch(), true, null));
      }
      return walk.frames();
    }
  }

  /** Links (or, where links are not supported, copies) the damaged file to its torn-aside name. */
  private static Path setAside(Path original, long millis) throws IOException {
    String base = original.getFileName() + ".torn-" + millis;
    Path aside = original.resolveSibling(base);
    for (int i = 1; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); i++) {
      aside = original.resolveSibling(base + "-" + i);
    }
    try {
      Files.createLink(aside, original);
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.copy(original, aside, StandardCopyOption.COPY_ATTRIBUTES);
      force(aside);
    }
    return aside;
  }

  private static void force(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** fsync of a directory, so renames in it are durable; not every platform allows it. */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      log.debug("journal: cannot sync directory {}: {}", dir, e.toString());
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Positional reads of a cycle file through a 64 KiB window; bytes past the end of the file read
   * as zero (a truncated file reads as Chronicle sees it once it has grown it again).
   */
  private static final class FileWindow implements Closeable {
    private final FileChannel ch;
    private final long size;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long start = -1;

    FileWindow(Path file) throws IOException {
      this.ch = FileChannel.open(file, StandardOpenOption.READ);
      this.size = ch.size();
    }

    long size() {
      return size;
    }

    int readInt(long pos) throws IOException {
      if (start < 0 || pos < start || pos + 4 > start + buf.capacity()) {
        load(pos);
      }
      return buf.getInt((int) (pos - start));
    }

    /** Reads {@code len} bytes at {@code pos} into {@code dst}. */
    void read(long pos, byte[] dst, int len) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(dst, 0, len);
      while (b.hasRemaining() && pos + b.position() < size) {
        if (ch.read(b, pos + b.position()) < 0) {
          break;
        }
      }
      Arrays.fill(dst, b.position(), len, (byte) 0);
    }

    /** The position of the first non-zero byte in {@code [from, to)}, or -1. */
    long firstNonZero(long from, long to) throws IOException {
      for (long p = from; p < Math.min(to, size); ) {
        load(p);
        int n = (int) Math.min(buf.capacity(), Math.min(to, size) - p);
        for (int i = 0; i < n; i++) {
          if (buf.get(i) != 0) {
            return p + i;
          }
        }
        p += n;
      }
      return -1;
    }

    private void load(long pos) throws IOException {
      buf.clear();
      while (buf.hasRemaining() && pos + buf.position() < size) {
        if (ch.read(buf, pos + buf.position()) < 0) {
          break;
        }
      }
      while (buf.hasRemaining()) {
        buf.put((byte) 0);
      }
      start = pos;
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }
}
