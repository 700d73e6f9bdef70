package io.gannet.showq;

import static io.gannet.showq.QueueFixture.GREYLISTED;
import static io.gannet.showq.QueueFixture.REFUSED;
import static io.gannet.showq.QueueFixture.T0;
import static io.gannet.showq.QueueFixture.accepted;
import static io.gannet.showq.QueueFixture.deferred;
import static io.gannet.showq.QueueFixture.delivered;
import static io.gannet.showq.QueueFixture.done;
import static io.gannet.showq.QueueFixture.held;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalRecord.Accepted;

/**
 * The queue of the golden tests (mailq.ref, mailq.json.ref, shape.ref): four messages listed, in
 * each queue and with each recipient case of mailq's layout, two not listed; part of it in the
 * projection, the rest in the journal's tail.
 *
 * <ul>
 *   <li>A: deferred, two recipients sharing one reason;
 *   <li>B: incoming, from the null sender;
 *   <li>C: held after a deferral, with a sender longer than a line;
 *   <li>D: one recipient delivered, two deferred for different reasons, one never tried;
 *   <li>E: delivered and done (not listed); F: delivered, not yet done (not listed).
 * </ul>
 */
public final class GoldenQueue {
  private GoldenQueue() {}

  public static final Accepted A = accepted(QueueId.of(T0, 1, 7), T0, "alice@example.com", 259,
      "bob@example.org", "carol@example.net");
  public static final Accepted B = accepted(QueueId.of(T0 + 5_000, 2, 7), T0 + 5_000, "", 249,
      "postmaster@example.com");
  public static final Accepted C = accepted(QueueId.of(T0 + 10_000, 3, 7), T0 + 10_000,
      "a-very-long-sender-address-for-layout-testing@subdomain.example.com", 310,
      "dave@example.org");
  public static final Accepted D = accepted(QueueId.of(T0 + 15_000, 4, 7), T0 + 15_000,
      "erin@example.com", 2048, "frank@example.org", "george@example.org",
      "henry@mx.Example.COM", "ivan@example.org");
  public static final Accepted E = accepted(QueueId.of(T0 + 16_000, 5, 7), T0 + 16_000,
      "erin@example.com", 100, "judy@example.org");
  public static final Accepted F = accepted(QueueId.of(T0 + 17_000, 6, 7), T0 + 17_000,
      "erin@example.com", 100, "kim@example.org");

  /** When the golden listing is taken (the shape's ages count back from here): T0 + 1 hour. */
  public static final long NOW = T0 + 3_600_000;

  /** Writes the golden queue: A, B, E and part of D projected, the rest in the tail. */
  public static void write(QueueFixture q) {
    q.append(A, deferred(A, T0 + 1_000, REFUSED, 1, 0), B, E, D);
    q.project();
    q.append(C, deferred(C, T0 + 11_000, REFUSED, 0), held(C, T0 + 20_000),
        delivered(D, T0 + 21_000, 0), deferred(D, T0 + 21_000, GREYLISTED, 1),
        deferred(D, T0 + 21_001, REFUSED, 2),
        delivered(E, T0 + 22_000, 0), done(E, T0 + 22_000),
        F, delivered(F, T0 + 23_000, 0));
  }
}
