package io.gannet.journal;

import io.gannet.journal.RecordCodec.Chunk;
import io.gannet.journal.RecordCodec.ContentStart;
import io.gannet.journal.RecordCodec.Frame;
import io.gannet.journal.RecordCodec.Whole;
import java.util.ArrayDeque;

/**
 * Turns decoded frames, in journal order, into {@link JournalEntry}s: joins a chunked record's
 * frames, and reports a record whose chunks do not follow it (a crash in the middle of writing
 * it, or damage) as corrupt at the index of its first frame. Chunks that belong to no record are
 * reported as corrupt at their own index. Not thread-safe.
 */
final class ContentAssembler {

  private final ArrayDeque<JournalEntry> ready = new ArrayDeque<>();
  private ContentStart pending;
  private long pendingIndex;
  private int filled;
  private int nextSeq;

  /** Entries completed so far, in order; poll until null. */
  JournalEntry poll() {
    return ready.poll();
  }

  /** True while a chunked record waits for more chunks. */
  boolean hasPending() {
    return pending != null;
  }

  void reset() {
    ready.clear();
    pending = null;
  }

  void accept(long index, Frame frame) {
    if (frame instanceof Chunk c) {
      acceptChunk(index, c);
      return;
    }
    abandonPending();
    if (frame instanceof Whole w) {
      ready.add(JournalEntry.of(index, w.record()));
    } else if (frame instanceof ContentStart s) {
      if (s.chunks() == 0) {
        try {
          ready.add(JournalEntry.of(index, s.finish().apply(s.content())));
        } catch (IllegalArgumentException e) {
          ready.add(JournalEntry.corrupt(index, "invalid record: " + e.getMessage()));
        }
      } else {
        pending = s;
        pendingIndex = index;
        filled = s.filled();
        nextSeq = 1;
      }
    }
  }

  void corrupt(long index, String reason) {
    abandonPending();
    ready.add(JournalEntry.corrupt(index, reason));
  }

  private void acceptChunk(long index, Chunk c) {
    if (pending == null || !pending.queueId().equals(c.queueId()) || c.seq() != nextSeq) {
      abandonPending();
      ready.add(JournalEntry.corrupt(index,
          "chunk " + c.seq() + " of " + c.queueId() + " belongs to no record before it"));
      return;
    }
    byte[] content = pending.content();
    if (c.len() > content.length - filled || (nextSeq == pending.chunks()
        && filled + c.len() != content.length)) {
      ready.add(JournalEntry.corrupt(pendingIndex,
          "chunks of " + c.queueId() + " do not add up to its content length " + content.length));
      pending = null;
      return;
    }
    System.arraycopy(c.buf(), c.off(), content, filled, c.len());
    filled += c.len();
    if (nextSeq++ == pending.chunks()) {
      try {
        ready.add(JournalEntry.of(pendingIndex, pending.finish().apply(content)));
      } catch (IllegalArgumentException e) {
        ready.add(JournalEntry.corrupt(pendingIndex, "invalid record: " + e.getMessage()));
      }
      pending = null;
    }
  }

  private void abandonPending() {
    if (pending != null) {
      ready.add(JournalEntry.corrupt(pendingIndex,
          "incomplete " + RecordCodec.typeName(pending.type()) + " of " + pending.queueId()
              + ": " + (nextSeq - 1) + " of " + pending.chunks()
              + " content chunks follow it (torn write)"));
      pending = null;
    }
  }
}
