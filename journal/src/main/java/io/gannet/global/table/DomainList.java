package io.gannet.global.table;

import io.gannet.global.Config;
import io.gannet.global.MailParams;
import io.gannet.global.Param;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A list of domain patterns such as {@code mydestination} or {@code relay_domains}, Postfix's
 * domain_list(3). Entries, tried in order, first match decides:
 *
 * <ul>
 *   <li>{@code example.com}: that name; with parent matching (the parameter is listed in {@code
 *       parent_domain_matches_subdomains}) also every subdomain of it;
 *   <li>{@code .example.com}: every subdomain of example.com;
 *   <li>{@code type:table}: a table holding the name (any result); then, for each parent domain,
 *       {@code example.com} (parent matching) or {@code .example.com} (otherwise);
 *   <li>{@code !pattern}: a name that matches is not in the list.
 * </ul>
 *
 * Names compare case-insensitively; a trailing dot on the name is ignored. Immutable.
 */
public final class DomainList {

  private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]*:.*");

  private record Entry(boolean negated, String literal, LookupTable table) {}

  private final Entry[] entries;
  private final boolean parentMatches;

  private DomainList(Entry[] entries, boolean parentMatches) {
    this.entries = entries;
    this.parentMatches = parentMatches;
  }

  /** A domain list from written entries, opening tables relative to {@code baseDir}. */
  public static DomainList of(List<String> patterns, boolean parentMatches, Path baseDir) {
    List<Entry> out = new ArrayList<>();
    for (String p : patterns) {
      boolean negated = p.startsWith("!");
      String body = negated ? p.substring(1) : p;
      if (body.isEmpty()) {
        throw new LookupTableException("'" + p + "': empty domain pattern");
      }
      if (TABLE.matcher(body).matches()) {
        out.add(new Entry(negated, null, LookupTables.open(body, baseDir)));
      } else {
        out.add(new Entry(negated, normalize(body), null));
      }
    }
    return new DomainList(out.toArray(new Entry[0]), parentMatches);
  }

  /**
   * The domain list of a parameter, with parent matching as {@code
   * parent_domain_matches_subdomains} says for that parameter.
   */
  public static DomainList of(Config config, Param<List<String>> param, Path baseDir) {
    boolean parent = config.get(MailParams.PARENT_DOMAIN_MATCHES_SUBDOMAINS).contains(param.name());
    try {
      return of(
          LookupTables.splitQuoted(config.expanded(param.name()), param.name()), parent, baseDir);
    } catch (LookupTableException e) {
      throw new LookupTableException(param.name() + ": " + e.getMessage(), e);
    }
  }

  public boolean isEmpty() {
    return entries.length == 0;
  }

  /** True when {@code domain} is in this list. */
  public boolean matches(String domain) {
    String name = normalize(domain);
    if (name.isEmpty()) {
      return false;
    }
    for (Entry e : entries) {
      if (e.table != null ? matchesTable(e.table, name) : matchesLiteral(e.literal, name)) {
        return !e.negated;
      }
    }
    return false;
  }

  private boolean matchesLiteral(String pattern, String name) {
    if (pattern.charAt(0) == '.') {
      return name.endsWith(pattern);
    }
    if (name.equals(pattern)) {
      return true;
    }
    return parentMatches
        && name.length() > pattern.length()
        && name.endsWith(pattern)
        && name.charAt(name.length() - pattern.length() - 1) == '.';
  }

  private boolean matchesTable(LookupTable table, String name) {
    if (table.lookup(name) != null) {
      return true;
    }
    if (table.isPattern()) {
      return false;
    }
    for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
      String key = parentMatches ? name.substring(dot + 1) : name.substring(dot);
      if (!key.isEmpty() && !key.equals(".") && table.lookup(key) != null) {
        return true;
      }
    }
    return false;
  }

  private static String normalize(String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }
}
