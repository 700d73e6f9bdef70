package io.gannet.cli;

import io.gannet.global.QueueId;
import io.gannet.master.AdminClient;
import io.gannet.master.AdminResponse;
import io.gannet.master.AdminUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gannet flush}: postqueue {@code -f}, {@code -s SITE}, {@code -i QUEUEID}. Asks the
 * running daemon, through its admin socket, to deliver deferred mail now: all of it (no option),
 * mail for one destination ({@code -s}, as {@code ETRN}), or one message ({@code -i}); both options
 * may repeat. Silent on success, as postqueue. Not running: {@code gannet: fatal: the mail system
 * is not running}, exit 1; a refusal (an unknown queue id): {@code gannet: fatal: REASON}, exit 1;
 * a malformed queue id: exit 2.
 */
@Command(
    name = "flush",
    description = "Deliver deferred mail now, as postqueue -f / -s SITE / -i QUEUEID.",
    mixinStandardHelpOptions = true)
final class FlushCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "-s", paramLabel = "SITE",
      description = "Only mail for this destination (as ETRN).")
  List<String> sites = new ArrayList<>();

  @Option(names = "-i", paramLabel = "QUEUEID", description = "Only this message.")
  List<String> ids = new ArrayList<>();

  @Override
  public Integer call() {
    ConfigOption.Loaded loaded = ConfigOption.load(main);
    List<List<String>> requests = new ArrayList<>();
    for (String id : ids) {
      try {
        QueueId.parse(id);
      } catch (IllegalArgumentException e) {
        throw new UserException(2, "fatal: " + e.getMessage());
      }
      requests.add(List.of("flush-id", id));
    }
    for (String site : sites) {
      if (site.isBlank() || site.chars().anyMatch(c -> c <= ' ')) {
        throw new UserException(2, "fatal: bad site name: '" + site + "'");
      }
      requests.add(List.of("flush-site", site));
    }
    if (requests.isEmpty()) {
      requests.add(List.of("flush"));
    }
    Path queueDir = MailSystem.queueDirectory(loaded);
    AdminClient client = new AdminClient(queueDir);
    String failure = null;
    for (List<String> request : requests) {
      AdminResponse r;
      try {
        r = client.request(request);
      } catch (AdminUnavailableException e) {
        throw new UserException(1, "fatal: the mail system is not running");
      } catch (IOException e) {
        throw new UserException(1, "fatal: flush: " + e.getMessage());
      }
      if (!r.ok() && failure == null) {
        failure = r.error();
      }
    }
    if (failure != null) {
      throw new UserException(1, "fatal: " + failure);
    }
    return 0;
  }
}
