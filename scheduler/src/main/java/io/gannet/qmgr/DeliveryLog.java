package io.gannet.qmgr;

import io.gannet.global.RecipientOutcome;
import io.gannet.journal.MessageState;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per recipient outcome in Postfix's format, under the transport's name, so log
 * tools made for Postfix keep working:
 *
 * <pre>
 * QUEUEID: to=&lt;rcpt&gt;, relay=host[ip]:port, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 ...)
 * </pre>
 *
 * {@code delays=a/b/c/d}: before the active window and qmgr; in the agent's queue; connection
 * setup; transmission (the agent's timings, when it gave them).
 */
final class DeliveryLog {
  private DeliveryLog() {}

  static void log(MessageState message, Route route, String relay,
      List<RecipientOutcome> outcomes, long now, long dispatchedAt, long[] timings) {
    Logger log = LoggerFactory.getLogger("gannet/" + route.transport());
    timings = timings == null ? new long[0] : timings;
    if (!log.isInfoEnabled()) {
      return;
    }
    double delay = (now - message.arrivalTime()) / 1000.0;
    double a = Math.max(0, dispatchedAt - message.arrivalTime()) / 1000.0;
    double b = timings.length > 0 ? timings[0] / 1000.0 : 0;
    double c = timings.length > 1 ? timings[1] / 1000.0 : 0;
    double d = timings.length > 2 ? timings[2] / 1000.0
        : Math.max(0, (now - dispatchedAt) / 1000.0 - b - c);
    String delays = fmt(a) + "/" + fmt(b) + "/" + fmt(c) + "/" + fmt(d);
    for (RecipientOutcome o : outcomes) {
      String status = switch (o.status()) {
        case SENT -> "sent";
        case DEFERRED -> "deferred";
        case BOUNCED -> "bounced";
      };
      log.info("{}: to=<{}>, relay={}, delay={}, delays={}, dsn={}, status={} ({})",
          message.queueId(), o.address(), relay, fmt(delay), delays, o.dsn(), status, o.reply());
    }
  }

  /** Postfix's delay format: up to two decimals below 10 s, whole seconds above. */
  static String fmt(double seconds) {
    if (seconds >= 10) {
      return Long.toString(Math.round(seconds));
    }
    if (seconds == 0) {
      return "0";
    }
    String s = String.format(Locale.ROOT, "%.2f", seconds);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
