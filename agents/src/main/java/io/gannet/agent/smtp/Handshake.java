package io.gannet.agent.smtp;

import io.gannet.agent.smtp.SmtpClientSettings.Protocol;
import io.gannet.smtp.EhloCapabilities;
import io.gannet.smtp.SmtpClientChannel;
import io.gannet.smtp.SmtpClientException;
import io.gannet.smtp.SmtpCommands;
import io.gannet.smtp.SmtpResponse;
import io.netty.channel.Channel;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Opens a session with one server (Postfix's smtp_connect + smtp_helo): connect, read the
 * greeting, then EHLO (falling back to HELO when EHLO is refused with anything but 421) or, for
 * lmtp, LHLO. The greeting and each greeting command wait at most {@code smtp_helo_timeout}. A
 * server that does not greet with 2xx "refused to talk to me"; with {@code smtp_skip_5xx_greeting}
 * a 5xx greeting counts as 4xx so the next server is tried.
 *
 * <p>Failures complete the future with an {@link AttemptFailure}; the permit for the connection is
 * released when the connection closes or fails to open.
 */
final class Handshake {

  private final SmtpClientSettings settings;
  private final Connector connector;
  private final Clock clock;

  Handshake(SmtpClientSettings settings, Connector connector, Clock clock) {
    this.settings = settings;
    this.connector = connector;
    this.clock = clock;
  }

  CompletableFuture<Session> open(Endpoint e, ConnectionLimiter.Permit permit) {
    return connector
        .connect(e)
        .handle(
            (ch, x) -> {
              if (x != null) {
                permit.release();
                throw new AttemptFailure(Attempt.connectFailed(e, Connector.reason(unwrap(x))));
              }
              ch.closeFuture().addListener(f -> permit.release());
              return ch;
            })
        .thenCompose(ch -> greet(e, ch));
  }

  private CompletableFuture<Session> greet(Endpoint e, Channel ch) {
    SmtpClientChannel c = SmtpClientChannel.of(ch);
    long timeout = settings.heloTimeout().toMillis();
    return c.expect(timeout, "receiving the initial server greeting")
        .thenCompose(
            greeting -> {
              if (!greeting.isPositive()) {
                throw refused(c, e, greeting);
              }
              if (settings.protocol() == Protocol.LMTP) {
                return hello(c, SmtpCommands.lhlo(settings.heloName()),
                    "performing the LHLO handshake")
                    .thenApply(r -> positiveOrRefused(c, e, r));
              }
              return hello(c, SmtpCommands.ehlo(settings.heloName()),
                      "performing the EHLO handshake")
                  .thenCompose(
                      r -> {
                        if (r.isPositive()) {
                          return CompletableFuture.completedFuture(r);
                        }
                        if (r.code() == 421) {
                          throw refused(c, e, r);
                        }
                        return hello(c, SmtpCommands.helo(settings.heloName()),
                                "performing the HELO handshake")
                            .thenApply(h -> positiveOrRefused(c, e, h))
                            .thenApply(h -> (SmtpResponse) null);
                      });
            })
        .handle(
            (ehlo, x) -> {
              if (x != null) {
                Throwable t = unwrap(x);
                c.close();
                if (t instanceof AttemptFailure a) {
                  throw a;
                }
                if (t instanceof SmtpClientException s) {
                  throw new AttemptFailure(Attempt.broken(e, s));
                }
                throw new CompletionException(t);
              }
              EhloCapabilities caps = ehlo == null ? EhloCapabilities.NONE : EhloCapabilities.parse(ehlo);
              return new Session(c, e, caps, clock.millis());
            });
  }

  private CompletableFuture<SmtpResponse> hello(SmtpClientChannel c, String command,
      String stage) {
    CompletableFuture<SmtpResponse> f = c.expect(settings.heloTimeout().toMillis(), stage);
    c.send(command);
    return f;
  }

  private SmtpResponse positiveOrRefused(SmtpClientChannel c, Endpoint e, SmtpResponse r) {
    if (!r.isPositive()) {
      throw refused(c, e, r);
    }
    return r;
  }

  private AttemptFailure refused(SmtpClientChannel c, Endpoint e, SmtpResponse r) {
    c.quit();
    return new AttemptFailure(Attempt.refused(e, r, settings.skip5xxGreeting()));
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
