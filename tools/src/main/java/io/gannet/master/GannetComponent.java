package io.gannet.master;

import dagger.BindsInstance;
import dagger.Component;
import io.gannet.global.Config;
import io.gannet.global.MasterCf;
import java.nio.file.Path;
import java.time.Clock;
import javax.inject.Named;
import javax.inject.Singleton;

/** The daemon's object graph: everything {@link Gannet} needs, built from the configuration. */
@Singleton
@Component(modules = GannetModule.class)
public interface GannetComponent {

  Gannet gannet();

  /** pickup(8), for the body to start when master.cf runs it. */
  io.gannet.pickup.Pickup pickup();

  @Component.Factory
  interface Factory {
    GannetComponent create(
        @BindsInstance Config config,
        @BindsInstance MasterCf master,
        @BindsInstance @Named("config_directory") Path configDirectory,
        @BindsInstance Clock clock,
        @BindsInstance AgentFactory agents);
  }

  /** Builds the daemon's graph. */
  static Gannet build(Config config, MasterCf master, Path configDirectory, Clock clock,
      AgentFactory agents) {
    return create(config, master, configDirectory, clock, agents).gannet();
  }

  /** Builds the daemon's graph, for callers that need more than {@link Gannet}. */
  static GannetComponent create(Config config, MasterCf master, Path configDirectory,
      Clock clock, AgentFactory agents) {
    return DaggerGannetComponent.factory().create(config, master, configDirectory, clock, agents);
  }
}
