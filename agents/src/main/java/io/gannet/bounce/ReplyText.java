package io.gannet.bounce;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the parts of a delivery reply as Gannet logs it, Postfix style: {@code host
 * mx.example.com[192.0.2.1] said: 550 5.1.1 no such user (in reply to RCPT TO command)}. The host
 * becomes the Remote-MTA and the server's own words the {@code smtp} Diagnostic-Code; any other
 * text (a connection failure, a local agent's message) is Gannet's own diagnostic.
 */
final class ReplyText {

  /** The diagnostic type of text Gannet wrote itself (RFC 3464 allows {@code X-} types). */
  static final String GANNET_TYPE = "X-Gannet";

  static final String SMTP_TYPE = "smtp";

  private static final Pattern HOST_SAID =
      Pattern.compile("^host ([^\\s\\[\\]]+)\\[[^\\]]*\\] said: (.*)$", Pattern.DOTALL);
  private static final Pattern IN_REPLY_TO =
      Pattern.compile("\\s*\\(in reply to [^()]*\\)\\s*$");
  private static final Pattern SMTP_REPLY = Pattern.compile("^[2-5][0-9][0-9](?:[ -].*)?$");
  private static final Pattern RELAY = Pattern.compile("^([^\\s\\[\\]]+)\\[[^\\]]*\\](?::\\d+)?$");
  private static final Pattern STATUS =
      Pattern.compile("(?:^|\\s)([245])\\.([0-9]{1,3})\\.([0-9]{1,3})(?=\\s|$)");

  /** The parsed reply: Remote-MTA host (or {@code null}), diagnostic type and text. */
  record Parsed(String remoteMta, String diagnosticType, String diagnostic) {}

  private ReplyText() {}

  /**
   * Splits {@code reply} (already cleaned of control characters). {@code relay} names the remote
   * host when the reply does not ({@code mx.example.com[192.0.2.1]:25}); {@code null} or a local
   * relay name ({@code local}, {@code none}) gives no Remote-MTA.
   */
  static Parsed parse(String reply, String relay) {
    String remote = null;
    String text = reply.trim();
    Matcher m = HOST_SAID.matcher(text);
    if (m.matches()) {
      remote = m.group(1);
      text = IN_REPLY_TO.matcher(m.group(2)).replaceFirst("").trim();
    }
    boolean smtp = SMTP_REPLY.matcher(text).matches();
    if (remote == null && smtp && relay != null) {
      Matcher r = RELAY.matcher(relay.trim());
      if (r.matches()) {
        remote = r.group(1);
      }
    }
    if (smtp) {
      return new Parsed(remote, SMTP_TYPE, text);
    }
    return new Parsed(remote, GANNET_TYPE, reply.trim());
  }

  /** The first enhanced status code of class {@code cls} in {@code text}, or {@code null}. */
  static String status(String text, char cls) {
    if (text == null) {
      return null;
    }
    Matcher m = STATUS.matcher(text);
    while (m.find()) {
      if (m.group(1).charAt(0) == cls) {
        return m.group(1) + "." + m.group(2) + "." + m.group(3);
      }
    }
    return null;
  }

  /** True when {@code status} is an RFC 3463 code: class.subject.detail, class 2, 4 or 5. */
  static boolean isStatus(String status) {
    return status != null && STATUS.matcher(status).matches();
  }
}
