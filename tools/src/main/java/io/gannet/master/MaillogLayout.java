package io.gannet.master;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * Formats log events as Postfix's maillog lines, so existing log tools keep working:
 *
 * <pre>
 *   Nov 23 16:45:05 mx1 gannet/qmgr[4711]: 4Bx9kq2ZmT5: from=&lt;a@example.org&gt;, size=1024, nrcpt=1
 *   Nov  3 09:01:00 mx1 gannet/smtpd[4711]: warning: hostname 1.2.3.4 does not resolve
 * </pre>
 *
 * <p>Time in the local zone as syslog writes it ({@code MMM ppd HH:mm:ss}); host is {@code
 * myhostname}; the program is {@code gannet/COMPONENT[pid]}, COMPONENT taken from the logger name
 * ({@link #component}). The level becomes Postfix's severity prefix: WARN {@code warning: }, ERROR
 * {@code error: }, or {@code fatal: } / {@code panic: } with the {@link #FATAL} / {@link #PANIC}
 * marker; INFO, DEBUG and TRACE have none. Line breaks in a message become spaces (one event, one
 * line: remote text cannot forge log lines); a stack trace follows on lines of its own.
 *
 * <p>Configured from logback.xml ({@code <layout class="io.gannet.master.MaillogLayout">} with
 * {@code <hostname>}) or by {@link DaemonLogging}.
 */
public final class MaillogLayout extends LayoutBase<ILoggingEvent> {
  /** Marks an ERROR event as {@code fatal:}: the daemon cannot go on. */
  public static final Marker FATAL = MarkerFactory.getMarker("FATAL");

  /** Marks an ERROR event as {@code panic:}: our own bug, an internal inconsistency. */
  public static final Marker PANIC = MarkerFactory.getMarker("PANIC");

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

  private String hostname;
  private String syslogName = "gannet";
  private ZoneId zone = ZoneId.systemDefault();
  private long pid = ProcessHandle.current().pid();

  /** A formatted second: every line of one second shares it (a daemon logs thousands a second). */
  private record Second(long epochSecond, String text) {}

  private volatile Second lastSecond;
  private final Map<String, String> components = new ConcurrentHashMap<>();

  /** The host name in each line ({@code myhostname}); default: this machine's name. */
  public void setHostname(String hostname) {
    this.hostname = hostname;
  }

  /** The program name before the slash (Postfix's syslog_name); default {@code gannet}. */
  public void setSyslogName(String syslogName) {
    this.syslogName = syslogName;
  }

  /** The zone of the time stamps; default the system's. */
  public void setZone(ZoneId zone) {
    this.zone = zone;
    this.lastSecond = null;
  }

  /** The process id in each line; default this process's. */
  public void setPid(long pid) {
    this.pid = pid;
  }

  @Override
  public void start() {
    if (hostname == null || hostname.isBlank()) {
      hostname = localHostName();
    }
    super.start();
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder sb = new StringBuilder(128);
    sb.append(time(event.getTimeStamp()))
        .append(' ')
        .append(hostname)
        .append(' ')
        .append(syslogName)
        .append('/')
        .append(componentOf(event.getLoggerName()))
        .append('[')
        .append(pid)
        .append("]: ")
        .append(severity(event));
    String message = event.getFormattedMessage();
    appendOneLine(sb, message == null ? "null" : message);
    sb.append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy t = event.getThrowableProxy();
    if (t != null) {
      sb.append(ThrowableProxyUtil.asString(t)).append(CoreConstants.LINE_SEPARATOR);
    }
    return sb.toString();
  }

  /** The time stamp of {@code millis}, formatted once per second. */
  private String time(long millis) {
    long second = Math.floorDiv(millis, 1000);
    Second s = lastSecond;
    if (s == null || s.epochSecond() != second) {
      s = new Second(second, TIME.format(Instant.ofEpochSecond(second).atZone(zone)));
      lastSecond = s;
    }
    return s.text();
  }

  /** {@link #component}, computed once per logger name. */
  private String componentOf(String loggerName) {
    return loggerName == null ? component(null)
        : components.computeIfAbsent(loggerName, MaillogLayout::component);
  }

  private static void appendOneLine(StringBuilder sb, String text) {
    if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      sb.append(text);
      return;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      sb.append(c == '\n' || c == '\r' ? ' ' : c);
    }
  }

  private static String severity(ILoggingEvent event) {
    Level level = event.getLevel();
    if (level == Level.WARN) {
      return "warning: ";
    }
    if (level != Level.ERROR) {
      return "";
    }
    List<Marker> markers = event.getMarkerList();
    if (markers != null) {
      for (Marker m : markers) {
        if (m.contains(PANIC)) {
          return "panic: ";
        }
        if (m.contains(FATAL)) {
          return "fatal: ";
        }
      }
    }
    return "error: ";
  }

  /**
   * The component of a logger name, as Postfix names its programs: for {@code io.gannet.*} loggers
   * the package's last segment ({@code io.gannet.qmgr.Scheduler}: {@code qmgr}; {@code
   * io.gannet.agent.smtp.SmtpAgent}: {@code smtp}); a name without dots is itself ({@code
   * "cleanup"}); another library's logger is its project ({@code io.netty.channel.X}: {@code
   * netty}, {@code net.openhft.chronicle.X}: {@code openhft}).
   */
  public static String component(String loggerName) {
    if (loggerName == null || loggerName.isEmpty()) {
      return "master";
    }
    if (loggerName.startsWith("gannet/")) {
      return loggerName.substring("gannet/".length()); // already a program name: gannet/smtpd
    }
    String[] parts = loggerName.split("\\.");
    if (parts.length == 1) {
      return parts[0];
    }
    if (loggerName.startsWith("io.gannet.")) {
      boolean lastIsClass = Character.isUpperCase(parts[parts.length - 1].charAt(0));
      int i = lastIsClass ? parts.length - 2 : parts.length - 1;
      return i >= 2 ? parts[i] : "master";
    }
    return parts[1].isEmpty() ? parts[0] : parts[1];
  }
}
