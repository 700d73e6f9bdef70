/**
 * lmtp - the LMTP client delivery agent, Postfix's lmtp(8): {@link
 * io.gannet.agent.lmtp.LmtpAgent}, the smtp client of {@code io.gannet.agent.smtp} in LMTP mode.
 */
package io.gannet.agent.lmtp;
