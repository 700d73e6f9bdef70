package io.gannet.global.table;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code regexp:path} and {@code pcre:path}: Postfix's regexp_table(5) and pcre_table(5), both
 * evaluated with {@link java.util.regex}. The file is read once, when opened.
 *
 * <p>Each logical line is {@code /pattern/flags result} or {@code !/pattern/flags result}; the
 * first rule whose pattern matches (anywhere in the key) gives the result, in which {@code $1}..
 * {@code $9} (or {@code ${n}}) are replaced by the matched groups and {@code $$} is a dollar. The
 * delimiter may be any non-alphanumeric character. {@code if /pattern/flags} ... {@code endif}
 * blocks (nestable, negatable) restrict the rules inside them to keys that match. Flags:
 *
 * <ul>
 *   <li>regexp: {@code i} toggles case-insensitivity (default on); {@code m} toggles multi-line
 *       mode ({@code ^}, {@code $} at line ends, {@code .} stops matching newline; default off);
 *       {@code x} toggles extended syntax (default on; off means POSIX basic syntax, {@code \(}
 *       groups). POSIX classes such as {@code [[:space:]]} work.
 *   <li>pcre: {@code i} (default on), {@code m}, {@code s} and {@code x} toggle the PCRE options of
 *       those letters.
 * </ul>
 *
 * <p>Differences from Postfix: Java regular expressions pick the leftmost-first alternative where
 * POSIX picks the leftmost-longest, which can change what a group captures.
 */
final class RegexpTable implements LookupTable {

  /** Which Postfix table syntax the file is written in. */
  enum Dialect {
    REGEXP,
    PCRE
  }

  /** One rule, or the head or end of an if-block ({@code skipTo} = index after its endif). */
  private record Rule(Pattern pattern, boolean negated, Result result, boolean isIf, int skipTo) {}

  private static final Pattern POSIX_CLASS = Pattern.compile("\\[:([a-z]+):\\]");

  private final String spec;
  private final Rule[] rules;

  private RegexpTable(String spec, Rule[] rules) {
    this.spec = spec;
    this.rules = rules;
  }

  static RegexpTable open(String spec, Path file, Dialect dialect) {
    String name = file.toString();
    List<Rule> rules = new ArrayList<>();
    Deque<int[]> openIfs = new ArrayDeque<>(); // {rule index, line number}
    for (LogicalLines.Line line : LogicalLines.read(file)) {
      String text = line.text();
      int n = line.number();
      String word = firstWord(text);
      if (word.equalsIgnoreCase("endif")) {
        if (!text.strip().equalsIgnoreCase("endif")) {
          throw LookupTableException.at(name, n, "endif takes no arguments");
        }
        if (openIfs.isEmpty()) {
          throw LookupTableException.at(name, n, "endif without matching if");
        }
        int head = openIfs.pop()[0];
        Rule r = rules.get(head);
        rules.set(head, new Rule(r.pattern, r.negated, null, true, rules.size()));
        continue;
      }
      boolean isIf = word.equalsIgnoreCase("if");
      String rest = isIf ? text.substring(2).stripLeading() : text;
      Parsed p = parseRule(name, n, rest, dialect);
      if (isIf) {
        if (!p.resultText.isEmpty()) {
          throw LookupTableException.at(name, n, "if takes no result: '" + p.resultText + "'");
        }
        openIfs.push(new int[] {rules.size(), n});
        rules.add(new Rule(p.pattern, p.negated, null, true, -1));
        continue;
      }
      if (p.resultText.isEmpty()) {
        throw LookupTableException.at(name, n, "no result after the pattern");
      }
      Result result = Result.parse(name, n, p.resultText);
      if (p.negated && result.maxGroup() > 0) {
        throw LookupTableException.at(
            name,
            n,
            "$" + result.maxGroup() + " in the result of a negated pattern (nothing matched)");
      }
      if (result.maxGroup() > p.pattern.matcher("").groupCount()) {
        throw LookupTableException.at(
            name,
            n,
            "out-of-range replacement index $"
                + result.maxGroup()
                + " (the pattern has "
                + p.pattern.matcher("").groupCount()
                + " groups)");
      }
      rules.add(new Rule(p.pattern, p.negated, result, false, 0));
    }
    if (!openIfs.isEmpty()) {
      throw LookupTableException.at(name, openIfs.peek()[1], "if without matching endif");
    }
    return new RegexpTable(spec, rules.toArray(new Rule[0]));
  }

  @Override
  public String lookup(String key) {
    int i = 0;
    while (i < rules.length) {
      Rule r = rules[i];
      Matcher m = r.pattern.matcher(key);
      boolean hit = m.find() != r.negated;
      if (r.isIf) {
        i = hit ? i + 1 : r.skipTo;
        continue;
      }
      if (hit) {
        return r.result.expand(r.negated ? null : m);
      }
      i++;
    }
    return null;
  }

  @Override
  public boolean isPattern() {
    return true;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public String toString() {
    return spec;
  }

  // ---- Parsing ---------------------------------------------------------------------------

  private record Parsed(Pattern pattern, boolean negated, String resultText) {}

  private static String firstWord(String text) {
    int i = 0;
    while (i < text.length() && Character.isLetter(text.charAt(i))) {
      i++;
    }
    // "if" and "endif" must be followed by white space, a delimiter or the end of the line.
    return text.substring(0, i);
  }

  private static Parsed parseRule(String file, int line, String text, Dialect dialect) {
    int i = 0;
    boolean negated = false;
    if (i < text.length() && text.charAt(i) == '!') {
      negated = true;
      i++;
    }
    if (i >= text.length()) {
      throw LookupTableException.at(file, line, "missing /pattern/");
    }
    char delim = text.charAt(i);
    if (Character.isLetterOrDigit(delim) || Character.isWhitespace(delim) || delim == '\\') {
      throw LookupTableException.at(
          file, line, "expected /pattern/flags result, found '" + abbreviate(text) + "'");
    }
    int start = ++i;
    while (i < text.length() && text.charAt(i) != delim) {
      if (text.charAt(i) == '\\') {
        i++;
      }
      i++;
    }
    if (i >= text.length()) {
      throw LookupTableException.at(
          file, line, "no closing " + delim + " in pattern '" + abbreviate(text) + "'");
    }
    String regex = text.substring(start, i);
    i++;
    int flagsStart = i;
    while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    String flags = text.substring(flagsStart, i);
    Pattern pattern = compile(file, line, regex, flags, dialect);
    return new Parsed(pattern, negated, text.substring(i).strip());
  }

  private static Pattern compile(
      String file, int line, String regex, String flags, Dialect dialect) {
    boolean caseless = true;
    boolean multiline = false;
    boolean extended = dialect == Dialect.REGEXP;
    boolean dotall = false;
    boolean comments = false;
    for (int k = 0; k < flags.length(); k++) {
      char f = flags.charAt(k);
      if (f == 'i') {
        caseless = !caseless;
      } else if (f == 'm') {
        multiline = !multiline;
      } else if (f == 'x' && dialect == Dialect.REGEXP) {
        extended = !extended;
      } else if (f == 'x') {
        comments = !comments;
      } else if (f == 's' && dialect == Dialect.PCRE) {
        dotall = !dotall;
      } else {
        throw LookupTableException.at(file, line, "unknown or unsupported flag '" + f + "'");
      }
    }
    int javaFlags = 0;
    if (caseless) {
      javaFlags |= Pattern.CASE_INSENSITIVE;
    }
    String source = regex;
    if (dialect == Dialect.REGEXP) {
      // POSIX: without REG_NEWLINE (the m flag) '.' matches a newline and ^ $ only the ends.
      javaFlags |= multiline ? Pattern.MULTILINE : Pattern.DOTALL;
      source =
          POSIX_CLASS
              .matcher(extended ? regex : basicToExtended(regex))
              .replaceAll(mr -> "\\\\p{" + posixClass(file, line, mr.group(1)) + "}");
    } else {
      javaFlags |=
          (multiline ? Pattern.MULTILINE : 0)
              | (dotall ? Pattern.DOTALL : 0)
              | (comments ? Pattern.COMMENTS : 0);
    }
    try {
      return Pattern.compile(source, javaFlags);
    } catch (PatternSyntaxException e) {
      throw LookupTableException.at(
          file, line, "bad regular expression '" + abbreviate(regex) + "': " + e.getDescription());
    }
  }

  /** POSIX basic syntax to extended: {@code \( \) \{ \} \| \+ \?} are special, bare ones not. */
  static String basicToExtended(String basic) {
    StringBuilder out = new StringBuilder(basic.length() + 8);
    for (int i = 0; i < basic.length(); i++) {
      char c = basic.charAt(i);
      if (c == '\\' && i + 1 < basic.length()) {
        char next = basic.charAt(++i);
        if ("(){}|+?".indexOf(next) >= 0) {
          out.append(next);
        } else {
          out.append(c).append(next);
        }
      } else if ("(){}|+?".indexOf(c) >= 0) {
        out.append('\\').append(c);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String posixClass(String file, int line, String name) {
    switch (name) {
      case "alpha":
        return "Alpha";
      case "digit":
        return "Digit";
      case "alnum":
        return "Alnum";
      case "upper":
        return "Upper";
      case "lower":
        return "Lower";
      case "space":
        return "Space";
      case "blank":
        return "Blank";
      case "punct":
        return "Punct";
      case "print":
        return "Print";
      case "graph":
        return "Graph";
      case "cntrl":
        return "Cntrl";
      case "xdigit":
        return "XDigit";
      default:
        throw LookupTableException.at(file, line, "unknown character class [:" + name + ":]");
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  /** A result text split into literal parts and group references, expanded per match. */
  private static final class Result {
    private final String[] literals; // literals[k] precedes groups[k]; one more literal at the end
    private final int[] groups;
    private final int maxGroup;

    private Result(String[] literals, int[] groups) {
      this.literals = literals;
      this.groups = groups;
      int max = 0;
      for (int g : groups) {
        max = Math.max(max, g);
      }
      this.maxGroup = max;
    }

    int maxGroup() {
      return maxGroup;
    }

    static Result parse(String file, int line, String text) {
      List<String> literals = new ArrayList<>();
      List<Integer> groups = new ArrayList<>();
      StringBuilder lit = new StringBuilder();
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c != '$') {
          lit.append(c);
          i++;
          continue;
        }
        if (i + 1 >= text.length()) {
          throw LookupTableException.at(file, line, "'$' at the end of the result");
        }
        char n = text.charAt(i + 1);
        int group;
        if (n == '$') {
          lit.append('$');
          i += 2;
          continue;
        } else if (Character.isDigit(n)) {
          group = n - '0';
          i += 2;
        } else if (n == '{' || n == '(') {
          int close = text.indexOf(n == '{' ? '}' : ')', i + 2);
          String digits = close < 0 ? "" : text.substring(i + 2, close);
          if (!digits.matches("[0-9]{1,2}")) {
            throw LookupTableException.at(
                file, line, "bad replacement '" + text.substring(i) + "': expected $n or ${n}");
          }
          group = Integer.parseInt(digits);
          i = close + 1;
        } else {
          throw LookupTableException.at(
              file, line, "bad replacement '$" + n + "': expected $n, ${n} or $$");
        }
        literals.add(lit.toString());
        lit.setLength(0);
        groups.add(group);
      }
      literals.add(lit.toString());
      return new Result(
          literals.toArray(new String[0]), groups.stream().mapToInt(Integer::intValue).toArray());
    }

    String expand(Matcher m) {
      if (groups.length == 0) {
        return literals[0];
      }
      StringBuilder out = new StringBuilder();
      for (int k = 0; k < groups.length; k++) {
        out.append(literals[k]);
        String g = m.group(groups[k]);
        if (g != null) {
          out.append(g);
        }
      }
      return out.append(literals[groups.length]).toString();
    }
  }
}
