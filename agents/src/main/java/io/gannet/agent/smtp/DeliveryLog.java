package io.gannet.agent.smtp;

import io.gannet.global.QueueId;
import io.gannet.global.RecipientOutcome;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per recipient outcome in Postfix's form, under the logger {@code gannet/smtp}
 * (or {@code gannet/lmtp}):
 *
 * <pre>
 * QUEUEID: to=&lt;rcpt&gt;, relay=host[ip]:port, conn_use=2, delay=1.2, delays=0.01/0/0.3/0.89,
 *     dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X)
 * </pre>
 *
 * {@code delay} runs from the message's arrival; {@code delays=a/b/c/d} are the time before the
 * agent had the request, waiting in the agent for a connection, connection setup and
 * transmission. {@code conn_use} appears when a connection carries its second or later
 * transaction. Sent at info level, deferred and bounced too (as Postfix does); a soft failure that
 * leaves recipients for another server is logged at info as {@code QUEUEID: text}.
 */
final class DeliveryLog {

  private final Logger log;

  DeliveryLog(SmtpClientSettings.Protocol protocol) {
    this.log = LoggerFactory.getLogger("gannet/" + protocol.logName());
  }

  void outcome(QueueId id, RecipientOutcome o, String relay, int connUse, long delayMillis,
      long[] delays) {
    if (log.isInfoEnabled()) {
      log.info(format(id, o, relay, connUse, delayMillis, delays));
    }
  }

  void skipped(QueueId id, String text) {
    if (log.isInfoEnabled()) {
      log.info("{}: {}", id, text);
    }
  }

  void error(String text, Throwable t) {
    log.error(text, t);
  }

  /** The log line (without the logger's own prefix). */
  static String format(QueueId id, RecipientOutcome o, String relay, int connUse,
      long delayMillis, long[] delays) {
    StringBuilder sb = new StringBuilder(160);
    sb.append(id).append(": to=<").append(o.address()).append(">, relay=").append(relay);
    if (connUse > 1) {
      sb.append(", conn_use=").append(connUse);
    }
    sb.append(", delay=").append(seconds(delayMillis));
    sb.append(", delays=");
    for (int i = 0; i < delays.length; i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(seconds(delays[i]));
    }
    sb.append(", dsn=").append(o.dsn());
    sb.append(", status=").append(status(o));
    sb.append(" (").append(o.reply()).append(')');
    return sb.toString();
  }

  private static String status(RecipientOutcome o) {
    return switch (o.status()) {
      case SENT -> "sent";
      case DEFERRED -> "deferred";
      case BOUNCED -> "bounced";
    };
  }

  /** Postfix's delay format: two significant digits below 10 s, whole seconds above. */
  static String seconds(long millis) {
    if (millis < 10) {
      return "0";
    }
    double s = millis / 1000.0;
    if (s < 1) {
      return String.format(Locale.ROOT, "%.2f", s);
    }
    if (s < 10) {
      return String.format(Locale.ROOT, "%.1f", s);
    }
    return Long.toString(millis / 1000);
  }
}
