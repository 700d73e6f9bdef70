package io.gannet.global.table;

import io.gannet.global.Config;
import io.gannet.global.Param;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Opens lookup tables from Postfix {@code type:name} specs (Postfix's dict_open(3) and maps(3)).
 *
 * <table>
 *   <caption>Table types</caption>
 *   <tr><td>{@code texthash:path}</td><td>{@code key value} lines, read once</td></tr>
 *   <tr><td>{@code regexp:path}</td><td>regexp_table(5) with Java regular expressions</td></tr>
 *   <tr><td>{@code pcre:path}</td><td>pcre_table(5), the same engine with PCRE flags</td></tr>
 *   <tr><td>{@code inline:{ k=v, ... }}</td><td>entries written in place</td></tr>
 *   <tr><td>{@code static:value}</td><td>always {@code value}</td></tr>
 * </table>
 *
 * <p>A relative path is resolved against the configuration directory. Indexed types ({@code hash:},
 * {@code lmdb:}, {@code cdb:}...) are refused with a hint to use {@code texthash:} until {@code
 * gannet map} builds an indexed form; that form will be one more {@link LookupTable}.
 */
public final class LookupTables {

  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*");

  private LookupTables() {}

  /** Opens one table; throws {@link LookupTableException} naming the problem. */
  public static LookupTable open(String spec, Path baseDir) {
    int colon = spec.indexOf(':');
    if (colon <= 0 || !TYPE.matcher(spec.substring(0, colon)).matches()) {
      throw new LookupTableException("'" + spec + "': a table is written type:name");
    }
    String type = spec.substring(0, colon);
    String name = spec.substring(colon + 1);
    switch (type) {
      case "texthash":
        return TextHashTable.open(spec, path(spec, name, baseDir));
      case "regexp":
        return RegexpTable.open(spec, path(spec, name, baseDir), RegexpTable.Dialect.REGEXP);
      case "pcre":
        return RegexpTable.open(spec, path(spec, name, baseDir), RegexpTable.Dialect.PCRE);
      case "inline":
        return InlineTable.parse(spec, name);
      case "static":
        return new StaticTable(spec, unbrace(name));
      case "hash":
      case "btree":
      case "lmdb":
      case "cdb":
      case "dbm":
      case "sdbm":
        throw new LookupTableException(
            "'"
                + spec
                + "': table type "
                + type
                + ": is not supported yet; use texthash:"
                + name
                + " to read the source file");
      default:
        throw new LookupTableException("'" + spec + "': unsupported table type " + type + ":");
    }
  }

  /**
   * Opens a list of tables written as in main.cf ({@code texthash:a, regexp:b}, commas or white
   * space between them, braces keeping {@code inline:{ ... }} whole), searched in that order.
   */
  public static TableList openList(String value, Path baseDir) {
    List<LookupTable> tables = new ArrayList<>();
    for (String spec : splitQuoted(value, value)) {
      tables.add(open(spec, baseDir));
    }
    return new TableList(tables);
  }

  /** Opens the tables a list parameter such as {@code canonical_maps} names. */
  public static TableList openList(Config config, Param<?> param, Path baseDir) {
    try {
      return openList(config.expanded(param.name()), baseDir);
    } catch (LookupTableException e) {
      throw new LookupTableException(param.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Splits on commas and white space outside braces; a braced group stays one item, braces included
   * (Postfix's mystrtokq with "{}").
   */
  static List<String> splitQuoted(String text, String context) {
    List<String> out = new ArrayList<>();
    StringBuilder item = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (depth == 0 && (c == ',' || Character.isWhitespace(c))) {
        if (item.length() > 0) {
          out.add(item.toString());
          item.setLength(0);
        }
        continue;
      }
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        if (--depth < 0) {
          throw new LookupTableException("'" + context + "': unbalanced '}'");
        }
      }
      item.append(c);
    }
    if (depth != 0) {
      throw new LookupTableException("'" + context + "': missing '}'");
    }
    if (item.length() > 0) {
      out.add(item.toString());
    }
    return out;
  }

  /** {@code { text }} becomes {@code text}; anything else is returned stripped. */
  static String unbrace(String s) {
    String t = s.strip();
    if (t.length() >= 2 && t.charAt(0) == '{' && t.charAt(t.length() - 1) == '}') {
      return t.substring(1, t.length() - 1).strip();
    }
    return t;
  }

  private static Path path(String spec, String name, Path baseDir) {
    if (name.isEmpty()) {
      throw new LookupTableException("'" + spec + "': missing file name");
    }
    Path p = Path.of(name);
    return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
  }
}
