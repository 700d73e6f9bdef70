package io.gannet.global.table;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code texthash:path}: Postfix's texthash table, the source syntax of {@code hash:} maps read
 * straight from the text file once, when opened. One entry per logical line, {@code key value}
 * separated by white space; {@code #} comments; continuation lines start with white space. Keys are
 * case-insensitive (folded to lower case, as {@code postmap} does without {@code -f}); values keep
 * their case. A duplicate key is a warning and the first entry wins, as {@code postmap}.
 */
final class TextHashTable implements LookupTable {

  private static final Logger log = LoggerFactory.getLogger("gannet/table");

  private final String spec;
  private final Map<String, String> entries;

  private TextHashTable(String spec, Map<String, String> entries) {
    this.spec = spec;
    this.entries = entries;
  }

  static TextHashTable open(String spec, Path file) {
    Map<String, String> map = new HashMap<>();
    for (LogicalLines.Line line : LogicalLines.read(file)) {
      String text = line.text();
      int ws = 0;
      while (ws < text.length() && !Character.isWhitespace(text.charAt(ws))) {
        ws++;
      }
      String value = text.substring(ws).strip();
      if (value.isEmpty()) {
        throw LookupTableException.at(
            file.toString(),
            line.number(),
            "expected format: key whitespace value, found '" + text + "'");
      }
      String key = text.substring(0, ws).toLowerCase(Locale.ROOT);
      if (map.putIfAbsent(key, value) != null) {
        log.warn("{}, line {}: duplicate entry: \"{}\", ignored", file, line.number(), key);
      }
    }
    return new TextHashTable(spec, Map.copyOf(map));
  }

  @Override
  public String lookup(String key) {
    return entries.get(key.toLowerCase(Locale.ROOT));
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public String toString() {
    return spec;
  }
}
