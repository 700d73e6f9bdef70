package io.gannet.cli;

import java.io.InputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code gannet} command: one entry point with Postfix-named subcommands ({@code conf} as
 * postconf, {@code cat} as postcat, ...). Exit codes: 0 success, 1 failure of the action, 2 bad
 * usage or configuration (a message on standard error, never a stack trace).
 */
@Command(
    name = "gannet",
    mixinStandardHelpOptions = true,
    version = "gannet 0.1.0",
    description = "Gannet mail transfer agent: Postfix's architecture on an event-sourced journal.",
    subcommands = {
      CommandLine.HelpCommand.class,
      ConfCommand.class,
      CatCommand.class,
      QueueCommand.class,
      StartCommand.class,
      StartFgCommand.class,
      StopCommand.class,
      StatusCommand.class,
      ReloadCommand.class,
      FlushCommand.class,
      SuperCommand.class,
      SendmailCommand.class
    })
public final class Main implements Runnable {

  @Option(
      names = {"-c", "--config-directory"},
      paramLabel = "CONFDIR",
      description = "Configuration directory holding main.cf (default: ${DEFAULT-VALUE}).",
      defaultValue = "${env:GANNET_CONFIG_DIRECTORY:-conf}")
  String configDirectory;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Standard input of the subcommands that read it (sendmail, super -). */
  private InputStream stdin = System.in;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The configuration directory given with {@code -c}; subcommands reach it by @ParentCommand. */
  public String configDirectory() {
    return configDirectory;
  }

  /** Standard input, as given to {@link #commandLine(InputStream)}. */
  InputStream stdin() {
    return stdin;
  }

  public static CommandLine commandLine() {
    return commandLine(System.in, CommandLine.defaultFactory());
  }

  /** The command line with {@code stdin} as the standard input of its subcommands (tests). */
  public static CommandLine commandLine(InputStream stdin) {
    return commandLine(stdin, CommandLine.defaultFactory());
  }

  /** The command line with subcommands made by {@code factory} (tests inject clocks so). */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    return commandLine(System.in, factory);
  }

  static CommandLine commandLine(InputStream stdin, CommandLine.IFactory factory) {
    Main main = new Main();
    main.stdin = stdin;
    CommandLine cl = new CommandLine(main, factory);
    cl.setAllowSubcommandsAsOptionParameters(true); // "-c conf" names a directory
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof UserException ue) {
            commandLine.getErr().println("gannet: " + ue.getMessage());
            return ue.exitCode();
          }
          throw ex;
        });
    // bad usage: 2, or the subcommand's own code (sendmail: 64, EX_USAGE)
    cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException pe
        ? pe.getCommandLine().getCommandSpec().exitCodeOnInvalidInput() : 2);
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
