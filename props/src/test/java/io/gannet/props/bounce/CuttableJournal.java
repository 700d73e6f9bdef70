package io.gannet.props.bounce;

import io.gannet.journal.Journal;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Journal} in memory whose appends wait for the test to make them durable, so a test can
 * cut them at any record: {@link #sync} makes every waiting append durable (and visible to
 * readers) in append order and completes its stage; {@link #crash} keeps only the first {@code
 * keep} waiting appends, as a process dying in the middle of a group commit would (Chronicle Queue
 * writes in order: what survives a crash is a prefix). Indexes start at 0 and have no gaps.
 *
 * <p>Single-threaded, like the model that drives it; stages complete on the caller's thread.
 */
final class CuttableJournal implements Journal {

  private record Waiting(JournalRecord record, CompletableFuture<Long> done) {}

  private final List<JournalEntry> durable = new ArrayList<>();
  private final List<Waiting> waiting = new ArrayList<>();

  @Override
  public CompletionStage<Long> append(JournalRecord record) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    waiting.add(new Waiting(record, done));
    return done;
  }

  /** Makes the waiting appends durable; returns their entries, in order. */
  List<JournalEntry> sync() {
    List<JournalEntry> out = new ArrayList<>();
    while (!waiting.isEmpty()) {
      Waiting w = waiting.remove(0);
      JournalEntry e = JournalEntry.of(durable.size(), w.record());
      durable.add(e);
      out.add(e);
      w.done().complete(e.index());
    }
    return out;
  }

  /**
   * The process dies: the first {@code keep} waiting appends reached the disk, the rest are lost.
   * No stage completes (nobody is left to hear it). Returns the records lost.
   */
  List<JournalRecord> crash(int keep) {
    List<JournalRecord> lost = new ArrayList<>();
    for (int i = 0; i < waiting.size(); i++) {
      Waiting w = waiting.get(i);
      if (i < keep) {
        durable.add(JournalEntry.of(durable.size(), w.record()));
      } else {
        lost.add(w.record());
      }
    }
    waiting.clear();
    return lost;
  }

  /** Appends not yet durable. */
  List<JournalRecord> waiting() {
    return waiting.stream().map(Waiting::record).toList();
  }

  /** Every durable entry. */
  List<JournalEntry> entries() {
    return List.copyOf(durable);
  }

  @Override
  public JournalReader reader() {
    return new JournalReader() {
      private int next;

      @Override
      public JournalEntry next() {
        return next < durable.size() ? durable.get(next++) : null;
      }

      @Override
      public boolean seek(long index) {
        if (index < 0 || index >= durable.size()) {
          return false;
        }
        next = (int) index;
        return true;
      }

      @Override
      public void toStart() {
        next = 0;
      }

      @Override
      public void toEnd() {
        next = durable.size();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public int pendingAppends() {
    return waiting.size();
  }

  @Override
  public long lastIndex() {
    return durable.size() - 1;
  }

  @Override
  public void close() {}
}
