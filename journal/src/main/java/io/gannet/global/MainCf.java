package io.gannet.global;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * NAME main.cf - Gannet's main configuration file, as Postfix's main.cf(5).
 *
 * <p>SYNTAX {@code name = value}. A line that starts with white space continues the previous
 * logical line; a line whose first non-blank character is {@code #} is a comment; blank lines are
 * ignored (neither ends a logical line). White space around {@code =} and at the end of a line is
 * removed. A later setting of the same name wins. Values stay raw: {@code $name} references are
 * expanded when read ({@link Config}).
 *
 * <p>TRUST None: every line is checked. A malformed line (no {@code =}, empty or bad name,
 * continuation before any parameter) and a value that does not parse as its {@link Param} (bad
 * number or boolean, out of bounds, recursive {@code $reference}) is a {@link ConfigException}
 * naming file, line and parameter: {@code /etc/gannet/main.cf, line 12: missing '=' after attribute
 * name: "bla bla"}. A name (letters, digits, {@code _}, {@code -}) that is neither in {@link
 * MailParams} nor a per-transport form for a master.cf transport ({@link TransportParams}) is a
 * warning, as postconf words it: {@code /etc/gannet/main.cf, line 7: unused parameter: foo=bar};
 * unless some value references it ({@code $foo}, in main.cf or a master.cf {@code -o}): then it is
 * user-defined, as in Postfix. Their values too must expand (no recursion, balanced brackets).
 *
 * <p>FILES {@code CONFDIR/main.cf} must exist, as with Postfix: a missing file is an error, not
 * "all defaults", so that a mistyped {@code -c} cannot start a relay on a configuration nobody
 * wrote. Relative paths in values (e.g. {@code queue_directory = var}) are relative to the working
 * directory of the process.
 *
 * <p>Relations between parameters are not checked here but at start-up: {@link PostInit}.
 *
 * <p>SEE ALSO {@link MasterCf}, {@link Config}, {@link MailParams}.
 */
public final class MainCf {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

  private final Path file;
  private final Config config;
  private final Set<String> transports;
  private final Set<String> userDefined;
  private final List<String> warnings;

  private MainCf(
      Path file,
      Config config,
      Set<String> transports,
      Set<String> userDefined,
      List<String> warnings) {
    this.file = file;
    this.config = config;
    this.transports = Set.copyOf(transports);
    this.userDefined = Collections.unmodifiableSet(new TreeSet<>(userDefined));
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Reads {@code confDir/main.cf}, with {@code confDir/master.cf} when that file exists (its errors
   * are reported as such) for the names it makes known.
   */
  public static MainCf load(Path confDir) throws ConfigException {
    Path main = LogicalLines.fileIn(confDir, "main.cf");
    return Files.exists(confDir.resolve("master.cf"))
        ? parse(main, MasterCf.load(confDir))
        : parse(main, null);
  }

  /** Reads {@code confDir/main.cf}, with the names {@code master} makes known. */
  public static MainCf load(Path confDir, MasterCf master) throws ConfigException {
    return parse(LogicalLines.fileIn(confDir, "main.cf"), master);
  }

  /**
   * Reads one main.cf-syntax file. Known names: those of {@link MailParams}; the per-transport
   * forms for the transports of {@code master} ({@code null}: none); and user-defined names, which
   * some value of main.cf or an {@code -o} of {@code master} references with {@code $}.
   */
  public static MainCf parse(Path file, MasterCf master) throws ConfigException {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Integer> lineOf = new HashMap<>();
    for (LogicalLines.Line line : LogicalLines.read(file)) {
      String text = line.text();
      int eq = text.indexOf('=');
      if (eq < 0) {
        throw ConfigException.at(
            file, line.number(), "missing '=' after attribute name: " + LogicalLines.quote(text));
      }
      String name = text.substring(0, eq).strip();
      if (name.isEmpty()) {
        throw ConfigException.at(
            file, line.number(), "missing attribute name: " + LogicalLines.quote(text));
      }
      if (!NAME.matcher(name).matches()) {
        throw ConfigException.at(
            file, line.number(), "bad parameter name: " + LogicalLines.quote(name));
      }
      values.put(name, text.substring(eq + 1).strip());
      lineOf.put(name, line.number());
    }
    Config config = Config.of(values);
    Set<String> transports = master == null ? Set.of() : master.transports();
    Set<String> referenced = new HashSet<>();
    if (master != null) {
      referenced.addAll(master.referencedNames());
    }
    values.values().forEach(v -> referenced.addAll(Config.referencedNames(v)));
    Set<String> userDefined = new TreeSet<>();
    List<String> names = new ArrayList<>(values.keySet());
    names.sort(Comparator.comparing(lineOf::get));
    List<String> warnings = new ArrayList<>();
    for (String name : names) {
      int line = lineOf.get(name);
      Param<?> param = known(name, transports);
      if (param == null) {
        try {
          config.expanded(name);
        } catch (IllegalArgumentException e) {
          throw ConfigException.at(file, line, "parameter " + name + ": " + e.getMessage());
        }
      }
      if (param == null && referenced.contains(name)) {
        userDefined.add(name);
      } else if (param == null) {
        warnings.add(
            ConfigException.where(file, line)
                + "unused parameter: "
                + name
                + "="
                + values.get(name));
      }
      String message = param == null ? null : invalid(config, param);
      if (message != null) {
        throw ConfigException.at(file, line, message);
      }
    }
    return new MainCf(file, config, transports, userDefined, warnings);
  }

  /** The parameter {@code name} stands for: in the table, or per-transport; else {@code null}. */
  static Param<?> known(String name, Collection<String> transports) {
    Param<?> p = MailParams.byName(name);
    return p != null ? p : TransportParams.byName(name, transports);
  }

  /** Why {@code param}'s value in {@code config} is unusable, or {@code null} if it is fine. */
  static String invalid(Config config, Param<?> param) {
    String expanded;
    try {
      expanded = config.expand(config.raw(param.name()));
    } catch (IllegalArgumentException e) {
      return "parameter " + param.name() + ": " + e.getMessage();
    }
    try {
      param.parse(expanded);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** The file read. */
  public Path file() {
    return file;
  }

  /** The settings of the file over the defaults, raw (unexpanded). */
  public Config config() {
    return config;
  }

  /**
   * Whether {@code name} is a parameter here: in {@link MailParams}, per-transport for a transport
   * of master.cf, or user-defined.
   */
  public boolean isKnown(String name) {
    return known(name, transports) != null || userDefined.contains(name);
  }

  /** The names of the per-transport parameters of master.cf's transports, in table order. */
  public List<String> transportParameterNames() {
    List<String> out = new ArrayList<>();
    for (String t : transports) {
      TransportParams.forTransport(t).forEach(p -> out.add(p.name()));
    }
    return out;
  }

  /** The user-defined parameters: set here, in no table, referenced by some {@code $name}. */
  public Set<String> userDefined() {
    return userDefined;
  }

  /** One line per unused parameter, {@code FILE, line N: unused parameter: name=value}. */
  public List<String> warnings() {
    return warnings;
  }
}
