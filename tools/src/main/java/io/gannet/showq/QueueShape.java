package io.gannet.showq;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The shape of the queue, as Postfix's {@code qshape}: one row per recipient domain, one column
 * per message age, counting pending recipients. Columns: {@code T} (the total), then ages in
 * minutes doubling from 5: a recipient counts under 5 when its message is less than 5 minutes
 * old, under 10 when 5 to 10, ... under 1280 when 640 to 1280, and under {@code 1280+} when
 * older. The first row is {@code TOTAL}; the others follow by count, largest first (then shorter
 * name, then name). Layout as qshape's with an 80-column terminal: each column as wide as its
 * heading or the total below it, plus one space (at least 3); the domain column takes the rest (at
 * least 18), names right-aligned, a longer name shown as {@code +} and its last characters.
 * Domains are the part after the last {@code @}, lower-cased, without leading or trailing dots.
 * Not thread-safe.
 */
public final class QueueShape {

  static final String[] HEADINGS =
      {"T", "5", "10", "20", "40", "80", "160", "320", "640", "1280", "1280+"};
  private static final int BUCKETS = HEADINGS.length - 1;
  private static final long TICK_MILLIS = 5 * 60_000L;
  private static final int WIDTH = 80;
  private static final int MIN_DOMAIN_WIDTH = 18;
  private static final String TOTAL = "TOTAL";

  private final long now;
  private final Map<String, long[]> rows = new HashMap<>();
  private final long[] total = new long[HEADINGS.length];

  /** A shape whose ages are counted back from {@code nowMillis}. */
  public QueueShape(long nowMillis) {
    this.now = nowMillis;
  }

  /** Counts the pending recipients of {@code m} that {@code recipients} accepts. */
  public void add(QueuedMessage m, Predicate<String> recipients) {
    int bucket = bucket(now - m.state().arrivalTime());
    for (int i : m.state().pending()) {
      String address = m.state().recipients().get(i).address();
      if (!recipients.test(address)) {
        continue;
      }
      long[] row = rows.computeIfAbsent(domain(address), d -> new long[HEADINGS.length]);
      row[0]++;
      row[bucket]++;
      total[0]++;
      total[bucket]++;
    }
  }

  /**
   * The column (1 to 10) of a message of this age: 1 under 5 minutes, then one more per doubling
   * of the age in 5-minute ticks, the last column open-ended.
   */
  static int bucket(long ageMillis) {
    long ticks = ageMillis / TICK_MILLIS;
    if (ticks < 1) {
      return 1;
    }
    int b = 2 + (63 - Long.numberOfLeadingZeros(ticks));
    return Math.min(b, BUCKETS);
  }

  /** The row name of an address. */
  static String domain(String address) {
    String d = address.toLowerCase(Locale.ROOT);
    d = d.substring(d.lastIndexOf('@') + 1);
    while (d.contains("..")) {
      d = d.replace("..", ".");
    }
    int from = d.startsWith(".") ? 1 : 0;
    int to = d.endsWith(".") && d.length() > from ? d.length() - 1 : d.length();
    return from >= to ? d : d.substring(from, to);
  }

  /** Writes the table. */
  public void print(PrintWriter out) {
    int[] widths = new int[HEADINGS.length];
    int domainWidth = WIDTH;
    for (int i = 0; i < HEADINGS.length; i++) {
      int l = Math.max(Long.toString(total[i]).length(), HEADINGS[i].length());
      widths[i] = l > 2 ? l + 1 : 3;
      domainWidth -= widths[i];
    }
    domainWidth = Math.max(domainWidth, MIN_DOMAIN_WIDTH);
    StringBuilder b = new StringBuilder(128);
    row(b, "", HEADINGS, widths, domainWidth);
    out.append(b);
    b.setLength(0);
    row(b, TOTAL, texts(total), widths, domainWidth);
    out.append(b);
    List<Map.Entry<String, long[]>> sorted = new ArrayList<>(rows.entrySet());
    sorted.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
        .thenComparingInt(e -> e.getKey().length())
        .thenComparing(Map.Entry::getKey));
    for (Map.Entry<String, long[]> e : sorted) {
      b.setLength(0);
      row(b, e.getKey(), texts(e.getValue()), widths, domainWidth);
      out.append(b);
    }
  }

  private static String[] texts(long[] counts) {
    String[] t = new String[counts.length];
    for (int i = 0; i < counts.length; i++) {
      t[i] = Long.toString(counts[i]);
    }
    return t;
  }

  private static void row(StringBuilder b, String name, String[] cells, int[] widths,
      int domainWidth) {
    if (name.length() > domainWidth) {
      b.append('+').append(name, name.length() - domainWidth + 1, name.length());
    } else {
      right(b, name, domainWidth);
    }
    for (int i = 0; i < cells.length; i++) {
      right(b, cells[i], widths[i]);
    }
    b.append('\n');
  }

  private static void right(StringBuilder b, String s, int width) {
    for (int i = s.length(); i < width; i++) {
      b.append(' ');
    }
    b.append(s);
  }
}
