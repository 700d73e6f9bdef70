package io.gannet.agent.smtp;

import io.gannet.smtp.SmtpClientChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Opens client connections on a shared event loop group: TCP, or a UNIX-domain socket for lmtp.
 * The transport follows the group: with an epoll group, {@code EpollSocketChannel} and {@code
 * EpollDomainSocketChannel} (Netty's {@code DomainSocketAddress}); otherwise NIO's {@code
 * NioSocketChannel} and {@code NioDomainSocketChannel} (Java 16+ {@code UnixDomainSocketAddress}).
 * Honours {@code smtp_connect_timeout} (0: the system's) and {@code smtp_bind_address} (used for
 * targets of the same address family). Each channel gets the SMTP client pipeline.
 */
final class Connector {

  private final EventLoopGroup group;
  private final boolean epoll;
  private final int connectTimeoutMillis;
  private final InetAddress bindAddress;
  private final int replyLineLimit;

  Connector(EventLoopGroup group, SmtpClientSettings settings) {
    this.group = group;
    this.epoll = group instanceof IoEventLoopGroup g && g.isIoType(EpollIoHandler.class);
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE,
        settings.connectTimeout().toMillis());
    this.bindAddress = settings.bindAddress();
    this.replyLineLimit = settings.replyLineLimit();
  }

  /** True when connections use the native epoll transport. */
  boolean epoll() {
    return epoll;
  }

  /** Connects; fails with the cause of a failed connect. */
  CompletableFuture<Channel> connect(Endpoint e) {
    Bootstrap b = new Bootstrap().group(group);
    SocketAddress target;
    if (e.isLocal()) {
      b.channel(epoll ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class);
      target = epoll ? new DomainSocketAddress(e.path()) : UnixDomainSocketAddress.of(e.path());
    } else {
      b.channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class);
      b.option(ChannelOption.TCP_NODELAY, true);
      target = e.inet();
      if (bindAddress != null
          && (bindAddress instanceof Inet4Address) == (e.inet().getAddress() instanceof Inet4Address)) {
        b.localAddress(new InetSocketAddress(bindAddress, 0));
      }
    }
    b.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
    b.handler(
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            SmtpClientChannel.initPipeline(ch.pipeline(), replyLineLimit);
          }
        });
    CompletableFuture<Channel> f = new CompletableFuture<>();
    ChannelFuture cf;
    try {
      cf = b.connect(target);
    } catch (RuntimeException x) {
      f.completeExceptionally(x);
      return f;
    }
    cf.addListener(
        x -> {
          if (x.isSuccess()) {
            f.complete(cf.channel());
          } else {
            f.completeExceptionally(x.cause());
          }
        });
    return f;
  }

  /** The system's reason for a failed connect, as Postfix prints {@code %m}. */
  static String reason(Throwable t) {
    if (t instanceof ConnectTimeoutException) {
      return "Connection timed out";
    }
    if (t instanceof NoRouteToHostException) {
      return "No route to host";
    }
    if (t instanceof java.io.FileNotFoundException) {
      return "No such file or directory";
    }
    String m = t.getMessage();
    if (m == null) {
      return t.getClass().getSimpleName();
    }
    for (String known :
        new String[] {
          "Connection refused", "Connection timed out", "No route to host",
          "Network is unreachable", "No such file or directory", "Permission denied",
          "Address already in use", "Cannot assign requested address"
        }) {
      if (m.contains(known)) {
        return known;
      }
    }
    int colon = m.lastIndexOf(": ");
    return colon >= 0 ? m.substring(colon + 2) : m;
  }
}
