package io.gannet.sendmail;

/**
 * {@code sendmail -F NAME}: a message without a {@code From:} header gets {@code From: NAME
 * <sender>} as its first header (cleanup would add only the bare sender). The name is written as
 * an RFC 5322 quoted string when it holds anything beyond atoms and spaces; control characters are
 * dropped, so the name cannot start a header of its own.
 */
public final class FromHeader {
  private static final String SPECIALS = "()<>[]:;@\\,.\"";

  private FromHeader() {}

  /**
   * The content, with a {@code From:} header when it has none.
   *
   * @param address the sender, fully qualified
   */
  public static byte[] withFullName(byte[] content, String fullName, String address) {
    MessageHeaders h = MessageHeaders.parse(content);
    if (h.has("From")) {
      return content;
    }
    return h.withFirst("From: " + phrase(fullName) + " <" + address + ">");
  }

  /** The display name as a phrase: as it is, or quoted. */
  static String phrase(String name) {
    StringBuilder clean = new StringBuilder(name.length());
    boolean quote = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < ' ' || c == 127) {
        continue;
      }
      if (SPECIALS.indexOf(c) >= 0) {
        quote = true;
      }
      clean.append(c);
    }
    String s = clean.toString().strip();
    if (!quote) {
      return s;
    }
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
