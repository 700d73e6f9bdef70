package io.gannet.smtp;

import java.io.IOException;

/**
 * The conversation with a server broke: the connection was lost, a reply did not come within its
 * time limit, or the server spoke something that is not SMTP. {@link #stage()} says what the
 * client was doing, in Postfix's words ({@code sending RCPT TO}, {@code receiving the initial
 * server greeting}), so the agent can write {@code lost connection with host[ip] while sending RCPT
 * TO}.
 */
public final class SmtpClientException extends IOException {

  /** What went wrong. */
  public enum Kind {
    /** The connection closed or failed (Postfix: {@code lost connection with ... while ...}). */
    LOST,
    /** No reply or no write progress within the limit ({@code conversation ... timed out}). */
    TIMEOUT,
    /** The server sent something that is not an SMTP reply. */
    PROTOCOL
  }

  private final Kind kind;
  private final String stage;
  private final String detail;

  /**
   * @param stage what the client was doing
   * @param detail what the system or the server said (an I/O error text, the bad line), or null
   */
  public SmtpClientException(Kind kind, String stage, String detail) {
    super(kind + " while " + stage + (detail == null ? "" : ": " + detail));
    this.kind = kind;
    this.stage = stage;
    this.detail = detail;
  }

  /** The same failure as seen by a step at another stage. */
  public SmtpClientException at(String otherStage) {
    return otherStage.equals(stage) ? this : new SmtpClientException(kind, otherStage, detail);
  }

  /** What the system or the server said, or null. */
  public String detail() {
    return detail;
  }

  public Kind kind() {
    return kind;
  }

  /** What the client was doing, e.g. {@code sending MAIL FROM}. */
  public String stage() {
    return stage;
  }
}
