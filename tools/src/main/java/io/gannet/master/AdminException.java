package io.gannet.master;

/**
 * A refusal by an admin command, sent to the client as {@code ERR reason}: bad arguments, an
 * unknown queue id, a reload whose files cannot be used. The message is the reason, one line.
 */
public final class AdminException extends Exception {
  public AdminException(String reason) {
    super(reason);
  }
}
