package io.gannet.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon's appender buffers ordinary lines and writes warnings, errors and the master's lines
 * at once, with everything before them. The periodic flush is not waited for here: {@link
 * MaillogAppender#flush()} is what its timer calls.
 */
class MaillogAppenderTest {
  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final MaillogAppender appender = new MaillogAppender();

  MaillogAppenderTest() {
    context.setMDCAdapter(new LogbackMDCAdapter()); // events copy the MDC when they are written
    MaillogLayout layout = new MaillogLayout();
    layout.setContext(context);
    layout.setHostname("mx1.example");
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(new BufferedOutputStream(written, 65536));
    appender.start();
  }

  @AfterEach
  void stop() {
    appender.stop();
  }

  private void log(String logger, Level level, String message) {
    appender.doAppend(
        new LoggingEvent("fqcn", context.getLogger(logger), level, message, null, null));
  }

  private String text() {
    return written.toString(StandardCharsets.UTF_8);
  }

  @Test
  void ordinaryLinesWaitForTheFlush() {
    log("io.gannet.qmgr.Qmgr", Level.INFO, "ABC: removed");
    assertEquals("", text());
    appender.flush();
    assertTrue(text().endsWith("gannet/qmgr[" + ProcessHandle.current().pid()
        + "]: ABC: removed\n"), text());
  }

  @Test
  void aWarningIsWrittenAtOnceWithTheLinesBeforeIt() {
    log("gannet/smtpd", Level.INFO, "first");
    log("gannet/smtpd", Level.WARN, "second");
    String t = text();
    assertTrue(t.contains(": first\n") && t.endsWith(": warning: second\n"), t);
  }

  @Test
  void theMastersLinesAreWrittenAtOnce() {
    log("gannet/master", Level.INFO, "daemon started");
    assertTrue(text().endsWith(": daemon started\n"), text());
    log("io.gannet.master.Master", Level.INFO, "terminating on signal");
    assertTrue(text().endsWith(": terminating on signal\n"), text());
  }

  @Test
  void stopWritesWhatIsBufferedAndLeavesTheStreamUsable() {
    log("gannet/smtp", Level.INFO, "status=sent");
    appender.stop();
    assertTrue(text().endsWith(": status=sent\n"), text());
    assertFalse(appender.isStarted());
  }
}
