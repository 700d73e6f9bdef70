package io.gannet.cli;

/**
 * A failure to report to the user as one line on standard error with an exit code: 2 for bad
 * usage or configuration, 1 for an action that failed.
 */
public final class UserException extends RuntimeException {
  private final int exitCode;

  public UserException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
