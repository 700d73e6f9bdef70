package io.gannet.smtp;

/** A command argument is not what the protocol allows; carries the reply to send. */
public final class SmtpSyntaxException extends Exception {

  private final transient SmtpReply reply;

  public SmtpSyntaxException(int code, String status, String text) {
    super(code + " " + status + " " + text, null, false, false);
    this.reply = new SmtpReply(code, status, text);
  }

  public SmtpReply reply() {
    return reply;
  }
}
