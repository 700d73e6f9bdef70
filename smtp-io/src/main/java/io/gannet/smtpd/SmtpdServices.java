package io.gannet.smtpd;

import io.gannet.anvil.Anvil;
import io.gannet.cleanup.Cleanup;
import io.gannet.global.QueueIdGenerator;
import io.gannet.journal.Journal;
import io.gannet.rewrite.TrivialRewrite;
import java.time.Clock;
import java.util.Objects;

/**
 * What smtpd needs from the rest of Gannet, shared by every listener and session: the journal it
 * appends accepted mail to, cleanup, trivial-rewrite (relay checks), the clock (arrival times,
 * anvil windows), the queue id generator, anvil, and the flush service for ETRN.
 */
public record SmtpdServices(
    Journal journal,
    Cleanup cleanup,
    TrivialRewrite rewrite,
    Clock clock,
    QueueIdGenerator queueIds,
    Anvil anvil,
    FlushService flush) {

  public SmtpdServices {
    Objects.requireNonNull(journal, "journal");
    Objects.requireNonNull(cleanup, "cleanup");
    Objects.requireNonNull(rewrite, "rewrite");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(queueIds, "queueIds");
    Objects.requireNonNull(anvil, "anvil");
    Objects.requireNonNull(flush, "flush");
  }
}
