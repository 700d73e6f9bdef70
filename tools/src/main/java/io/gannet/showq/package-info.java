/**
 * NAME showq - list the Gannet mail queue, as Postfix's showq(8) behind mailq(1) / postqueue -p.
 *
 * <p>DESCRIPTION A thin reader of the queue (DESIGN.md, "Data flow"): it writes nothing and needs
 * no daemon. {@link io.gannet.showq.LiveQueue} reads the queue as it is now (the RocksDB
 * projection opened read-only, plus the journal records after its checkpoint); {@link
 * io.gannet.showq.QueueReplay} the queue as it was at a past moment (the journal replayed into
 * memory up to then). {@link io.gannet.showq.Showq} walks either in queue id order, one page at a
 * time, placing each message in its queue ({@link io.gannet.showq.QueueName}: active ones are
 * those the running daemon names, {@link io.gannet.showq.ActiveIds}) and keeping those {@link
 * io.gannet.showq.QueueFilter} accepts. Output: {@link io.gannet.showq.MailqLayout} (mailq's
 * text), {@link io.gannet.showq.MailqJson} ({@code postqueue -j}), {@link
 * io.gannet.showq.QueueShape} ({@code qshape}).
 *
 * <p>TRUST The projection is checked by its own codec (a corrupt one names {@code gannet super
 * --rebuild}); journal records that do not decode are skipped as the projection skips them.
 *
 * <p>SEE ALSO {@code io.gannet.cli.QueueCommand} (the {@code gannet queue} command), {@code
 * io.gannet.journal.ProjectionFold} (what a record does to a message).
 */
package io.gannet.showq;
