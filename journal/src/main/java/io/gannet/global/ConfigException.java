package io.gannet.global;

import java.nio.file.Path;

/**
 * A configuration file that cannot be used: a missing file or directory, a malformed line, a value
 * that does not parse. The message is one line meant for the administrator and names the file and
 * line where there is one ({@code /etc/gannet/main.cf, line 12: ...}), as Postfix does.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  /** An error at one line of a file: {@code FILE, line N: MESSAGE}. */
  static ConfigException at(Path file, int line, String message) {
    return new ConfigException(where(file, line) + message);
  }

  /** The {@code FILE, line N: } prefix shared by errors and warnings. */
  static String where(Path file, int line) {
    return file + ", line " + line + ": ";
  }
}
