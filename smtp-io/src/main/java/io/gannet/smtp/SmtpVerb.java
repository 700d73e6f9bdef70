package io.gannet.smtp;

import io.netty.buffer.ByteBuf;

/**
 * The SMTP command verbs the server knows (RFC 5321, RFC 1985 ETRN, RFC 3030 BDAT), recognised
 * straight from the receive buffer without allocating: every verb is four letters, so a verb is one
 * upper-cased {@code int}.
 */
public enum SmtpVerb {
  HELO,
  EHLO,
  MAIL,
  RCPT,
  DATA,
  BDAT,
  RSET,
  NOOP,
  VRFY,
  ETRN,
  HELP,
  QUIT,
  /** Anything else (the decoder keeps its text for {@code smtpd_forbidden_commands}). */
  UNKNOWN;

  private final int packed;

  SmtpVerb() {
    String n = name();
    this.packed = n.length() == 4 ? pack(n.charAt(0), n.charAt(1), n.charAt(2), n.charAt(3)) : 0;
  }

  private static final SmtpVerb[] KNOWN = {
    HELO, EHLO, MAIL, RCPT, DATA, BDAT, RSET, NOOP, VRFY, ETRN, HELP, QUIT
  };

  private static int pack(int a, int b, int c, int d) {
    return (upper(a) << 24) | (upper(b) << 16) | (upper(c) << 8) | upper(d);
  }

  private static int upper(int c) {
    c &= 0xff;
    return c >= 'a' && c <= 'z' ? c - 32 : c;
  }

  /** The verb spelled by {@code length} bytes of {@code buf} at {@code index}, any case. */
  public static SmtpVerb lookup(ByteBuf buf, int index, int length) {
    if (length != 4) {
      return UNKNOWN;
    }
    int p =
        pack(
            buf.getByte(index),
            buf.getByte(index + 1),
            buf.getByte(index + 2),
            buf.getByte(index + 3));
    for (SmtpVerb v : KNOWN) {
      if (v.packed == p) {
        return v;
      }
    }
    return UNKNOWN;
  }
}
