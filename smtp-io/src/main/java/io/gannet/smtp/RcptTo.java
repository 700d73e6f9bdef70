package io.gannet.smtp;

/**
 * A parsed {@code RCPT TO:} command: the forward path and its DSN parameters. {@code notifyFlags}
 * is a set of {@code Recipient.NOTIFY_*} bits (0 when absent); {@code orcpt} is {@code
 * addr-type;value} with the value xtext-decoded, or {@code null}.
 */
public record RcptTo(String address, int notifyFlags, String orcpt) {}
