package io.gannet.cleanup;

import io.gannet.global.table.AddressLookup;
import io.gannet.global.table.TableList;
import io.gannet.rewrite.TrivialRewrite;
import java.util.function.Predicate;

/**
 * One-to-one address mapping through a canonical table list ({@code canonical_maps}, {@code
 * sender_canonical_maps}, {@code recipient_canonical_maps}), Postfix's cleanup_map11: the address
 * is looked up in the Postfix order ({@link AddressLookup}); a result {@code @domain} keeps the
 * local part and replaces the domain; the result is canonicalized and looked up again until it maps
 * to itself or finds nothing, at most {@value #MAX_NESTING} times. A multi-address result is a
 * configuration error: the first address is used and a warning logged.
 */
final class CanonicalMapper {

  static final int MAX_NESTING = 10;

  private final String name;
  private final TableList maps;
  private final TrivialRewrite rewrite;
  private final Predicate<String> isLocalDomain;

  CanonicalMapper(
      String name, TableList maps, TrivialRewrite rewrite, Predicate<String> isLocalDomain) {
    this.name = name;
    this.maps = maps;
    this.rewrite = rewrite;
    this.isLocalDomain = isLocalDomain;
  }

  boolean isEmpty() {
    return maps.isEmpty();
  }

  /** The mapped canonical address ({@code ""}, the null sender, is never mapped). */
  String map(String address, CleanupLog log) {
    if (maps.isEmpty() || address.isEmpty()) {
      return address;
    }
    String current = address;
    for (int n = 0; n < MAX_NESTING; n++) {
      String result = AddressLookup.find(maps, current, isLocalDomain);
      if (result == null) {
        return current;
      }
      String[] parts = VirtualAliasExpander.splitAddresses(result);
      if (parts.length == 0) {
        return current;
      }
      if (parts.length > 1) {
        log.warn(
            name
                + " lookup of "
                + current
                + " returns multiple addresses; using the first");
      }
      String next = rewrite.canonicalize(replaceDomainOnly(current, parts[0]));
      if (next.equalsIgnoreCase(current)) {
        return next;
      }
      current = next;
    }
    log.warn("unreasonable " + name + " map nesting for " + address);
    return current;
  }

  /** A result {@code @domain} keeps the local part of {@code address}. */
  static String replaceDomainOnly(String address, String result) {
    if (result.startsWith("@")) {
      int at = address.lastIndexOf('@');
      return (at < 0 ? address : address.substring(0, at)) + result;
    }
    return result;
  }
}
