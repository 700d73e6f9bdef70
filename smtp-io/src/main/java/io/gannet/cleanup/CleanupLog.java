package io.gannet.cleanup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where cleanup's log lines go: SLF4J logger {@code gannet/cleanup} in production, a recording sink
 * in tests. Lines are complete Postfix-format texts ({@code QUEUEID: message-id=<...>}, {@code
 * QUEUEID: reject: header ...}); the appender adds only time, host and program.
 */
interface CleanupLog {

  void info(String line);

  void warn(String line);

  /** The production sink. */
  static CleanupLog slf4j() {
    Logger log = LoggerFactory.getLogger("gannet/cleanup");
    return new CleanupLog() {
      @Override
      public void info(String line) {
        log.info(line);
      }

      @Override
      public void warn(String line) {
        log.warn(line);
      }
    };
  }
}
