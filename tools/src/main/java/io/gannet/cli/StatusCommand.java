package io.gannet.cli;

import java.io.PrintWriter;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gannet status}: as {@code postfix status}, one line and an exit status. Running means an
 * instance holds the queue lock of queue_directory: {@code gannet/master: the mail system is
 * running: PID: N}, exit 0; else {@code gannet/master: the mail system is not running}, exit 1.
 * Reads nothing else; works without the admin socket.
 */
@Command(
    name = "status",
    description = "Tell whether the mail system is running, as postfix status.",
    mixinStandardHelpOptions = true)
final class StatusCommand implements Callable<Integer> {

  @ParentCommand Main main;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ConfigOption.Loaded loaded = ConfigOption.load(main);
    OptionalLong pid = MailSystem.running(MailSystem.queueDirectory(loaded));
    PrintWriter out = spec.commandLine().getOut();
    if (pid.isEmpty()) {
      out.println(MailSystem.PROGRAM + "the mail system is not running");
      out.flush();
      return 1;
    }
    out.println(
        MailSystem.PROGRAM + "the mail system is running: PID: " + MailSystem.pid(pid.getAsLong()));
    out.flush();
    return 0;
  }
}
