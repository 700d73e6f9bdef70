package io.gannet.cleanup;

import io.gannet.global.table.AddressLookup;
import io.gannet.global.table.TableList;
import io.gannet.rewrite.TrivialRewrite;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code virtual_alias_maps} expansion of one recipient, Postfix's cleanup_map1n: the address is
 * looked up (Postfix order, see {@link AddressLookup}); the result is a list of addresses separated
 * by commas or white space, each canonicalized and expanded again. An address that expands into a
 * list containing itself is kept and not expanded again (so {@code joe joe, archive} delivers to
 * joe and archive).
 *
 * <p>Limits, as Postfix: more than {@code virtual_alias_expansion_limit} addresses from one
 * recipient, or a chain deeper than {@code virtual_alias_recursion_limit} (which is also how a loop
 * {@code a -> b -> a} ends), makes the whole message fail with a temporary error: mail is never
 * silently dropped or half delivered because of an alias mistake.
 */
final class VirtualAliasExpander {

  /** The expansion went over a limit: the message must be deferred. */
  static final class LimitExceeded extends Exception {
    private static final long serialVersionUID = 1L;

    LimitExceeded(String message) {
      super(message, null, false, false);
    }
  }

  private final TableList maps;
  private final TrivialRewrite rewrite;
  private final Predicate<String> isLocalDomain;
  private final int expansionLimit;
  private final int recursionLimit;

  VirtualAliasExpander(
      TableList maps,
      TrivialRewrite rewrite,
      Predicate<String> isLocalDomain,
      int expansionLimit,
      int recursionLimit) {
    this.maps = maps;
    this.rewrite = rewrite;
    this.isLocalDomain = isLocalDomain;
    this.expansionLimit = expansionLimit;
    this.recursionLimit = recursionLimit;
  }

  boolean isEmpty() {
    return maps.isEmpty();
  }

  /** The final addresses for {@code address} (itself when no alias applies), in order. */
  List<String> expand(String address) throws LimitExceeded {
    List<String> out = new ArrayList<>();
    out.add(address);
    if (maps.isEmpty()) {
      return out;
    }
    Set<String> selfReferenced = new HashSet<>();
    for (int i = 0; i < out.size(); i++) {
      for (int depth = 0; ; depth++) {
        String current = out.get(i);
        if (selfReferenced.contains(current.toLowerCase(Locale.ROOT))) {
          break;
        }
        String result = AddressLookup.find(maps, current, isLocalDomain);
        String[] parts = result == null ? new String[0] : splitAddresses(result);
        if (parts.length == 0) {
          break;
        }
        if (depth >= recursionLimit) {
          throw new LimitExceeded("unreasonable virtual_alias_maps map nesting for " + address);
        }
        for (int k = 0; k < parts.length; k++) {
          String mapped =
              rewrite.canonicalize(CanonicalMapper.replaceDomainOnly(current, parts[k]));
          if (mapped.equalsIgnoreCase(current)) {
            selfReferenced.add(mapped.toLowerCase(Locale.ROOT));
          }
          if (k == 0) {
            out.set(i, mapped);
          } else {
            out.add(mapped);
          }
        }
        if (out.size() > expansionLimit) {
          throw new LimitExceeded(
              "unreasonable virtual_alias_maps map expansion size for " + address);
        }
      }
    }
    return out;
  }

  /** Splits a table result into addresses on commas and white space. */
  static String[] splitAddresses(String result) {
    List<String> parts = new ArrayList<>(2);
    int i = 0;
    int n = result.length();
    while (i < n) {
      while (i < n && (result.charAt(i) == ',' || Character.isWhitespace(result.charAt(i)))) {
        i++;
      }
      int start = i;
      while (i < n && result.charAt(i) != ',' && !Character.isWhitespace(result.charAt(i))) {
        i++;
      }
      if (i > start) {
        parts.add(result.substring(start, i));
      }
    }
    return parts.toArray(new String[0]);
  }
}
