package io.gannet.master;

import java.util.List;

/**
 * One admin command of the running daemon, reached through the admin socket ({@link
 * AdminProtocol}). Handlers run on the admin server's threads, not on the thread of the component
 * they talk to: hand work to that component's queue and wait for its answer.
 */
@FunctionalInterface
public interface AdminHandler {

  /**
   * Answers one request. Lines written to {@code reply} are sent to the client; returning normally
   * ends the reply with {@code OK}.
   *
   * @param args the words after the command name, decoded
   * @throws AdminException to end the reply with {@code ERR} and the exception's message (bad
   *     arguments, unknown queue id, ...); any other exception is logged and answered {@code ERR
   *     internal error}
   */
  void handle(List<String> args, AdminReply reply) throws Exception;
}
