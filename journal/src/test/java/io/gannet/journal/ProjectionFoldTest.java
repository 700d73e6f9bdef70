package io.gannet.journal;

import static org.junit.jupiter.api.Assertions.*;

import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Bounced;
import io.gannet.journal.JournalRecord.Deferred;
import io.gannet.journal.JournalRecord.Deleted;
import io.gannet.journal.JournalRecord.Delivered;
import io.gannet.journal.JournalRecord.Done;
import io.gannet.journal.JournalRecord.Held;
import io.gannet.journal.JournalRecord.Moved;
import io.gannet.journal.JournalRecord.NoticeKind;
import io.gannet.journal.JournalRecord.NoticeQueued;
import io.gannet.journal.JournalRecord.RecipientResult;
import io.gannet.journal.JournalRecord.Released;
import io.gannet.journal.JournalRecord.Requeued;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProjectionFoldTest {

  static final Accepted A = Records.accepted(1, "Subject: x\r\n\r\nbody\r\n");
  static final QueueId ID = A.queueId();

  static MessageState fold(MessageState before, long index, JournalRecord r) {
    return ProjectionFold.apply(before, JournalEntry.of(index, r));
  }

  static MessageState accepted() {
    return fold(null, 100, A);
  }

  static RecipientResult result(int i, String reply) {
    return new RecipientResult(i, A.recipients().get(i).address(), "4.0.0", reply);
  }

  @Test
  void acceptedMakesANewIncomingMessageWithEveryRecipientPending() {
    MessageState s = accepted();
    assertEquals(ID, s.queueId());
    assertEquals(100, s.index());
    assertEquals(A.time(), s.arrivalTime());
    assertEquals(A.client(), s.client());
    assertEquals(A.sender(), s.sender());
    assertEquals(A.envid(), s.envid());
    assertEquals(A.ret(), s.ret());
    assertEquals(A.body(), s.body());
    assertEquals(A.size(), s.size());
    assertEquals(A.recipients(), s.recipients());
    assertEquals(Set.of(0, 1), s.pending());
    assertEquals(0, s.attempts());
    assertEquals(0, s.nextAttempt());
    assertTrue(s.isIncoming());
    assertFalse(s.held());
    assertEquals(0, s.noticesQueued());
    assertTrue(s.reasons().isEmpty() && s.bounced().isEmpty() && s.delivered().isEmpty());
  }

  @Test
  void acceptedForAKnownMessageIsIgnored() {
    MessageState s = accepted();
    assertSame(s, fold(s, 200, Records.accepted(1, "other")));
  }

  @Test
  void deliveredAndBouncedMoveRecipientsOutOfPending() {
    MessageState s = fold(accepted(), 101, new Deferred(ID, 5, "r", 1000,
        List.of(result(0, "451 a"), result(1, "451 b"))));
    s = fold(s, 102, new Delivered(ID, 6, "r", List.of(result(0, "250 ok"))));
    assertEquals(Set.of(1), s.pending());
    assertEquals(Set.of(0), s.delivered());
    assertEquals(Map.of(1, "451 b", 0, "4.0.0 250 ok"), s.reasons(),
        "a pending recipient's last deferral; a final one's DSN and reply (for notices)");
    s = fold(s, 103, new Bounced(ID, 7, "r", List.of(result(1, "550 no"))));
    assertEquals(Set.of(), s.pending());
    assertEquals(Set.of(1), s.bounced());
    assertEquals(Map.of(0, "4.0.0 250 ok", 1, "4.0.0 550 no"), s.reasons());
  }

  @Test
  void aRecipientKeepsItsFirstFinalOutcome() {
    MessageState s = fold(accepted(), 101, new Bounced(ID, 6, "r", List.of(result(0, "550"))));
    s = fold(s, 102, new Delivered(ID, 7, "r", List.of(result(0, "250"))));
    assertEquals(Set.of(0), s.bounced());
    assertEquals(Map.of(0, "4.0.0 550"), s.reasons(), "the first final outcome's reason stays");
    assertEquals(Set.of(), s.delivered());
  }

  @Test
  void recipientIndexBeyondTheMessageIsIgnored() {
    MessageState s = fold(accepted(), 101,
        new Delivered(ID, 6, "r", List.of(new RecipientResult(7, "x@y", "2.0.0", "250"))));
    assertEquals(Set.of(0, 1), s.pending());
    assertEquals(Set.of(), s.delivered());
  }

  @Test
  void deferredRecordsReasonsCountsAttemptsAndSetsNextAttempt() {
    MessageState s = fold(accepted(), 101,
        new Deferred(ID, 5, "r", 5_000, List.of(result(0, "451 busy"))));
    assertEquals(1, s.attempts());
    assertEquals(5_000, s.nextAttempt());
    assertFalse(s.isIncoming());
    assertEquals(Map.of(0, "451 busy"), s.reasons());
    s = fold(s, 102, new Deferred(ID, 6, "r", 9_000, List.of(result(0, "452 full"),
        result(1, "421 later"))));
    assertEquals(2, s.attempts());
    assertEquals(9_000, s.nextAttempt());
    assertEquals(Map.of(0, "452 full", 1, "421 later"), s.reasons());
    assertEquals(Set.of(0, 1), s.pending());
  }

  @Test
  void heldAndReleasedOfADeferredMessageMakeItDueAtRelease() {
    MessageState s = fold(accepted(), 101, new Deferred(ID, 5, "r", 50_000,
        List.of(result(0, "451"))));
    s = fold(s, 102, new Held(ID, 6, "admin"));
    assertTrue(s.held());
    s = fold(s, 103, new Released(ID, 7_000));
    assertFalse(s.held());
    assertEquals(7_000, s.nextAttempt());
    assertEquals(1, s.attempts());
  }

  @Test
  void releasedIncomingMessageStaysIncoming() {
    MessageState s = fold(fold(accepted(), 101, new Held(ID, 6, "x")), 102, new Released(ID, 7));
    assertFalse(s.held());
    assertTrue(s.isIncoming());
    assertEquals(0, s.nextAttempt());
  }

  @Test
  void deletedClearsPendingAndKeepsTheMessageUntilDone() {
    MessageState s = fold(accepted(), 101, new Deferred(ID, 5, "r", 50, List.of(result(0, "4"))));
    s = fold(s, 102, new Deleted(ID, 6, "postsuper -d"));
    assertNotNull(s);
    assertEquals(Set.of(), s.pending());
    assertEquals(Map.of(), s.reasons());
    assertNull(fold(s, 103, new Done(ID, 7)));
  }

  @Test
  void requeuedReturnsToIncomingWithPendingUnchanged() {
    MessageState s = fold(accepted(), 101, new Deferred(ID, 5, "r", 50, List.of(result(0, "4"))));
    s = fold(s, 102, new Delivered(ID, 6, "r", List.of(result(1, "250"))));
    s = fold(s, 103, new Requeued(ID, 7));
    assertTrue(s.isIncoming());
    assertEquals(0, s.attempts());
    assertEquals(Map.of(), s.reasons());
    assertEquals(Set.of(0), s.pending());
    assertEquals(Set.of(1), s.delivered());
  }

  @Test
  void noticeQueuedSetsItsKindBit() {
    MessageState s = fold(accepted(), 101,
        new NoticeQueued(ID, 5, NoticeKind.DELAY, Records.id(99), List.of(0)));
    assertTrue(s.noticeQueued(NoticeKind.DELAY));
    assertFalse(s.noticeQueued(NoticeKind.BOUNCE));
    s = fold(s, 102, new NoticeQueued(ID, 6, NoticeKind.BOUNCE, Records.id(98), List.of(1)));
    assertEquals((1 << NoticeKind.DELAY.ordinal()) | (1 << NoticeKind.BOUNCE.ordinal()),
        s.noticesQueued());
  }

  /** A notice for the message A, queued under its derived id: same content, another sender. */
  static Accepted noticeOf(QueueId original, NoticeKind kind) {
    return new Accepted(kind.noticeId(original), A.time() + 1, A.client(), "", null, A.ret(),
        A.body(), false, List.of(Recipient.of(A.sender())), A.content());
  }

  @Test
  void aNoticesAcceptedSetsItsKindBitOnTheOriginal() {
    MessageState s = accepted();
    JournalEntry e = JournalEntry.of(101, noticeOf(ID, NoticeKind.SUCCESS));
    QueueId notice = NoticeKind.SUCCESS.noticeId(ID);
    assertEquals(List.of(notice, ID), ProjectionFold.subjects(e));
    MessageState after = ProjectionFold.apply(ID, s, e);
    assertTrue(after.noticeQueued(NoticeKind.SUCCESS));
    assertEquals(1 << NoticeKind.SUCCESS.ordinal(), after.noticesQueued());
    assertEquals(s.pending(), after.pending());
    assertSame(after, ProjectionFold.apply(ID, after, e), "set once, then unchanged");
    // the notice itself is a new message as any Accepted
    MessageState n = ProjectionFold.apply(notice, null, e);
    assertEquals(notice, n.queueId());
    assertEquals(0, n.noticesQueued());
    // an original already forgotten stays forgotten
    assertNull(ProjectionFold.apply(ID, null, e));
  }

  @Test
  void onlyANoticesAcceptedTouchesASecondMessage() {
    assertEquals(List.of(ID), ProjectionFold.subjects(JournalEntry.of(100, A)));
    QueueId notice = NoticeKind.BOUNCE.noticeId(ID);
    assertEquals(List.of(notice), ProjectionFold.subjects(
        JournalEntry.of(101, new Done(notice, 5))));
    assertEquals(List.of(), ProjectionFold.subjects(JournalEntry.corrupt(102, "bad")));
  }

  @Test
  void derivedIdsNameTheirOriginAndKind() {
    for (NoticeKind kind : NoticeKind.values()) {
      QueueId id = kind.noticeId(ID);
      assertTrue(id.isDerived());
      assertEquals(ID, id.origin());
      assertEquals(kind, NoticeKind.ofNoticeId(id));
      assertEquals(id, QueueId.parse(id.toString()));
      assertNull(kind.noticeId(id), "ids derive only once");
    }
    assertFalse(ID.isDerived());
    assertNull(ID.origin());
    assertNull(NoticeKind.ofNoticeId(ID));
  }

  @Test
  void doneForgetsTheMessage() {
    assertNull(fold(accepted(), 101, new Done(ID, 5)));
  }

  @Test
  void movedOfAKnownMessageOnlyMovesItsContent() {
    MessageState s = fold(accepted(), 101, new Deferred(ID, 5, "r", 50, List.of(result(1, "4x"))));
    s = fold(s, 102, new Delivered(ID, 6, "r", List.of(result(0, "250"))));
    s = fold(s, 103, new Held(ID, 7, "admin"));
    // The Moved's snapshot was taken before the hold: the folded state is newer and stays.
    MessageState moved = fold(s, 500, new Moved(ID, 9, 100, A, List.of(1), 3, 77_000, false, 2));
    assertEquals(500, moved.index());
    assertEquals(Set.of(1), moved.pending());
    assertEquals(1, moved.attempts());
    assertEquals(50, moved.nextAttempt());
    assertTrue(moved.held(), "a hold journaled before the Moved is not undone");
    assertEquals(Set.of(0), moved.delivered());
    assertEquals(Map.of(1, "4x", 0, "4.0.0 250"), moved.reasons());
    assertEquals(A.time(), moved.arrivalTime());
  }

  @Test
  void movedOfAnUnknownMessageKeepsTheOutcomesItCarries() {
    MessageState s = fold(null, 500, new Moved(ID, 9, 100, A, List.of(), 2, 0, false, 0,
        List.of(0), List.of(1), Map.of(0, "2.0.0 250 ok", 1, "5.1.1 550 no")));
    assertEquals(Set.of(0), s.delivered());
    assertEquals(Set.of(1), s.bounced());
    assertEquals(Map.of(0, "2.0.0 250 ok", 1, "5.1.1 550 no"), s.reasons(),
        "a bounce notice after a rebuild still has its reasons");
  }

  @Test
  void movedOfAnUnknownMessageCreatesIt() {
    MessageState s = fold(null, 500, new Moved(ID, 9, 100, A, List.of(0, 1), 0, 0, false, 0));
    assertEquals(500, s.index());
    assertEquals(Set.of(0, 1), s.pending());
    assertTrue(s.isIncoming());
    assertEquals(A.recipients(), s.recipients());
    assertEquals(A.sender(), s.sender());
  }

  @Test
  void recordsForUnknownMessagesAreIgnored() {
    for (JournalRecord r : List.of(new Delivered(ID, 6, "r", List.of(result(0, "250"))),
        new Deferred(ID, 6, "r", 9, List.of(result(0, "4"))), new Held(ID, 1, "h"),
        new Released(ID, 1), new Deleted(ID, 1, "d"), new Requeued(ID, 1), new Done(ID, 1),
        new NoticeQueued(ID, 1, NoticeKind.BOUNCE, Records.id(5), List.of()))) {
      assertNull(fold(null, 101, r), r.toString());
    }
  }

  @Test
  void corruptEntriesChangeNothing() {
    MessageState s = accepted();
    assertSame(s, ProjectionFold.apply(s, JournalEntry.corrupt(101, "bad")));
    assertNull(ProjectionFold.apply(null, JournalEntry.corrupt(101, "bad")));
  }

  @Test
  void aMessageWithManyRecipientsFolds() {
    List<Recipient> many = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add(Recipient.of("r" + i + "@example.com"));
    }
    Accepted big = new Accepted(ID, 1, Records.CLIENT, "", null, A.ret(), A.body(), true, many,
        new byte[10]);
    MessageState s = fold(null, 1, big);
    List<RecipientResult> half = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i += 2) {
      half.add(new RecipientResult(i, "r" + i + "@example.com", "2.0.0", "250"));
    }
    s = fold(s, 2, new Delivered(ID, 2, "r", half));
    assertEquals(500, s.pending().size());
    assertEquals(500, s.delivered().size());
    assertTrue(s.smtputf8());
  }
}
