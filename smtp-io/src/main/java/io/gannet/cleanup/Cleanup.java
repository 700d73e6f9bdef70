package io.gannet.cleanup;

/** cleanup(8): the step between smtpd/sendmail and the journal. Thread-safe. */
public interface Cleanup {

  /** Rewrites and checks one message; never throws for bad message content. */
  CleanupResult process(CleanupInput input);
}
