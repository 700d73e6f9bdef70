/**
 * smtp - the SMTP (and LMTP) client delivery agent, Postfix's smtp(8).
 *
 * <p>{@link io.gannet.agent.smtp.SmtpAgent} takes delivery requests from qmgr for one next hop
 * each, finds the servers ({@link io.gannet.dns.MailHostResolver}: MX records, or the literal
 * {@code [host]:port}), and delivers every recipient of the request in one transaction per
 * server, trying the next server while recipients are still open. Results go back per recipient
 * with the server's reply in Postfix's words; log lines follow Postfix's format.
 *
 * <p>Trusts: qmgr's request (content is CRLF lines, not dot-stuffed). Does not trust: the
 * server's replies (malformed replies end the session), the addresses (control characters are
 * refused before they can become commands).
 *
 * <p>Parameters: see {@link io.gannet.agent.smtp.SmtpClientSettings}.
 *
 * <p>SEE ALSO {@code io.gannet.agent.lmtp}, {@code io.gannet.smtp} (the protocol engine),
 * Postfix smtp(8), scache(8).
 */
package io.gannet.agent.smtp;
