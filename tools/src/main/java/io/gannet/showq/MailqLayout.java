package io.gannet.showq;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes the queue listing in the layout of Postfix's {@code mailq} / {@code postqueue -p}, the
 * variant Postfix prints for long queue ids ({@code enable_long_queue_ids = yes}), which Gannet's
 * 14-character ids are:
 *
 * <pre>
 * ----Queue ID----- --Size-- ---Arrival Time---- --Sender/Recipient------
 * 0VR5kYq8001Bc2*        612 Mon Nov 23 17:15:57 alice@example.com
 *                  (connect to mx.example.org[192.0.2.1]:25: Connection refused)
 *                                                bob@example.org
 *
 * -- 0 Kbytes in 1 Request.
 * </pre>
 *
 * Per message: the queue id with its mark ({@code *} active, {@code !} hold) left-aligned in 17
 * columns, the size in 8, the arrival time as {@code asctime} prints it without the year, the
 * sender ({@code MAILER-DAEMON} for the null sender); then each pending recipient indented to the
 * sender's column, headed by its last deferral reason in parentheses ending on column 78 whenever
 * the reason differs from the previous recipient's ({@code (reason unavailable)} after a reason
 * for a recipient without one). A blank line between messages; the heading before the first; at
 * the end a blank line and {@code -- N Kbytes in M Requests.} (total size of the messages listed,
 * in whole kilobytes), or {@code Mail queue is empty}. Control characters print as {@code ?}.
 * Arrival times are in the zone given (mailq: the local time). Not thread-safe.
 */
public final class MailqLayout {

  static final String HEADING =
      "----Queue ID----- --Size-- ---Arrival Time---- --Sender/Recipient------";

  private static final int ID_WIDTH = 17;
  private static final int SIZE_WIDTH = 8;
  private static final int REASON_END = 76;
  /** The recipient column: id, size and time fields with their separating spaces. */
  private static final String INDENT = " ".repeat(ID_WIDTH + 1 + SIZE_WIDTH + 1 + 19 + 1);

  private final PrintWriter out;
  private final DateTimeFormatter time;
  private final StringBuilder line = new StringBuilder(256);
  private long count;
  private long bytes;

  /** A listing on {@code out}, arrival times in {@code zone}. */
  public MailqLayout(PrintWriter out, ZoneId zone) {
    this.out = out;
    this.time = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss", Locale.ROOT).withZone(zone);
  }

  /** Writes one message (and the heading before the first). */
  public void message(QueuedMessage m) {
    StringBuilder b = line;
    b.setLength(0);
    if (count == 0) {
      b.append(HEADING).append('\n');
    } else {
      b.append('\n');
    }
    int start = b.length();
    b.append(m.state().queueId());
    if (m.queue().mark() != ' ') {
      b.append(m.queue().mark());
    }
    pad(b, start + ID_WIDTH);
    b.append(' ');
    String size = Long.toString(m.state().size());
    for (int i = size.length(); i < SIZE_WIDTH; i++) {
      b.append(' ');
    }
    b.append(size).append(' ');
    time.formatTo(Instant.ofEpochMilli(m.state().arrivalTime()), b);
    b.append(' ');
    printable(b, m.sender());
    b.append('\n');
    String previous = "";
    for (QueuedMessage.Pending p : m.pending()) {
      String reason = p.reason() == null ? "" : p.reason();
      if (!reason.equals(previous)) {
        String shown = reason.isEmpty() ? "reason unavailable" : reason;
        for (int i = shown.length(); i < REASON_END; i++) {
          b.append(' ');
        }
        b.append('(');
        printable(b, shown);
        b.append(")\n");
        previous = reason;
      }
      b.append(INDENT);
      printable(b, p.address());
      b.append('\n');
    }
    out.append(b);
    count++;
    bytes += m.state().size();
  }

  /** Writes the closing line: the totals, or that the queue is empty. */
  public void finish() {
    if (count == 0) {
      out.append("Mail queue is empty\n");
    } else {
      out.append("\n-- ").append(Long.toString(bytes / 1024)).append(" Kbytes in ")
          .append(Long.toString(count)).append(count == 1 ? " Request.\n" : " Requests.\n");
    }
  }

  /** Messages written so far. */
  public long count() {
    return count;
  }

  private static void pad(StringBuilder b, int to) {
    while (b.length() < to) {
      b.append(' ');
    }
  }

  /** Appends {@code s} with control characters as {@code ?} (Postfix's printable()). */
  static void printable(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
  }
}
