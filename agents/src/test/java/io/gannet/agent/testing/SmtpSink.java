package io.gannet.agent.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An in-process SMTP or LMTP server for tests: listens on 127.0.0.1 (an ephemeral port, or a
 * given one) or on a UNIX-domain socket, answers by a script, and records what it gets.
 *
 * <p><b>Script</b> (defaults: everything accepted): the greeting, the EHLO/LHLO capabilities or
 * the whole EHLO reply, a function per MAIL, RCPT, end of data (per recipient for LMTP), the DATA
 * and RSET replies, and stages at which it never answers (to make the client time out). A reply
 * with code 421 closes the connection after it is written. Multi-line replies are written as
 * given ({@code "250-a\r\n250 b"}). Script setters may be called at any time; a session reads them
 * as it goes.
 *
 * <p><b>Records</b>: every command line with the connection and the read ("batch") it arrived in
 * (commands that share a batch arrived in one TCP segment burst: pipelining), every accepted
 * message (envelope, content without the added dots, and the bytes as they were on the wire), and
 * counts of connections and transactions (MAIL commands answered 2xx).
 *
 * <p>For the agents' tests, the daemon's end-to-end tests and the relay benchmark (it is in the
 * agents test-jar). Uses epoll when the native transport is on the class path, else NIO.
 */
public final class SmtpSink implements AutoCloseable {

  /** Where in the conversation a reply is due. */
  public enum Stage {
    GREETING,
    EHLO,
    HELO,
    MAIL,
    RCPT,
    DATA,
    END_OF_DATA,
    RSET,
    QUIT
  }

  /** One command line as received. */
  public record Command(int connection, int batch, String line) {}

  /** One message the sink accepted. */
  public record Message(
      int connection, String helo, String mailFrom, List<String> rcptTo, byte[] content,
      byte[] wire) {

    /** The sender address (inside the angle brackets of MAIL FROM). */
    public String sender() {
      return address(mailFrom);
    }

    /** The MAIL FROM parameters after the address ({@code SIZE=10 BODY=8BITMIME}). */
    public String mailParameters() {
      return parameters(mailFrom);
    }

    /** The accepted recipients' addresses. */
    public List<String> recipients() {
      return rcptTo.stream().map(SmtpSink::address).toList();
    }

    /** The content as text (UTF-8). */
    public String text() {
      return new String(content, StandardCharsets.UTF_8);
    }
  }

  private final boolean lmtp;
  private final EventLoopGroup group;
  private final Channel server;
  private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Path socket;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger transactions = new AtomicInteger();
  private final List<Command> commands = Collections.synchronizedList(new ArrayList<>());
  private final List<Message> messages = Collections.synchronizedList(new ArrayList<>());

  private volatile String greeting = "220 sink.test ESMTP Gannet test sink";
  private volatile List<String> capabilities =
      List.of("PIPELINING", "SIZE 10240000", "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8");
  private volatile String ehloReply;
  private volatile Function<String, String> onMail = a -> null;
  private volatile Function<String, String> onRcpt = a -> null;
  private volatile String dataReply = "354 End data with <CR><LF>.<CR><LF>";
  private volatile Function<Message, String> onMessage = m -> null;
  private volatile BiFunction<Message, String, String> onLmtpRecipient = (m, r) -> null;
  private volatile String rsetReply = "250 2.0.0 Ok";
  private final Set<Stage> silent = Collections.synchronizedSet(EnumSet.noneOf(Stage.class));

