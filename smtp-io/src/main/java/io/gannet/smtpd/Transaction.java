package io.gannet.smtpd;

import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.smtp.ContentBuffer;
import io.gannet.smtp.MailFrom;
import java.util.ArrayList;
import java.util.List;

/**
 * One mail transaction, from MAIL FROM to the end of the message or RSET: the envelope so far, the
 * queue id (made when the first recipient is accepted, as Postfix opens its queue file) and the
 * content being received. Event-loop confined.
 */
final class Transaction {

  final MailFrom mail;
  final long arrivalMillis;
  final List<Recipient> recipients = new ArrayList<>();
  QueueId queueId;
  ContentBuffer content;

  /** BDAT was used in this transaction (DATA is then refused). */
  boolean bdat;

  Transaction(MailFrom mail, long arrivalMillis) {
    this.mail = mail;
    this.arrivalMillis = arrivalMillis;
  }

  /** Frees the content buffer, if any. */
  void release() {
    if (content != null) {
      content.release();
      content = null;
    }
  }
}
