package io.gannet.agent.smtp;

/** A server could not be used at all; {@link #attempt()} applies to every remaining recipient. */
final class AttemptFailure extends RuntimeException {
  private final transient Attempt attempt;

  AttemptFailure(Attempt attempt) {
    super(attempt.text(), null, false, false);
    this.attempt = attempt;
  }

  Attempt attempt() {
    return attempt;
  }
}
