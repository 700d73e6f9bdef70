package io.gannet.smtpd;

import io.gannet.smtp.SmtpVerb;

/**
 * Per-session command counters for Postfix's disconnect line: {@code disconnect from NAME[ADDR]
 * ehlo=1 mail=1 rcpt=0/1 data=1 quit=1 commands=4/5}. A verb appears only when used; {@code
 * ok/total} when some failed, else just the total. Order as Postfix's command table.
 */
final class CommandStats {

  private static final SmtpVerb[] ORDER = {
    SmtpVerb.HELO, SmtpVerb.EHLO, SmtpVerb.MAIL, SmtpVerb.RCPT, SmtpVerb.DATA, SmtpVerb.BDAT,
    SmtpVerb.RSET, SmtpVerb.NOOP, SmtpVerb.VRFY, SmtpVerb.ETRN, SmtpVerb.HELP, SmtpVerb.QUIT,
    SmtpVerb.UNKNOWN
  };

  private final int[] total = new int[SmtpVerb.values().length];
  private final int[] ok = new int[SmtpVerb.values().length];

  /** A command was received. */
  void attempt(SmtpVerb verb) {
    total[verb.ordinal()]++;
  }

  /** A command of that verb succeeded (its final reply was not an error). */
  void success(SmtpVerb verb) {
    ok[verb.ordinal()]++;
  }

  /** {@code " ehlo=1 mail=1 ... commands=N"} (with a leading space), or {@code ""} if none. */
  String summary() {
    StringBuilder sb = new StringBuilder(64);
    int allOk = 0;
    int all = 0;
    for (SmtpVerb v : ORDER) {
      int t = total[v.ordinal()];
      if (t == 0) {
        continue;
      }
      int o = ok[v.ordinal()];
      allOk += o;
      all += t;
      sb.append(' ').append(v.name().toLowerCase(java.util.Locale.ROOT)).append('=');
      append(sb, o, t);
    }
    sb.append(" commands=");
    append(sb, allOk, all);
    return sb.toString();
  }

  private static void append(StringBuilder sb, int ok, int total) {
    if (ok != total) {
      sb.append(ok).append('/');
    }
    sb.append(total);
  }
}
