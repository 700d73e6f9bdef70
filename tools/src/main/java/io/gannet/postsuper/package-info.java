/**
 * NAME postsuper - queue operations of {@code gannet super}: delete, hold, release, requeue,
 * rebuild.
 *
 * <p>DESCRIPTION Each operation is a journal record per message ({@code Deleted}, {@code Held},
 * {@code Released}, {@code Requeued}): {@link io.gannet.postsuper.Postsuper} finds the messages in
 * the projection and appends the records, durably. It runs inside the running daemon (admin command
 * {@code super}, {@link io.gannet.postsuper.SuperRequest}, reached by {@link
 * io.gannet.postsuper.RemoteSuper}) or, the daemon stopped, on the locked queue ({@link
 * io.gannet.postsuper.StoppedQueue}, which also rebuilds the projection).
 *
 * <p>SEE ALSO Postfix postsuper(1); {@code io.gannet.journal.ProjectionFold} for what each record
 * does to a message.
 */
package io.gannet.postsuper;
