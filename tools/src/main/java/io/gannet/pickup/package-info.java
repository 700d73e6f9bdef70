/**
 * NAME pickup - local submission: the maildrop directory and the daemon's pickup service.
 *
 * <p>DESCRIPTION {@code gannet sendmail} writes each message as one {@link
 * io.gannet.pickup.MaildropFile} in {@code $queue_directory/maildrop} ({@link
 * io.gannet.pickup.Maildrop}), so that mail is never refused because the daemon is down; the
 * daemon's {@link io.gannet.pickup.Pickup} queues those files through cleanup and the journal, at
 * start, when poked, and every wakeup period.
 *
 * <p>SEE ALSO Postfix postdrop(1), pickup(8).
 */
package io.gannet.pickup;
