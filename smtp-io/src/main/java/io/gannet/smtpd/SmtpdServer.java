package io.gannet.smtpd;

import io.gannet.smtp.SmtpServerDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP server: Postfix's master(8) listening sockets for the smtpd services, on Netty. {@link
 * #start} binds every listener (epoll where the native transport is available, NIO otherwise) and
 * runs one {@link SmtpdSession} per connection; {@link #close} stops listening and closes the event
 * loops.
 *
 * <p>Per listener: {@code maxproc} caps concurrent connections (a client over it gets {@code 421
 * 4.7.0 $myhostname Error: too many connections} at once); the listener's {@link
 * io.gannet.global.Config} gives every smtpd parameter (see {@link SmtpdSession}). A bad parameter
 * or restriction fails {@link #start} before anything is bound.
 *
 * <p>Pipeline per connection: {@link IdleStateHandler} ({@code smtpd_timeout}), {@link
 * SmtpServerDecoder} ({@code line_length_limit}), {@link SmtpdSession}.
 */
public final class SmtpdServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger("gannet/smtpd");

  private final SmtpdServices services;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Class<? extends ServerChannel> channelClass;
  private final List<Channel> serverChannels = new ArrayList<>();

  /** A server with one acceptor thread and one event loop per core. */
  public SmtpdServer(SmtpdServices services) {
    this(services, 0);
  }

  /** A server with {@code workerThreads} event loops (0: one per core). */
  public SmtpdServer(SmtpdServices services, int workerThreads) {
    this.services = services;
    IoHandlerFactory factory;
    if (Epoll.isAvailable()) {
      factory = EpollIoHandler.newFactory();
      channelClass = EpollServerSocketChannel.class;
    } else {
      factory = NioIoHandler.newFactory();
      channelClass = NioServerSocketChannel.class;
    }
    // named threads: smtpd-accept-N-1, smtpd-N-M (thread dumps, per-thread CPU in the benchmark)
    boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("smtpd-accept"), factory);
    // One event loop per core, as documented: Netty's own default (0) is two per core, which on
    // a small machine with the agents' loops, qmgr and the journal writer costs about 15% more
    // CPU per relayed message in context switches (perf/RESULTS.md, relay benchmark).
    int loops = workerThreads > 0 ? workerThreads : Runtime.getRuntime().availableProcessors();
    workers = new MultiThreadIoEventLoopGroup(loops, new DefaultThreadFactory("smtpd"), factory);
  }

  /**
   * Binds every listener and starts serving; returns the bound addresses in the same order (an
   * ephemeral port 0 comes back as the real port). Throws {@link IllegalArgumentException} for a
   * configuration error, naming service and parameter.
   */
  public synchronized List<InetSocketAddress> start(List<Listener> listeners)
      throws InterruptedException {
    List<SmtpdSettings> settings = new ArrayList<>();
    for (Listener l : listeners) {
      settings.add(new SmtpdSettings(l.service(), l.config(), services.rewrite()));
    }
    List<InetSocketAddress> bound = new ArrayList<>();
    for (int i = 0; i < listeners.size(); i++) {
      Listener l = listeners.get(i);
      Channel ch = bind(l, settings.get(i));
      serverChannels.add(ch);
      bound.add((InetSocketAddress) ch.localAddress());
      log.info(
          "smtpd service {} listening on {} (maxproc {})",
          l.service(),
          ch.localAddress(),
          l.maxproc());
    }
    long unit = services.anvil().unitMillis();
    workers.next().scheduleAtFixedRate(services.anvil()::sweep, unit, unit, TimeUnit.MILLISECONDS);
    return bound;
  }

  private Channel bind(Listener listener, SmtpdSettings settings) throws InterruptedException {
    AtomicInteger open = new AtomicInteger();
    ServerBootstrap b =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(channelClass)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    int n = open.incrementAndGet();
                    ch.closeFuture().addListener(f -> open.decrementAndGet());
                    if (listener.maxproc() > 0 && n > listener.maxproc()) {
                      ch.pipeline().addLast(new Refuse(settings, listener));
                      return;
                    }
                    SmtpServerDecoder decoder = new SmtpServerDecoder(settings.lineLengthLimit);
                    ch.pipeline()
                        .addLast(
                            new IdleStateHandler(settings.timeoutSeconds, 0, 0, TimeUnit.SECONDS),
                            decoder,
                            new SmtpdSession(settings, services, decoder));
                  }
                });
    return b.bind(listener.address()).sync().channel();
  }

  /** Answers a connection over {@code maxproc} and closes it. */
  private static final class Refuse extends ChannelInboundHandlerAdapter {
    private final SmtpdSettings settings;
    private final Listener listener;

    Refuse(SmtpdSettings settings, Listener listener) {
      this.settings = settings;
      this.listener = listener;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      log.warn(
          "service \"{}\" ({}) has reached its process limit \"{}\": refused {}",
          listener.service(),
          listener.address(),
          listener.maxproc(),
          ctx.channel().remoteAddress());
      ctx.channel().config().setAutoRead(false);
      ctx.writeAndFlush(settings.tooManyConnections.duplicate())
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Stops listening, closes connections and event loops (waits up to a few seconds). */
  @Override
  public synchronized void close() {
    for (Channel ch : serverChannels) {
      ch.close().syncUninterruptibly();
    }
    serverChannels.clear();
    boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
