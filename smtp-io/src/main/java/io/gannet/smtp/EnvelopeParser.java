package io.gannet.smtp;

import io.gannet.global.BodyType;
import io.gannet.global.DsnRet;
import io.gannet.global.Recipient;

/**
 * Parses the arguments of MAIL FROM and RCPT TO (RFC 5321 4.1.2, with the ESMTP parameters of SIZE
 * RFC 1870, 8BITMIME RFC 6152, DSN RFC 3461, SMTPUTF8 RFC 6531). Hand-written, no regular
 * expressions; errors carry Postfix's reply texts. Address checks are syntactic only: what an
 * address means is for trivial-rewrite and cleanup.
 *
 * <p>Like Postfix ({@code strict_rfc821_envelopes = no}) it tolerates a space after the colon and
 * an address without angle brackets; a source route ({@code <@a,@b:user@c>}) is dropped.
 */
public final class EnvelopeParser {

  /** Longest address accepted (RFC 5321 allows 256 octets for a path). */
  public static final int MAX_ADDRESS_LENGTH = 512;

  /** Longest ENVID (RFC 3461 4.4) and ORCPT (RFC 3461 4.2) accepted. */
  static final int MAX_ENVID_LENGTH = 100;

  static final int MAX_ORCPT_LENGTH = 500;

  private EnvelopeParser() {}

  /** Parses the argument of MAIL (the text after {@code MAIL }). */
  public static MailFrom parseMail(String arg) throws SmtpSyntaxException {
    int p = prefix(arg, "FROM:");
    if (p < 0) {
      throw syntax("501", "Syntax: MAIL FROM:<address>");
    }
    int[] end = new int[1];
    String address = path(arg, p, end);
    if (address == null) {
      throw syntax("501", "Syntax: MAIL FROM:<address>");
    }
    long size = -1;
    BodyType body = BodyType.UNSPECIFIED;
    DsnRet ret = DsnRet.DEFAULT;
    String envid = null;
    boolean smtputf8 = false;
    int i = end[0];
    while (i < arg.length()) {
      int ws = skipSpaces(arg, i);
      if (ws == arg.length()) {
        break;
      }
      int te = tokenEnd(arg, ws);
      int eq = arg.indexOf('=', ws);
      String key = arg.substring(ws, eq >= 0 && eq < te ? eq : te);
      String value = eq >= 0 && eq < te ? arg.substring(eq + 1, te) : null;
      i = te;
      switch (key.toUpperCase(java.util.Locale.ROOT)) {
        case "SIZE":
          if (size >= 0) {
            throw syntax("501", "Error: duplicate SIZE parameter");
          }
          size = parseSize(value);
          break;
        case "BODY":
          if (body != BodyType.UNSPECIFIED) {
            throw syntax("501", "Error: duplicate BODY parameter");
          }
          if ("7BIT".equalsIgnoreCase(value)) {
            body = BodyType.SEVEN_BIT;
          } else if ("8BITMIME".equalsIgnoreCase(value)) {
            body = BodyType.EIGHT_BIT_MIME;
          } else {
            throw syntax("501", "Bad BODY keyword syntax");
          }
          break;
        case "RET":
          if (ret != DsnRet.DEFAULT) {
            throw syntax("501", "Error: duplicate RET parameter");
          }
          if ("FULL".equalsIgnoreCase(value)) {
            ret = DsnRet.FULL;
          } else if ("HDRS".equalsIgnoreCase(value)) {
            ret = DsnRet.HDRS;
          } else {
            throw syntax("501", "Bad RET parameter syntax");
          }
          break;
        case "ENVID":
          if (envid != null) {
            throw syntax("501", "Error: duplicate ENVID parameter");
          }
          envid = value == null ? null : Xtext.decode(value);
          if (envid == null || envid.isEmpty() || envid.length() > MAX_ENVID_LENGTH) {
            throw syntax("501", "Bad ENVID parameter syntax");
          }
          break;
        case "SMTPUTF8":
          if (value != null) {
            throw syntax("501", "Bad SMTPUTF8 parameter syntax");
          }
          smtputf8 = true;
          break;
        default:
          throw new SmtpSyntaxException(555, "5.5.4", "Unsupported option: " + key);
      }
    }
    if (!address.isEmpty()) {
      checkMailbox(address, smtputf8, "501", "5.1.7", "Bad sender address syntax");
    }
    return new MailFrom(address, size, body, ret, envid, smtputf8);
  }

