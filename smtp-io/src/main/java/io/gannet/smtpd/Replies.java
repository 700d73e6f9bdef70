package io.gannet.smtpd;

import io.gannet.smtp.SmtpReply;
import io.netty.buffer.ByteBuf;

/** smtpd's fixed replies, Postfix's texts, encoded once. Write them with {@code duplicate()}. */
final class Replies {

  private Replies() {}

  static final ByteBuf OK = c(250, "2.0.0", "Ok");
  static final ByteBuf MAIL_OK = c(250, "2.1.0", "Ok");
  static final ByteBuf RCPT_OK = c(250, "2.1.5", "Ok");
  static final ByteBuf START_DATA = c(354, "", "End data with <CR><LF>.<CR><LF>");
  static final ByteBuf BYE = c(221, "2.0.0", "Bye");
  static final ByteBuf GOODBYE = c(221, "2.7.0", "Error: I can break rules, too. Goodbye.");
  static final ByteBuf HELP =
      c(214, "2.0.0", "Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP VRFY ETRN HELP QUIT");
  static final ByteBuf QUEUING_STARTED = c(250, "", "Queuing started");

  static final SmtpReply HELO_SYNTAX = r(501, "5.5.4", "Syntax: HELO hostname");
  static final SmtpReply EHLO_SYNTAX = r(501, "5.5.4", "Syntax: EHLO hostname");
  static final SmtpReply NESTED_MAIL = r(503, "5.5.1", "Error: nested MAIL command");
  static final SmtpReply NEED_MAIL = r(503, "5.5.1", "Error: need MAIL command");
  static final SmtpReply NEED_RCPT = r(503, "5.5.1", "Error: need RCPT command");
  static final SmtpReply DATA_SYNTAX = r(501, "5.5.4", "Syntax: DATA");
  static final SmtpReply RSET_SYNTAX = r(501, "5.5.4", "Syntax: RSET");
  static final SmtpReply VRFY_SYNTAX = r(501, "5.5.4", "Syntax: VRFY address");
  static final SmtpReply VRFY_DISABLED = r(502, "5.5.1", "VRFY command is disabled");
  static final SmtpReply ETRN_SYNTAX = r(500, "5.5.4", "Syntax: ETRN domain");
  static final SmtpReply ETRN_IN_TRANSACTION =
      r(503, "5.5.1", "Error: MAIL transaction in progress");
  static final SmtpReply SEND_HELO_FIRST = r(503, "5.5.1", "Error: send HELO/EHLO first");
  static final SmtpReply BDAT_SYNTAX = r(501, "5.5.4", "Syntax: BDAT count [LAST]");
  static final SmtpReply DATA_AFTER_BDAT =
      r(503, "5.5.1", "Error: DATA and BDAT cannot be mixed in one transaction");
  static final SmtpReply TOO_MANY_RECIPIENTS = r(452, "4.5.3", "Error: too many recipients");
  static final SmtpReply SIZE_EXCEEDED = r(552, "5.3.4", "Message size exceeds fixed limit");
  static final SmtpReply BARE_LF_DATA = r(550, "5.5.2", "Error: bare <LF> received");
  static final SmtpReply BARE_CR_DATA = r(550, "5.5.2", "Error: bare <CR> received");
  static final SmtpReply BARE_LF_COMMAND = r(500, "5.5.2", "Error: bare <LF> received");
  static final SmtpReply BARE_CR_COMMAND = r(500, "5.5.2", "Error: bare <CR> received");
  static final SmtpReply LINE_TOO_LONG = r(500, "5.5.0", "Error: line too long");
  static final SmtpReply BAD_UTF8 = r(500, "5.5.2", "Error: bad UTF-8 syntax");
  static final SmtpReply BAD_SYNTAX = r(500, "5.5.2", "Error: bad syntax");
  static final SmtpReply NOT_RECOGNIZED = r(502, "5.5.2", "Error: command not recognized");
  static final SmtpReply WRITE_ERROR = r(451, "4.3.0", "Error: queue file write error");

  private static ByteBuf c(int code, String status, String text) {
    return new SmtpReply(code, status, text).constant();
  }

  private static SmtpReply r(int code, String status, String text) {
    return new SmtpReply(code, status, text);
  }
}
