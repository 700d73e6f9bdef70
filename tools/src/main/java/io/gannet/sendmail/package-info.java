/**
 * NAME sendmail - the Sendmail-compatible submission interface, as Postfix's sendmail(1).
 *
 * <p>DESCRIPTION What {@code gannet sendmail} (and a link named {@code sendmail} to {@code
 * bin/gannet}) does with the message on standard input before it leaves it in the maildrop
 * directory for pickup: {@link MessageReader} reads it (LF to CR LF, the single-dot line, {@code
 * -i}), {@link HeaderRecipients} takes recipients from the headers ({@code -t}) and drops {@code
 * Bcc:}, {@link FromHeader} adds {@code From:} with the full name ({@code -F}). The envelope and
 * content are then written by {@link io.gannet.pickup.Maildrop}; the command itself is {@code
 * io.gannet.cli.SendmailCommand}.
 *
 * <p>SEE ALSO {@link io.gannet.pickup.Pickup}, Postfix sendmail(1), postdrop(1).
 */
package io.gannet.sendmail;
