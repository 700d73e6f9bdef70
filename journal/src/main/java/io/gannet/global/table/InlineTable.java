package io.gannet.global.table;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code inline:{ key=value, key2=value2 }}: a small table written in main.cf, as Postfix's inline
 * table. Entries are separated by commas or white space; an entry whose value holds spaces or
 * commas is written in braces: {@code inline:{ { key = text with spaces } }}. Keys are
 * case-insensitive.
 */
final class InlineTable implements LookupTable {

  private final String spec;
  private final Map<String, String> entries;

  private InlineTable(String spec, Map<String, String> entries) {
    this.spec = spec;
    this.entries = entries;
  }

  static InlineTable parse(String spec, String name) {
    String body = name.strip();
    if (body.length() < 2 || body.charAt(0) != '{' || body.charAt(body.length() - 1) != '}') {
      throw new LookupTableException(
          spec + ": expected inline:{ key=value, ... } with the entries in braces");
    }
    List<String> items = LookupTables.splitQuoted(body.substring(1, body.length() - 1), spec);
    Map<String, String> map = new HashMap<>();
    for (String item : items) {
      String entry = LookupTables.unbrace(item);
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new LookupTableException(spec + ": expected key=value, found '" + item + "'");
      }
      map.putIfAbsent(
          entry.substring(0, eq).strip().toLowerCase(Locale.ROOT), entry.substring(eq + 1).strip());
    }
    return new InlineTable(spec, Map.copyOf(map));
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
