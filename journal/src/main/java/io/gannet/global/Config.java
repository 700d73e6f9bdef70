package io.gannet.global;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The effective configuration: values set in main.cf (and master.cf {@code -o} overrides) over
 * the defaults of {@link MailParams}, with {@code $name} and {@code ${name}} expanded.
 *
 * <p>Immutable. Loading from files lives in {@link MainCf}.
 */
public final class Config {

  /** {@code $$} (skipped) or a reference, the name in group 1. */
  private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$[{(]?([A-Za-z0-9_]+)");

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

  /**
   * The raw text of a parameter (set value, else default, else {@code null}), unexpanded. Names of
   * per-transport shape default to the parameter they override ({@link TransportParams}).
   */
  public String raw(String name) {
    String v = set.get(name);
    if (v != null) {
      return v;
    }
    Param<?> p = MailParams.byName(name);
    return p != null ? p.defaultValue() : TransportParams.defaultValue(name);
  }

  /** The expanded text of a parameter; unknown names expand to {@code ""}. */
  public String expanded(String name) {
    String v = raw(name);
    return v == null ? "" : expand(v);
  }

  /** The typed value of a parameter: its set value, else its own default, expanded. */
  public <T> T get(Param<T> param) {
    String v = set.get(param.name());
    return param.parse(expand(v != null ? v : param.defaultValue()));
  }

  /**
   * Expands {@code $name}, {@code ${name}} and {@code $(name)} references in {@code text}, and
   * Postfix's conditional forms: {@code ${name?value}} is {@code value} if {@code $name} is not
   * empty, else empty; {@code ${name:value}} is {@code value} if {@code $name} is empty; {@code
   * ${name?{value1}:{value2}}} chooses between two. {@code $$} is a literal {@code $}; an unknown
   * name expands to nothing.
   *
   * @throws IllegalArgumentException on a recursive reference or an unbalanced bracket
   */
  public String expand(String text) {
    return expand(text, new HashMap<>(), 0);
  }

  /**
   * The parameter names that {@code text} refers to ({@code $name}, {@code ${name}}, {@code
   * $(name)}, conditionals included), without expanding anything. Postfix counts a parameter so
   * referenced as user-defined, not unused.
   */
  public static Set<String> referencedNames(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      if (m.group(1) != null) {
        out.add(m.group(1));
      }
    }
    return out;
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
        int j = matching(text, i + 1, n, close);
        if (j < 0) {
          throw new IllegalArgumentException("unbalanced " + n + " in '" + text + "'");
        }
        String inner = text.substring(i + 2, j);
        end = j + 1;
        int op = conditionalOperator(inner);
        if (op >= 0) {
          boolean empty = lookup(inner.substring(0, op), active, depth).isEmpty();
          String[] branches = branches(inner.substring(op + 1));
          String chosen =
              inner.charAt(op) == '?'
                  ? (empty ? branches[1] : branches[0])
                  : (empty ? branches[0] : "");
          out.append(expand(chosen, active, depth + 1));
          i = end;
          continue;
        }
        name = inner;
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
      out.append(lookup(name, active, depth));
      i = end;
    }
    return out.toString();
  }

  /** The expanded value of one referenced parameter ("" if unknown). */
  private String lookup(String name, Map<String, Boolean> active, int depth) {
    if (active.containsKey(name)) {
      throw new IllegalArgumentException("recursive reference to parameter " + name);
    }
    String v = raw(name);
    if (v == null) {
      return "";
    }
    active.put(name, Boolean.TRUE);
    String expanded = expand(v, active, depth + 1);
    active.remove(name);
    return expanded;
  }

  /** The index of the bracket closing the one at {@code open}, counting nested pairs; or -1. */
  private static int matching(String text, int open, char opening, char closing) {
    int nesting = 0;
    for (int k = open; k < text.length(); k++) {
      char c = text.charAt(k);
      if (c == opening) {
        nesting++;
      } else if (c == closing && --nesting == 0) {
        return k;
      }
    }
    return -1;
  }

  /**
   * The branches of a conditional: {@code value} or {@code {value}} gives {value, ""}; Postfix 3's
   * {@code {value1}:{value2}} gives both.
   */
  private static String[] branches(String text) {
    if (!text.startsWith("{")) {
      return new String[] {text, ""};
    }
    int m = matching(text, 0, '{', '}');
    if (m == text.length() - 1) {
      return new String[] {text.substring(1, m), ""};
    }
    if (m > 0
        && text.startsWith(":{", m + 1)
        && matching(text, m + 2, '{', '}') == text.length() - 1) {
      return new String[] {text.substring(1, m), text.substring(m + 3, text.length() - 1)};
    }
    return new String[] {text, ""};
  }

  /** The index of {@code ?} or {@code :} after a leading parameter name in {@code inner}, or -1. */
  private static int conditionalOperator(String inner) {
    int k = 0;
    while (k < inner.length()
        && (Character.isLetterOrDigit(inner.charAt(k)) || inner.charAt(k) == '_')) {
      k++;
    }
    return k > 0 && k < inner.length() && (inner.charAt(k) == '?' || inner.charAt(k) == ':')
        ? k
        : -1;
  }
}
