package io.gannet.journal;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Done;
import io.gannet.journal.JournalRecord.Moved;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the journal's disk bounded (DESIGN.md, durability point 4). The scheduler, which knows
 * which messages are live, drives it:
 *
 * <ol>
 *   <li>{@link #plan} names the live messages whose content record sits in a cycle older than the
 *       newest {@code keepCycles} cycles: the scheduler appends a {@link Moved} record for each,
 *       carrying the message's current state, so its old records are no longer needed;
 *   <li>{@link #releasable} gives the first cycle that some live message still needs; every cycle
 *       file before it can go, and {@link ChronicleJournal#deleteCyclesBefore} deletes them.
 * </ol>
 *
 * A live message is represented by the journal index of the record that holds its content (its
 * {@link Accepted}, or its latest {@link Moved}): status records of the message that come after
 * it stay in the same or later cycles, and a Moved record carries everything before it.
 */
public final class JournalRetention {

  private final JournalCycles journal;

  public JournalRetention(JournalCycles journal) {
    this.journal = journal;
  }

  /** What to do now: messages to move forward, and the first cycle still needed after that. */
  public record Plan(List<QueueId> toMove, int firstNeededCycle) {}

  /**
   * @param liveContentIndex for each live message, the index of its content record
   * @param keepCycles how many of the newest cycles may hold live messages without moving them
   */
  public Plan plan(Map<QueueId, Long> liveContentIndex, int keepCycles) {
    if (keepCycles < 1) {
      throw new IllegalArgumentException("keepCycles < 1");
    }
    int current = journal.currentCycle();
    int oldestKept = current - keepCycles + 1;
    List<QueueId> move = new ArrayList<>();
    for (Map.Entry<QueueId, Long> e : liveContentIndex.entrySet()) {
      if (journal.cycleOf(e.getValue()) < oldestKept) {
        move.add(e.getKey());
      }
    }
    move.sort(null);
    return new Plan(List.copyOf(move), releasable(liveContentIndex));
  }

  /** The oldest cycle that holds the content of a live message (the current cycle if none). */
  public int releasable(Map<QueueId, Long> liveContentIndex) {
    int first = journal.currentCycle();
    for (long index : liveContentIndex.values()) {
      first = Math.min(first, journal.cycleOf(index));
    }
    return first;
  }

  /**
   * Replays a journal and returns, for every message not yet {@link Done}, the index of its
   * content record. Used by tools ({@code gannet cat --stats}) and tests; the scheduler keeps the
   * same map incrementally in its projection.
   */
  public static Map<QueueId, Long> scanLive(JournalReader reader) {
    Map<QueueId, Long> live = new HashMap<>();
    for (JournalEntry e; (e = reader.next()) != null; ) {
      JournalRecord r = e.record();
      if (r instanceof Accepted || r instanceof Moved) {
        live.put(r.queueId(), e.index());
      } else if (r instanceof Done) {
        live.remove(r.queueId());
      }
    }
    return live;
  }
}
