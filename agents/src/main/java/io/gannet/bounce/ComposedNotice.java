package io.gannet.bounce;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalRecord;
import java.util.List;
import java.util.Objects;

/**
 * A notice ready to queue: its envelope and its content, a complete message with CRLF line ends.
 *
 * @param queueId the notice's own queue id (named in its Message-ID)
 * @param sender its envelope sender: {@code ""}, or {@code double_bounce_sender@$myorigin}
 * @param recipient its one envelope recipient
 * @param messageId the {@code Message-ID:} value, with angle brackets
 * @param smtputf8 whether it must travel with SMTPUTF8 (the original did)
 * @param body {@code 8BITMIME} when the content has 8-bit octets, else {@code 7BIT}
 * @param content headers and body
 */
public record ComposedNotice(
    QueueId queueId,
    String sender,
    String recipient,
    String messageId,
    boolean smtputf8,
    BodyType body,
    byte[] content) {

  /** The client of notice messages: Gannet itself, protocol {@code BOUNCE}. */
  public static final ClientInfo CLIENT = new ClientInfo("127.0.0.1", "localhost", "", "BOUNCE");

  public ComposedNotice {
    Objects.requireNonNull(queueId, "queueId");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(content, "content");
  }

  /** True when {@code client} marks a message Gannet made as a notice. */
  public static boolean isNotice(ClientInfo client) {
    return client != null && CLIENT.protocol().equals(client.protocol());
  }

  /**
   * The {@code Accepted} record that queues this notice, received at {@code time}, from {@link
   * #CLIENT}. Loops are stopped by the sender: {@link NoticePolicy} sends nothing to the null
   * sender and never bounces mail from {@code double_bounce_sender}.
   */
  public JournalRecord.Accepted accepted(long time) {
    return new JournalRecord.Accepted(
        queueId,
        time,
        CLIENT,
        sender,
        null,
        DsnRet.DEFAULT,
        body,
        smtputf8,
        List.of(Recipient.of(recipient)),
        content);
  }
}
