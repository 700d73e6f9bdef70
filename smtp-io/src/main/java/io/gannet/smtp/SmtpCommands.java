package io.gannet.smtp;

import java.nio.charset.StandardCharsets;

/**
 * Client-side command encoding (RFC 5321, with the ESMTP parameters of RFC 1870 SIZE, RFC 6152
 * BODY, RFC 6531 SMTPUTF8 and RFC 3461 DSN). Each method returns one command line without CRLF.
 * No policy: the caller decides which parameters the server may be sent; {@code null} (or a
 * negative size) leaves a parameter out.
 *
 * <p>Every text that reaches a command is checked: a CR, LF or NUL, or any other control
 * character, in an address, a host name or a parameter would let data become commands, so it is
 * refused with {@link IllegalArgumentException}.
 */
public final class SmtpCommands {

  public static final String DATA = "DATA";
  public static final String RSET = "RSET";
  public static final String QUIT = "QUIT";
  /** The end of the message content (after the content's own last CRLF). */
  public static final String END_OF_DATA = ".";

  private SmtpCommands() {}

  public static String ehlo(String hostname) {
    return "EHLO " + checked("EHLO name", hostname);
  }

  public static String helo(String hostname) {
    return "HELO " + checked("HELO name", hostname);
  }

  /** LMTP's greeting (RFC 2033). */
  public static String lhlo(String hostname) {
    return "LHLO " + checked("LHLO name", hostname);
  }

  /**
   * {@code MAIL FROM:<sender>} with its parameters.
   *
   * @param size {@code SIZE=} in bytes, or negative for none
   * @param body {@code BODY=} value ({@code 8BITMIME}, {@code 7BIT}) or null
   * @param smtputf8 whether to add {@code SMTPUTF8}
   * @param ret {@code RET=} value ({@code FULL}, {@code HDRS}) or null
   * @param envid the DSN envelope id as printable ASCII (xtext-encoded here), or null
   */
  public static String mailFrom(
      String sender, long size, String body, boolean smtputf8, String ret, String envid) {
    StringBuilder sb = new StringBuilder(64 + sender.length());
    sb.append("MAIL FROM:<").append(checked("sender", sender)).append('>');
    if (size >= 0) {
      sb.append(" SIZE=").append(size);
    }
    if (body != null) {
      sb.append(" BODY=").append(checked("BODY", body));
    }
    if (smtputf8) {
      sb.append(" SMTPUTF8");
    }
    if (ret != null) {
      sb.append(" RET=").append(checked("RET", ret));
    }
    if (envid != null) {
      if (!isAscii(envid)) {
        throw new IllegalArgumentException("ENVID is not ASCII");
      }
      sb.append(" ENVID=").append(Xtext.encode(checked("ENVID", envid)));
    }
    return sb.toString();
  }

  /**
   * {@code RCPT TO:<address>} with its DSN parameters.
   *
   * @param notify the {@code NOTIFY=} value ({@code SUCCESS,FAILURE}, {@code NEVER}) or null
   * @param orcpt the original recipient as {@code type;address}, decoded (as smtpd keeps it), or
   *     null; encoded here with {@link #orcpt}
   */
  public static String rcptTo(String address, String notify, String orcpt) {
    StringBuilder sb = new StringBuilder(48 + address.length());
    sb.append("RCPT TO:<").append(checked("recipient", address)).append('>');
    if (notify != null) {
      sb.append(" NOTIFY=").append(checked("NOTIFY", notify));
    }
    if (orcpt != null) {
      sb.append(" ORCPT=").append(orcpt(orcpt));
    }
    return sb.toString();
  }

  /**
   * The {@code ORCPT=} value for a decoded {@code type;address}: xtext for {@code rfc822} and
   * other types (RFC 3461 4.2); for {@code utf-8} the utf-8-addr-xtext form of RFC 6533, where
   * characters outside printable ASCII, {@code +}, {@code =} and {@code \} become {@code
   * \x{HEX}}. An address of another type that holds non-ASCII is sent as {@code utf-8}.
   */
  public static String orcpt(String typeAndAddress) {
    int semi = typeAndAddress.indexOf(';');
    if (semi <= 0 || semi == typeAndAddress.length() - 1) {
      throw new IllegalArgumentException("bad ORCPT: " + typeAndAddress);
    }
    String type = checked("ORCPT type", typeAndAddress.substring(0, semi));
    String addr = checked("ORCPT", typeAndAddress.substring(semi + 1));
    if (type.equalsIgnoreCase("utf-8") || !isAscii(addr)) {
      return "utf-8;" + utf8AddrXtext(addr);
    }
    return type + ";" + Xtext.encode(addr);
  }

  /** RFC 6533 utf-8-addr-xtext. */
  static String utf8AddrXtext(String addr) {
    StringBuilder sb = new StringBuilder(addr.length() + 8);
    addr.codePoints()
        .forEach(
            cp -> {
              if (cp < '!' || cp > '~' || cp == '+' || cp == '=' || cp == '\\') {
                sb.append("\\x{").append(Integer.toHexString(cp).toUpperCase()).append('}');
              } else {
                sb.appendCodePoint(cp);
              }
            });
    return sb.toString();
  }

  /** True when {@code s} is all ASCII. */
  public static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** The bytes of a command line with its CRLF, in UTF-8. */
  public static byte[] line(String command) {
    byte[] text = command.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[text.length + 2];
    System.arraycopy(text, 0, out, 0, text.length);
    out[text.length] = '\r';
    out[text.length + 1] = '\n';
    return out;
  }

  /** {@code value} when it holds no control character; else IllegalArgumentException. */
  public static String checked(String what, String value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(
            what + " holds a control character (0x" + Integer.toHexString(c) + ")");
      }
    }
    return value;
  }
}
