package io.gannet.bounce;

import io.gannet.bounce.DueNotice.Audience;
import io.gannet.bounce.NoticeRequest.Action;
import io.gannet.bounce.NoticeRequest.Entry;
import io.gannet.bounce.NoticeRequest.Original;
import io.gannet.global.BodyType;
import io.gannet.global.Config;
import io.gannet.global.MailParams;
import io.gannet.global.QueueId;
import io.gannet.journal.JournalRecord.NoticeKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes a delivery status notice (Postfix's bounce(8) message writer): an RFC 3464 report,
 * {@code multipart/report; report-type=delivery-status}, with
 *
 * <ol>
 *   <li>a {@code text/plain} part for people: what happened, then one line per recipient with
 *       the reason;
 *   <li>the {@code message/delivery-status} part: Original-Envelope-Id (from ENVID),
 *       Reporting-MTA ({@code dns; $myhostname}), Arrival-Date and Gannet's queue id and sender;
 *       per recipient Original-Recipient (from ORCPT, its addr-type kept), Final-Recipient,
 *       Action, Status, Remote-MTA, Diagnostic-Code and, for delays, Will-Retry-Until;
 *   <li>the original message ({@code message/rfc822}) for bounces, or its headers ({@code
 *       text/rfc822-headers}) for {@code RET=HDRS}, delay and success notices (see {@link
 *       OriginalPart}).
 * </ol>
 *
 * <p>When the original was received with SMTPUTF8 the parts are RFC 6533's {@code
 * message/global-delivery-status}, {@code message/global} and {@code message/global-headers}, and
 * the text may be UTF-8. Otherwise every header and report field is ASCII: non-ASCII addresses
 * use the {@code utf-8} address type in utf-8-addr-xtext form, other non-ASCII text becomes
 * {@code ?}.
 *
 * <p>The message is from {@code MAILER-DAEMON@$myhostname}, carries {@code Auto-Submitted:
 * auto-replied} (RFC 3834), and has CRLF line ends and no line longer than 998 octets.
 * Thread-safe.
 */
