package io.gannet.qmgr;

import io.gannet.journal.JournalRecord;

/**
 * How qmgr journals its decisions. Asynchronous: qmgr applies a decision when the record comes
 * back through the journal tail (journal first, then state), never on its own say-so. A record
 * that could not be written is reported back through {@link Qmgr#onAppendFailed}.
 */
@FunctionalInterface
public interface RecordSink {
  void append(JournalRecord record);
}
