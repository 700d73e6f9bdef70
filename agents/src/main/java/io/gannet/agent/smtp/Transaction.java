package io.gannet.agent.smtp;

import io.gannet.agent.smtp.SmtpClientSettings.Protocol;
import io.gannet.global.DeliveryRecipient;
import io.gannet.smtp.DotStuffedContent;
import io.gannet.smtp.SmtpClientChannel;
import io.gannet.smtp.SmtpClientException;
import io.gannet.smtp.SmtpCommands;
import io.gannet.smtp.SmtpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One mail transaction on a session (Postfix's smtp_xfer/smtp_loop): MAIL FROM, one RCPT TO per
 * recipient, DATA, the content, and the end-of-data reply (lmtp: one reply per accepted
 * recipient).
 *
 * <p>With PIPELINING, MAIL, every RCPT and DATA leave in one write and the replies are read in
 * order; without it each command waits for the previous reply, and the transaction stops early
 * when MAIL or every RCPT is refused. Each reply waits at most its Postfix time limit ({@code
 * smtp_mail_timeout}, {@code smtp_rcpt_timeout}, {@code smtp_data_init_timeout}, {@code
 * smtp_data_done_timeout}); the content may stall at most {@code smtp_data_xfer_timeout}.
 *
 * <p>When MAIL, every RCPT or DATA is refused, RSET ends the transaction and the session may be
 * cached; a lost connection or a timeout ends the session. Results are one {@link Attempt} per
 * recipient, in the order given.
 */
final class Transaction {

  /** The result: one attempt per recipient, and what became of the session. */
  record Result(List<Attempt> attempts, boolean completed, boolean reusable) {}

  private static final String MAIL_CMD = "MAIL FROM command";
  private static final String RCPT_CMD = "RCPT TO command";
  private static final String DATA_CMD = "DATA command";
  private static final String DOT_CMD = "end of DATA command";
  private static final String DOT_STAGE =
      "sending end of data -- message may be sent more than once";

  private final Session session;
  private final SmtpClientSettings settings;
  private final SmtpClientChannel ch;
  private final String mailCommand;
  private final List<String> rcptCommands;
  private final byte[] content;
  private final Attempt[] attempts;
  private final List<Integer> accepted = new ArrayList<>();

  Transaction(Session session, SmtpClientSettings settings, String mailCommand,
      List<String> rcptCommands, byte[] content) {
    this.session = session;
    this.settings = settings;
    this.ch = session.channel();
    this.mailCommand = mailCommand;
    this.rcptCommands = rcptCommands;
    this.content = content;
    this.attempts = new Attempt[rcptCommands.size()];
  }

  /** The RCPT TO command of a recipient, with NOTIFY/ORCPT when the server offers DSN. */
  static String rcptCommand(DeliveryRecipient r, boolean dsn) {
    return SmtpCommands.rcptTo(
        r.address(),
        dsn ? r.recipient().notifyText() : null,
        dsn ? r.recipient().orcpt() : null);
  }

  CompletableFuture<Result> run() {
    session.startTransaction();
    CompletableFuture<Object[]> envelope =
        session.capabilities().pipelining() ? pipelined() : stepwise();
    return envelope.thenCompose(this::afterEnvelope);
  }

  // ---- envelope --------------------------------------------------------------------------

  /** MAIL, RCPTs and DATA in one write; the replies (or failures) in order. */
  private CompletableFuture<Object[]> pipelined() {
    List<CompletableFuture<SmtpResponse>> replies = new ArrayList<>();
    List<String> commands = new ArrayList<>();
    replies.add(ch.expect(settings.mailTimeout().toMillis(), "sending MAIL FROM"));
    commands.add(mailCommand);
    for (String rcpt : rcptCommands) {
      replies.add(ch.expect(settings.rcptTimeout().toMillis(), "sending RCPT TO"));
      commands.add(rcpt);
    }
    replies.add(ch.expect(settings.dataInitTimeout().toMillis(), "sending DATA command"));
    commands.add(SmtpCommands.DATA);
    ch.send(commands);
    return settle(replies);
  }

  /** One command at a time; stops when MAIL or every RCPT is refused. */
  private CompletableFuture<Object[]> stepwise() {
    Object[] out = new Object[rcptCommands.size() + 2];
    return step(mailCommand, settings.mailTimeout().toMillis(), "sending MAIL FROM")
        .thenCompose(
            mail -> {
              out[0] = mail;
              if (!(mail instanceof SmtpResponse r) || !r.isPositive()) {
                return CompletableFuture.completedFuture(out);
              }
              return rcpt(out, 0);
            });
  }

  private CompletableFuture<Object[]> rcpt(Object[] out, int i) {
    if (i == rcptCommands.size()) {
      boolean any = false;
      for (int k = 1; k <= rcptCommands.size(); k++) {
        any |= out[k] instanceof SmtpResponse r && r.isPositive();
      }
      if (!any) {
        return CompletableFuture.completedFuture(out);
      }
      return step(SmtpCommands.DATA, settings.dataInitTimeout().toMillis(), "sending DATA command")
          .thenApply(
              d -> {
                out[out.length - 1] = d;
                return out;
              });
    }
    return step(rcptCommands.get(i), settings.rcptTimeout().toMillis(), "sending RCPT TO")
        .thenCompose(
            r -> {
              out[i + 1] = r;
              if (r instanceof SmtpClientException) {
                return CompletableFuture.completedFuture(out);
              }
              return rcpt(out, i + 1);
            });
  }

  /** Sends one command; the reply, or the failure as a value. */
  private CompletableFuture<Object> step(String command, long timeout, String stage) {
    CompletableFuture<SmtpResponse> f = ch.expect(timeout, stage);
    ch.send(command);
    return f.handle((r, x) -> x == null ? r : failure(x));
  }

  private static CompletableFuture<Object[]> settle(List<CompletableFuture<SmtpResponse>> fs) {
    Object[] out = new Object[fs.size()];
    CompletableFuture<?>[] handled = new CompletableFuture<?>[fs.size()];
    for (int i = 0; i < fs.size(); i++) {
      int k = i;
      handled[i] = fs.get(i).handle((r, x) -> out[k] = x == null ? r : failure(x));
    }
    return CompletableFuture.allOf(handled).thenApply(v -> out);
  }

  private static SmtpClientException failure(Throwable x) {
    Throwable t = Handshake.unwrap(x);
    if (t instanceof SmtpClientException e) {
      return e;
    }
    throw new CompletionException(t);
  }

  private CompletableFuture<Result> afterEnvelope(Object[] replies) {
    Object mail = replies[0];
    if (mail instanceof SmtpClientException e) {
      return broken(e);
    }
    SmtpResponse mailReply = (SmtpResponse) mail;
    if (!mailReply.isPositive()) {
      Arrays.fill(attempts, Attempt.said(session, mailReply, MAIL_CMD));
      return abort();
    }
    for (int i = 0; i < attempts.length; i++) {
      Object r = replies[i + 1];
      if (r instanceof SmtpClientException e) {
        return broken(e);
      }
      SmtpResponse reply = (SmtpResponse) r;
      if (reply.isPositive()) {
        accepted.add(i);
      } else {
        attempts[i] = Attempt.said(session, reply, RCPT_CMD);
      }
    }
    Object data = replies[replies.length - 1];
    if (data instanceof SmtpClientException e) {
      return broken(e);
    }
    SmtpResponse dataReply = (SmtpResponse) data;
    if (accepted.isEmpty()) {
      if (dataReply != null && dataReply.isIntermediate()) {
        // a server that took DATA without a recipient gets an empty message (RFC 2920)
        CompletableFuture<SmtpResponse> f =
            ch.expect(settings.dataDoneTimeout().toMillis(), DOT_STAGE);
        ch.send(SmtpCommands.END_OF_DATA);
        return f.handle((r, x) -> x == null).thenCompose(ok -> ok ? abort() : lost());
      }
      return abort();
    }
    if (!dataReply.isIntermediate()) {
      for (int i : accepted) {
        attempts[i] = Attempt.said(session, dataReply, DATA_CMD);
      }
      return abort();
    }
    return sendContent();
  }

  // ---- content ---------------------------------------------------------------------------

  private CompletableFuture<Result> sendContent() {
    DotStuffedContent stuffed =
        new DotStuffedContent(
            content, settings.lineLengthLimit(), DotStuffedContent.DEFAULT_CHUNK_SIZE);
    return ch.sendContent(stuffed, settings.dataXferTimeout().toMillis(), "sending message body")
        .handle((v, x) -> x == null ? null : failure(x))
        .thenCompose(this::afterContent);
  }

  private CompletableFuture<Result> afterContent(SmtpClientException writeFailure) {
    int n = settings.protocol() == Protocol.LMTP ? accepted.size() : 1;
    List<CompletableFuture<SmtpResponse>> replies = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      replies.add(ch.expect(settings.dataDoneTimeout().toMillis(), DOT_STAGE));
    }
    return settle(replies)
        .thenApply(
            out -> {
              boolean complete = true;
              for (int k = 0; k < accepted.size(); k++) {
                Object r = out[Math.min(k, n - 1)];
                int i = accepted.get(k);
                if (r instanceof SmtpResponse reply) {
                  attempts[i] =
                      reply.isPositive()
                          ? Attempt.sent(session, reply)
                          : Attempt.said(session, reply, DOT_CMD);
                } else {
                  SmtpClientException e =
                      writeFailure != null ? writeFailure : (SmtpClientException) r;
                  attempts[i] = Attempt.broken(session.endpoint(), e);
                  complete = false;
                }
              }
              return new Result(List.of(attempts), complete, complete && session.usable());
            });
  }

  // ---- endings ---------------------------------------------------------------------------

  /** The transaction failed before the content: RSET, and the session may be reused. */
  private CompletableFuture<Result> abort() {
    CompletableFuture<SmtpResponse> f =
        ch.expect(settings.rsetTimeout().toMillis(), "sending final RSET");
    ch.send(SmtpCommands.RSET);
    return f.handle((r, x) -> x == null && r.isPositive())
        .thenApply(ok -> new Result(List.of(fill(null)), true, ok && session.usable()));
  }

  /** The connection broke: every recipient without a result gets the failure. */
  private CompletableFuture<Result> broken(SmtpClientException e) {
    return CompletableFuture.completedFuture(
        new Result(List.of(fill(Attempt.broken(session.endpoint(), e))), false, false));
  }

  private CompletableFuture<Result> lost() {
    return broken(new SmtpClientException(SmtpClientException.Kind.LOST, DOT_STAGE, null));
  }

  private Attempt[] fill(Attempt missing) {
    for (int i = 0; i < attempts.length; i++) {
      if (attempts[i] == null) {
        attempts[i] = missing != null ? missing : unanswered();
      }
    }
    return attempts;
  }

  private Attempt unanswered() {
    return Attempt.local(Attempt.Kind.SOFT, "4.3.0",
        "no reply from " + session.endpoint().namaddr() + " for this recipient",
        session.endpoint().relay());
  }
}