  /** Parses the argument of RCPT (the text after {@code RCPT }); SMTPUTF8 as MAIL declared. */
  public static RcptTo parseRcpt(String arg, boolean smtputf8) throws SmtpSyntaxException {
    int p = prefix(arg, "TO:");
    if (p < 0) {
      throw syntax("501", "Syntax: RCPT TO:<address>");
    }
    int[] end = new int[1];
    String address = path(arg, p, end);
    if (address == null || address.isEmpty()) {
      throw syntax("501", "Syntax: RCPT TO:<address>");
    }
    int notify = -1;
    String orcpt = null;
    int i = end[0];
    while (i < arg.length()) {
      int ws = skipSpaces(arg, i);
      if (ws == arg.length()) {
        break;
      }
      int te = tokenEnd(arg, ws);
      int eq = arg.indexOf('=', ws);
      String key = arg.substring(ws, eq >= 0 && eq < te ? eq : te);
      String value = eq >= 0 && eq < te ? arg.substring(eq + 1, te) : null;
      i = te;
      switch (key.toUpperCase(java.util.Locale.ROOT)) {
        case "NOTIFY":
          if (notify >= 0) {
            throw syntax("501", "Error: duplicate NOTIFY parameter");
          }
          notify = parseNotify(value);
          break;
        case "ORCPT":
          if (orcpt != null) {
            throw syntax("501", "Error: duplicate ORCPT parameter");
          }
          orcpt = parseOrcpt(value, smtputf8);
          break;
        default:
          throw new SmtpSyntaxException(555, "5.5.4", "Unsupported option: " + key);
      }
    }
    checkMailbox(address, smtputf8, "501", "5.1.3", "Bad recipient address syntax");
    return new RcptTo(address, Math.max(notify, 0), orcpt);
  }

  // ---- Parameters ------------------------------------------------------------------------

