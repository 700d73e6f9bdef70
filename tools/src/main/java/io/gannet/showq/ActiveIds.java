package io.gannet.showq;

import io.gannet.global.QueueId;
import io.gannet.master.AdminClient;
import io.gannet.master.AdminResponse;
import io.gannet.master.AdminUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which messages are in qmgr's active window: only the running daemon knows, so this asks it
 * through the admin socket ({@code active}). No daemon: no message is active. A daemon that does
 * not answer as expected is reported to {@code warnings} and counts as none, so that the listing
 * still comes out.
 */
public final class ActiveIds {

  /** How long the daemon may take to answer. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ActiveIds() {}

  /** The active queue ids of the daemon on {@code queueDirectory}; empty when none runs. */
  public static Set<QueueId> fetch(Path queueDirectory, Duration timeout,
      Consumer<String> warnings) {
    AdminResponse r;
    try {
      r = new AdminClient(queueDirectory, timeout).request("active");
    } catch (AdminUnavailableException e) {
      return Set.of();
    } catch (IOException e) {
      warnings.accept("cannot ask the daemon which messages are active (" + e.getMessage()
          + "); none is marked active");
      return Set.of();
    }
    if (!r.ok()) {
      warnings.accept("the daemon did not list the active messages (" + r.error()
          + "); none is marked active");
      return Set.of();
    }
    Set<QueueId> ids = new HashSet<>();
    for (String line : r.lines()) {
      try {
        ids.add(QueueId.parse(line.trim()));
      } catch (IllegalArgumentException e) {
        warnings.accept("the daemon listed a bad active queue id: " + e.getMessage());
      }
    }
    return ids;
  }
}
