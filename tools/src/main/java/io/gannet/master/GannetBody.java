package io.gannet.master;

import io.gannet.global.Config;
import io.gannet.global.QueueId;
import io.gannet.pickup.Pickup;
import io.gannet.qmgr.Qmgr;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail system the master runs: builds {@link Gannet} from the configuration, starts it, and
 * offers its admin commands on the master's socket:
 *
 * <ul>
 *   <li>{@code flush}: every deferred message is due now ({@code postqueue -f});
 *   <li>{@code flush-site DOMAIN}: deferred mail with a recipient in DOMAIN is due now
 *       ({@code postqueue -s}, ETRN);
 *   <li>{@code flush-id QUEUEID}: one message now ({@code postqueue -i});
 *   <li>{@code super ...}: {@code gannet super} while the daemon runs ({@link SuperAdmin}).
 *   <li>{@code pickup [NAME]}: scan the maildrop directory now; with the name of a maildrop file,
 *       also say what became of it ({@link PickupAdmin}). Pickup runs when master.cf has a {@code
 *       pickup} service.
 *   <li>{@code active}: the queue ids of qmgr's active window, one a line, in queue id order
 *       ({@code gannet queue} marks them with {@code *}, as mailq marks the active queue).
 * </ul>
 */
public final class GannetBody implements DaemonBody {
  private static final Logger log = LoggerFactory.getLogger("gannet/master");
  private Gannet gannet;
  private java.util.concurrent.ScheduledExecutorService watchdog;
  private Pickup pickup;
  private StandardAgents agents;

  public GannetBody() {}

  @Override
  public void start(DaemonContext context) throws Exception {
    DaemonConfig dc = context.daemonConfig();
    Config config = dc.config().withOverrides(
        Map.of("queue_directory", context.queueDirectory().toString()));
    List<java.net.InetSocketAddress> listeners = Gannet.listeners(config, dc.master()).stream()
        .map(io.gannet.smtpd.Listener::address).toList();
    agents = new StandardAgents(context.clock(), listeners);
    GannetComponent component = GannetComponent.create(config, dc.master(),
        dc.configDirectory(), context.clock(), agents);
    gannet = component.gannet();
    try {
      gannet.start();
    } catch (Exception e) {
      throw new Exception(describe(e), e);
    }
    boolean pickupEnabled = PickupAdmin.enabled(dc.master());
    if (pickupEnabled) {
      pickup = component.pickup();
      pickup.start();
    }
    watchJournal(context);
    context.admin().register("super", new SuperAdmin(gannet, context.clock()));
    context.admin().register("pickup", new PickupAdmin(pickupEnabled ? pickup : null));
    context.admin().register("flush", (args, reply) -> {
      gannet.qmgr().call(q -> {
        q.flushAll();
        return null;
      }).get(30, TimeUnit.SECONDS);
      reply.line("flushing the deferred queue");
    });
    context.admin().register("flush-site", (args, reply) -> {
      if (args.size() != 1) {
        throw new AdminException("usage: flush-site DOMAIN");
      }
      gannet.qmgr().call(q -> {
        q.flushSite(args.get(0));
        return null;
      }).get(30, TimeUnit.SECONDS);
      reply.line("flushing mail for " + args.get(0));
    });
    context.admin().register("flush-id", (args, reply) -> {
      if (args.size() != 1) {
        throw new AdminException("usage: flush-id QUEUEID");
      }
      QueueId id;
      try {
        id = QueueId.parse(args.get(0));
      } catch (IllegalArgumentException e) {
        throw new AdminException("bad queue id: " + args.get(0));
      }
      boolean found = gannet.qmgr().call(q -> q.flushMessage(id)).get(30, TimeUnit.SECONDS);
      if (!found) {
        throw new AdminException(args.get(0) + ": no such deferred message");
      }
      reply.line("flushing " + args.get(0));
    });
    context.admin().register("active", (args, reply) -> {
      if (!args.isEmpty()) {
        throw new AdminException("usage: active");
      }
      List<QueueId> ids = gannet.qmgr().call(Qmgr::activeIds).get(30, TimeUnit.SECONDS);
      for (QueueId id : ids) {
        reply.line(id.toString());
      }
    });
  }

  /**
   * The journal writer cannot be restarted safely: once it failed, every append fails, so the
   * daemon stops (closing its listeners) instead of answering 451 to every message. Checked
   * every second on a daemon thread of its own.
   */
  private void watchJournal(DaemonContext context) {
    watchdog = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "journal-watchdog");
      t.setDaemon(true);
      return t;
    });
    watchdog.scheduleWithFixedDelay(() -> {
      Throwable failure = gannet.journal().failure();
      if (failure != null) {
        log.error("fatal: the journal writer failed ({}); stopping the mail system",
            failure.toString());
        context.requestStop("journal writer failed");
        watchdog.shutdown();
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  /** A start failure as an administrator reads it (a taken port names the address). */
  private static String describe(Exception e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() == null) {
      t = t.getCause();
    }
    String m = String.valueOf(t.getMessage());
    if (t instanceof java.net.BindException || m.contains("Address already in use")) {
      return "cannot listen: " + m;
    }
    return m;
  }

  @Override
  public void reload(DaemonConfig config) throws Exception {
    if (gannet == null) {
      return;
    }
    try {
      gannet.reload(config.config().withOverrides(
          Map.of("queue_directory", gannet.queueDirectory().toString())));
    } catch (RuntimeException e) {
      throw new Exception("reload refused, the running configuration is kept: "
          + e.getMessage(), e);
    }
  }

  @Override
  public void stop() {
    if (watchdog != null) {
      watchdog.shutdownNow();
    }
    if (pickup != null) {
      pickup.close();
    }
    if (gannet != null) {
      gannet.close();
    }
    if (agents != null) {
      agents.close();
    }
  }
}
