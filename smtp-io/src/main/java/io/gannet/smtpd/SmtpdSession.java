package io.gannet.smtpd;

import io.gannet.anvil.Anvil;
import io.gannet.cleanup.CleanupInput;
import io.gannet.cleanup.CleanupResult;
import io.gannet.global.ClientInfo;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalRecord;
import io.gannet.smtp.ContentBuffer;
import io.gannet.smtp.EnvelopeParser;
import io.gannet.smtp.MailFrom;
import io.gannet.smtp.RcptTo;
import io.gannet.smtp.SmtpInput;
import io.gannet.smtp.SmtpReply;
import io.gannet.smtp.SmtpServerDecoder;
import io.gannet.smtp.SmtpSyntaxException;
import io.gannet.smtp.SmtpVerb;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * smtpd(8): one SMTP server session, driven by the {@link SmtpInput} events of its {@link
 * SmtpServerDecoder}. The command table is the {@code switch} in {@link #command}.
 *
 * <p><b>Durability.</b> At the end of a message it calls cleanup, appends the {@code Accepted}
 * record (and a {@code Held} record after it when cleanup says HOLD) and answers {@code 250 2.0.0
 * Ok: queued as ID} only when the journal's stage completes; on failure {@code 451 4.3.0 Error:
 * queue file write error}. While the append is outstanding the session reads nothing more from the
 * client (backpressure).
 *
 * <p><b>Pipelining.</b> Replies are written as commands are handled and flushed when the input read
 * so far is used up, at the end of an append, or when the channel's outbound buffer is full (then
 * reading pauses until it drains).
 *
 * <p><b>Trusts</b> nothing from the client. Limits: {@code smtpd_recipient_limit} (1000), {@code
 * smtpd_hard_error_limit} (20), {@code message_size_limit} (10240000), {@code line_length_limit}
 * (2048), {@code smtpd_timeout} (300s, through the pipeline's idle handler); anvil: {@code
 * smtpd_client_connection_count_limit} (50), {@code smtpd_client_connection_rate_limit} (0), {@code
 * smtpd_client_message_rate_limit} (0), except {@code smtpd_client_event_limit_exceptions}
 * ($mynetworks). Relay control: {@link RelayRestrictions}. Other parameters: {@code smtpd_banner},
 * {@code myhostname}, {@code disable_vrfy_command} (no), {@code smtpd_forbidden_commands} (CONNECT
 * GET POST), {@code fast_flush_domains}.
 *
 * <p><b>Logs</b> (logger {@code gannet/smtpd}) in Postfix's format: {@code connect from}, {@code
 * QUEUEID: client=}, {@code NOQUEUE: reject: RCPT from ...}, {@code timeout after}, {@code lost connection after}, {@code disconnect
 * from ... commands=N}.
 *
 * <p>Stateful, never shared; every method runs on the channel's event loop.
 */
