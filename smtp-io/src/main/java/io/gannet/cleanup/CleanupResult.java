package io.gannet.cleanup;

import io.gannet.journal.JournalRecord;

/** What cleanup decided about one message. */
public sealed interface CleanupResult {

  /** Journal this record; hold = a HOLD action matched (journal a Held record right after). */
  record Accept(JournalRecord.Accepted record, boolean hold, String holdReason)
      implements CleanupResult {}

  /**
   * Refuse the message: SMTP reply code, enhanced status and text, e.g. 550 5.7.1 "message content
   * rejected". A 4xx code means "try again later" (e.g. alias expansion limits).
   */
  record Reject(int code, String enhancedStatus, String text) implements CleanupResult {}

  /** Accept with 250 but drop it (DISCARD action). */
  record Discard(String reason) implements CleanupResult {}
}
