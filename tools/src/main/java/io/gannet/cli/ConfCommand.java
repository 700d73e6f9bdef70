package io.gannet.cli;

import io.gannet.global.Config;
import io.gannet.global.MailParams;
import io.gannet.global.MainCf;
import io.gannet.global.MasterService;
import io.gannet.global.Param;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * NAME gannet conf - print configuration parameters, as Postfix's postconf(1).
 *
 * <p>Without options, every parameter as {@code name = value}, sorted by name: the value as set in
 * main.cf, else the default, unexpanded; an empty value prints as {@code name =}. Listed are the
 * parameters of the table, the per-transport parameters of master.cf's transports and the
 * user-defined parameters of main.cf. {@code -n} prints only what main.cf sets, {@code -d} the
 * defaults, {@code -x} expands {@code $name}, {@code -h} prints values only; names given print just
 * those, in that order. {@code -M} prints master.cf, one service per line, or the services named
 * {@code service} or {@code service/type}.
 *
 * <p>DIAGNOSTICS Exit 0; 1 if a name given is unknown ({@code gannet: conf: warning: unknown
 * parameter: foo} on standard error, the others still printed); 2 for a missing or malformed
 * configuration ({@link ConfigOption}). Warnings of main.cf and master.cf go to standard error.
 * Post-init adjustments are not applied: this shows the files as written.
 */
@Command(
    name = "conf",
    description = "Print configuration parameters, as postconf(1).",
    sortOptions = false)
final class ConfCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Option(names = "-n", description = "Print only the parameters set in main.cf.")
  boolean setOnly;

  @Option(names = "-d", description = "Print the default values.")
  boolean defaults;

  @Option(names = "-x", description = "Expand $name references in values.")
  boolean expand;

  @Option(names = "-h", description = "Print values only, without \"name = \".")
  boolean valueOnly;

  @Option(names = "-M", description = "Print master.cf services (all, or those named).")
  boolean master;

  @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Parameters(paramLabel = "NAME", description = "Parameters (with -M: service[/type]) to print.")
  List<String> names = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (defaults && setOnly) {
      throw new UserException(2, "conf: -d and -n cannot be used together");
    }
    ConfigOption.Loaded loaded = ConfigOption.loadAsWritten(main.configDirectory(), err);
    int status = master ? printServices(loaded, out, err) : printParameters(loaded, out, err);
    out.flush();
    err.flush();
    return status;
  }

  private int printParameters(ConfigOption.Loaded loaded, PrintWriter out, PrintWriter err) {
    MainCf mainCf = loaded.main();
    Config shown = defaults ? Config.defaults() : mainCf.config();
    int status = 0;
    List<String> selected = new ArrayList<>();
    if (names.isEmpty()) {
      selected.addAll(setOnly ? new TreeSet<>(shown.explicitlySet().keySet()) : known(mainCf));
    } else {
      for (String name : names) {
        if (!mainCf.isKnown(name)) {
          err.println("gannet: conf: warning: unknown parameter: " + name);
          status = 1;
        } else if (!setOnly || shown.explicitlySet().containsKey(name)) {
          selected.add(name);
        }
      }
    }
    for (String name : selected) {
      String value = expand ? shown.expanded(name) : shown.raw(name);
      value = value == null ? "" : value;
      if (valueOnly) {
        out.println(value);
      } else {
        out.println(value.isEmpty() ? name + " =" : name + " = " + value);
      }
    }
    return status;
  }

  /** Every known parameter name, sorted; user-defined ones have no default, so not with -d. */
  private TreeSet<String> known(MainCf mainCf) {
    TreeSet<String> out = new TreeSet<>();
    for (Param<?> p : MailParams.all()) {
      out.add(p.name());
    }
    out.addAll(mainCf.transportParameterNames());
    if (!defaults) {
      out.addAll(mainCf.userDefined());
    }
    return out;
  }

  private int printServices(ConfigOption.Loaded loaded, PrintWriter out, PrintWriter err) {
    List<MasterService> services = loaded.master().services();
    int status = 0;
    List<MasterService> selected = new ArrayList<>();
    if (names.isEmpty()) {
      selected.addAll(services);
    } else {
      for (String name : names) {
        List<MasterService> matching =
            services.stream().filter(s -> s.name().equals(name) || s.id().equals(name)).toList();
        if (matching.isEmpty()) {
          err.println("gannet: conf: warning: unknown service: " + name);
          status = 1;
        }
        selected.addAll(matching);
      }
    }
    for (MasterService s : selected) {
      List<String> c = s.columns();
      StringBuilder line =
          new StringBuilder(
              String.format(
                  "%-10s %-5s %-7s %-7s %-7s %-7s %-7s %s",
                  s.name(),
                  s.type().text(),
                  c.get(0),
                  c.get(1),
                  c.get(2),
                  c.get(3),
                  c.get(4),
                  s.command()));
      s.args().forEach(a -> line.append(' ').append(a));
      out.println(line);
    }
    return status;
  }
}
