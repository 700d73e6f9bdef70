/**
 * NAME
 *
 * <p>bounce - delivery status notices (Postfix's bounce(8): bounce, defer and trace)
 *
 * <p>SUMMARY
 *
 * <p>Decides which notices a message owes and writes them as RFC 3464 reports. It is a library:
 * the journal reader that owns exactly-once (the {@code NoticeQueued} record) calls it.
 *
 * <p>DESCRIPTION
 *
 * <ul>
 *   <li>{@link io.gannet.bounce.NoticePolicy} reads a {@link io.gannet.journal.MessageState} and
 *       says which notices are due, to whom and about which recipients ({@link
 *       io.gannet.bounce.DueNotice}): a bounce for failed recipients that asked for failure
 *       notices (the default), a delay warning once {@code delay_warning_time} has passed, a
 *       success report for recipients with {@code NOTIFY=SUCCESS}. Mail from the null sender gets
 *       no notice; its bounces go to {@code 2bounce_notice_recipient} when {@code notify_classes}
 *       says so, and mail from {@code double_bounce_sender} is never bounced at all.
 *   <li>{@link io.gannet.bounce.NoticeRequest} gathers what one notice reports: the original
 *       envelope and content, and one {@link io.gannet.bounce.NoticeRequest.Entry} per recipient.
 *   <li>{@link io.gannet.bounce.NoticeComposer} writes the notice: a complete message, CRLF line
 *       ends, {@code multipart/report; report-type=delivery-status} with a human part, the
 *       {@code message/delivery-status} part and the original message (or its headers), or the
 *       RFC 6533 {@code message/global*} types when the original was sent with SMTPUTF8.
 * </ul>
 *
 * <p>SECURITY
 *
 * <p>Envelope fields and remote replies are untrusted: control characters are replaced, long
 * fields folded, no line exceeds 998 octets, and an original message that would break those rules
 * is returned as headers only, or left out with a note in the notice.
 *
 * <p>CONFIGURATION PARAMETERS
 *
 * <ul>
 *   <li>{@code myhostname}: Reporting-MTA, the {@code From:} address and Message-ID domain
 *   <li>{@code myorigin}: qualifies {@code 2bounce_notice_recipient} and {@code
 *       double_bounce_sender}
 *   <li>{@code mail_name} (Gannet): named in the human part
 *   <li>{@code delay_warning_time} (0h: off): age at which one delay warning is sent
 *   <li>{@code maximal_queue_lifetime} (5d), {@code bounce_queue_lifetime} (5d): Will-Retry-Until
 *   <li>{@code notify_classes} (resource, software): {@code bounce} or {@code 2bounce} sends
 *       undeliverable null-sender mail to the postmaster
 *   <li>{@code 2bounce_notice_recipient} (postmaster), {@code double_bounce_sender}
 *       (double-bounce)
 *   <li>{@code bounce_size_limit} (50000): larger originals are returned as headers only
 * </ul>
 *
 * <p>SEE ALSO
 *
 * <p>RFC 3461 (DSN SMTP extension), RFC 3462/6522 (multipart/report), RFC 3463 (status codes),
 * RFC 3464 (delivery-status), RFC 3834 (Auto-Submitted), RFC 6533 (internationalized DSNs).
 */
package io.gannet.bounce;
