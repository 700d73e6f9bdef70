package io.gannet.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;

class MaillogLayoutTest {
  private static final ZoneId ZONE = ZoneId.of("Europe/Paris");

  private final LoggerContext context = new LoggerContext();
  private final MaillogLayout layout = new MaillogLayout();

  MaillogLayoutTest() {
    layout.setContext(context);
    layout.setHostname("mx1.example");
    layout.setZone(ZONE);
    layout.setPid(4711);
    layout.start();
  }

  private String line(
      String logger, Level level, Marker marker, String message, Throwable t, int day) {
    LoggingEvent e = new LoggingEvent("fqcn", context.getLogger(logger), level, message, t, null);
    e.setTimeStamp(ZonedDateTime.of(2024, 11, day, 16, 45, 5, 0, ZONE).toInstant().toEpochMilli());
    if (marker != null) {
      e.addMarker(marker);
    }
    return layout.doLayout(e);
  }

  @Test
  void infoLineIsPostfixsFormatWithTheComponentFromTheLoggerName() {
    assertEquals(
        "Nov 23 16:45:05 mx1.example gannet/qmgr[4711]: 4Bx9kq2ZmT5: removed\n",
        line("io.gannet.qmgr.Scheduler", Level.INFO, null, "4Bx9kq2ZmT5: removed", null, 23));
  }

  @Test
  void eachSecondHasItsOwnTimeStampWhenLinesAlternate() {
    for (int day : new int[] {23, 23, 24, 23, 1}) {
      assertTrue(line("io.gannet.qmgr.Q", Level.INFO, null, "x", null, day)
          .startsWith(String.format("Nov %2d 16:45:05 ", day)));
    }
    LoggingEvent e = new LoggingEvent("fqcn", context.getLogger("q"), Level.INFO, "x", null, null);
    long t = ZonedDateTime.of(2024, 11, 23, 16, 45, 5, 0, ZONE).toInstant().toEpochMilli();
    e.setTimeStamp(t + 999);
    assertTrue(layout.doLayout(e).startsWith("Nov 23 16:45:05 "));
    e.setTimeStamp(t + 1000);
    assertTrue(layout.doLayout(e).startsWith("Nov 23 16:45:06 "));
    layout.setZone(ZoneId.of("UTC"));
    assertTrue(layout.doLayout(e).startsWith("Nov 23 15:45:06 "));
    layout.setZone(ZONE);
  }

  @Test
  void singleDigitDaysArePaddedWithASpaceAsSyslogDoes() {
    assertEquals(
        "Nov  3 16:45:05 mx1.example gannet/smtp[4711]: x\n",
        line("io.gannet.agent.smtp.SmtpAgent", Level.INFO, null, "x", null, 3));
  }

  @Test
  void severitiesBecomePostfixPrefixes() {
    assertTrue(
        line("io.gannet.smtpd.Server", Level.WARN, null, "w", null, 1)
            .endsWith("gannet/smtpd[4711]: warning: w\n"));
    assertTrue(
        line("io.gannet.smtpd.Server", Level.ERROR, null, "e", null, 1).endsWith(": error: e\n"));
    assertTrue(
        line("io.gannet.master.Master", Level.ERROR, MaillogLayout.FATAL, "f", null, 1)
            .endsWith("gannet/master[4711]: fatal: f\n"));
    assertTrue(
        line("io.gannet.qmgr.Queue", Level.ERROR, MaillogLayout.PANIC, "p", null, 1)
            .endsWith(": panic: p\n"));
    assertTrue(line("io.gannet.qmgr.Queue", Level.DEBUG, null, "d", null, 1).endsWith("]: d\n"));
  }

  @Test
  void lineBreaksInAMessageCannotForgeALogLine() {
    assertTrue(
        line(
                "io.gannet.smtpd.Server",
                Level.INFO,
                null,
                "reject: 550 no\nNov 23 16:45:05 mx1 gannet/qmgr[1]: forged",
                null,
                23)
            .endsWith("reject: 550 no Nov 23 16:45:05 mx1 gannet/qmgr[1]: forged\n"));
  }

  @Test
  void aStackTraceFollowsOnItsOwnLines() {
    String s =
        line(
            "io.gannet.master.Master",
            Level.WARN,
            null,
            "boom",
            new IllegalStateException("why"),
            23);
    String[] lines = s.split("\n");
    assertEquals("Nov 23 16:45:05 mx1.example gannet/master[4711]: warning: boom", lines[0]);
    assertEquals("java.lang.IllegalStateException: why", lines[1]);
    assertTrue(lines[2].startsWith("\tat "));
  }

  @Test
  void componentNames() {
    assertEquals("qmgr", MaillogLayout.component("io.gannet.qmgr.Scheduler"));
    assertEquals("smtp", MaillogLayout.component("io.gannet.agent.smtp.SmtpAgent"));
    assertEquals("master", MaillogLayout.component("io.gannet.master.Master"));
    assertEquals("cleanup", MaillogLayout.component("io.gannet.cleanup"));
    assertEquals("cleanup", MaillogLayout.component("cleanup"));
    assertEquals("netty", MaillogLayout.component("io.netty.channel.DefaultChannelPipeline"));
    assertEquals("openhft", MaillogLayout.component("net.openhft.chronicle.queue.X"));
    assertEquals("master", MaillogLayout.component(""));
  }
}
