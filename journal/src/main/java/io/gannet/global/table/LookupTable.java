package io.gannet.global.table;

/**
 * One lookup table, Postfix's dict(3): a key goes in, a result string or {@code null} comes out.
 * Opened by {@link LookupTables#open} from a {@code type:name} spec.
 *
 * <p>Implementations are immutable after they are opened (a table is read once), so a table is safe
 * to share between threads. A lookup never throws: every syntax error is reported when the table is
 * opened, naming the file and line.
 */
public interface LookupTable {

  /** The result for {@code key}, or {@code null} when the table has no entry for it. */
  String lookup(String key);

  /**
   * True for pattern tables (regexp, pcre), which Postfix queries with full keys only: not with the
   * partial keys of address lookups ({@code user}, {@code @domain}) or parent domains.
   */
  default boolean isPattern() {
    return false;
  }

  /** The spec the table was opened with, e.g. {@code texthash:/etc/gannet/transport}. */
  String spec();
}
