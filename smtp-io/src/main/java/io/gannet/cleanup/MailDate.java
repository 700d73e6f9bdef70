package io.gannet.cleanup;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Dates in message headers as Postfix writes them (mail_date): RFC 5322 date-time with the day of
 * month padded with a space and the zone's abbreviation as a comment, e.g. {@code Tue, 3 Mar 2026
 * 09:05:01 +0100 (CET)}. Always English names, whatever the JVM's locale.
 */
final class MailDate {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("EEE, ppd MMM yyyy HH:mm:ss xx", Locale.US);

  private MailDate() {}

  static String format(long epochMillis, ZoneId zone) {
    ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
    return FORMAT.format(t) + " (" + zone.getDisplayName(TextStyle.SHORT, Locale.US) + ")";
  }
}
