package io.gannet.rewrite;

import io.gannet.global.table.TableList;

/**
 * The {@code transport_maps} search of trivial-rewrite (Postfix's transport(5)), in this order,
 * first hit wins:
 *
 * <ol>
 *   <li>the full address {@code user@domain} (every table, pattern tables included);
 *   <li>{@code domain};
 *   <li>each parent as {@code .parent} ({@code .example.com} for {@code a.example.com}), or as
 *       {@code parent} when {@code transport_maps} is listed in {@code
 *       parent_domain_matches_subdomains};
 *   <li>{@code *}, the catch-all.
 * </ol>
 *
 * Pattern tables (regexp, pcre) are asked with the full address only. Thread-safe.
 */
final class TransportMaps {

  private final TableList maps;
  private final boolean parentMatches;

  TransportMaps(TableList maps, boolean parentMatches) {
    this.maps = maps;
    this.parentMatches = parentMatches;
  }

  /** The raw {@code transport:nexthop} entry for the address, or {@code null}. */
  String find(String address, String domain) {
    if (maps.isEmpty()) {
      return null;
    }
    String v = maps.find(address);
    if (v != null || domain.isEmpty()) {
      return v;
    }
    v = maps.findPartial(domain);
    for (int dot = domain.indexOf('.'); v == null && dot >= 0; dot = domain.indexOf('.', dot + 1)) {
      String parent = parentMatches ? domain.substring(dot + 1) : domain.substring(dot);
      if (parent.length() > 1) {
        v = maps.findPartial(parent);
      }
    }
    return v != null ? v : maps.findPartial("*");
  }
}
