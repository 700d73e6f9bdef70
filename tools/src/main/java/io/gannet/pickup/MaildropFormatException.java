package io.gannet.pickup;

/** A maildrop file that is not a {@link MaildropFile}: truncated, damaged, or something else. */
public final class MaildropFormatException extends Exception {
  public MaildropFormatException(String reason) {
    super(reason);
  }
}
