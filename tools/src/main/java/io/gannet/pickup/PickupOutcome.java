package io.gannet.pickup;

/**
 * What pickup did with one maildrop file.
 *
 * @param detail for {@code QUEUED} the queue id; for the others the reason, e.g. {@code 554 5.7.1
 *     message content rejected}
 */
public record PickupOutcome(Kind kind, String detail) {

  /** The kinds of outcome. */
  public enum Kind {
    /** In the journal, durably, under the queue id of {@code detail}; the file is removed. */
    QUEUED,
    /** cleanup discarded it (a DISCARD action); the file is removed. */
    DISCARDED,
    /**
     * cleanup refused it for good (5xx). The file is removed when a sendmail waited for the answer
     * (it reports the refusal); otherwise it is kept in {@code corrupt/}.
     */
    REJECTED,
    /** Not now (a 4xx refusal, an I/O or journal failure): the file stays for the next scan. */
    DEFERRED,
    /** Not a maildrop file: moved to {@code corrupt/}. */
    CORRUPT,
    /** No such file, and none picked up lately under that name. */
    UNKNOWN
  }

  static PickupOutcome of(Kind kind, String detail) {
    return new PickupOutcome(kind, detail);
  }
}
