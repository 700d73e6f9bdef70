package io.gannet.showq;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/** Times and durations as the queue commands take them on the command line. */
public final class TimeArgs {
  private TimeArgs() {}

  /**
   * A duration: a number with an optional unit as in main.cf ({@code s} seconds, the default,
   * {@code m}, {@code h}, {@code d}, {@code w}), or ISO-8601 ({@code PT90M}, {@code P2D}).
   *
   * @throws IllegalArgumentException naming the bad text
   */
  public static Duration duration(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    if (s.charAt(0) == 'P' || s.charAt(0) == 'p') {
      try {
        Duration d = Duration.parse(s);
        if (d.isNegative()) {
          throw new IllegalArgumentException("negative duration: " + text);
        }
        return d;
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("bad duration '" + text + "'");
      }
    }
    char unit = s.charAt(s.length() - 1);
    String digits = Character.isDigit(unit) ? s : s.substring(0, s.length() - 1);
    long seconds;
    switch (Character.isDigit(unit) ? 's' : unit) {
      case 's' -> seconds = 1;
      case 'm' -> seconds = 60;
      case 'h' -> seconds = 3600;
      case 'd' -> seconds = 86400;
      case 'w' -> seconds = 7 * 86400;
      default -> throw new IllegalArgumentException("bad duration '" + text
          + "' (use a number with s, m, h, d or w, or ISO-8601 such as PT90M)");
    }
    try {
      long n = Long.parseLong(digits);
      if (n < 0 || digits.startsWith("+") || digits.startsWith("-")) {
        throw new NumberFormatException();
      }
      return Duration.ofSeconds(Math.multiplyExact(n, seconds));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("bad duration '" + text
          + "' (use a number with s, m, h, d or w, or ISO-8601 such as PT90M)");
    }
  }

  /**
   * A moment, as epoch milliseconds: all digits are epoch milliseconds; otherwise ISO-8601, with
   * an offset ({@code 2026-11-23T17:15:57Z}, {@code ...+01:00}) or without one (then in {@code
   * zone}), or a date alone (its start in {@code zone}).
   *
   * @throws IllegalArgumentException naming the bad text
   */
  public static long instant(String text, ZoneId zone) {
    String s = text.trim();
    if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad time '" + text + "': too large");
      }
    }
    try {
      return Instant.parse(s).toEpochMilli();
    } catch (DateTimeException e) {
      // try the other forms
    }
    try {
      return OffsetDateTime.parse(s).toInstant().toEpochMilli();
    } catch (DateTimeException e) {
      // try the other forms
    }
    try {
      return LocalDateTime.parse(s).atZone(zone).toInstant().toEpochMilli();
    } catch (DateTimeException e) {
      // try the other forms
    }
    try {
      return LocalDate.parse(s).atStartOfDay(zone).toInstant().toEpochMilli();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("bad time '" + text + "' (use ISO-8601 such as "
          + "2026-11-23T17:15:57Z or 2026-11-23T17:15:57, or epoch milliseconds)");
    }
  }
}
