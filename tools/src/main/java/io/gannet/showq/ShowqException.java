package io.gannet.showq;

/** The queue cannot be listed as asked; the message says why, in one line. */
public final class ShowqException extends RuntimeException {
  public ShowqException(String message) {
    super(message);
  }
}
