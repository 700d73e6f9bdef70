package io.gannet.master;

import io.gannet.agent.lmtp.LmtpAgent;
import io.gannet.agent.smtp.SmtpAgent;
import io.gannet.dns.DnsMailHostResolver;
import io.gannet.dns.OwnAddresses;
import io.gannet.global.Config;
import io.gannet.global.DeliveryAgent;
import io.gannet.global.MasterService;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The production delivery agents: smtp and lmtp clients sharing one Netty event loop group
 * (epoll where available) and resolving next hops through DNS (MX), with the daemon's own smtpd
 * listeners as "myself" for Postfix's loop check; discard and error/retry.
 */
public final class StandardAgents implements AgentFactory {
  private final Clock clock;
  private final OwnAddresses own;
  private EventLoopGroup group;

  /** @param listeners the smtpd listen addresses (mail for an MX that is us loops back) */
  public StandardAgents(Clock clock, List<InetSocketAddress> listeners) {
    this.clock = clock;
    this.own = OwnAddresses.of(listeners);
  }

  private synchronized EventLoopGroup group() {
    if (group == null) {
      // one event loop per core (Netty's default is two): see SmtpdServer
      group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
          new DefaultThreadFactory("agent"),
          Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }
    return group;
  }

  @Override
  public DeliveryAgent create(MasterService service, Config config) {
    return switch (service.command()) {
      case "smtp" -> new SmtpAgent(config, new DnsMailHostResolver(config, own), clock, group());
      case "lmtp" -> new LmtpAgent(config, new DnsMailHostResolver(config, own), clock, group());
      default -> DeliveryAgents.simple(service);
    };
  }

  @Override
  public synchronized void close() {
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
