package io.gannet.master;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the daemon's log to standard output in Postfix's format ({@link MaillogLayout}), replacing
 * the quiet configuration of the other commands (logback.xml: warnings only, on standard error).
 * {@code gannet start} points that standard output at the log file. Lines are buffered and
 * written every 100 ms, warnings, errors and the master's lines at once ({@link
 * MaillogAppender}). Levels: INFO for Gannet (io.gannet.* and gannet/NAME), WARN for libraries
 * (Netty, Chronicle, RocksDB); verbose ({@code -v}) makes both DEBUG.
 */
public final class DaemonLogging {
  private DaemonLogging() {}

  /**
   * Reconfigures logging for a daemon on {@code myhostname}. Does nothing (and says so on standard
   * error) when the SLF4J binding is not logback.
   */
  public static void toStandardOutput(String myhostname, boolean verbose) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext ctx)) {
      System.err.println(
          "gannet: warning: logging is not logback ("
              + factory.getClass().getName()
              + "): the log keeps that binding's format");
      return;
    }
    ctx.reset();
    MaillogLayout layout = new MaillogLayout();
    layout.setContext(ctx);
    layout.setHostname(myhostname);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(ctx);
    encoder.setLayout(layout);
    encoder.start();
    MaillogAppender out = new MaillogAppender();
    out.setContext(ctx);
    out.setName("stdout");
    out.setEncoder(encoder);
    out.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(out);
    // Gannet's loggers are io.gannet.* and program names without dots (gannet/smtpd, whose
    // parent is the root): INFO at the root, libraries quieter.
    root.setLevel(verbose ? Level.DEBUG : Level.INFO);
    for (String library : new String[] {"io.netty", "net.openhft", "org.rocksdb", "org.xbill",
        "dagger"}) {
      ctx.getLogger(library).setLevel(verbose ? Level.DEBUG : Level.WARN);
    }
    ctx.getLogger("io.gannet").setLevel(verbose ? Level.DEBUG : Level.INFO);
  }
}
