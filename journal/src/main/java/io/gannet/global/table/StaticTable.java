package io.gannet.global.table;

/**
 * {@code static:value}: every lookup returns {@code value} (written {@code static:{ text with
 * spaces }} when it has spaces or commas), as Postfix's static table.
 */
final class StaticTable implements LookupTable {

  private final String spec;
  private final String value;

  StaticTable(String spec, String value) {
    this.spec = spec;
    this.value = value;
  }

  @Override
  public String lookup(String key) {
    return value;
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
