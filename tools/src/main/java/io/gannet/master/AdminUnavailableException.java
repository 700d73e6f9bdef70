package io.gannet.master;

import java.io.IOException;

/**
 * No daemon answers on the admin socket: the socket file is missing or nobody listens on it. To the
 * user this means "the mail system is not running".
 */
public final class AdminUnavailableException extends IOException {
  public AdminUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
