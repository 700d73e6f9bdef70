package io.gannet.journal;

/**
 * Reads journal records in order: replay from the start or from an index, and follow live
 * (returns {@code null} at the current end; call again later). A record that cannot be decoded
 * comes back as a {@link JournalEntry} whose {@link JournalEntry#corrupt()} says why; the reader
 * moves past it, it never throws for bad data and never returns a half-decoded record.
 */
public interface JournalReader extends AutoCloseable {

  /** The next entry, or {@code null} if there is none yet. */
  JournalEntry next();

  /** Positions the reader so that {@link #next()} returns the record at {@code index}. */
  boolean seek(long index);

  /** Positions the reader at the start of the journal. */
  void toStart();

  /** Positions the reader after the last record (to follow new records only). */
  void toEnd();

  @Override
  void close();
}
