package io.gannet.master;

import dagger.Module;
import dagger.Provides;
import io.gannet.anvil.Anvil;
import io.gannet.bounce.NoticeComposer;
import io.gannet.bounce.NoticePolicy;
import io.gannet.cleanup.Cleanup;
import io.gannet.global.Config;
import io.gannet.global.MailParams;
import io.gannet.global.MasterCf;
import io.gannet.global.QueueIdGenerator;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.QueueProjection;
import io.gannet.journal.RocksQueueProjection;
import io.gannet.pickup.Maildrop;
import io.gannet.pickup.Pickup;
import io.gannet.qmgr.NoticeHook;
import io.gannet.qmgr.QmgrService;
import io.gannet.qmgr.QmgrSettings;
import io.gannet.qmgr.Route;
import io.gannet.rewrite.Resolution;
import io.gannet.rewrite.TrivialRewrite;
import io.gannet.smtpd.FlushService;
import io.gannet.smtpd.SmtpdServer;
import io.gannet.smtpd.SmtpdServices;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;
import javax.inject.Named;
import javax.inject.Singleton;

/**
 * How the components of the daemon are made from the configuration. One instance of each per
 * daemon; Dagger builds them in dependency order.
 */
@Module
final class GannetModule {
  private GannetModule() {}

  static Path queueDirectory(Config config) {
    return Path.of(config.get(MailParams.QUEUE_DIRECTORY));
  }

  @Provides
  @Singleton
  static ChronicleJournal journal(Config config, Clock clock) {
    return ChronicleJournal.open(queueDirectory(config).resolve("journal"),
        JournalOptions.from(config, clock));
  }

  @Provides
  @Singleton
  static QueueProjection projection(Config config) {
    return RocksQueueProjection.open(queueDirectory(config).resolve("projection"));
  }

  @Provides
  @Singleton
  static ReloadableServices services(Config config, @Named("config_directory") Path confDir,
      Clock clock) {
    return new ReloadableServices(config, confDir, clock);
  }

  @Provides
  @Singleton
  static DeliveryAgents agents(Config config, MasterCf master, AgentFactory factory) {
    return new DeliveryAgents(config, master, factory);
  }

  @Provides
  @Singleton
  static QmgrService qmgr(Config config, ChronicleJournal journal, QueueProjection projection,
      ReloadableServices services, DeliveryAgents agents, Clock clock) {
    TrivialRewrite rewrite = services.rewrite();
    NoticeHook notices = new Notices(new NoticePolicy(config, clock),
        new NoticeComposer(config, clock), journal, projection, clock);
    return new QmgrService(new QmgrSettings(config), journal, journal, projection, address -> {
      Resolution r = rewrite.resolve(address);
      return new Route(r.transport(), r.nexthop());
    }, agents::get, notices, clock, new SplittableRandom());
  }

  /** One generator for every component that makes queue ids (smtpd, pickup): no duplicates. */
  @Provides
  @Singleton
  static QueueIdGenerator queueIds(Clock clock) {
    return new QueueIdGenerator(clock);
  }

  /** pickup(8): started by GannetBody when master.cf has a pickup service. */
  @Provides
  @Singleton
  static Pickup pickup(Config config, MasterCf master, ChronicleJournal journal,
      ReloadableServices services, QueueIdGenerator ids, Clock clock) {
    Cleanup cleanup = services.cleanup();
    long wakeup = master.services().stream().filter(s -> s.command().equals("pickup"))
        .mapToLong(s -> s.wakeupTime()).findFirst().orElse(0);
    return new Pickup(Maildrop.of(queueDirectory(config)), cleanup, journal, ids, clock,
        config.get(MailParams.MESSAGE_SIZE_LIMIT), wakeup);
  }

  @Provides
  @Singleton
  static SmtpdServer smtpd(Config config, ChronicleJournal journal, ReloadableServices reloadable,
      Clock clock, QmgrService qmgr, QueueIdGenerator ids) {
    Cleanup cleanup = reloadable.cleanup();
    TrivialRewrite rewrite = reloadable.rewrite();
    FlushService flush = domain -> {
      qmgr.call(q -> {
        q.flushSite(domain);
        return null;
      });
      return true;
    };
    SmtpdServices services = new SmtpdServices(journal, cleanup, rewrite, clock, ids,
        new Anvil(clock, config.get(MailParams.ANVIL_RATE_TIME_UNIT) * 1000L), flush);
    return new SmtpdServer(services);
  }
}
