package io.gannet.showq;

import static io.gannet.showq.QueueFixture.accepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.MessageState;
import io.gannet.journal.ProjectionFold;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The pieces of the layouts: time format, escapes, qshape's buckets and names, time arguments. */
class LayoutTest {

  private static final long NOV_3 = 1_793_727_296_000L; // Tue Nov  3 17:34:56 2026 UTC

  private static QueuedMessage message(Accepted a, QueueName queue) {
    MessageState s = ProjectionFold.apply(null, JournalEntry.of(1, a));
    return new QueuedMessage(queue, s);
  }

  private static String mailq(QueuedMessage m, ZoneId zone) {
    StringWriter w = new StringWriter();
    MailqLayout l = new MailqLayout(new PrintWriter(w), zone);
    l.message(m);
    l.finish();
    return w.toString();
  }

  @Test
  void arrivalIsAsctimeWithoutTheYearDayPaddedWithASpace() {
    Accepted a = accepted(QueueId.of(NOV_3, 0, 1), NOV_3, "s@example.com", 5, "r@example.org");
    String[] lines = mailq(message(a, QueueName.ACTIVE), ZoneOffset.UTC).split("\n");
    assertEquals(String.format("%-17s %8d %s", a.queueId() + "*", 5,
        "Tue Nov  3 17:34:56 s@example.com"), lines[1]);
    assertEquals("-- 0 Kbytes in 1 Request.", lines[4]);
    String paris = mailq(message(a, QueueName.ACTIVE), ZoneId.of("Europe/Paris"));
    assertEquals(String.format("%-17s %8d %s", a.queueId() + "*", 5,
        "Tue Nov  3 18:34:56 s@example.com"), paris.split("\n")[1]);
  }

  @Test
  void controlCharactersPrintAsQuestionMarksAndEscapeInJson() {
    Accepted a = accepted(QueueId.of(NOV_3, 0, 1), NOV_3, "s\u0001@example.com", 5,
        "r\"\\@example.org");
    QueuedMessage m = message(a, QueueName.INCOMING);
    assertEquals(String.format("%-17s %8d %s", a.queueId(), 5,
        "Tue Nov  3 17:34:56 s?@example.com"),
        mailq(m, ZoneOffset.UTC).split("\n")[1]);
    assertEquals("{\"queue_name\": \"incoming\", \"queue_id\": \"" + a.queueId()
        + "\", \"arrival_time\": 1793727296, \"message_size\": 5, \"forced_expire\": false, "
        + "\"sender\": \"s\\u0001@example.com\", \"recipients\": [{\"address\": "
        + "\"r\\\"\\\\@example.org\"}]}", MailqJson.line(m));
  }

  @Test
  void shapeBucketsDoubleFromFiveMinutes() {
    long min = 60_000;
    assertEquals(1, QueueShape.bucket(-min));
    assertEquals(1, QueueShape.bucket(5 * min - 1));
    assertEquals(2, QueueShape.bucket(5 * min));
    assertEquals(2, QueueShape.bucket(10 * min - 1));
    assertEquals(3, QueueShape.bucket(10 * min));
    assertEquals(9, QueueShape.bucket(1280 * min - 1));
    assertEquals(10, QueueShape.bucket(1280 * min));
    assertEquals(10, QueueShape.bucket(100_000 * min));
  }

  @Test
  void shapeDomainsAsQshapeNamesThem() {
    assertEquals("example.org", QueueShape.domain("u@Example.ORG."));
    assertEquals("example.org", QueueShape.domain("u@.example..org"));
    assertEquals("root", QueueShape.domain("root"));
    assertEquals("b.example", QueueShape.domain("\"a@b\"@b.example"));
  }

  @Test
  void shapeTruncatesLongDomainsFromTheLeft() {
    QueueShape shape = new QueueShape(NOV_3);
    String longDomain = "a-very-long-subdomain-name.of-a-rather-long-domain.example.com";
    shape.add(message(accepted(QueueId.of(NOV_3, 0, 1), NOV_3, "s@x", 5, "u@" + longDomain),
        QueueName.DEFERRED), r -> true);
    StringWriter w = new StringWriter();
    shape.print(new PrintWriter(w));
    String row = w.toString().split("\n")[2];
    assertEquals(80, row.length(), row);
    assertEquals("+" + longDomain.substring(longDomain.length() - 38), row.substring(0, 39));
  }

  @Test
  void durations() {
    assertEquals(Duration.ofSeconds(90), TimeArgs.duration("90"));
    assertEquals(Duration.ofMinutes(30), TimeArgs.duration("30m"));
    assertEquals(Duration.ofHours(2), TimeArgs.duration("2h"));
    assertEquals(Duration.ofDays(5), TimeArgs.duration("5d"));
    assertEquals(Duration.ofDays(14), TimeArgs.duration("2w"));
    assertEquals(Duration.ofMinutes(90), TimeArgs.duration("PT90M"));
    for (String bad : new String[] {"", "m", "-5m", "5y", "PT-5M", "1.5h", "+3s"}) {
      assertThrows(IllegalArgumentException.class, () -> TimeArgs.duration(bad), bad);
    }
  }

  @Test
  void instants() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    assertEquals(NOV_3, TimeArgs.instant(Long.toString(NOV_3), paris));
    assertEquals(NOV_3, TimeArgs.instant("2026-11-03T17:34:56Z", paris));
    assertEquals(NOV_3, TimeArgs.instant("2026-11-03T18:34:56+01:00", paris));
    assertEquals(NOV_3, TimeArgs.instant("2026-11-03T18:34:56", paris));
    assertEquals(NOV_3 - (17 * 3600 + 34 * 60 + 56) * 1000L - 3600_000L,
        TimeArgs.instant("2026-11-03", paris));
    assertThrows(IllegalArgumentException.class, () -> TimeArgs.instant("tomorrow", paris));
    assertThrows(IllegalArgumentException.class,
        () -> TimeArgs.instant("99999999999999999999999", paris));
  }
}