  private static long parseSize(String value) throws SmtpSyntaxException {
    if (value == null || value.isEmpty() || value.length() > 18) {
      throw syntax("501", "Bad message size syntax");
    }
    long v = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw syntax("501", "Bad message size syntax");
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int parseNotify(String value) throws SmtpSyntaxException {
    if (value == null || value.isEmpty()) {
      throw syntax("501", "Error: Bad NOTIFY parameter syntax");
    }
    int flags = 0;
    int start = 0;
    while (start <= value.length()) {
      int comma = value.indexOf(',', start);
      int stop = comma < 0 ? value.length() : comma;
      String word = value.substring(start, stop);
      int bit;
      if ("NEVER".equalsIgnoreCase(word)) {
        bit = Recipient.NOTIFY_NEVER;
      } else if ("SUCCESS".equalsIgnoreCase(word)) {
        bit = Recipient.NOTIFY_SUCCESS;
      } else if ("FAILURE".equalsIgnoreCase(word)) {
        bit = Recipient.NOTIFY_FAILURE;
      } else if ("DELAY".equalsIgnoreCase(word)) {
        bit = Recipient.NOTIFY_DELAY;
      } else {
        throw syntax("501", "Error: Bad NOTIFY parameter syntax");
      }
      flags |= bit;
      if (comma < 0) {
        break;
      }
      start = comma + 1;
    }
    if ((flags & Recipient.NOTIFY_NEVER) != 0 && flags != Recipient.NOTIFY_NEVER) {
      throw syntax("501", "Error: Bad NOTIFY parameter syntax");
    }
    return flags;
  }

  private static String parseOrcpt(String value, boolean smtputf8) throws SmtpSyntaxException {
    int semi = value == null ? -1 : value.indexOf(';');
    if (semi <= 0 || semi == value.length() - 1 || value.length() > MAX_ORCPT_LENGTH) {
      throw syntax("501", "Error: Bad ORCPT parameter syntax");
    }
    String type = value.substring(0, semi);
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 0x80) && c != '-') {
        throw syntax("501", "Error: Bad ORCPT parameter syntax");
      }
    }
    String raw = value.substring(semi + 1);
    String decoded;
    if (smtputf8 && "utf-8".equalsIgnoreCase(type) && hasNonAscii(raw)) {
      decoded = raw; // RFC 6533 utf-8-addr-unitext: kept as sent
    } else {
      decoded = Xtext.decode(raw);
    }
    if (decoded == null || decoded.isEmpty()) {
      throw syntax("501", "Error: Bad ORCPT parameter syntax");
    }
    return type + ";" + decoded;
  }

  // ---- Paths and mailboxes ---------------------------------------------------------------

  /** Index after {@code word} (any case) and optional spaces, or -1 when arg does not start so. */
  private static int prefix(String arg, String word) {
    if (!arg.regionMatches(true, 0, word, 0, word.length())) {
      return -1;
    }
    return skipSpaces(arg, word.length());
  }

  /**
   * The address of the path at {@code start} (brackets and source route removed), with the index
   * after it in {@code end[0]}; {@code null} when the path is malformed.
   */
  private static String path(String arg, int start, int[] end) {
    if (start >= arg.length()) {
      return null;
    }
    String address;
    int after;
    if (arg.charAt(start) == '<') {
      int close = closingBracket(arg, start + 1);
      if (close < 0) {
        return null;
      }
      address = arg.substring(start + 1, close);
      after = close + 1;
    } else {
      after = tokenEnd(arg, start);
      address = arg.substring(start, after);
    }
    if (after < arg.length() && arg.charAt(after) != ' ' && arg.charAt(after) != '\t') {
      return null;
    }
    if (address.startsWith("@")) {
      int colon = address.indexOf(':');
      if (colon < 0) {
        return null;
      }
      address = address.substring(colon + 1);
    }
    end[0] = after;
    return address;
  }

  private static int closingBracket(String s, int from) {
    boolean quoted = false;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '>' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  /** Throws unless {@code address} is a plausible mailbox (or a bare local part). */
  private static void checkMailbox(
      String address, boolean smtputf8, String code, String status, String text)
      throws SmtpSyntaxException {
    if (address.length() > MAX_ADDRESS_LENGTH) {
      throw new SmtpSyntaxException(Integer.parseInt(code), status, text);
    }
    boolean quoted = false;
    int at = -1;
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new SmtpSyntaxException(Integer.parseInt(code), status, text);
      }
      if (c >= 0x80 && !smtputf8) {
        throw new SmtpSyntaxException(
            553, "5.6.7", "Must declare SMTPUTF8 to send unicode address");
      }
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
        continue;
      }
      switch (c) {
        case '"':
          quoted = true;
          break;
        case '@':
          at = i;
          break;
        case ' ':
        case '\t':
        case '<':
        case '>':
        case '(':
        case ')':
        case ',':
        case ';':
        case '\\':
          throw new SmtpSyntaxException(Integer.parseInt(code), status, text);
        default:
          break;
      }
    }
    if (quoted || at == 0 || at == address.length() - 1) {
      throw new SmtpSyntaxException(Integer.parseInt(code), status, text);
    }
    if (at > 0 && !validDomain(address, at + 1)) {
      throw new SmtpSyntaxException(Integer.parseInt(code), status, text);
    }
  }

  private static boolean validDomain(String s, int from) {
    if (s.charAt(from) == '[') {
      return s.charAt(s.length() - 1) == ']' && s.length() - from > 2;
    }
    char prev = '.';
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c >= 0x80;
      if (c == '.') {
        if (prev == '.') {
          return false;
        }
      } else if (!ok) {
        return false;
      }
      prev = c;
    }
    return prev != '.' || s.length() - from == 0;
  }

  private static boolean hasNonAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return true;
      }
    }
    return false;
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int tokenEnd(String s, int i) {
    while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
      i++;
    }
    return i;
  }

  private static SmtpSyntaxException syntax(String code, String text) {
    return new SmtpSyntaxException(Integer.parseInt(code), "5.5.4", text);
  }
}
