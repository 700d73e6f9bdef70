package io.gannet.global;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * NAME master.cf - Gannet's service table, as Postfix's master.cf(5).
 *
 * <p>SYNTAX One service per logical line (continuation lines start with white space; {@code #}
 * lines are comments), eight columns separated by white space: {@code service type private unpriv
 * chroot wakeup maxproc command [args]}. {@code -} means the default of a column (private y, unpriv
 * y, chroot n, wakeup 0, maxproc default_process_limit). An argument that contains white space is
 * written {@code { text }}. Arguments {@code -o name=value}, {@code -oname=value} and {@code -o {
 * name = value }} override main.cf for the service.
 *
 * <p>An inet service is named {@code port}, {@code host:port} or {@code [address]:port} (IPv6 only
 * in this form, e.g. {@code [::1]:25}); the port is a number or {@code smtp} (25), {@code
 * submission} (587), {@code smtps} or {@code submissions} (465), {@code lmtp} (24); port 0 lets the
 * system choose (tests). Without a host, the service listens on inet_interfaces (all).
 *
 * <p>TRUST None: a line with too few columns, a bad type, a bad y/n column, a bad wakeup or
 * maxproc, a bad inet address or port, a malformed {@code -o} or a duplicate {@code name/type} is a
 * {@link ConfigException} naming file and line. An {@code -o} that names no known parameter is a
 * warning: {@code /etc/gannet/master.cf, line 9: unused parameter: foo=bar}. Postfix's unix
 * services (pickup, cleanup, qmgr, ...) are parsed like any other; the daemon decides what to run.
 *
 * <p>SEE ALSO {@link MainCf}, {@link MasterService}.
 */
public final class MasterCf {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern WAKEUP = Pattern.compile("([0-9]{1,9})\\??");
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");
  private static final Map<String, Integer> PORT_NAMES =
      Map.of("smtp", 25, "submission", 587, "smtps", 465, "submissions", 465, "lmtp", 24);
  private static final String[] FIELDS = {
    "service name",
    "transport type",
    "private",
    "unpriv",
    "chroot",
    "wakeup time",
    "max process count",
    "command name"
  };

  private final Path file;
  private final List<MasterService> services;
  private final List<String> warnings;

  private MasterCf(Path file, List<MasterService> services, List<String> warnings) {
    this.file = file;
    this.services = List.copyOf(services);
    this.warnings = List.copyOf(warnings);
  }

  /** Reads {@code confDir/master.cf}, which must exist. */
  public static MasterCf load(Path confDir) throws ConfigException {
    return parse(LogicalLines.fileIn(confDir, "master.cf"));
  }

  /** Reads one master.cf-syntax file. */
  public static MasterCf parse(Path file) throws ConfigException {
    List<MasterService> services = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (LogicalLines.Line line : LogicalLines.read(file)) {
      MasterService s = service(file, line);
      if (!ids.add(s.id())) {
        throw ConfigException.at(file, line.number(), "duplicate service: " + s.id());
      }
      services.add(s);
    }
    Set<String> transports = transports(services);
    Set<String> referenced = referencedNames(services);
    List<String> warnings = new ArrayList<>();
    for (MasterService s : services) {
      for (Map.Entry<String, String> o : s.overrides().entrySet()) {
        if (MainCf.known(o.getKey(), transports) == null && !referenced.contains(o.getKey())) {
          warnings.add(
              ConfigException.where(file, s.line())
                  + "unused parameter: "
                  + o.getKey()
                  + "="
                  + o.getValue());
        }
      }
    }
    return new MasterCf(file, services, warnings);
  }

  /** The file read. */
  public Path file() {
    return file;
  }

  /** Every service, in file order. */
  public List<MasterService> services() {
    return services;
  }

  /** The inet services whose command is {@code smtpd}: the SMTP listeners. */
  public List<MasterService> smtpdListeners() {
    return services.stream()
        .filter(s -> s.type() == MasterService.Type.INET && s.command().equals("smtpd"))
        .toList();
  }

  /** The names of the transports: unix services that run a delivery agent. */
  public Set<String> transports() {
    return transports(services);
  }

  /** The names that {@code -o} values reference with {@code $} (user-defined parameters). */
  public Set<String> referencedNames() {
    return referencedNames(services);
  }

  private static Set<String> referencedNames(List<MasterService> services) {
    Set<String> out = new LinkedHashSet<>();
    for (MasterService s : services) {
      s.overrides().values().forEach(v -> out.addAll(Config.referencedNames(v)));
    }
    return out;
  }

  /** One line per unused {@code -o} parameter. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * Checks every known {@code -o} value against {@code main} as {@link MainCf} checks main.cf: an
   * error names this file, the service's line and the parameter.
   */
  public void validateOverrides(Config main) throws ConfigException {
    Set<String> transports = transports();
    for (MasterService s : services) {
      Config config = s.config(main);
      for (String name : s.overrides().keySet()) {
        Param<?> param = MainCf.known(name, transports);
        String message = param == null ? null : MainCf.invalid(config, param);
        if (message != null) {
          throw ConfigException.at(file, s.line(), message);
        }
      }
    }
  }

  private static Set<String> transports(List<MasterService> services) {
    Set<String> out = new LinkedHashSet<>();
    for (MasterService s : services) {
      if (s.isTransport()) {
        out.add(s.name());
      }
    }
    return out;
  }

  private static MasterService service(Path file, LogicalLines.Line line) throws ConfigException {
    List<String> t;
    try {
      t = tokens(line.text());
    } catch (IllegalArgumentException e) {
      throw ConfigException.at(file, line.number(), e.getMessage());
    }
    if (t.size() < FIELDS.length) {
      throw ConfigException.at(
          file,
          line.number(),
          "missing " + FIELDS[t.size()] + " field: " + LogicalLines.quote(line.text()));
    }
    try {
      String name = t.get(0);
      MasterService.Type type = MasterService.Type.parse(t.get(1));
      if (type == null) {
        throw new IllegalArgumentException("bad transport type: " + LogicalLines.quote(t.get(1)));
      }
      Optional<String> host = Optional.empty();
      int port = -1;
      if (type == MasterService.Type.INET) {
        String[] hostPort = inetAddress(name);
        host = Optional.ofNullable(hostPort[0]);
        port = port(hostPort[1], name);
      }
      List<String> args = new ArrayList<>();
      Map<String, String> overrides = new LinkedHashMap<>();
      arguments(t.subList(FIELDS.length, t.size()), args, overrides);
      return new MasterService(
          line.number(),
          name,
          type,
          t.subList(2, 7),
          yesNo(t.get(2), FIELDS[2], true),
          yesNo(t.get(3), FIELDS[3], true),
          yesNo(t.get(4), FIELDS[4], false),
          wakeup(t.get(5)),
          maxproc(t.get(6)),
          t.get(7),
          args,
          overrides,
          host,
          port);
    } catch (IllegalArgumentException e) {
      throw ConfigException.at(file, line.number(), e.getMessage());
    }
  }

  /**
   * Splits a logical line on white space; {@code { text }} is one token (nested braces counted),
   * kept with its braces, and must be followed by white space or the end.
   */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      if (Character.isWhitespace(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      if (text.charAt(i) == '{') {
        int nesting = 0;
        do {
          char c = text.charAt(i);
          nesting += c == '{' ? 1 : c == '}' ? -1 : 0;
          i++;
        } while (nesting > 0 && i < n);
        if (nesting > 0) {
          throw new IllegalArgumentException(
              "missing '}' in: " + LogicalLines.quote(text.substring(start)));
        }
        if (i < n && !Character.isWhitespace(text.charAt(i))) {
          throw new IllegalArgumentException(
              "missing white space after '}' in: " + LogicalLines.quote(text.substring(start)));
        }
      } else {
        while (i < n && !Character.isWhitespace(text.charAt(i))) {
          i++;
        }
      }
      out.add(text.substring(start, i));
    }
    return out;
  }

  /** Copies the arguments to {@code args} (as written), collecting the {@code -o} settings. */
  private static void arguments(List<String> t, List<String> args, Map<String, String> overrides) {
    for (int k = 0; k < t.size(); k++) {
      String a = t.get(k);
      args.add(a);
      String setting;
      if (a.equals("-o")) {
        if (k + 1 == t.size()) {
          throw new IllegalArgumentException("-o requires a name=value argument");
        }
        setting = t.get(++k);
        args.add(setting);
      } else if (a.startsWith("-o")) {
        setting = a.substring(2);
      } else {
        continue;
      }
      if (setting.startsWith("{")) {
        setting = setting.substring(1, setting.length() - 1);
      }
      int eq = setting.indexOf('=');
      String name = eq < 0 ? "" : setting.substring(0, eq).strip();
      if (eq < 0 || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "bad -o option, expected name=value: " + LogicalLines.quote(setting.strip()));
      }
      overrides.put(name, setting.substring(eq + 1).strip());
    }
  }

  /** {host or null, port text} of an inet service name. */
  private static String[] inetAddress(String name) {
    if (name.startsWith("[")) {
      int close = name.indexOf(']');
      if (close < 2 || !name.startsWith(":", close + 1)) {
        throw new IllegalArgumentException(
            "bad inet service name, expected [address]:port: " + LogicalLines.quote(name));
      }
      return new String[] {name.substring(1, close), name.substring(close + 2)};
    }
    int colon = name.lastIndexOf(':');
    if (colon < 0) {
      return new String[] {null, name};
    }
    String host = name.substring(0, colon);
    if (host.isEmpty() || host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "bad inet service name, expected host:port or [address]:port: "
              + LogicalLines.quote(name));
    }
    return new String[] {host, name.substring(colon + 1)};
  }

  private static int port(String text, String name) {
    if (NUMBER.matcher(text).matches()) {
      int port = Integer.parseInt(text);
      if (port <= 65535) {
        return port;
      }
    } else {
      Integer known = PORT_NAMES.get(text.toLowerCase(Locale.ROOT));
      if (known != null) {
        return known;
      }
    }
    throw new IllegalArgumentException(
        "bad port in inet service name: " + LogicalLines.quote(name));
  }

  private static boolean yesNo(String text, String field, boolean dflt) {
    switch (text) {
      case "-":
        return dflt;
      case "y":
        return true;
      case "n":
        return false;
      default:
        throw new IllegalArgumentException(
            "bad " + field + " field, expected y, n or -: " + LogicalLines.quote(text));
    }
  }

  private static int wakeup(String text) {
    if (text.equals("-")) {
      return 0;
    }
    var m = WAKEUP.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("bad wakeup time: " + LogicalLines.quote(text));
    }
    return Integer.parseInt(m.group(1));
  }

  private static Optional<Integer> maxproc(String text) {
    if (text.equals("-")) {
      return Optional.empty();
    }
    if (!NUMBER.matcher(text).matches()) {
      throw new IllegalArgumentException("bad max process count: " + LogicalLines.quote(text));
    }
    return Optional.of(Integer.parseInt(text));
  }
}
