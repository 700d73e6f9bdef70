package io.gannet.cleanup;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One result of a header_checks or body_checks table, Postfix's header_checks(5) actions:
 *
 * <ul>
 *   <li>{@code REJECT [text]}: refuse the message, 550 (450 when the text starts with a 4.x.x
 *       code); default text {@code 5.7.1 message content rejected};
 *   <li>{@code DEFER [text]}: refuse it for now, 450; default {@code 4.7.1 message content
 *       deferred};
 *   <li>{@code DISCARD [text]}: claim delivery, drop the message;
 *   <li>{@code HOLD [text]}: accept and put it on hold;
 *   <li>{@code WARN [text]}, {@code INFO [text]}: log only;
 *   <li>{@code IGNORE}: delete this header or body line;
 *   <li>{@code OK}, {@code DUNNO}: nothing.
 * </ul>
 *
 * An action the code does not know ({@code PREPEND}, {@code REDIRECT}...) is {@link Kind#UNKNOWN}
 * and is logged and otherwise ignored, as Postfix does with unknown commands.
 */
record CheckAction(Kind kind, String text) {

  enum Kind {
    REJECT,
    DEFER,
    DISCARD,
    HOLD,
    WARN,
    INFO,
    IGNORE,
    DUNNO,
    UNKNOWN
  }

  private static final Pattern DSN = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

  static CheckAction parse(String result) {
    String r = result.strip();
    int sp = 0;
    while (sp < r.length() && !Character.isWhitespace(r.charAt(sp))) {
      sp++;
    }
    String word = r.substring(0, sp).toUpperCase(Locale.ROOT);
    String text = r.substring(sp).strip();
    switch (word) {
      case "REJECT":
        return new CheckAction(Kind.REJECT, text);
      case "DEFER":
        return new CheckAction(Kind.DEFER, text);
      case "DISCARD":
        return new CheckAction(Kind.DISCARD, text);
      case "HOLD":
        return new CheckAction(Kind.HOLD, text);
      case "WARN":
        return new CheckAction(Kind.WARN, text);
      case "INFO":
        return new CheckAction(Kind.INFO, text);
      case "IGNORE":
        return new CheckAction(Kind.IGNORE, text);
      case "OK":
      case "DUNNO":
        return new CheckAction(Kind.DUNNO, text);
      default:
        return new CheckAction(Kind.UNKNOWN, r);
    }
  }

  /** The refusal this REJECT or DEFER action means, with Postfix's defaults. */
  CleanupResult.Reject toReject() {
    boolean temporary = kind == Kind.DEFER;
    String defaultDsn = temporary ? "4.7.1" : "5.7.1";
    String defaultText = temporary ? "message content deferred" : "message content rejected";
    String dsn = defaultDsn;
    String msg = text.isEmpty() ? defaultText : text;
    int sp = msg.indexOf(' ');
    String head = sp < 0 ? msg : msg.substring(0, sp);
    if (DSN.matcher(head).matches() && head.charAt(0) != '2') {
      dsn = head;
      msg = sp < 0 ? defaultText : msg.substring(sp + 1).strip();
    }
    int code = dsn.charAt(0) == '4' ? 450 : 550;
    return new CleanupResult.Reject(code, dsn, msg);
  }
}
