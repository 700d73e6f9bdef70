package io.gannet.cli;

import io.gannet.master.AdminClient;
import io.gannet.master.AdminResponse;
import io.gannet.master.AdminUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gannet reload}: as {@code postfix reload}, the running daemon re-reads main.cf and
 * master.cf without dropping connections. The files are checked here first (a bad line: exit 2,
 * nothing sent). Prints {@code gannet/master: refreshing the mail system}, exit 0. Not running:
 * {@code gannet: fatal: the mail system is not running}, exit 1; refused by the daemon (it runs on
 * with the configuration it had): {@code gannet: fatal: REASON}, exit 1.
 */
@Command(
    name = "reload",
    description = "Re-read the configuration of the running mail system.",
    mixinStandardHelpOptions = true)
final class ReloadCommand implements Callable<Integer> {

  @ParentCommand Main main;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ConfigOption.Loaded loaded = ConfigOption.load(main);
    AdminResponse r;
    try {
      r = new AdminClient(MailSystem.queueDirectory(loaded)).request("reload");
    } catch (AdminUnavailableException e) {
      throw new UserException(1, "fatal: the mail system is not running");
    } catch (IOException e) {
      throw new UserException(1, "fatal: reload: " + e.getMessage());
    }
    if (!r.ok()) {
      throw new UserException(1, "fatal: " + r.error());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(MailSystem.PROGRAM + "refreshing the mail system");
    out.flush();
    return 0;
  }
}
