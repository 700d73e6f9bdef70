package io.gannet.global.table;

import java.util.function.Predicate;

/**
 * Postfix's address lookup order for canonical, virtual alias and similar maps (mail_addr_find):
 *
 * <ol>
 *   <li>{@code user@domain}, the full address, in every table;
 *   <li>{@code user}, only when {@code domain} is local (in {@code mydestination}), and not in
 *       pattern tables;
 *   <li>{@code @domain}, not in pattern tables.
 * </ol>
 *
 * <p>Each step searches all tables of the list before the next step begins. An address without
 * {@code @} is looked up as is, then as a local {@code user}.
 */
public final class AddressLookup {

  private AddressLookup() {}

  /**
   * The result for {@code address}, or {@code null}.
   *
   * @param isLocalDomain tells whether a (lower-case) domain is local
   */
  public static String find(TableList maps, String address, Predicate<String> isLocalDomain) {
    if (maps.isEmpty()) {
      return null;
    }
    String v = maps.find(address);
    if (v != null) {
      return v;
    }
    int at = address.lastIndexOf('@');
    if (at < 0) {
      return null;
    }
    String domain = address.substring(at + 1);
    if (at > 0 && isLocalDomain.test(domain)) {
      v = maps.findPartial(address.substring(0, at));
      if (v != null) {
        return v;
      }
    }
    return domain.isEmpty() ? null : maps.findPartial(address.substring(at));
  }
}
