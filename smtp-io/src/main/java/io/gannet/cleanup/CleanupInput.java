package io.gannet.cleanup;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import java.util.List;

/**
 * One message as smtpd or sendmail received it.
 *
 * @param content the message as received, CRLF line ends, dot-unstuffed; not copied
 * @param localSubmission true for sendmail/local submissions (adds a missing {@code From:})
 */
public record CleanupInput(
    QueueId queueId,
    long arrivalMillis,
    ClientInfo client,
    String sender,
    String envid,
    DsnRet ret,
    BodyType body,
    boolean smtputf8,
    List<Recipient> recipients,
    byte[] content,
    boolean localSubmission) {}
