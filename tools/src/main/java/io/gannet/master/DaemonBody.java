package io.gannet.master;

/**
 * What the daemon runs: the mail components (smtpd, cleanup, qmgr, delivery agents, ...) wired
 * together, as the programs that Postfix's master(8) starts. {@link Master} owns the lifecycle
 * around it (queue lock, admin socket, signals); a body owns only its components.
 *
 * <p>The real body is found by {@link DaemonBodies} (a {@link java.util.ServiceLoader} lookup), so
 * it plugs in without editing the lifecycle code. Calls come from one thread at a time: {@link
 * #start} once, then any number of {@link #reload}, then {@link #stop} once (also after a failed
 * start, to release what was opened).
 */
public interface DaemonBody {

  /**
   * Opens the body's resources and binds its listeners. Returns once mail can be accepted. Admin
   * commands of the body ({@code flush}, {@code super}, ...) are registered here through {@link
   * DaemonContext#admin()}.
   *
   * @throws Exception with a message an administrator can act on (for a taken port, e.g. {@code
   *     cannot listen on 127.0.0.1:2525: Address already in use}); the daemon logs it as fatal and
   *     exits 1
   */
  void start(DaemonContext context) throws Exception;

  /**
   * Re-reads the configuration without dropping connections (Postfix's {@code postfix reload}). The
   * daemon has loaded and checked the files; a body that cannot apply them throws and keeps running
   * with what it had.
   */
  void reload(DaemonConfig config) throws Exception;

  /**
   * Graceful stop: stop accepting, finish or abandon in-flight work, sync, release. Must not throw
   * for a body that was never (or only partly) started.
   */
  void stop();
}
