package io.gannet.pickup;

import io.gannet.global.BodyType;
import io.gannet.global.DsnRet;
import io.gannet.global.Recipient;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One message handed to {@code gannet sendmail}, as it waits in the maildrop directory for pickup:
 * the envelope as given on the command line (after {@code -t}), and the content with CRLF line
 * ends.
 *
 * @param submitted when sendmail was run, epoch millis: the arrival time of the message
 * @param sender the envelope sender; {@code ""} is the null sender
 * @param envid the DSN envelope id, or {@code null}
 * @param content the message, CRLF line ends, not dot-stuffed; not copied
 */
public record Submission(
    long submitted,
    String sender,
    String envid,
    DsnRet ret,
    BodyType body,
    List<Recipient> recipients,
    byte[] content) {

  public Submission {
    Objects.requireNonNull(sender, "sender (use \"\" for the null sender)");
    Objects.requireNonNull(ret, "ret");
    Objects.requireNonNull(body, "body");
    recipients = List.copyOf(recipients);
    Objects.requireNonNull(content, "content");
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a message needs at least one recipient");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Submission s
        && submitted == s.submitted
        && sender.equals(s.sender)
        && Objects.equals(envid, s.envid)
        && ret == s.ret
        && body == s.body
        && recipients.equals(s.recipients)
        && Arrays.equals(content, s.content);
  }

  @Override
  public int hashCode() {
    return Objects.hash(submitted, sender, envid, ret, body, recipients) * 31
        + Arrays.hashCode(content);
  }

  @Override
  public String toString() {
    return "Submission[from=<" + sender + ">, nrcpt=" + recipients.size() + ", size="
        + content.length + "]";
  }
}