final class SmtpdSession extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger("gannet/smtpd");

  private final SmtpdSettings settings;
  private final SmtpdServices services;
  private final SmtpServerDecoder decoder;
  private final CommandStats stats = new CommandStats();

  private ChannelHandlerContext ctx;
  private InetSocketAddress remote;
  private String clientAddress = "unknown";
  private String clientName = "unknown";
  private String client = "unknown[unknown]";
  private String anvilKey;
  private boolean limitExempt;
  private boolean anvilCounted;

  private String helo;
  private String protocol = "SMTP";
  private Transaction tx;
  private int errorCount;
  private String where = "CONNECT";
  private boolean inData;
  private boolean inChunk;

  /** Reply to send when the BDAT chunk being read ends (the chunk is being discarded). */
  private SmtpReply chunkError;

  private boolean chunkLast;
  private boolean appendPending;
  private boolean hangup;

  SmtpdSession(SmtpdSettings settings, SmtpdServices services, SmtpServerDecoder decoder) {
    this.settings = settings;
    this.services = services;
    this.decoder = decoder;
  }

  // ---- Connection ------------------------------------------------------------------------

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    SocketAddress sa = ctx.channel().remoteAddress();
    if (sa instanceof InetSocketAddress) {
      remote = (InetSocketAddress) sa;
      if (remote.getAddress() != null) {
        clientAddress = NetUtil.toAddressString(remote.getAddress());
        clientName = remote.getAddress().isLoopbackAddress() ? "localhost" : "unknown";
      }
    }
    client = clientName + "[" + clientAddress + "]";
    log.info("connect from {}", client);
    limitExempt = remote == null || settings.eventLimitExceptions.contains(remote);
    if (!limitExempt) {
      anvilKey = settings.service + ":" + clientAddress;
      Anvil.Counts counts = services.anvil().connect(anvilKey);
      anvilCounted = true;
      if (settings.connectionCountLimit > 0
          && counts.connections() > settings.connectionCountLimit) {
        log.warn(
            "Connection concurrency limit exceeded: {} from {} for service {}",
            counts.connections(),
            client,
            settings.service);
        refuseConnection();
        return;
      }
      if (settings.connectionRateLimit > 0
          && counts.connectionRate() > settings.connectionRateLimit) {
        log.warn(
            "Connection rate limit exceeded: {} from {} for service {}",
            counts.connectionRate(),
            client,
            settings.service);
        refuseConnection();
        return;
      }
    }
    ctx.writeAndFlush(settings.greeting.duplicate());
  }

  private void refuseConnection() {
    hangup(
        new SmtpReply(
                421,
                "4.7.0",
                settings.myhostname + " Error: too many connections from " + clientAddress)
            .encode(ctx.alloc()));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!hangup) {
      log.info("lost connection after {} from {}", where(), client);
    }
    log.info("disconnect from {}{}", client, stats.summary());
    if (anvilCounted) {
      services.anvil().disconnect(anvilKey);
    }
    resetTransaction();
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (appendPending || hangup) {
        return; // waiting for the journal, not for the client
      }
      log.info("timeout after {} from {}", where(), client);
      hangup(settings.timeout.duplicate());
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      log.warn("{}: unexpected error after {}: {}", client, where(), cause.toString(), cause);
    }
    ctx.close(); // channelInactive logs the lost connection
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && !appendPending && !hangup) {
      decoder.resume();
      ctx.flush();
    }
    ctx.fireChannelWritabilityChanged();
  }

  // ---- Input events ----------------------------------------------------------------------

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (hangup) {
      return;
    }
    if (msg instanceof SmtpInput.Command) {
      command((SmtpInput.Command) msg);
    } else if (msg instanceof SmtpInput.DataEnd) {
      dataEnd((SmtpInput.DataEnd) msg);
    } else if (msg instanceof SmtpInput.ChunkEnd) {
      chunkEnd();
    } else if (msg instanceof SmtpInput.LineError) {
      lineError(((SmtpInput.LineError) msg).problem());
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  /** The command table. */
  private void command(SmtpInput.Command c) {
    SmtpVerb verb = c.verb();
    String arg = c.argument();
    where = verb == SmtpVerb.UNKNOWN ? "UNKNOWN" : verb.name();
    stats.attempt(verb);
    switch (verb) {
      case HELO:
      case EHLO:
        helo(verb, arg);
        break;
      case MAIL:
        mail(arg);
        break;
      case RCPT:
        rcpt(arg);
        break;
      case DATA:
        data(arg);
        break;
      case BDAT:
        bdat(arg);
        break;
      case RSET:
        if (!arg.isEmpty()) {
          error(Replies.RSET_SYNTAX);
          break;
        }
        resetTransaction();
        ok(verb, Replies.OK);
        break;
      case NOOP:
        ok(verb, Replies.OK);
        break;
      case VRFY:
        vrfy(arg);
        break;
      case ETRN:
        etrn(arg);
        break;
      case HELP:
        ok(verb, Replies.HELP);
        break;
      case QUIT:
        stats.success(verb);
        hangup(Replies.BYE.duplicate());
        break;
      case UNKNOWN:
      default:
        unknown(c);
        break;
    }
  }

  private void helo(SmtpVerb verb, String arg) {
    if (arg.isEmpty()) {
      error(verb == SmtpVerb.EHLO ? Replies.EHLO_SYNTAX : Replies.HELO_SYNTAX);
      return;
    }
    resetTransaction();
    helo = arg;
    protocol = verb == SmtpVerb.EHLO ? "ESMTP" : "SMTP";
    ok(verb, verb == SmtpVerb.EHLO ? settings.ehlo : settings.helo);
  }

  private void mail(String arg) {
    if (tx != null) {
      error(Replies.NESTED_MAIL);
      return;
    }
    MailFrom mail;
    try {
      mail = EnvelopeParser.parseMail(arg);
    } catch (SmtpSyntaxException e) {
      error(e.reply());
      return;
    }
    if (settings.messageSizeLimit > 0 && mail.size() > settings.messageSizeLimit) {
      error(Replies.SIZE_EXCEEDED);
      return;
    }
    if (!limitExempt && settings.messageRateLimit > 0) {
      int rate = services.anvil().message(anvilKey).messageRate();
      if (rate > settings.messageRateLimit) {
        log.warn(
            "Message delivery request rate limit exceeded: {} from {} for service {}",
            rate,
            client,
            settings.service);
        error(new SmtpReply(450, "4.7.1", "Error: too much mail from " + clientAddress));
        return;
      }
    }
    tx = new Transaction(mail, services.clock().millis());
    ok(SmtpVerb.MAIL, Replies.MAIL_OK);
  }

  private void rcpt(String arg) {
    if (tx == null) {
      error(Replies.NEED_MAIL);
      return;
    }
    RcptTo rcpt;
    try {
      rcpt = EnvelopeParser.parseRcpt(arg, tx.mail.smtputf8());
    } catch (SmtpSyntaxException e) {
      error(e.reply());
      return;
    }
    if (tx.recipients.size() >= settings.recipientLimit) {
      error(Replies.TOO_MANY_RECIPIENTS);
      return;
    }
    SmtpReply refusal = settings.restrictions.check(remote, rcpt.address());
    if (refusal != null) {
      logReject("RCPT", refusal, rcpt.address());
      error(refusal);
      return;
    }
    tx.recipients.add(new Recipient(rcpt.address(), rcpt.orcpt(), rcpt.notifyFlags()));
    if (tx.queueId == null) {
      tx.queueId = services.queueIds().next();
      log.info("{}: client={}", tx.queueId, client);
    }
    ok(SmtpVerb.RCPT, Replies.RCPT_OK);
  }

  private void data(String arg) {
    if (!arg.isEmpty()) {
      error(Replies.DATA_SYNTAX);
      return;
    }
    if (tx == null) {
      error(Replies.NEED_MAIL);
      return;
    }
    if (tx.bdat) {
      error(Replies.DATA_AFTER_BDAT);
      return;
    }
    if (tx.recipients.isEmpty()) {
      error(Replies.NEED_RCPT);
      return;
    }
    tx.content = new ContentBuffer(ctx.alloc(), settings.messageSizeLimit, tx.mail.size());
    inData = true;
    decoder.readData(tx.content);
    write(Replies.START_DATA.duplicate());
  }

  private void dataEnd(SmtpInput.DataEnd end) {
    inData = false;
    where = "END-OF-MESSAGE";
    if (tx.content.overflowed()) {
      rejectMessage(Replies.SIZE_EXCEEDED);
    } else if (end.bareLf()) {
      rejectMessage(Replies.BARE_LF_DATA);
    } else if (end.bareCr()) {
      rejectMessage(Replies.BARE_CR_DATA);
    } else {
      finishMessage(SmtpVerb.DATA);
    }
  }

  private void bdat(String arg) {
    long size = -1;
    boolean last = false;
    int sp = arg.indexOf(' ');
    String count = sp < 0 ? arg : arg.substring(0, sp);
    String rest = sp < 0 ? "" : arg.substring(sp + 1).trim();
    if (!count.isEmpty() && count.length() <= 18) {
      size = 0;
      for (int i = 0; i < count.length() && size >= 0; i++) {
        char ch = count.charAt(i);
        size = ch >= '0' && ch <= '9' ? size * 10 + (ch - '0') : -1;
      }
    }
    if (rest.equalsIgnoreCase("LAST")) {
      last = true;
    } else if (!rest.isEmpty()) {
      size = -1;
    }
    if (size < 0) {
      // Without a count the chunk's end is unknown: what follows cannot be read as commands.
      errorCount++;
      hangup(Replies.BDAT_SYNTAX.encode(ctx.alloc()));
      return;
    }
    SmtpReply refusal = null;
    if (tx == null) {
      refusal = Replies.NEED_MAIL;
    } else if (tx.recipients.isEmpty()) {
      refusal = Replies.NEED_RCPT;
    }
    chunkLast = last;
    if (refusal == null && tx.content == null) {
      tx.bdat = true;
      tx.content = new ContentBuffer(ctx.alloc(), settings.messageSizeLimit, tx.mail.size());
    }
    chunkError = refusal;
    if (size == 0) {
      chunkEnd();
      return;
    }
    inChunk = true;
    decoder.readChunk(refusal == null ? tx.content : null, size);
  }

  private void chunkEnd() {
    inChunk = false;
    SmtpReply refusal = chunkError;
    chunkError = null;
    if (refusal != null) {
      error(refusal);
      return;
    }
    if (tx.content.overflowed()) {
      where = "END-OF-MESSAGE";
      rejectMessage(Replies.SIZE_EXCEEDED);
      return;
    }
    if (chunkLast) {
      where = "END-OF-MESSAGE";
      finishMessage(SmtpVerb.BDAT);
      return;
    }
    ok(
        SmtpVerb.BDAT,
        new SmtpReply(250, "2.0.0", "Ok: " + tx.content.size() + " bytes").encode(ctx.alloc()));
  }

  private void vrfy(String arg) {
    if (settings.disableVrfy) {
      error(Replies.VRFY_DISABLED);
      return;
    }
    if (arg.isEmpty()) {
      error(Replies.VRFY_SYNTAX);
      return;
    }
    String a = arg.startsWith("<") && arg.endsWith(">") ? arg.substring(1, arg.length() - 1) : arg;
    ok(SmtpVerb.VRFY, new SmtpReply(252, "2.0.0", a).encode(ctx.alloc()));
  }

  private void etrn(String arg) {
    if (arg.isEmpty()) {
      error(Replies.ETRN_SYNTAX);
      return;
    }
    if (helo == null) {
      error(Replies.SEND_HELO_FIRST);
      return;
    }
    if (tx != null) {
      error(Replies.ETRN_IN_TRANSACTION);
      return;
    }
    String domain = arg.startsWith("@") ? arg.substring(1) : arg;
    if (!domain.startsWith("#")
        && settings.flushEligible(domain)
        && services.flush().flush(domain)) {
      ok(SmtpVerb.ETRN, Replies.QUEUING_STARTED);
      return;
    }
    error(new SmtpReply(458, "4.3.0", "Unable to queue messages for " + domain));
  }

  private void unknown(SmtpInput.Command c) {
    String text = c.verbText() == null ? "" : c.verbText();
    if (text.isEmpty()) {
      error(Replies.BAD_SYNTAX);
      return;
    }
    if (settings.forbiddenCommands.contains(text.toUpperCase(java.util.Locale.ROOT))) {
      log.warn("non-SMTP command from {}: {}", client, truncate(text + " " + c.argument()));
      errorCount++;
      hangup(Replies.GOODBYE.duplicate());
      return;
    }
    error(Replies.NOT_RECOGNIZED);
  }

  private void lineError(SmtpInput.Problem problem) {
    stats.attempt(SmtpVerb.UNKNOWN);
    switch (problem) {
      case BARE_LF:
        error(Replies.BARE_LF_COMMAND);
        break;
      case BARE_CR:
        error(Replies.BARE_CR_COMMAND);
        break;
      case LINE_TOO_LONG:
        error(Replies.LINE_TOO_LONG);
        break;
      case BAD_UTF8:
      default:
        error(Replies.BAD_UTF8);
        break;
    }
  }

  // ---- End of message --------------------------------------------------------------------

  private void rejectMessage(SmtpReply reply) {
    logReject("END-OF-MESSAGE", reply, null);
    resetTransaction();
    error(reply);
  }

  /** Hands the message to cleanup, then to the journal; replies when the journal is done. */
  private void finishMessage(SmtpVerb verb) {
    Transaction t = tx;
    tx = null;
    byte[] content = t.content.toByteArray();
    t.content = null;
    CleanupInput input =
        new CleanupInput(
            t.queueId,
            t.arrivalMillis,
            new ClientInfo(clientAddress, clientName, helo == null ? "" : helo, protocol),
            t.mail.address(),
            t.mail.envid(),
            t.mail.ret(),
            t.mail.body(),
            t.mail.smtputf8(),
            t.recipients,
            content,
            false);
    CleanupResult result;
    try {
      result = services.cleanup().process(input);
    } catch (RuntimeException e) {
      log.warn("{}: cleanup failed: {}", t.queueId, e.toString(), e);
      error(Replies.WRITE_ERROR);
      return;
    }
    if (result instanceof CleanupResult.Reject) {
      CleanupResult.Reject r = (CleanupResult.Reject) result;
      error(new SmtpReply(r.code(), r.enhancedStatus(), r.text()));
      return;
    }
    if (result instanceof CleanupResult.Discard) {
      log.info(
          "{}: discard: END-OF-MESSAGE from {}: {}; from=<{}> proto={}{}",
          t.queueId,
          client,
          ((CleanupResult.Discard) result).reason(),
          t.mail.address(),
          protocol,
          heloLog());
      ok(verb, queued(t.queueId));
      return;
    }
    CleanupResult.Accept accept = (CleanupResult.Accept) result;
    JournalRecord.Accepted record = accept.record();
    CompletionStage<Long> stage;
    try {
      stage = services.journal().append(record);
      if (accept.hold()) {
        CompletionStage<Long> held =
            services
                .journal()
                .append(
                    new JournalRecord.Held(
                        record.queueId(),
                        services.clock().millis(),
                        accept.holdReason() == null ? "" : accept.holdReason()));
        stage = stage.thenCombine(held, (a, b) -> a);
      }
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    appendPending = true;
    decoder.pause();
    stage.whenComplete(
        (index, failure) -> {
          try {
            ctx.executor().execute(() -> appended(verb, record, failure));
          } catch (RejectedExecutionException e) {
            // The event loop is gone (shutdown): the client sees the connection drop, and the
            // message, if journaled, is delivered; a retry may duplicate it (at-least-once).
          }
        });
  }

  private void appended(SmtpVerb verb, JournalRecord.Accepted record, Throwable failure) {
    appendPending = false;
    if (failure != null) {
      log.warn("{}: queue file write error: {}", record.queueId(), rootMessage(failure));
      error(Replies.WRITE_ERROR);
    } else {
      // qmgr logs "from=<>, size=, nrcpt= (queue active)" when it takes the message, as Postfix.
      ok(verb, queued(record.queueId()));
    }
    if (!hangup) {
      ctx.flush();
      if (ctx.channel().isWritable()) {
        decoder.resume();
      }
      ctx.flush();
    }
  }

  private ByteBuf queued(QueueId id) {
    return new SmtpReply(250, "2.0.0", "Ok: queued as " + id).encode(ctx.alloc());
  }

  // ---- Replies ---------------------------------------------------------------------------

  private void ok(SmtpVerb verb, ByteBuf reply) {
    stats.success(verb);
    write(reply.isReadOnly() ? reply.duplicate() : reply); // shared constants are read-only
  }

  /** Sends an error reply and counts it against {@code smtpd_hard_error_limit}. */
  private void error(SmtpReply reply) {
    write(reply.encode(ctx.alloc()));
    errorCount++;
    if (errorCount >= settings.hardErrorLimit && !hangup) {
      log.info("too many errors after {} from {}", where(), client);
      hangup(settings.tooManyErrors.duplicate());
    }
  }

  private void write(ByteBuf reply) {
    if (hangup || !ctx.channel().isActive()) {
      reply.release();
      return;
    }
    ctx.write(reply, ctx.voidPromise());
    if (!ctx.channel().isWritable()) {
      ctx.flush();
      if (!ctx.channel().isWritable()) {
        decoder.pause(); // the client is not reading its replies: stop reading its commands
      }
    }
  }

  /** Sends a last reply and closes; nothing more is read. */
  private void hangup(ByteBuf lastReply) {
    if (hangup) {
      lastReply.release();
      return;
    }
    hangup = true;
    decoder.pause();
    ctx.writeAndFlush(lastReply).addListener(ChannelFutureListener.CLOSE);
  }

  // ---- State and logs --------------------------------------------------------------------

  private void resetTransaction() {
    if (tx != null) {
      tx.release();
      tx = null;
    }
  }

  private String where() {
    if (inData) {
      return "DATA (" + (tx == null || tx.content == null ? 0 : tx.content.size()) + " bytes)";
    }
    if (inChunk) {
      return "BDAT";
    }
    return where;
  }

  /**
   * {@code NOQUEUE: reject: RCPT from NAME[ADDR]: 554 ...; from=<s> to=<r> proto=ESMTP helo=<h>}.
   */
  private void logReject(String stage, SmtpReply reply, String rcpt) {
    if (!log.isInfoEnabled()) {
      return;
    }
    StringBuilder sb = new StringBuilder(160);
    sb.append(tx == null || tx.queueId == null ? "NOQUEUE" : tx.queueId.toString());
    sb.append(": reject: ").append(stage).append(" from ").append(client).append(": ");
    sb.append(reply);
    if (tx != null) {
      sb.append("; from=<").append(tx.mail.address()).append('>');
    } else {
      sb.append(';');
    }
    if (rcpt != null) {
      sb.append(" to=<").append(rcpt).append('>');
    }
    sb.append(" proto=").append(protocol).append(heloLog());
    log.info(sb.toString());
  }

  private String heloLog() {
    return helo == null ? "" : " helo=<" + helo + ">";
  }

  private static String truncate(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "..." : s;
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.toString();
  }
}
