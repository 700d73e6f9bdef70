package io.gannet.master;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's log appender: its lines ({@link MaillogLayout}) go to standard output through a
 * 64 KiB buffer that is written out every {@link #FLUSH_MILLIS} ms, instead of one write system
 * call per line. A busy relay logs five lines per message (client, message-id, queue active,
 * status, removed); writing each at once cost a fifth of the daemon's CPU in the relay
 * benchmark (perf/RESULTS.md).
 *
 * <p>Lines that matter at once are written at once, with everything buffered before them:
 * warnings and errors, and the master's own lines (start, stop, reload), so nothing of a stop is
 * left in the buffer. A crash may lose the last {@link #FLUSH_MILLIS} ms of ordinary lines (never
 * mail: the journal is the record). {@link #stop()} writes what is buffered and leaves standard
 * output open.
 */
public final class MaillogAppender extends OutputStreamAppender<ILoggingEvent> {
  /** How often buffered lines are written out. */
  public static final long FLUSH_MILLIS = 100;

  private static final int BUFFER_BYTES = 64 * 1024;

  private ScheduledExecutorService flusher;

  @Override
  public void start() {
    setImmediateFlush(false);
    if (getOutputStream() == null) {
      setOutputStream(
          // System.out as it is now (start-fg's standard output, or a test's capture)
          new BufferedOutputStream(System.out, BUFFER_BYTES));
    }
    super.start();
    if (isStarted()) {
      flusher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "maillog-flush");
                t.setDaemon(true);
                return t;
              });
      flusher.scheduleWithFixedDelay(
          this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  protected void subAppend(ILoggingEvent event) {
    super.subAppend(event);
    if (urgent(event)) {
      flush();
    }
  }

  /** Warnings, errors and the master's lines are written out at once. */
  static boolean urgent(ILoggingEvent event) {
    return event.getLevel().isGreaterOrEqual(Level.WARN)
        || "master".equals(MaillogLayout.component(event.getLoggerName()));
  }

  /** Writes out the buffered lines. */
  public void flush() {
    OutputStream out = getOutputStream();
    if (out == null) {
      return;
    }
    streamWriteLock.lock();
    try {
      out.flush();
    } catch (IOException e) {
      addError("cannot write the log", e);
    } finally {
      streamWriteLock.unlock();
    }
  }

  @Override
  public void stop() {
    if (flusher != null) {
      flusher.shutdownNow();
      flusher = null;
    }
    flush();
    super.stop();
  }

  /** Standard output stays open (the shell's, or the log file {@code gannet start} opened). */
  @Override
  protected void closeOutputStream() {
    flush();
  }
}
