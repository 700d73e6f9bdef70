package io.gannet.agent.lmtp;

import io.gannet.agent.smtp.SmtpAgent;
import io.gannet.agent.smtp.SmtpClientSettings;
import io.gannet.dns.MailHostResolver;
import io.gannet.global.Config;
import io.gannet.global.DeliveryAgent;
import io.gannet.global.DeliveryRequest;
import io.gannet.global.DeliveryResult;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.util.concurrent.CompletionStage;

/**
 * The lmtp delivery agent (Postfix's lmtp(8)): the smtp client in LMTP mode (RFC 2033). It greets
 * with LHLO, and after the content reads one reply per accepted recipient, so each recipient gets
 * its own outcome. Next hops:
 *
 * <ul>
 *   <li>{@code unix:/path} — a UNIX-domain socket. With an epoll event loop group the connection
 *       is an {@code EpollDomainSocketChannel}; with a NIO group a {@code NioDomainSocketChannel}
 *       on Java 16+ {@code UnixDomainSocketAddress}.
 *   <li>{@code inet:host:port}, {@code host:port}, {@code [addr]:port}, {@code host} — TCP, port
 *       {@code lmtp_tcp_port} (24) by default; never an MX lookup.
 * </ul>
 *
 * Parameters: the {@code lmtp_*} set of {@link SmtpClientSettings#lmtp(Config)}.
 */
public final class LmtpAgent implements DeliveryAgent {

  private final SmtpAgent engine;

  /** The lmtp agent with the {@code lmtp_*} parameters of {@code config}. */
  public LmtpAgent(Config config, MailHostResolver resolver, Clock clock, EventLoopGroup group) {
    this(SmtpClientSettings.lmtp(config), resolver, clock, group);
  }

  /**
   * @param settings LMTP settings (from {@link SmtpClientSettings#lmtp(Config)}, maybe changed)
   * @param resolver for TCP next hops; may be null when only {@code unix:} sockets are used
   */
  public LmtpAgent(SmtpClientSettings settings, MailHostResolver resolver, Clock clock,
      EventLoopGroup group) {
    if (settings.protocol() != SmtpClientSettings.Protocol.LMTP) {
      throw new IllegalArgumentException("LmtpAgent needs LMTP settings");
    }
    this.engine = new SmtpAgent(settings, resolver, clock, group);
  }

  @Override
  public CompletionStage<DeliveryResult> deliver(DeliveryRequest request) {
    return engine.deliver(request);
  }

  @Override
  public void close() {
    engine.close();
  }

  /** Open connections now (busy and cached). */
  public int openConnections() {
    return engine.openConnections();
  }

  /** True when connections use the native epoll transport, false for NIO. */
  public boolean epoll() {
    return engine.epoll();
  }
}
