/**
 * NAME io.gannet.master - the daemon's lifecycle, as Postfix's master(8).
 *
 * <p>SYNOPSIS {@code gannet [-c CONFDIR] start | start-fg | stop | status | reload}
 *
 * <p>DESCRIPTION One JVM runs the whole mail system. {@link io.gannet.master.Master} holds the
 * {@link io.gannet.master.QueueLock} of queue_directory (one instance per queue), runs the {@link
 * io.gannet.master.DaemonBody} found by {@link io.gannet.master.DaemonBodies} (the mail components;
 * this package knows none of them), and answers admin commands on a UNIX socket ({@link
 * io.gannet.master.AdminProtocol}, {@link io.gannet.master.AdminServer}, {@link
 * io.gannet.master.AdminClient}). {@link io.gannet.master.DaemonLauncher} starts it in the
 * background; {@link io.gannet.master.MaillogLayout} writes Postfix's log line format.
 *
 * <p>FILES ({@link io.gannet.master.DaemonFiles}) {@code $queue_directory/pid/master.lock}, {@code
 * pid/master.pid}, {@code private/admin} (0600 in a 0700 directory), {@code log/gannet.log}.
 *
 * <p>SECURITY The admin socket is reachable by the queue's owner only; a request line is bounded
 * ({@value io.gannet.master.AdminProtocol#MAX_REQUEST_BYTES} bytes) and timed out; log lines never
 * carry line breaks from their arguments.
 *
 * <p>CONFIGURATION PARAMETERS {@code queue_directory (var)}, {@code maillog_file (empty:
 * $queue_directory/log/gannet.log)}, {@code myhostname} (in log lines).
 *
 * <p>SEE ALSO io.gannet.cli (the commands), DESIGN.md "Configuration, commands, logs".
 */
package io.gannet.master;
