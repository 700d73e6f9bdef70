package io.gannet.global;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The effective configuration: values set in main.cf (and master.cf {@code -o} overrides) over
 * the defaults of {@link MailParams}, with {@code $name} and {@code ${name}} expanded.
 *
 * <p>Immutable. Loading from files lives in {@link MainCf}.
 */
public final class Config {

  private final Map<String, String> set;

  private Config(Map<String, String> set) {
    this.set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
  }

  /** Every parameter at its default. */
  public static Config defaults() {
    return new Config(Map.of());
  }

  /** A configuration with these values set (names as in main.cf, raw unexpanded text). */
  public static Config of(Map<String, String> values) {
    return new Config(values);
  }

  /** This configuration with {@code overrides} set on top (master.cf {@code -o}). */
  public Config withOverrides(Map<String, String> overrides) {
    Map<String, String> m = new LinkedHashMap<>(set);
    m.putAll(overrides);
    return new Config(m);
  }

  /** The parameters set explicitly, raw, in the order they were set. */
  public Map<String, String> explicitlySet() {
    return set;
  }

  /** The raw text of a parameter (set value, else default, else {@code null}), unexpanded. */
  public String raw(String name) {
    String v = set.get(name);
    if (v != null) {
      return v;
    }
    Param<?> p = MailParams.byName(name);
    return p == null ? null : p.defaultValue();
  }

  /** The expanded text of a parameter; unknown names expand to {@code ""}. */
  public String expanded(String name) {
    String v = raw(name);
    return v == null ? "" : expand(v);
  }

  /** The typed value of a parameter. */
  public <T> T get(Param<T> param) {
    return param.parse(expanded(param.name()));
  }

  /** Expands {@code $name}, {@code ${name}} and {@code $(name)} references in {@code text}. */
  public String expand(String text) {
    return expand(text, new HashMap<>(), 0);
  }

  private String expand(String text, Map<String, Boolean> active, int depth) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    if (depth > 100) {
      throw new IllegalArgumentException("parameter expansion too deep in '" + text + "'");
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$' || i + 1 >= text.length()) {
        out.append(c);
        i++;
        continue;
      }
      char n = text.charAt(i + 1);
      String name;
      int end;
      if (n == '{' || n == '(') {
        char close = n == '{' ? '}' : ')';
        int j = text.indexOf(close, i + 2);
        if (j < 0) {
          throw new IllegalArgumentException("unbalanced " + n + " in '" + text + "'");
        }
        name = text.substring(i + 2, j);
        end = j + 1;
      } else if (n == '$') {
        out.append('$');
        i += 2;
        continue;
      } else {
        int j = i + 1;
        while (j < text.length()
            && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
          j++;
        }
        if (j == i + 1) {
          out.append(c);
          i++;
          continue;
        }
        name = text.substring(i + 1, j);
        end = j;
      }
      if (active.containsKey(name)) {
        throw new IllegalArgumentException("recursive reference to parameter " + name);
      }
      String v = raw(name);
      if (v != null) {
        active.put(name, Boolean.TRUE);
        out.append(expand(v, active, depth + 1));
        active.remove(name);
      }
      i = end;
    }
    return out.toString();
  }
}
