package io.gannet.master;

import io.gannet.global.Config;
import io.gannet.global.MasterCf;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One loaded configuration directory, as the daemon runs with it.
 *
 * @param configDirectory the directory holding main.cf and master.cf ({@code gannet -c})
 * @param config main.cf after post-init checks
 * @param master master.cf
 */
public record DaemonConfig(Path configDirectory, Config config, MasterCf master) {
  public DaemonConfig {
    Objects.requireNonNull(configDirectory, "configDirectory");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(master, "master");
  }
}
