package io.gannet.smtp;

import io.gannet.smtp.SmtpClientException.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client side of one SMTP/LMTP connection as a sequence of commands and the replies they
 * wait for: the protocol engine's I/O half, with no mail policy.
 *
 * <p>A caller writes commands ({@link #send}) and registers one {@link #expect expectation} per
 * reply it waits for, in order; replies complete the expectations in the order they were
 * registered, so pipelined commands need nothing more than several expectations at once. Each
 * expectation has its own time limit (Postfix's {@code smtp_*_timeout}), counted from the moment
 * it is the oldest one waiting: the time the server takes for that one reply. A reply that comes
 * before anyone waits for it (a greeting read before the caller asks, a premature reply during
 * the content, a 421 on an idle connection) is kept for the next expectation.
 *
 * <p>When the connection is lost, a reply times out, or the server sends something that is not
 * SMTP, every waiting expectation (and every later one) fails with a {@link SmtpClientException}
 * that names the stage, and the channel is closed. Futures complete on the channel's event loop;
 * every method may be called from any thread.
 *
 * <p>The pipeline: {@link SmtpResponseDecoder}, a {@link ChunkedWriteHandler} for the content
 * ({@link #sendContent}), and this engine's handler. Install with {@link #initPipeline}.
 */
public final class SmtpClientChannel {

  /** Most replies kept while no one waits for them. */
  static final int MAX_UNCLAIMED = 16;

  private static final String HANDLER = "smtp-client";

  private final Channel channel;
  private final ArrayDeque<Expectation> waiting = new ArrayDeque<>();
  private final ArrayDeque<SmtpResponse> unclaimed = new ArrayDeque<>();
  private SmtpClientException failure;

  private SmtpClientChannel(Channel channel) {
    this.channel = channel;
  }

  /** Adds the decoder, the chunked writer and the engine to a new channel's pipeline. */
  public static void initPipeline(ChannelPipeline pipeline, int maxLineLength) {
    SmtpClientChannel engine = new SmtpClientChannel(pipeline.channel());
    pipeline.channel().attr(ENGINE).set(engine);
    pipeline.addLast("smtp-response-decoder", new SmtpResponseDecoder(maxLineLength));
    pipeline.addLast("chunked-writer", new ChunkedWriteHandler());
    pipeline.addLast(HANDLER, engine.new Handler());
  }

  /** The engine of a channel set up with {@link #initPipeline}. */
  public static SmtpClientChannel of(Channel channel) {
    // An attribute, not the pipeline: a channel the server already closed (a 421 greeting and
    // a hang-up) has lost its handlers, and its engine must still answer with what it got.
    SmtpClientChannel engine = channel.attr(ENGINE).get();
    if (engine == null) {
      throw new IllegalStateException("not an SMTP client channel: " + channel);
    }
    return engine;
  }

  private static final io.netty.util.AttributeKey<SmtpClientChannel> ENGINE =
      io.netty.util.AttributeKey.valueOf(SmtpClientChannel.class, "engine");

  public Channel channel() {
    return channel;
  }

  /** True while the connection is open and nothing has failed on it. */
  public boolean isUsable() {
    return channel.isActive() && failure == null;
  }

  /**
   * Waits for the next reply not yet claimed.
   *
   * @param timeoutMillis how long the server may take for this reply once it is the oldest one
   *     waited for; 0 for no limit
   * @param stage what the client is doing, for the failure text ({@code sending MAIL FROM})
   */
  public CompletableFuture<SmtpResponse> expect(long timeoutMillis, String stage) {
    CompletableFuture<SmtpResponse> f = new CompletableFuture<>();
    onLoop(() -> add(new Expectation(f, timeoutMillis, stage)));
    return f;
  }

  /** Writes command lines (without CRLF) and flushes once: one batch on the wire. */
  public void send(List<String> commands) {
    int size = 0;
    byte[][] lines = new byte[commands.size()][];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = SmtpCommands.line(commands.get(i));
      size += lines[i].length;
    }
    int total = size;
    onLoop(
        () -> {
          if (!channel.isActive()) {
            return; // the expectations fail with the loss
          }
          ByteBuf buf = channel.alloc().buffer(total);
          for (byte[] l : lines) {
            buf.writeBytes(l);
          }
          channel.writeAndFlush(buf);
        });
  }

  /** Writes one command line. */
  public void send(String command) {
    send(List.of(command));
  }

  /**
   * Streams content (a {@link DotStuffedContent}) and completes when the last byte is written. A
   * write that makes no progress for {@code idleTimeoutMillis} ({@code smtp_data_xfer_timeout})
   * fails with {@code TIMEOUT}; a lost connection with {@code LOST}.
   */
  public CompletableFuture<Void> sendContent(
      ChunkedInput<ByteBuf> content, long idleTimeoutMillis, String stage) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    onLoop(() -> writeContent(content, idleTimeoutMillis, stage, f));
    return f;
  }

  /**
   * Closes the connection. Waiting expectations fail with {@code LOST}; later ones too.
   */
  public void close() {
    channel.close();
  }

  /** Sends {@code QUIT} without waiting for its reply, then closes (Postfix's default). */
  public void quit() {
    onLoop(
        () -> {
          if (channel.isActive()) {
            ByteBuf buf = channel.alloc().buffer(6);
            buf.writeBytes(SmtpCommands.line(SmtpCommands.QUIT));
            channel.writeAndFlush(buf).addListener(x -> channel.close());
          } else {
            channel.close();
          }
        });
  }

  // ---- event loop side ------------------------------------------------------------------

  private void onLoop(Runnable r) {
    if (channel.eventLoop().inEventLoop()) {
      r.run();
    } else {
      channel.eventLoop().execute(r);
    }
  }

  private void add(Expectation e) {
    if (failure != null) {
      // a reply that came before the failure (a premature reply to the content) still counts
      SmtpResponse kept = waiting.isEmpty() ? unclaimed.pollFirst() : null;
      if (kept != null) {
        e.future.complete(kept);
      } else {
        e.future.completeExceptionally(failedAt(e.stage));
      }
      return;
    }
    waiting.addLast(e);
    if (waiting.size() == 1) {
      serveHead();
    }
  }

  /** Gives the oldest expectation a kept reply, or starts its timer. */
  private void serveHead() {
    while (!waiting.isEmpty() && !unclaimed.isEmpty()) {
      Expectation e = waiting.pollFirst();
      e.complete(unclaimed.pollFirst());
    }
    Expectation head = waiting.peekFirst();
    if (head != null && head.timer == null && head.timeoutMillis > 0) {
      head.timer =
          channel
              .eventLoop()
              .schedule(
                  () -> fail(new SmtpClientException(Kind.TIMEOUT, head.stage, null)),
                  head.timeoutMillis,
                  TimeUnit.MILLISECONDS);
    }
  }

  private void onResponse(SmtpResponse r) {
    if (failure != null) {
      return;
    }
    Expectation head = waiting.pollFirst();
    if (head != null) {
      head.complete(r);
      serveHead();
      return;
    }
    if (unclaimed.size() >= MAX_UNCLAIMED) {
      fail(new SmtpClientException(Kind.PROTOCOL, "reading a server reply", "too many replies"));
      return;
    }
    unclaimed.addLast(r);
  }

  /** Fails every expectation, now and later, and closes the connection. */
  private void fail(SmtpClientException e) {
    if (failure != null) {
      return;
    }
    failure = e;
    Expectation x;
    while ((x = waiting.pollFirst()) != null) {
      x.fail(e.at(x.stage));
    }
    channel.close();
  }

  /** The failure as it applies to something that starts now, at {@code stage}. */
  private SmtpClientException failedAt(String stage) {
    Kind kind = failure.kind() == Kind.TIMEOUT ? Kind.LOST : failure.kind();
    return new SmtpClientException(kind, stage, failure.detail());
  }

  private void lost(String detail) {
    Expectation head = waiting.peekFirst();
    String stage = head != null ? head.stage : "waiting for a reply";
    fail(new SmtpClientException(Kind.LOST, stage, detail));
  }

  private void writeContent(
      ChunkedInput<ByteBuf> content,
      long idleTimeoutMillis,
      String stage,
      CompletableFuture<Void> f) {
    if (failure != null) {
      f.completeExceptionally(failedAt(stage));
      return;
    }
    ChannelProgressivePromise promise = channel.newProgressivePromise();
    long[] lastProgress = {System.nanoTime()};
    ScheduledFuture<?>[] timer = {null};
    Runnable[] check = {null};
    check[0] =
        () -> {
          long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastProgress[0]);
          if (promise.isDone()) {
            return;
          }
          if (idle >= idleTimeoutMillis) {
            SmtpClientException e = new SmtpClientException(Kind.TIMEOUT, stage, null);
            f.completeExceptionally(e);
            fail(e);
          } else {
            timer[0] =
                channel.eventLoop().schedule(check[0], idleTimeoutMillis - idle, TimeUnit.MILLISECONDS);
          }
        };
    promise.addListener(
        new ChannelProgressiveFutureListener() {
          @Override
          public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
            lastProgress[0] = System.nanoTime();
          }

          @Override
          public void operationComplete(ChannelProgressiveFuture future) {
            if (timer[0] != null) {
              timer[0].cancel(false);
            }
            if (future.isSuccess()) {
              f.complete(null);
            } else if (!f.isDone()) {
              f.completeExceptionally(
                  new SmtpClientException(Kind.LOST, stage, message(future.cause())));
            }
          }
        });
    if (idleTimeoutMillis > 0) {
      timer[0] = channel.eventLoop().schedule(check[0], idleTimeoutMillis, TimeUnit.MILLISECONDS);
    }
    channel.writeAndFlush(content, promise);
  }

  /** Replies kept while no one waited: a premature reply after a failed content write. */
  public CompletableFuture<SmtpResponse> pendingReply() {
    CompletableFuture<SmtpResponse> f = new CompletableFuture<>();
    onLoop(() -> f.complete(unclaimed.pollFirst()));
    return f;
  }

  private static String message(Throwable t) {
    if (t == null) {
      return null;
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }

  private static final class Expectation {
    final CompletableFuture<SmtpResponse> future;
    final long timeoutMillis;
    final String stage;
    ScheduledFuture<?> timer;

    Expectation(CompletableFuture<SmtpResponse> future, long timeoutMillis, String stage) {
      this.future = future;
      this.timeoutMillis = timeoutMillis;
      this.stage = stage;
    }

    void complete(SmtpResponse r) {
      cancelTimer();
      future.complete(r);
    }

    void fail(SmtpClientException e) {
      cancelTimer();
      future.completeExceptionally(e);
    }

    private void cancelTimer() {
      if (timer != null) {
        timer.cancel(false);
      }
    }
  }

  /** The inbound end of the pipeline. Stateful, one per channel. */
  private final class Handler extends ChannelInboundHandlerAdapter {

    SmtpClientChannel engine() {
      return SmtpClientChannel.this;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof SmtpResponse r) {
        onResponse(r);
      } else {
        ctx.fireChannelRead(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      lost(null);
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Throwable c = cause instanceof DecoderException && cause.getCause() != null
          ? cause.getCause() : cause;
      if (c instanceof SmtpClientException e) {
        Expectation head = waiting.peekFirst();
        String stage = head != null ? head.stage : e.stage();
        fail(e.at(stage));
      } else if (c instanceof IOException) {
        lost(c.getMessage());
      } else {
        lost(c.toString());
      }
    }
  }
}