public final class NoticeComposer {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.US);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.US).withZone(ZoneOffset.UTC);
  /** Longest MIME boundary (RFC 2046). */
  private static final int MAX_BOUNDARY = 70;
  private static final int TEXT_WIDTH = 76;

  private final Clock clock;
  private final String myhostname;
  private final String mailName;
  private final long maximalQueueLifetime;
  private final long bounceQueueLifetime;
  private final long bounceSizeLimit;

  /**
   * Reads {@code myhostname}, {@code mail_name}, {@code maximal_queue_lifetime}, {@code
   * bounce_queue_lifetime} and {@code bounce_size_limit}; dates come from {@code clock} in its
   * zone.
   */
  public NoticeComposer(Config config, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.myhostname = MimeText.ascii(config.get(MailParams.MYHOSTNAME)).trim();
    this.mailName = MimeText.ascii(config.get(MailParams.MAIL_NAME)).trim();
    this.maximalQueueLifetime = config.get(MailParams.MAXIMAL_QUEUE_LIFETIME);
    this.bounceQueueLifetime = config.get(MailParams.BOUNCE_QUEUE_LIFETIME);
    this.bounceSizeLimit = config.get(MailParams.BOUNCE_SIZE_LIMIT);
    if (myhostname.isEmpty() || myhostname.indexOf(' ') >= 0) {
      throw new IllegalArgumentException("myhostname is not a host name: '" + myhostname + "'");
    }
  }

  /**
   * The notice for {@code request}, to be queued under {@code noticeId} (named in its
   * Message-ID and MIME boundary).
   *
   * @throws IllegalArgumentException if the notice's recipient contains a line break
   */
  public ComposedNotice compose(NoticeRequest request, QueueId noticeId) {
    Objects.requireNonNull(noticeId, "noticeId");
    DueNotice due = request.due();
    Original original = request.original();
    String to = due.to();
    if (to.indexOf('\r') >= 0 || to.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("notice recipient contains a line break");
    }
    long now = clock.millis();
    ZoneId zone = clock.getZone();
    boolean global = original.smtputf8();

    OriginalPart orig =
        OriginalPart.of(due.kind(), due.audience(), original.ret(), global, original.content(),
            bounceSizeLimit);
    String human = humanText(request, orig, now);
    boolean humanUtf8 = global && !MimeText.isAscii(human);
    if (!humanUtf8) {
      human = asciiLines(human);
    }
    String report = deliveryStatus(request, global, zone);
    boolean reportUtf8 = !MimeText.isAscii(report);

    byte[] humanBytes = human.getBytes(StandardCharsets.UTF_8);
    byte[] reportBytes = report.getBytes(StandardCharsets.UTF_8);
    String boundary = boundary(noticeId, now, humanBytes, reportBytes, orig.bytes());
    String messageId = "<" + STAMP.format(Instant.ofEpochMilli(now)) + "." + noticeId + "@"
        + myhostname + ">";
    boolean eightBit = humanUtf8 || reportUtf8 || orig.eightBit();

    StringBuilder head = new StringBuilder(1024);
    header(head, "From", "MAILER-DAEMON@" + myhostname + " (Mail Delivery System)");
    header(head, "To", global ? MimeText.clean(to) : asciiAddress(to));
    header(head, "Subject", subject(due));
    header(head, "Date", date(now, zone));
    header(head, "Message-ID", messageId);
    header(head, "Auto-Submitted", "auto-replied");
    header(head, "MIME-Version", "1.0");
    head.append("Content-Type: multipart/report; report-type=")
        .append(global ? "global-delivery-status" : "delivery-status")
        .append(";\r\n\tboundary=\"").append(boundary).append("\"\r\n");
    header(head, "Content-Transfer-Encoding", eightBit ? "8bit" : "7bit");
    head.append("\r\n");
    head.append("This is a MIME-encapsulated message.\r\n\r\n");

    head.append("--").append(boundary).append("\r\n");
    header(head, "Content-Description", "Notification");
    header(head, "Content-Type", "text/plain; charset=" + (humanUtf8 ? "utf-8" : "us-ascii"));
    header(head, "Content-Transfer-Encoding", humanUtf8 ? "8bit" : "7bit");
    head.append("\r\n");

    ByteArrayOutputStream out =
        new ByteArrayOutputStream(head.length() + humanBytes.length + reportBytes.length
            + orig.bytes().length + 512);
    write(out, head.toString());
    out.writeBytes(humanBytes);

    StringBuilder mid = new StringBuilder(256);
    mid.append("\r\n--").append(boundary).append("\r\n");
    header(mid, "Content-Description", "Delivery report");
    header(mid, "Content-Type",
        global ? "message/global-delivery-status" : "message/delivery-status");
    if (reportUtf8) {
      header(mid, "Content-Transfer-Encoding", "8bit");
    }
    mid.append("\r\n");
    write(out, mid.toString());
    out.writeBytes(reportBytes);

    StringBuilder tail = new StringBuilder(256);
    if (orig.type() != null) {
      tail.append("\r\n--").append(boundary).append("\r\n");
      header(tail, "Content-Description", orig.description());
      header(tail, "Content-Type", orig.type());
      if (orig.eightBit()) {
        header(tail, "Content-Transfer-Encoding", "8bit");
      }
      tail.append("\r\n");
      write(out, tail.toString());
      out.writeBytes(orig.bytes());
      tail.setLength(0);
    }
    tail.append("\r\n--").append(boundary).append("--\r\n");
    write(out, tail.toString());

    byte[] content = out.toByteArray();
    checkLines(content);
    return new ComposedNotice(noticeId, due.sender(), to, messageId,
        global || !MimeText.isAscii(to), eightBit ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT,
        content);
  }

  // ---- Header ----------------------------------------------------------------------------

  private static String subject(DueNotice due) {
    if (due.audience() == Audience.DOUBLE_BOUNCE) {
      return "Postmaster Copy: Undelivered Mail";
    }
    return switch (due.kind()) {
      case BOUNCE -> "Undelivered Mail Returned to Sender";
      case DELAY -> "Delayed Mail (still being retried)";
      case SUCCESS -> "Successful Mail Delivery Report";
    };
  }

  private static void header(StringBuilder sb, String name, String value) {
    sb.append(MimeText.field(name, value)).append("\r\n");
  }

  private static String date(long millis, ZoneId zone) {
    return DATE.format(Instant.ofEpochMilli(millis).atZone(zone));
  }

  // ---- Human-readable part ---------------------------------------------------------------

  private String humanText(NoticeRequest request, OriginalPart orig, long now) {
    DueNotice due = request.due();
    Original original = request.original();
    List<String> paragraphs = new ArrayList<>();
    paragraphs.add("This is the mail system at host " + myhostname + ".");
    String attached = orig.type() == null ? null
        : orig.type().endsWith("headers") ? "The headers of your message are attached."
        : "Your message is attached.";
    if (due.audience() == Audience.DOUBLE_BOUNCE) {
      paragraphs.add("A message from the null sender (a delivery notice or an automatic reply)"
          + " could not be delivered to the recipients below. It cannot be returned to its"
          + " sender, so it is reported to you, the postmaster."
          + (attached == null ? "" : " The message is attached."));
    } else {
      switch (due.kind()) {
        case BOUNCE -> {
          paragraphs.add("I'm sorry to have to inform you that your message could not be"
              + " delivered to one or more recipients. The reasons are listed below."
              + (attached == null ? "" : " " + attached));
          paragraphs.add("If you need help, please send mail to postmaster and include this"
              + " report. You may delete your own text from the returned message.");
        }
        case DELAY -> {
          long lifetime = original.sender().isEmpty() ? bounceQueueLifetime
              : maximalQueueLifetime;
          paragraphs.add("This is a warning only: you do not need to send your message again.");
          paragraphs.add("Your message has not yet been delivered to the recipients below,"
              + " after " + duration(Math.max(0, (now - original.arrivalTime()) / 1000))
              + ". Delivery is still being retried, until the message is "
              + duration(lifetime) + " old; you will be told if it fails."
              + (attached == null ? "" : " " + attached));
        }
        case SUCCESS -> paragraphs.add("Your message was delivered to the recipients below,"
            + " as you asked. If it went into a mailbox, you will hear nothing more about it;"
            + " if it was passed on to another system, that system may still send you"
            + " notices about it." + (attached == null ? "" : " " + attached));
      }
    }
    if (orig.note() != null) {
      paragraphs.add(orig.note());
    }
    paragraphs.add("                   The " + mailName + " program");
    StringBuilder sb = new StringBuilder(512);
    for (String p : paragraphs) {
      for (String line : MimeText.wrap(p, TEXT_WIDTH, "")) {
        sb.append(line).append("\r\n");
      }
      sb.append("\r\n");
    }
    for (Entry e : request.entries()) {
      StringBuilder line = new StringBuilder("<").append(e.recipient()).append(">");
      String orcpt = orcptAddress(e.orcpt());
      if (orcpt != null && !orcpt.equalsIgnoreCase(e.recipient())) {
        line.append(" (expanded from <").append(orcpt).append(">)");
      }
      line.append(": ").append(e.text());
      for (String l : MimeText.wrap(line.toString(), TEXT_WIDTH, "    ")) {
        sb.append(l).append("\r\n");
      }
    }
    return sb.toString();
  }

  /** The address of an {@code rfc822;addr} or {@code utf-8;addr} ORCPT, else {@code null}. */
  private static String orcptAddress(String orcpt) {
    if (orcpt == null) {
      return null;
    }
    int semi = orcpt.indexOf(';');
    String type = orcpt.substring(0, semi).trim();
    if (type.equalsIgnoreCase("rfc822") || type.equalsIgnoreCase("utf-8")) {
      return orcpt.substring(semi + 1).trim();
    }
    return null;
  }

  /** Every line of CRLF-separated {@code text} made ASCII. */
  private static String asciiLines(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (String line : text.split("\r\n", -1)) {
      if (sb.length() > 0 || !line.isEmpty()) {
        sb.append(MimeText.ascii(line));
      }
      sb.append("\r\n");
    }
    sb.setLength(sb.length() - 2);
    return sb.toString();
  }

  static String duration(long seconds) {
    if (seconds >= 2 * 86400) {
      return plural(seconds / 86400, "day");
    }
    if (seconds >= 3600) {
      return plural(seconds / 3600, "hour");
    }
    if (seconds >= 60) {
      return plural(seconds / 60, "minute");
    }
    return plural(seconds, "second");
  }

  private static String plural(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s");
  }

  // ---- Delivery-status part --------------------------------------------------------------

  private String deliveryStatus(NoticeRequest request, boolean global, ZoneId zone) {
    Original original = request.original();
    StringBuilder sb = new StringBuilder(512);
    String envid = original.envid() == null ? "" : MimeText.ascii(original.envid()).trim();
    if (!envid.isEmpty()) {
      field(sb, "Original-Envelope-Id", envid);
    }
    field(sb, "Reporting-MTA", "dns; " + myhostname);
    field(sb, "X-Gannet-Queue-ID", original.queueId().toString());
    if (!original.sender().isEmpty()) {
      field(sb, "X-Gannet-Sender", address(original.sender(), global));
    }
    field(sb, "Arrival-Date", date(original.arrivalTime(), zone));
    long lifetime = original.sender().isEmpty() ? bounceQueueLifetime : maximalQueueLifetime;
    for (Entry e : request.entries()) {
      sb.append("\r\n");
      if (e.orcpt() != null) {
        field(sb, "Original-Recipient", orcpt(e.orcpt(), global));
      }
      field(sb, "Final-Recipient", address(e.recipient(), global));
      field(sb, "Action", e.action().text());
      field(sb, "Status", e.status());
      if (e.remoteMta() != null) {
        field(sb, "Remote-MTA", "dns; " + MimeText.ascii(e.remoteMta()));
      }
      if (e.diagnostic() != null) {
        String diag = global ? MimeText.clean(e.diagnostic()) : MimeText.ascii(e.diagnostic());
        field(sb, "Diagnostic-Code", MimeText.ascii(e.diagnosticType()) + "; " + diag);
      }
      if (e.action() == Action.DELAYED) {
        field(sb, "Will-Retry-Until",
            date(original.arrivalTime() + lifetime * 1000L, zone));
      }
    }
    return sb.toString();
  }

  private static void field(StringBuilder sb, String name, String value) {
    sb.append(MimeText.field(name, value)).append("\r\n");
  }

  /** {@code rfc822; addr}, or the {@code utf-8} type for a non-ASCII address (RFC 6533). */
  private static String address(String addr, boolean global) {
    String a = MimeText.clean(addr).trim();
    if (MimeText.isAscii(a)) {
      return "rfc822; " + a;
    }
    return "utf-8; " + (global ? a : MimeText.utf8AddrXtext(a));
  }

  /** The ORCPT as given ({@code type;addr}), made ASCII when the report must be. */
  private static String orcpt(String orcpt, boolean global) {
    String o = MimeText.clean(orcpt).trim();
    if (global || MimeText.isAscii(o)) {
      return o;
    }
    int semi = o.indexOf(';');
    return "utf-8;" + MimeText.utf8AddrXtext(o.substring(semi + 1).trim());
  }

  /** An address for a plain ASCII header: a non-ASCII one in utf-8-addr-xtext form. */
  private static String asciiAddress(String addr) {
    String a = MimeText.clean(addr).trim();
    return MimeText.isAscii(a) ? a : MimeText.utf8AddrXtext(a);
  }

  // ---- MIME structure --------------------------------------------------------------------

  /**
   * A boundary made of the notice id, the time and this host (RFC 2046 bchars only, at most 70
   * characters) that occurs in none of the parts.
   */
  private String boundary(QueueId noticeId, long now, byte[]... parts) {
    StringBuilder host = new StringBuilder();
    for (char c : myhostname.toCharArray()) {
      host.append(Character.isLetterOrDigit(c) && c < 0x80 || c == '.' || c == '-' ? c : '_');
    }
    String base = noticeId + "." + (now / 1000) + "/" + host;
    if (base.length() > MAX_BOUNDARY - 4) {
      base = base.substring(0, MAX_BOUNDARY - 4);
    }
    String b = base;
    for (int n = 1; occursIn(b, parts); n++) {
      b = base + "/" + n;
      if (b.length() > MAX_BOUNDARY) {
        b = base.substring(0, MAX_BOUNDARY - 1 - Integer.toString(n).length()) + "/" + n;
      }
    }
    return b;
  }

  private static boolean occursIn(String boundary, byte[]... parts) {
    byte[] needle = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    for (byte[] part : parts) {
      outer:
      for (int i = 0; i + needle.length <= part.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (part[i + j] != needle[j]) {
            continue outer;
          }
        }
        return true;
      }
    }
    return false;
  }

  private static void write(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Panics unless every line ends in CRLF and has at most 998 octets: our bug if not. */
  private static void checkLines(byte[] c) {
    int len = 0;
    for (int i = 0; i < c.length; i++) {
      byte b = c[i];
      if (b == '\r') {
        if (i + 1 >= c.length || c[i + 1] != '\n') {
          throw new IllegalStateException("notice has a bare CR at " + i);
        }
      } else if (b == '\n') {
        if (i == 0 || c[i - 1] != '\r') {
          throw new IllegalStateException("notice has a bare LF at " + i);
        }
        len = 0;
      } else if (++len > MimeText.MAX_LINE) {
        throw new IllegalStateException("notice has a line longer than 998 octets at " + i);
      }
    }
  }
}
