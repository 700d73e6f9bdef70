package io.gannet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.agent.testing.SmtpSink;
import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.MessageState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gannet super} on a stopped queue (the command appends under the queue lock) and through a
 * running daemon (admin command {@code super}), and what the daemon does with the records after a
 * restart. Messages are written straight into the journal of a stopped daemon, or submitted with
 * {@code gannet sendmail} to a running one.
 */
class SuperCommandTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;
  private MailSystemFixture mail;
  private SmtpSink sink;

  @BeforeEach
  void setUp() throws Exception {
    sink = SmtpSink.smtp();
    mail = new MailSystemFixture(dir).configure(sink.nexthop());
  }

  @AfterEach
  void tearDown() {
    mail.close();
    sink.close();
  }

  private static QueueId id(int n) {
    return QueueId.of(T0 + n, 0, 7);
  }

  private static Accepted accepted(int n) {
    return new Accepted(id(n), T0 + n, ClientInfo.LOCAL, "s@client.test", null, DsnRet.DEFAULT,
        BodyType.UNSPECIFIED, false, List.of(Recipient.of("r" + n + "@dest.test")),
        ("Subject: m" + n + "\r\n\r\nbody " + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
  }

  private static JournalRecord deferred(int n) {
    return new JournalRecord.Deferred(id(n), T0 + 1000, "none", T0 + 100_000,
        List.of(new JournalRecord.RecipientResult(0, "r" + n + "@dest.test", "4.4.1",
            "connection refused")));
  }

  /** Four queued messages: 1, 2, 3 incoming, 4 deferred. */
  private void queueFour() throws Exception {
    mail.append(accepted(1), accepted(2), accepted(3), accepted(4), deferred(4));
  }

  @Test
  void eachActionIsJournaledWithTheDaemonStoppedAndSurvivesARebuild() throws Exception {
    queueFour();
    assertEquals(new MailSystemFixture.Run(0, "",
        "postsuper: " + id(1) + ": placed on hold\npostsuper: Placed on hold: 1 message\n"),
        mail.gannet("super", "-h", id(1).toString()));
    assertEquals(new MailSystemFixture.Run(0, "",
        "postsuper: " + id(2) + ": removed\npostsuper: Deleted: 1 message\n"),
        mail.gannet("super", "-d", id(2).toString()));
    assertEquals(0, mail.gannet("super", "-h", id(3).toString()).exitCode());
    assertEquals(new MailSystemFixture.Run(0, "",
        "postsuper: " + id(3) + ": released from hold\npostsuper: Released from hold: 1 message\n"),
        mail.gannet("super", "-H", id(3).toString()));
    assertEquals(new MailSystemFixture.Run(0, "",
        "postsuper: " + id(4) + ": requeued\npostsuper: Requeued: 1 message\n"),
        mail.gannet("super", "-r", id(4).toString()));

    assertEquals(1, mail.records(JournalRecord.Held.class, id(1)).size());
    assertEquals(1, mail.records(JournalRecord.Deleted.class, id(2)).size());
    assertEquals(1, mail.records(JournalRecord.Released.class, id(3)).size());
    assertEquals(1, mail.records(JournalRecord.Requeued.class, id(4)).size());
    checkStates();

    MailSystemFixture.Run rebuilt = mail.gannet("super", "--rebuild");
    assertEquals(new MailSystemFixture.Run(0, "",
        "postsuper: rebuilt the queue projection from the journal: 4 messages\n"), rebuilt);
    checkStates();
  }

  private void checkStates() {
    assertTrue(mail.state(id(1)).held(), "1 held");
    assertTrue(mail.state(id(2)).pending().isEmpty(), "2 deleted: nothing pending");
    MessageState s3 = mail.state(id(3));
    assertFalse(s3.held(), "3 released");
    assertEquals(1, s3.pending().size());
    MessageState s4 = mail.state(id(4));
    assertTrue(s4.isIncoming(), "4 requeued: incoming again");
    assertTrue(s4.reasons().isEmpty());
  }

  @Test
  void unknownAndMalformedIdsAreNamedTheOthersProcessedAndTheExitIsOne() throws Exception {
    queueFour();
    MailSystemFixture.Run r = mail.gannet("super", "-d", id(99).toString(), "-d", "nonsense",
        "-d", id(1).toString());
    assertEquals(1, r.exitCode());
    assertEquals("postsuper: warning: invalid mail queue id: nonsense\n"
        + "postsuper: " + id(99) + ": no such message\n"
        + "postsuper: " + id(1) + ": removed\n"
        + "postsuper: Deleted: 1 message\n", r.err());
    // deleted already: nothing pending, so no such message the second time
    r = mail.gannet("super", "-d", id(1).toString());
    assertEquals(new MailSystemFixture.Run(1, "", "postsuper: " + id(1) + ": no such message\n"),
        r);
  }

  @Test
  void idsFromStandardInputAllAndQueueNames() throws Exception {
    queueFour();
    MailSystemFixture.Run r = mail.withInput(id(1) + "*\n" + id(2) + "!\n\n", "super", "-h", "-");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().endsWith("postsuper: Placed on hold: 2 messages\n"), r.err());

    // only the deferred message goes; a held one is not in the deferred queue
    r = mail.gannet("super", "-d", "ALL", "deferred");
    assertEquals(new MailSystemFixture.Run(0, "",
        "postsuper: " + id(4) + ": removed\npostsuper: Deleted: 1 message\n"), r);
    r = mail.gannet("super", "-d", id(1).toString(), "incoming");
    assertEquals(1, r.exitCode(), "1 is in hold, not incoming");

    r = mail.gannet("super", "-H", "ALL");
    assertEquals("postsuper: " + id(1) + ": released from hold\npostsuper: " + id(2)
        + ": released from hold\npostsuper: Released from hold: 2 messages\n", r.err());
    assertEquals(new MailSystemFixture.Run(0, "", ""), mail.gannet("super", "-H", "ALL"),
        "nothing held any more: silent");

    assertEquals(2, mail.gannet("super", "-d", "ALL", "nowhere").exitCode());
    assertEquals(2, mail.gannet("super").exitCode());
    assertEquals(2, mail.gannet("super", "--rebuild", "-d", "ALL").exitCode());
  }

  @Test
  void anEmptyQueueDirectoryHasNoSuchMessageAndIsNotCreated() {
    MailSystemFixture.Run r = mail.gannet("super", "-d", id(1).toString());
    assertEquals(new MailSystemFixture.Run(1, "", "postsuper: " + id(1) + ": no such message\n"),
        r);
    assertFalse(java.nio.file.Files.exists(mail.queue));
    r = mail.gannet("super", "--rebuild");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().startsWith("gannet: fatal: rebuild: no journal at "), r.err());
  }

  @Test
  void theDaemonActsOnRecordsWrittenWhileItWasStopped() throws Exception {
    queueFour();
    mail.gannet("super", "-h", id(1).toString());
    mail.gannet("super", "-d", id(2).toString());
    mail.start();
    sink.awaitMessages(2, Duration.ofSeconds(30));
    MailSystemFixture.await(() -> mail.records(JournalRecord.Done.class, null).size() == 3,
        "Done for 2 (deleted), 3 and 4 (delivered)");
    assertEquals(List.of(List.of("r3@dest.test"), List.of("r4@dest.test")),
        sink.messages().stream().map(SmtpSink.Message::recipients).sorted(
            java.util.Comparator.comparing(Object::toString)).toList());
    assertTrue(mail.records(JournalRecord.Done.class, id(1)).isEmpty(), "1 is held");

    // through the running daemon now: release it, and it goes
    MailSystemFixture.Run r = mail.gannet("super", "-H", id(1).toString());
    assertEquals(new MailSystemFixture.Run(0, "",
        "postsuper: " + id(1) + ": released from hold\npostsuper: Released from hold: 1 message\n"),
        r);
    sink.awaitMessages(3, Duration.ofSeconds(30));
    assertEquals(List.of("r1@dest.test"), sink.messages().get(2).recipients());
  }

  @Test
  void withTheDaemonRunningActionsGoThroughItAndSurviveItsRestart() throws Exception {
    SmtpSink probe = SmtpSink.smtp();
    int port = probe.port();
    probe.close(); // nothing listens: every delivery defers
    mail.configure("[127.0.0.1]:" + port);
    mail.start();
    for (int i = 0; i < 3; i++) {
      MailSystemFixture.Run r = mail.withInput("Subject: " + i + "\n\nbody\n", "sendmail", "-v",
          "-f", "s@client.test", "r" + i + "@dest.test");
      assertEquals(0, r.exitCode(), r.err());
    }
    MailSystemFixture.await(() -> mail.records(JournalRecord.Deferred.class, null).size() == 3,
        "three deferrals");
    List<QueueId> ids = mail.records(Accepted.class, null).stream().map(Accepted::queueId)
        .toList();

    MailSystemFixture.Run r = mail.gannet("super", "-h", ids.get(0).toString(), "-d",
        ids.get(1).toString(), "-d", id(5).toString());
    assertEquals(1, r.exitCode());
    assertEquals("postsuper: " + ids.get(1) + ": removed\n"
        + "postsuper: " + id(5) + ": no such message\n"
        + "postsuper: Deleted: 1 message\n"
        + "postsuper: " + ids.get(0) + ": placed on hold\n"
        + "postsuper: Placed on hold: 1 message\n", r.err());
    MailSystemFixture.await(() -> !mail.records(JournalRecord.Done.class, ids.get(1)).isEmpty(),
        "the deleted message forgotten by qmgr");
    assertEquals(new MailSystemFixture.Run(0, "", ""), mail.gannet("super", "-h",
        ids.get(0).toString()), "held already: not counted");
    r = mail.gannet("super", "-r", "ALL", "deferred");
    assertEquals("postsuper: " + ids.get(2) + ": requeued\npostsuper: Requeued: 1 message\n",
        r.err());
    assertEquals(1, mail.records(JournalRecord.Held.class, ids.get(0)).size());

    // the destination comes up; after a restart the held message stays, the other goes
    mail.stop();
    try (SmtpSink up = SmtpSink.smtp(port)) {
      mail.start();
      assertEquals(0, mail.gannet("flush").exitCode());
      up.awaitMessages(1, Duration.ofSeconds(30));
      MailSystemFixture.await(() -> !mail.records(JournalRecord.Done.class, ids.get(2)).isEmpty(),
          "the requeued message delivered");
      assertEquals(List.of("r2@dest.test"), up.messages().get(0).recipients());
      assertTrue(mail.records(JournalRecord.Delivered.class, ids.get(0)).isEmpty());
      r = mail.gannet("super", "-H", "ALL");
      assertEquals(0, r.exitCode(), r.err());
      up.awaitMessages(2, Duration.ofSeconds(30));
      assertEquals(List.of("r0@dest.test"), up.messages().get(1).recipients());
    }
  }
}
