package io.gannet.journal;

import java.util.List;

/**
 * The journal's roll cycles, as retention sees them: which cycle holds an index, which cycle is
 * being written, and deleting whole cycle files. The scheduler's retention pass uses this rather
 * than {@link ChronicleJournal} itself, so that it depends on no storage engine.
 */
public interface JournalCycles {

  /** The roll cycle that holds journal index {@code index}. */
  int cycleOf(long index);

  /** The cycle new records go to now. */
  int currentCycle();

  /**
   * Deletes the files of every cycle before {@code cycle}, never the cycle being written; returns
   * the cycles deleted. The caller guarantees that nothing still needed lives there.
   */
  List<Integer> deleteCyclesBefore(int cycle);
}
