package io.gannet.smtpd;

import io.gannet.cleanup.Cleanup;
import io.gannet.cleanup.CleanupInput;
import io.gannet.cleanup.CleanupResult;
import io.gannet.journal.JournalRecord;
import java.nio.charset.StandardCharsets;

/**
 * cleanup for smtpd tests: builds the Accepted record from the input unchanged. Content holding
 * {@code X-Test: reject}, {@code discard} or {@code hold} makes it answer so.
 */
final class TestCleanup implements Cleanup {

  @Override
  public CleanupResult process(CleanupInput in) {
    String text = new String(in.content(), StandardCharsets.ISO_8859_1);
    if (text.contains("X-Test: reject")) {
      return new CleanupResult.Reject(550, "5.7.1", "message content rejected");
    }
    if (text.contains("X-Test: discard")) {
      return new CleanupResult.Discard("test discard");
    }
    JournalRecord.Accepted a =
        new JournalRecord.Accepted(
            in.queueId(),
            in.arrivalMillis(),
            in.client(),
            in.sender(),
            in.envid(),
            in.ret(),
            in.body(),
            in.smtputf8(),
            in.recipients(),
            in.content());
    return new CleanupResult.Accept(a, text.contains("X-Test: hold"), "test hold");
  }
}
