package io.gannet.journal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal on Chronicle Queue, under {@code $queue_directory/journal}.
 *
 * <p><b>Group commit.</b> {@link #append} puts the record on a queue and returns at once. One
 * writer thread, the only user of the Chronicle appender, takes everything waiting (up to
 * {@code journal_batch_limit} records), writes it, calls {@code sync()} once (msync of the mapped
 * file, when {@code journal_sync = group}) and only then completes the batch's stages. Concurrent
 * senders therefore share one sync: the guarantee is per record, the cost per batch. If a batch
 * crosses into a new cycle file, the old file is synced before the first write to the new one.
 *
 * <p><b>Failure.</b> If a write or sync fails, the batch's stages fail with {@link
 * JournalException}, the journal refuses every later append (callers answer 451/421), and the
 * error is logged: nothing is acknowledged that may not be on disk.
 *
 * <p><b>Crash.</b> On a read-write open, the tail of the last cycle file is probed for what a
 * power loss leaves (a zero or incomplete frame header where the file says its last frame is, data
 * after a hole); if found, the file is rebuilt from its readable frames, at their indexes, and the
 * damaged file kept beside it as {@code <file>.torn-<millis>} ({@link TornTailRepair}), and every
 * earlier cycle gets its end-of-file marker if a power loss took it. Then a torn
 * last record (checksum) or a chunked record missing its last chunks is reported in the log;
 * readers report it as corrupt and move past it. Everything acknowledged before it is intact, and
 * every append after the open is read at the index it completed with.
 *
 * <p><b>Retention.</b> One file per roll cycle ({@code journal_roll_cycle}); {@link
 * #deleteCyclesBefore} removes whole cycle files once the scheduler knows no live message needs
 * them (see {@link JournalRetention}).
 */
public final class ChronicleJournal implements Journal, JournalCycles {

  private static final Logger log = LoggerFactory.getLogger("gannet/journal");

  private final Path directory;
  private final JournalOptions options;
  private final SingleChronicleQueue queue;
  private final LinkedBlockingQueue<PendingAppend> pending = new LinkedBlockingQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final Thread writer;
  private volatile boolean closing;
  private volatile Throwable failure;
  private volatile long lastIndex = -1;

  /** One append waiting for the writer; a {@code null} record is a {@link #barrier}. */
  private static final class PendingAppend {
    final JournalRecord record;
    final CompletableFuture<Long> done = new CompletableFuture<>();
    long index = -1;

    PendingAppend(JournalRecord record) {
      this.record = record;
    }
  }

  private ChronicleJournal(Path directory, JournalOptions options, SingleChronicleQueue queue) {
    this.directory = directory;
    this.options = options;
    this.queue = queue;
    if (options.readOnly()) {
      this.writer = null;
      this.lastIndex = lastIndexInQueue();
    } else {
      reportTornTail();
      this.lastIndex = lastIndexInQueue();
      this.writer = new Thread(this::writeLoop, "journal-writer");
      this.writer.setDaemon(true);
      this.writer.start();
    }
  }

  /**
   * Opens (creating if needed, unless read-only) the journal in {@code directory}. A read-only
   * journal requires the directory to exist and refuses {@link #append}. A read-write open first
   * repairs a torn tail of the last cycle file (see {@link TornTailRepair}).
   *
   * @throws JournalException if the directory cannot be made, or a torn tail cannot be repaired
   */
  public static ChronicleJournal open(Path directory, JournalOptions options) {
    try {
      if (options.readOnly()) {
        if (!Files.isDirectory(directory)) {
          throw new JournalException("no journal at " + directory);
        }
      } else {
        Files.createDirectories(directory);
      }
    } catch (IOException e) {
      throw new JournalException("cannot create journal directory " + directory + ": " + e, e);
    }
    SingleChronicleQueue queue = build(directory, options);
    try {
      if (!options.readOnly()) {
        Optional<TornTailRepair.Damage> damage = TornTailRepair.probe(queue);
        if (damage.isPresent()) {
          queue.close();
          TornTailRepair.rebuild(damage.get(), directory, options.clock());
          queue = build(directory, options);
        }
        sealEarlierCycles(queue);
      }
      return new ChronicleJournal(directory, options, queue);
    } catch (RuntimeException | Error e) {
      queue.close();
      throw e;
    }
  }

  /**
   * Writes the end-of-file marker of every cycle before the one appends go to, as Chronicle does
   * when an appender takes its first cycle; here through a document rolled back, so at open and not
   * at the first append. A marker lost in a power loss (written at the roll, after the old cycle's
   * last sync) would otherwise stop every reader at the end of that cycle, acknowledged records in
   * the next one unseen, until something is appended. ({@code ExcerptAppender.normaliseEOFs()}
   * does nothing on a fresh appender in this Chronicle version.)
   */
  private static void sealEarlierCycles(SingleChronicleQueue queue) {
    int first = queue.firstCycle();
    int last = queue.lastCycle();
    if (first == Integer.MAX_VALUE || last == Integer.MIN_VALUE || first >= last) {
      return; // no cycle before the last
    }
    try (ExcerptAppender appender = queue.createAppender();
        DocumentContext dc = appender.writingDocument()) {
      dc.rollbackOnClose();
    }
  }

  private static SingleChronicleQueue build(Path directory, JournalOptions options) {
    return SingleChronicleQueueBuilder.binary(directory)
        .rollCycle(options.rollCycle())
        .timeProvider(options.clock()::millis)
        // appender.sync() msyncs with this mode. Unset, Chronicle's default is ASYNC (MS_ASYNC),
        // which returns before anything is on disk: the group commit would not be durable.
        .syncMode(options.sync() == SyncMode.GROUP
            ? net.openhft.chronicle.bytes.SyncMode.SYNC
            : net.openhft.chronicle.bytes.SyncMode.NONE)
        .readOnly(options.readOnly())
        .build();
  }

  public Path directory() {
    return directory;
  }

  public JournalOptions options() {
    return options;
  }

  // ------------------------------------------------------------------------------------------
  // Appending
  // ------------------------------------------------------------------------------------------

  @Override
  public CompletionStage<Long> append(JournalRecord record) {
    return enqueue(new PendingAppend(java.util.Objects.requireNonNull(record, "record")));
  }

  /**
   * Goes through the writer's queue like an append, writes nothing, and completes with the last
   * index once the batch it is part of (so everything appended before it) is written and synced.
   */
  @Override
  public CompletionStage<Long> barrier() {
    return enqueue(new PendingAppend(null));
  }

  private CompletionStage<Long> enqueue(PendingAppend p) {
    if (writer == null) {
      p.done.completeExceptionally(new JournalException("journal opened read-only"));
    } else if (failure != null) {
      p.done.completeExceptionally(new JournalException("journal failed earlier", failure));
    } else if (closing) {
      p.done.completeExceptionally(new JournalException("journal is closed"));
    } else {
      pendingCount.incrementAndGet();
      pending.add(p);
    }
    return p.done;
  }

  /**
   * Why the writer stopped, or {@code null} while it works. Once set, every append fails: the
   * daemon stops accepting mail rather than answer 451 to every message.
   */
  public Throwable failure() {
    return failure;
  }

  @Override
  public int pendingAppends() {
    return pendingCount.get();
  }

  @Override
  public long lastIndex() {
    return lastIndex;
  }

  private void writeLoop() {
    ExcerptAppender appender = queue.createAppender();
    RecordCodec codec = new RecordCodec(options.chunkSize());
    List<PendingAppend> batch = new ArrayList<>();
    int[] lastCycle = {-1};
    try {
      while (true) {
        PendingAppend first = pending.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing && pending.isEmpty()) {
            break;
          }
          continue;
        }
        batch.add(first);
        pending.drainTo(batch, options.batchLimit() - 1);
        pendingCount.addAndGet(-batch.size());
        if (failure != null) {
          failAll(batch, new JournalException("journal failed earlier", failure));
          continue;
        }
        try {
          boolean dirty = false;
          for (PendingAppend p : batch) {
            if (p.record == null) {
              continue; // a barrier: completed with the batch
            }
            int cycle = queue.cycle();
            if (dirty && cycle != lastCycle[0] && options.sync() == SyncMode.GROUP) {
              appender.sync(); // the previous cycle file must be durable before we move on
            }
            lastCycle[0] = cycle;
            try {
              codec.encode(p.record, (buf, off, len) -> {
                writeFrame(appender, buf, off, len);
                if (p.index < 0) {
                  p.index = appender.lastIndexAppended();
                }
              });
            } catch (IllegalArgumentException | IllegalStateException bad) {
              // a record the codec refuses fails only its own append, not the journal
              if (p.index >= 0) {
                throw bad; // some of its frames are written: treat as a write failure
              }
              p.done.completeExceptionally(
                  new JournalException("record refused: " + bad.getMessage(), bad));
              continue;
            }
            dirty = true;
          }
          if (options.sync() == SyncMode.GROUP) {
            appender.sync();
          }
          for (PendingAppend p : batch) {
            if (p.index > lastIndex) {
              lastIndex = p.index; // the index a record is read at: its first frame
            }
          }
          for (PendingAppend p : batch) {
            if (!p.done.isDone()) {
              p.done.complete(p.record == null ? lastIndex : p.index);
            }
          }
        } catch (Throwable t) {
          failure = t;
          log.error("fatal: journal write failed, refusing further appends: {}", t.toString(), t);
          failAll(batch, new JournalException("journal write failed: " + t, t));
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      List<PendingAppend> rest = new ArrayList<>();
      pending.drainTo(rest);
      failAll(rest, new JournalException("journal is closed"));
      appender.close();
    }
  }

  private static void writeFrame(ExcerptAppender appender, byte[] buf, int off, int len) {
    try (DocumentContext dc = appender.writingDocument()) {
      try {
        dc.wire().bytes().write(buf, off, len);
      } catch (Throwable t) {
        dc.rollbackOnClose();
        throw t;
      }
    }
  }

  private static void failAll(List<PendingAppend> batch, JournalException e) {
    for (PendingAppend p : batch) {
      p.done.completeExceptionally(e);
    }
    batch.clear();
  }

  // ------------------------------------------------------------------------------------------
  // Reading
  // ------------------------------------------------------------------------------------------

  @Override
  public JournalReader reader() {
    return new Reader(queue.createTailer(), new RecordCodec(options.chunkSize()));
  }

  /** Reads frames with a Chronicle tailer and assembles them into entries. */
  private static final class Reader implements JournalReader {
    private final ExcerptTailer tailer;
    private final RecordCodec codec;
    private final ContentAssembler assembler = new ContentAssembler();
    private byte[] buf = new byte[8192];

    Reader(ExcerptTailer tailer, RecordCodec codec) {
      this.tailer = tailer;
      this.codec = codec;
    }

    @Override
    public JournalEntry next() {
      while (true) {
        JournalEntry ready = assembler.poll();
        if (ready != null) {
          return ready;
        }
        long index;
        int len;
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) {
            return null;
          }
          index = dc.index();
          Bytes<?> bytes = dc.wire().bytes();
          long remaining = bytes.readRemaining();
          if (remaining > Integer.MAX_VALUE - 16) {
            assembler.corrupt(index, "frame of " + remaining + " bytes is too large");
            continue;
          }
          len = (int) remaining;
          if (buf.length < len) {
            buf = new byte[Math.max(len, buf.length * 2)];
          }
          bytes.read(buf, 0, len);
        }
        try {
          assembler.accept(index, codec.decode(index, buf, len));
        } catch (CorruptRecordException e) {
          assembler.corrupt(index, e.getMessage());
        }
      }
    }

    @Override
    public boolean seek(long index) {
      assembler.reset();
      return tailer.moveToIndex(index);
    }

    @Override
    public void toStart() {
      assembler.reset();
      tailer.toStart();
    }

    @Override
    public void toEnd() {
      assembler.reset();
      tailer.toEnd();
    }

    @Override
    public void close() {
      tailer.close();
    }
  }

  private long lastIndexInQueue() {
    try (ExcerptTailer t = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd()) {
      try (DocumentContext dc = t.readingDocument()) {
        return dc.isPresent() ? dc.index() : -1;
      }
    }
  }

  /** Looks at the last frames written before this open and logs a torn or incomplete record. */
  private void reportTornTail() {
    try (ExcerptTailer t = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd()) {
      RecordCodec codec = new RecordCodec(options.chunkSize());
      byte[] buf = new byte[8192];
      int chunksSeen = 0;
      while (true) {
        long index;
        int len;
        try (DocumentContext dc = t.readingDocument()) {
          if (!dc.isPresent()) {
            return;
          }
          index = dc.index();
          Bytes<?> bytes = dc.wire().bytes();
          len = (int) Math.min(bytes.readRemaining(), Integer.MAX_VALUE - 16);
          if (buf.length < len) {
            buf = new byte[len];
          }
          bytes.read(buf, 0, len);
        }
        RecordCodec.Frame f;
        try {
          f = codec.decode(index, buf, len);
        } catch (CorruptRecordException e) {
          log.warn("journal end: {}; ignored, earlier records are intact", e.getMessage());
          return;
        }
        if (f instanceof RecordCodec.Chunk) {
          chunksSeen++;
          continue; // walk back to the record these chunks belong to
        }
        if (f instanceof RecordCodec.ContentStart s && s.chunks() > chunksSeen) {
          log.warn("journal end: record at index {} ({} of {}) has {} of {} content "
                  + "chunks (torn write); ignored, earlier records are intact",
              index, RecordCodec.typeName(s.type()), s.queueId(), chunksSeen, s.chunks());
        }
        return;
      }
    } catch (RuntimeException | AssertionError e) {
      log.warn("journal end could not be checked: {}", e.toString());
    }
  }

  // ------------------------------------------------------------------------------------------
  // Cycles and retention
  // ------------------------------------------------------------------------------------------

  /** The roll cycle that holds {@code index}. */
  @Override
  public int cycleOf(long index) {
    return queue.rollCycle().toCycle(index);
  }

  /** The cycle new records go to now. */
  @Override
  public int currentCycle() {
    return queue.cycle();
  }

  /** Cycles that have a file, oldest first. */
  public NavigableSet<Integer> cycles() {
    queue.refreshDirectoryListing();
    int first = queue.firstCycle();
    int last = queue.lastCycle();
    NavigableSet<Integer> out = new TreeSet<>();
    if (first == Integer.MAX_VALUE || last == Integer.MIN_VALUE || first > last) {
      return out;
    }
    for (long c : queue.listCyclesBetween(first, last)) {
      out.add((int) c);
    }
    return out;
  }

  /** The file of a cycle, or {@code null} if it has none. */
  public File fileOfCycle(int cycle) {
    try (ExcerptTailer t = queue.createTailer()) {
      if (!t.moveToCycle(cycle)) {
        return null;
      }
      return t.currentFile();
    }
  }

  /**
   * Deletes the files of every cycle before {@code cycle}, never the cycle being written. The
   * caller (the scheduler, through {@link JournalRetention}) guarantees that no live message has
   * a record there. Returns the cycles deleted.
   */
  @Override
  public List<Integer> deleteCyclesBefore(int cycle) {
    if (writer == null) {
      throw new JournalException("journal opened read-only");
    }
    int limit = Math.min(cycle, currentCycle());
    List<Integer> deleted = new ArrayList<>();
    for (int c : cycles().headSet(limit, false)) {
      File f = fileOfCycle(c);
      if (f != null && f.delete()) {
        deleted.add(c);
        log.info("journal: deleted cycle file {} (no live message)", f.getName());
      }
    }
    queue.refreshDirectoryListing();
    return deleted;
  }

  @Override
  public void close() {
    closing = true;
    if (writer != null) {
      try {
        writer.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    queue.close();
  }
}
