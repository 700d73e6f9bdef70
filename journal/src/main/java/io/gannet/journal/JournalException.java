package io.gannet.journal;

/** The journal could not do what was asked (I/O failure, closed, record too large). */
public class JournalException extends RuntimeException {
  public JournalException(String message) {
    super(message);
  }

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
