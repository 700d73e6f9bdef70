package io.gannet.smtpd;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures the {@code gannet/smtpd} log lines that slf4j-simple writes to {@code System.err}.
 * {@link #enable()} must run before the smtpd classes make their logger (static initializer of the
 * test class).
 */
final class LogCapture implements AutoCloseable {

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  static void enable() {
    System.setProperty("org.slf4j.simpleLogger.log.gannet/smtpd", "info");
  }

  LogCapture() {
    PrintStream tee =
        new PrintStream(buffer, true, StandardCharsets.UTF_8) {
          @Override
          public void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            original.write(b, off, len);
          }
        };
    System.setErr(tee);
  }

  /** The captured lines that contain {@code text}. */
  synchronized List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    for (String l : buffer.toString(StandardCharsets.UTF_8).split("\n")) {
      if (l.contains(text)) {
        out.add(l);
      }
    }
    return out;
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
