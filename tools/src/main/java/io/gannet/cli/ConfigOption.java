package io.gannet.cli;

import io.gannet.global.Config;
import io.gannet.global.ConfigException;
import io.gannet.global.MainCf;
import io.gannet.global.MasterCf;
import io.gannet.global.PostInit;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Loads the configuration directory given with {@code gannet -c CONFDIR} for a subcommand:
 * master.cf, then main.cf, then the {@code -o} values of master.cf against main.cf. Warnings go to
 * standard error as {@code gannet: warning: ...}; an unusable file becomes {@link UserException}
 * with exit code 2 and one line, {@code gannet: fatal: /conf/main.cf, line 12: ...}. A subcommand
 * calls {@code ConfigOption.load(parent)} with its {@code @ParentCommand}.
 */
public final class ConfigOption {

  /**
   * The loaded directory.
   *
   * @param main main.cf as written
   * @param master master.cf as written
   * @param config the configuration to run with: main.cf after {@link PostInit}
   */
  public record Loaded(MainCf main, MasterCf master, Config config) {}

  private ConfigOption() {}

  /** Loads {@code main}'s CONFDIR and runs the post-init checks (their warnings printed). */
  public static Loaded load(Main main) {
    PrintWriter err = main.spec.commandLine().getErr();
    try {
      return read(main.configDirectory(), w -> err.println("gannet: warning: " + w));
    } catch (ConfigException e) {
      throw new UserException(2, "fatal: " + e.getMessage());
    } finally {
      err.flush();
    }
  }

  /**
   * Loads CONFDIR with the post-init checks, handing each warning (of master.cf, main.cf, then
   * post-init) to {@code warnings}: what {@link #load} does, for callers that are not a command
   * (the daemon's reload, whose warnings go to the log).
   */
  public static Loaded read(String configDirectory, Consumer<String> warnings)
      throws ConfigException {
    Loaded files = readAsWritten(configDirectory, warnings);
    PostInit.Result checked = PostInit.check(files.main().config());
    checked.warnings().forEach(warnings);
    return new Loaded(files.main(), files.master(), checked.config());
  }

  /** Loads CONFDIR without post-init: the files as written ({@code gannet conf}). */
  static Loaded loadAsWritten(String configDirectory, PrintWriter err) {
    try {
      return readAsWritten(configDirectory, w -> err.println("gannet: warning: " + w));
    } catch (ConfigException e) {
      throw new UserException(2, "fatal: " + e.getMessage());
    } finally {
      err.flush();
    }
  }

  private static Loaded readAsWritten(String configDirectory, Consumer<String> warnings)
      throws ConfigException {
    Path dir = Path.of(configDirectory);
    MasterCf master = MasterCf.load(dir);
    MainCf main = MainCf.load(dir, master);
    master.validateOverrides(main.config());
    master.warnings().forEach(warnings);
    main.warnings().forEach(warnings);
    return new Loaded(main, master, main.config());
  }
}
