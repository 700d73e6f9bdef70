package io.gannet.master;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalException;
import io.gannet.postsuper.Postsuper;
import io.gannet.postsuper.SuperRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The daemon's admin command {@code super} ({@link SuperRequest}): {@code gannet super} while the
 * mail system runs. The records go to the daemon's own journal; qmgr reads them back from its
 * tail, as every record, and acts (a held or deleted message leaves the active window). Before
 * looking messages up, it waits (briefly) until the projection has applied everything journaled
 * before the request, so that mail accepted a moment ago is found.
 */
final class SuperAdmin implements AdminHandler {
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
  private static final long CATCH_UP_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Gannet gannet;
  private final Postsuper postsuper;

  SuperAdmin(Gannet gannet, Clock clock) {
    this.gannet = gannet;
    this.postsuper =
        new Postsuper(gannet.projection(), gannet.journal(), clock, this::active, SYNC_TIMEOUT);
  }

  private Set<QueueId> active(java.util.Collection<QueueId> ids) throws Exception {
    List<QueueId> copy = List.copyOf(ids);
    return gannet
        .qmgr()
        .call(
            q -> {
              Set<QueueId> out = new HashSet<>();
              for (QueueId id : copy) {
                if (q.isActive(id)) {
                  out.add(id);
                }
              }
              return out;
            })
        .get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void handle(List<String> args, AdminReply reply) throws AdminException {
    SuperRequest r;
    try {
      r = SuperRequest.parse(args);
    } catch (IllegalArgumentException e) {
      throw new AdminException(e.getMessage());
    }
    awaitProjection();
    try {
      if (r.all()) {
        Postsuper.Page page = postsuper.applyAll(r.action(), r.queues(), r.after(), Postsuper.PAGE);
        page.done().forEach(id -> reply.line("done " + id));
        if (page.next() != null) {
          reply.line(SuperRequest.NEXT + " = " + page.next());
        }
      } else {
        for (Postsuper.Outcome o : postsuper.apply(r.action(), r.queues(), r.ids())) {
          reply.line(o.status().name().toLowerCase(java.util.Locale.ROOT) + " " + o.id());
        }
      }
    } catch (JournalException | IllegalStateException e) {
      throw new AdminException(e.getMessage());
    }
  }

  /** Waits until the projection reflects the journal as it was when the request came. */
  private void awaitProjection() {
    long target = gannet.journal().lastIndex();
    long deadline = System.nanoTime() + CATCH_UP_NANOS;
    while (gannet.projection().checkpoint() < target && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(1_000_000);
    }
  }
}
