package io.gannet.journal;

/**
 * One entry read from the journal: its index and either a decoded record or, when the bytes at
 * that index are not a valid record, the reason ({@code record} is then {@code null}).
 */
public record JournalEntry(long index, JournalRecord record, String corrupt) {

  public static JournalEntry of(long index, JournalRecord record) {
    return new JournalEntry(index, record, null);
  }

  public static JournalEntry corrupt(long index, String reason) {
    return new JournalEntry(index, null, reason);
  }

  public boolean isCorrupt() {
    return record == null;
  }
}
