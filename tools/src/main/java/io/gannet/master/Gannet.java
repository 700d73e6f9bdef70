package io.gannet.master;

import io.gannet.global.Config;
import io.gannet.global.MailParams;
import io.gannet.global.MasterCf;
import io.gannet.global.MasterService;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.QueueProjection;
import io.gannet.qmgr.QmgrService;
import io.gannet.smtpd.Listener;
import io.gannet.smtpd.SmtpdServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running mail system: the journal, the projection, qmgr with its delivery agents, and the
 * smtpd listeners of master.cf. Built by {@link GannetComponent}; started and stopped by the
 * master. Start order: qmgr first (the projection catches up), then the listeners; stop in
 * reverse, so mail accepted before the stop is journaled and nothing is half-queued.
 */
@Singleton
public final class Gannet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("gannet/master");

  private final Config config;
  private final MasterCf master;
  private final ChronicleJournal journal;
  private final QueueProjection projection;
  private final QmgrService qmgr;
  private final SmtpdServer smtpd;
  private final DeliveryAgents agents;
  private final ReloadableServices services;
  private List<InetSocketAddress> bound = List.of();
  private boolean closed;

  @Inject
  Gannet(Config config, MasterCf master, ChronicleJournal journal, QueueProjection projection,
      QmgrService qmgr, SmtpdServer smtpd, DeliveryAgents agents, ReloadableServices services) {
    this.config = config;
    this.master = master;
    this.journal = journal;
    this.projection = projection;
    this.qmgr = qmgr;
    this.smtpd = smtpd;
    this.agents = agents;
    this.services = services;
  }

  /** Starts qmgr, waits until the projection caught up, then opens the smtpd listeners. */
  public List<InetSocketAddress> start() throws Exception {
    qmgr.start().get(5, TimeUnit.MINUTES);
    bound = smtpd.start(listeners(config, master));
    return bound;
  }

  /** The smtpd services of master.cf as listeners. */
  static List<Listener> listeners(Config config, MasterCf master) {
    List<Listener> out = new ArrayList<>();
    for (MasterService s : master.smtpdListeners()) {
      Config c = s.config(config);
      String host = s.host().orElse("");
      if (host.isEmpty()) {
        List<String> interfaces = c.get(MailParams.INET_INTERFACES);
        host = interfaces.isEmpty() || interfaces.contains("all") ? "0.0.0.0"
            : interfaces.get(0).equals("loopback-only") ? "127.0.0.1" : interfaces.get(0);
      }
      out.add(new Listener(s.name(), new InetSocketAddress(host, s.port()), s.maxproc(c), c));
    }
    return out;
  }

  /**
   * {@code gannet reload}: trivial-rewrite and cleanup are rebuilt from {@code config} (and the
   * lookup tables it names) and swapped in without dropping a connection. Throws, keeping the
   * old ones, when the new configuration cannot be used (a table that cannot be read).
   */
  public void reload(Config config) {
    services.reload(config);
    log.info("reload -- trivial-rewrite and cleanup use the new configuration; smtpd listener"
        + " settings and qmgr limits change at the next start");
  }

  /** Addresses the listeners are bound to (after {@link #start}). */
  public List<InetSocketAddress> listening() {
    return bound;
  }

  /** {@code queue_directory} as this daemon runs it. */
  public java.nio.file.Path queueDirectory() {
    return java.nio.file.Path.of(config.get(MailParams.QUEUE_DIRECTORY));
  }

  public QmgrService qmgr() {
    return qmgr;
  }

  public ChronicleJournal journal() {
    return journal;
  }

  public QueueProjection projection() {
    return projection;
  }

  /** Graceful stop: no new connections, qmgr stops, agents close, the stores close. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("terminating on stop request");
    closeQuietly(smtpd);
    closeQuietly(qmgr);
    closeQuietly(agents);
    closeQuietly(projection);
    closeQuietly(journal);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.warn("while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
    }
  }
}
