package io.gannet.master;

import io.gannet.global.ConfigException;

/**
 * Loads the configuration directory again, for {@code reload}. Implemented by the command line
 * (which knows how files are found and where warnings go).
 */
@FunctionalInterface
public interface ConfigSource {

  /** Reads main.cf and master.cf afresh; a file that cannot be used throws with file and line. */
  DaemonConfig load() throws ConfigException;
}
