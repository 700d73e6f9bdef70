package io.gannet.journal;

/**
 * The queue projection cannot be used: held by another process, not readable, or holding bytes
 * that are not a message state. The journal is untouched; the remedy the message names is
 * usually {@code gannet super --rebuild}.
 */
public class ProjectionException extends RuntimeException {
  public ProjectionException(String message) {
    super(message);
  }

  public ProjectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
