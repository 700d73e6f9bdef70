package io.gannet.global.table;

import java.util.List;

/**
 * A list of tables searched in order, as a Postfix {@code *_maps} parameter (maps(3)): the first
 * table with a result for the key wins.
 */
public final class TableList {

  private static final TableList EMPTY = new TableList(List.of());

  private final LookupTable[] tables;

  public TableList(List<LookupTable> tables) {
    this.tables = tables.toArray(new LookupTable[0]);
  }

  public static TableList empty() {
    return EMPTY;
  }

  public boolean isEmpty() {
    return tables.length == 0;
  }

  /** The first result for a full key, from any table. */
  public String find(String key) {
    for (LookupTable t : tables) {
      String v = t.lookup(key);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /**
   * The first result for a partial key ({@code user}, {@code @domain}, a parent domain), from
   * tables that are not pattern tables: Postfix asks those with full keys only.
   */
  public String findPartial(String key) {
    for (LookupTable t : tables) {
      if (t.isPattern()) {
        continue;
      }
      String v = t.lookup(key);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  public List<LookupTable> tables() {
    return List.of(tables);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (LookupTable t : tables) {
      sb.append(sb.length() == 0 ? "" : ", ").append(t.spec());
    }
    return sb.toString();
  }
}