  private SmtpSink(boolean lmtp, SocketAddress address, Path socket) {
    this.lmtp = lmtp;
    this.socket = socket;
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(1, factory);
    Class<? extends ServerChannel> type;
    SocketAddress bind = address;
    if (socket != null) {
      type = epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
      bind = epoll ? new DomainSocketAddress(socket.toString()) : UnixDomainSocketAddress.of(socket);
    } else {
      type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
    ServerBootstrap b = new ServerBootstrap().group(group).channel(type);
    if (socket == null) {
      b.option(ChannelOption.SO_REUSEADDR, true);
    }
    b.childHandler(
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            clients.add(ch);
            ch.pipeline().addLast(new Conversation(connections.incrementAndGet()));
          }
        });
    try {
      this.server = b.bind(bind).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
      throw e;
    }
  }

  /** An SMTP sink on an ephemeral port of 127.0.0.1. */
  public static SmtpSink smtp() {
    return smtp(0);
  }

  /** An SMTP sink on 127.0.0.1:{@code port} (to bring a destination back up on its port). */
  public static SmtpSink smtp(int port) {
    return new SmtpSink(false, new InetSocketAddress("127.0.0.1", port), null);
  }

  /** An LMTP sink on an ephemeral port of 127.0.0.1. */
  public static SmtpSink lmtp() {
    return new SmtpSink(true, new InetSocketAddress("127.0.0.1", 0), null);
  }

  /** An LMTP sink on a UNIX-domain socket at {@code path} (replaced if it exists). */
  public static SmtpSink lmtp(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return new SmtpSink(true, null, path);
  }

  // ---- where -----------------------------------------------------------------------------

  /** The TCP port (0 for a UNIX-domain socket). */
  public int port() {
    return server.localAddress() instanceof InetSocketAddress a ? a.getPort() : 0;
  }

  /** The next hop that reaches this sink: {@code [127.0.0.1]:port} or {@code unix:/path}. */
  public String nexthop() {
    return socket != null ? "unix:" + socket : "[127.0.0.1]:" + port();
  }

  // ---- script ----------------------------------------------------------------------------

  public SmtpSink greeting(String reply) {
    greeting = reply;
    return this;
  }

  /** The EHLO/LHLO keywords (default PIPELINING, SIZE, ENHANCEDSTATUSCODES, 8BITMIME, DSN, SMTPUTF8). */
  public SmtpSink capabilities(String... keywords) {
    capabilities = List.of(keywords);
    return this;
  }

  /** The whole EHLO reply instead of the capability list (e.g. {@code 502 5.5.2 no EHLO}). */
  public SmtpSink ehloReply(String reply) {
    ehloReply = reply;
    return this;
  }

  /** MAIL: argument text (after {@code MAIL FROM:}) to reply; null for the default 250. */
  public SmtpSink onMail(Function<String, String> f) {
    onMail = f;
    return this;
  }

  /** RCPT: the recipient address to reply; null for the default 250. */
  public SmtpSink onRcpt(Function<String, String> f) {
    onRcpt = f;
    return this;
  }

  public SmtpSink dataReply(String reply) {
    dataReply = reply;
    return this;
  }

  /** SMTP end of data: the message to reply; null for the default 250. */
  public SmtpSink onMessage(Function<Message, String> f) {
    onMessage = f;
    return this;
  }

  /** LMTP end of data: the message and one accepted recipient to that recipient's reply. */
  public SmtpSink onLmtpRecipient(BiFunction<Message, String, String> f) {
    onLmtpRecipient = f;
    return this;
  }

  public SmtpSink rsetReply(String reply) {
    rsetReply = reply;
    return this;
  }

  /**
   * Hang at {@code stage}: no reply to it nor to anything after it on that connection (the
   * client's time limit runs out).
   */
  public SmtpSink silentAt(Stage stage) {
    silent.add(stage);
    return this;
  }

  /** Answer at every stage again. */
  public SmtpSink answerAll() {
    silent.clear();
    return this;
  }

  // ---- records ---------------------------------------------------------------------------

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /** MAIL commands answered 2xx so far. */
  public int transactions() {
    return transactions.get();
  }

  public List<Message> messages() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  public List<Command> commands() {
    synchronized (commands) {
      return List.copyOf(commands);
    }
  }

  /** The command lines received, in order. */
  public List<String> commandLines() {
    return commands().stream().map(Command::line).toList();
  }

  /** Waits (polling) until {@code n} messages arrived; fails after {@code timeout}. */
  public List<Message> awaitMessages(int n, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (messages.size() < n) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "expected " + n + " messages at the sink, got " + messages.size());
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
    return messages();
  }

  /** Forgets the records (not the script). */
  public void clear() {
    commands.clear();
    messages.clear();
    connections.set(0);
    transactions.set(0);
  }

  /** Closes every client connection (the listener stays): an idle server hanging up. */
  public void dropConnections() {
    clients.close().syncUninterruptibly();
  }

  /** Closes the listener and every connection. */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    clients.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    if (socket != null) {
      try {
        Files.deleteIfExists(socket);
      } catch (java.io.IOException ignored) {
        // best effort
      }
    }
  }

  static String address(String arg) {
    int lt = arg.indexOf('<');
    int gt = arg.indexOf('>', lt + 1);
    return lt >= 0 && gt > lt ? arg.substring(lt + 1, gt) : arg.trim();
  }

  static String parameters(String arg) {
    int gt = arg.indexOf('>');
    return gt < 0 ? "" : arg.substring(gt + 1).trim();
  }

  // ---- one connection --------------------------------------------------------------------

  /** The server side of one connection: lines, DATA, replies by the script. Not shared. */
  private final class Conversation extends ByteToMessageDecoder {
    private final int id;
    private int batch;
    private String helo;
    private String mailFrom;
    private final List<String> rcpts = new ArrayList<>();
    private boolean inData;
    private boolean muted;
    private final ByteArrayOutputStream content = new ByteArrayOutputStream();
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();

    Conversation(int id) {
      this.id = id;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      reply(ctx, Stage.GREETING, greeting);
      super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      batch++;
      super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      while (true) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
          return;
        }
        int len = lf + 1 - in.readerIndex();
        byte[] raw = new byte[len];
        in.readBytes(raw);
        int textLen = len - 1 - (len >= 2 && raw[len - 2] == '\r' ? 1 : 0);
        if (inData) {
          data(ctx, raw, textLen);
        } else {
          String line = new String(raw, 0, textLen, StandardCharsets.UTF_8);
          commands.add(new Command(id, batch, line));
          command(ctx, line);
        }
      }
    }

    private void data(ChannelHandlerContext ctx, byte[] raw, int textLen) {
      wire.write(raw, 0, raw.length);
      if (textLen == 1 && raw[0] == '.') {
        inData = false;
        endOfData(ctx);
        return;
      }
      int skip = textLen > 0 && raw[0] == '.' ? 1 : 0;
      content.write(raw, skip, raw.length - skip);
    }

    private void command(ChannelHandlerContext ctx, String line) {
      String upper = line.toUpperCase(Locale.ROOT);
      if (upper.startsWith("EHLO ") || upper.startsWith("LHLO ")) {
        helo = line.substring(5);
        reply(ctx, Stage.EHLO, ehloReply != null ? ehloReply : ehlo());
      } else if (upper.startsWith("HELO ")) {
        helo = line.substring(5);
        reply(ctx, Stage.HELO, "250 sink.test");
      } else if (upper.startsWith("MAIL FROM:")) {
        String arg = line.substring(10);
        String r = orDefault(onMail.apply(arg), "250 2.1.0 Ok");
        if (r.startsWith("2")) {
          mailFrom = arg;
          rcpts.clear();
          transactions.incrementAndGet();
        }
        reply(ctx, Stage.MAIL, r);
      } else if (upper.startsWith("RCPT TO:")) {
        String arg = line.substring(8);
        String r;
        if (mailFrom == null) {
          r = "503 5.5.1 Error: need MAIL command";
        } else {
          r = orDefault(onRcpt.apply(address(arg)), "250 2.1.5 Ok");
          if (r.startsWith("2")) {
            rcpts.add(arg);
          }
        }
        reply(ctx, Stage.RCPT, r);
      } else if (upper.equals("DATA")) {
        if (mailFrom == null || rcpts.isEmpty()) {
          reply(ctx, Stage.DATA, "554 5.5.1 Error: no valid recipients");
        } else {
          String r = dataReply;
          if (r.startsWith("354")) {
            inData = true;
            content.reset();
            wire.reset();
          }
          reply(ctx, Stage.DATA, r);
        }
      } else if (upper.equals("RSET")) {
        mailFrom = null;
        rcpts.clear();
        reply(ctx, Stage.RSET, rsetReply);
      } else if (upper.equals("QUIT")) {
        reply(ctx, Stage.QUIT, "221 2.0.0 Bye");
        ctx.close();
      } else if (upper.equals("NOOP")) {
        reply(ctx, Stage.RSET, "250 2.0.0 Ok");
      } else {
        reply(ctx, Stage.RSET, "502 5.5.2 Error: command not recognized");
      }
    }

    private void endOfData(ChannelHandlerContext ctx) {
      Message m =
          new Message(id, helo, mailFrom, List.copyOf(rcpts), content.toByteArray(),
              wire.toByteArray());
      mailFrom = null;
      rcpts.clear();
      if (lmtp) {
        StringBuilder all = new StringBuilder();
        boolean any = false;
        for (String r : m.recipients()) {
          String reply = orDefault(onLmtpRecipient.apply(m, r), "250 2.0.0 <" + r + "> delivered");
          any |= reply.startsWith("2");
          if (all.length() > 0) {
            all.append("\r\n");
          }
          all.append(reply);
        }
        if (any) {
          messages.add(m);
        }
        reply(ctx, Stage.END_OF_DATA, all.toString());
      } else {
        String r = orDefault(onMessage.apply(m), "250 2.0.0 Ok: queued as S" + messages.size());
        if (r.startsWith("2")) {
          messages.add(m);
        }
        reply(ctx, Stage.END_OF_DATA, r);
      }
    }

    private String ehlo() {
      StringBuilder sb = new StringBuilder("250");
      List<String> caps = capabilities;
      sb.append(caps.isEmpty() ? " " : "-").append("sink.test");
      for (int i = 0; i < caps.size(); i++) {
        sb.append("\r\n250").append(i == caps.size() - 1 ? " " : "-").append(caps.get(i));
      }
      return sb.toString();
    }

    private void reply(ChannelHandlerContext ctx, Stage stage, String text) {
      if (silent.contains(stage)) {
        muted = true; // a hung server: no reply from here on
      }
      if (muted) {
        return;
      }
      ByteBuf buf = Unpooled.copiedBuffer(text + "\r\n", StandardCharsets.UTF_8);
      if (text.startsWith("421")) {
        ctx.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
      } else {
        ctx.writeAndFlush(buf);
      }
    }

    private String orDefault(String s, String def) {
      return s != null ? s : def;
    }
  }
}
