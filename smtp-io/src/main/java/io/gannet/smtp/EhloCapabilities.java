package io.gannet.smtp;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a server offers, read from its EHLO (or LHLO) reply: the server's name from the first line
 * and the extension keywords of the others (RFC 5321 4.1.1.1), case-insensitive. A server
 * greeted with HELO offers nothing ({@link #NONE}).
 *
 * @param sizeLimit the {@code SIZE} parameter: the largest message the server takes, {@code 0}
 *     when it offers SIZE without a number (no stated limit) or does not offer SIZE, as Postfix
 *     reads it
 */
public record EhloCapabilities(
    String serverName,
    boolean pipelining,
    boolean size,
    long sizeLimit,
    boolean eightBitMime,
    boolean dsn,
    boolean smtputf8,
    boolean enhancedStatusCodes,
    boolean chunking,
    boolean starttls,
    Set<String> keywords) {

  /** A server that did not take EHLO: no extensions. */
  public static final EhloCapabilities NONE =
      new EhloCapabilities("", false, false, 0, false, false, false, false, false, false, Set.of());

  public EhloCapabilities {
    keywords = Set.copyOf(keywords);
  }

  /** Reads the capabilities from a positive EHLO/LHLO reply. */
  public static EhloCapabilities parse(SmtpResponse ehlo) {
    List<String> texts = ehlo.texts();
    String first = texts.get(0).trim();
    int sp = first.indexOf(' ');
    String name = sp < 0 ? first : first.substring(0, sp);
    boolean pipelining = false;
    boolean size = false;
    long sizeLimit = 0;
    boolean eightBit = false;
    boolean dsn = false;
    boolean utf8 = false;
    boolean enhanced = false;
    boolean chunking = false;
    boolean starttls = false;
    Set<String> keywords = new LinkedHashSet<>();
    for (int i = 1; i < texts.size(); i++) {
      String[] words = texts.get(i).trim().split("[ \t=]+");
      if (words.length == 0 || words[0].isEmpty()) {
        continue;
      }
      String keyword = words[0].toUpperCase(Locale.ROOT);
      keywords.add(keyword);
      switch (keyword) {
        case "PIPELINING" -> pipelining = true;
        case "SIZE" -> {
          size = true;
          if (words.length > 1) {
            sizeLimit = parseSize(words[1]);
          }
        }
        case "8BITMIME" -> eightBit = true;
        case "DSN" -> dsn = true;
        case "SMTPUTF8" -> utf8 = true;
        case "ENHANCEDSTATUSCODES" -> enhanced = true;
        case "CHUNKING" -> chunking = true;
        case "STARTTLS" -> starttls = true;
        default -> {
          // other extensions are kept in keywords only
        }
      }
    }
    return new EhloCapabilities(
        name, pipelining, size, sizeLimit, eightBit, dsn, utf8, enhanced, chunking, starttls,
        keywords);
  }

  /** This server with 8BITMIME assumed (Postfix: a server that offers SMTPUTF8 takes 8-bit). */
  public EhloCapabilities withEightBitMime() {
    return new EhloCapabilities(
        serverName, pipelining, size, sizeLimit, true, dsn, smtputf8, enhancedStatusCodes,
        chunking, starttls, keywords);
  }

  private static long parseSize(String word) {
    if (word.isEmpty() || word.length() > 18) {
      return 0;
    }
    for (int i = 0; i < word.length(); i++) {
      if (!Character.isDigit(word.charAt(i)) || word.charAt(i) > '9') {
        return 0;
      }
    }
    return Long.parseLong(word);
  }
}
