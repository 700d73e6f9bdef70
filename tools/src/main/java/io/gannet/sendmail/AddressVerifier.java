package io.gannet.sendmail;

import io.gannet.dns.DnsLookupException;
import io.gannet.dns.DnsMailHostResolver;
import io.gannet.dns.MailHost;
import io.gannet.dns.OwnAddresses;
import io.gannet.global.Config;
import io.gannet.global.MailParams;
import io.gannet.global.MasterCf;
import io.gannet.global.MasterService;
import io.gannet.rewrite.Resolution;
import io.gannet.rewrite.TrivialRewriteService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code sendmail -bv} (Postfix's address verification in trace mode): resolves each address as
 * qmgr would (trivial-rewrite, the transport's agent kind, the next hop's MX hosts) and, for smtp
 * and lmtp transports, asks the destination with {@code MAIL FROM:<>} and {@code RCPT TO}, then
 * {@code QUIT} without sending a message. Nothing is queued or delivered.
 */
public final class AddressVerifier {

  /** What became of one address: Postfix's deliverable, undeliverable or deferred. */
  public enum Status { DELIVERABLE, UNDELIVERABLE, DEFERRED }

  /** One address's verdict, the route taken and the reason (a server reply or a local one). */
  public record Verdict(String address, Status status, String route, String reason) {
    /** As Postfix writes a trace report line. */
    public String line() {
      return "<" + address + ">: " + status.name().toLowerCase(java.util.Locale.ROOT)
          + " via " + route + ": " + reason;
    }
  }

  private final Config config;
  private final MasterCf master;
  private final TrivialRewriteService rewrite;
  private final int timeoutMillis;

  public AddressVerifier(Config config, MasterCf master, Path configDirectory) {
    this.config = config;
    this.master = master;
    this.rewrite = new TrivialRewriteService(config, configDirectory);
    this.timeoutMillis = (int) Math.min(60_000,
        config.get(MailParams.SMTP_CONNECT_TIMEOUT) * 1000L);
  }

  public Verdict verify(String address) {
    Resolution r = rewrite.resolve(address);
    String route = r.transport() + ":" + r.nexthop();
    MasterService service = master.services().stream()
        .filter(s -> s.isTransport() && s.name().equals(r.transport())).findFirst().orElse(null);
    if (service == null) {
      return new Verdict(address, Status.DEFERRED, route,
          "mail transport unavailable: " + r.transport());
    }
    return switch (service.command()) {
      case "discard" -> new Verdict(address, Status.DELIVERABLE, route, "discarded");
      case "error" -> service.name().equals("retry")
          ? new Verdict(address, Status.DEFERRED, route, r.nexthop())
          : new Verdict(address, Status.UNDELIVERABLE, route, r.nexthop());
      case "smtp", "lmtp" -> probe(address, r, route, service.config(config));
      default -> new Verdict(address, Status.DEFERRED, route,
          "no " + service.command() + " delivery agent in this version");
    };
  }

  private Verdict probe(String address, Resolution r, String route, Config c) {
    if (r.nexthop().startsWith("unix:")) {
      return new Verdict(address, Status.DEFERRED, route, "UNIX-socket next hops are not probed");
    }
    List<MailHost> hosts;
    try {
      hosts = new DnsMailHostResolver(c, OwnAddresses.none()).resolve(r.nexthop(), 25)
          .toCompletableFuture().get(timeoutMillis + 5_000L, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof DnsLookupException d) {
        return new Verdict(address, d.permanent() ? Status.UNDELIVERABLE : Status.DEFERRED,
            route, d.getMessage());
      }
      return new Verdict(address, Status.DEFERRED, route, String.valueOf(e.getCause()));
    } catch (TimeoutException e) {
      return new Verdict(address, Status.DEFERRED, route, "name service timeout");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Verdict(address, Status.DEFERRED, route, "interrupted");
    }
    String last = "no host to try";
    boolean lmtp = r.transport().equals("lmtp");
    for (MailHost h : hosts) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(h.address(), h.port()), timeoutMillis);
        s.setSoTimeout(timeoutMillis);
        BufferedReader in = new BufferedReader(
            new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = s.getOutputStream();
        String said = "host " + h.name() + "[" + h.address().getHostAddress() + "] said: ";
        String greeting = reply(in);
        if (!greeting.startsWith("2")) {
          last = "host " + h.name() + "[" + h.address().getHostAddress()
              + "] refused to talk to me: " + greeting;
          continue;
        }
        String helo = c.expanded("myhostname");
        String hello = command(out, in, (lmtp ? "LHLO " : "EHLO ") + helo);
        if (!hello.startsWith("2") && !lmtp) {
          hello = command(out, in, "HELO " + helo);
        }
        String mail = command(out, in, "MAIL FROM:<>");
        if (!mail.startsWith("2")) {
          last = said + mail + " (in reply to MAIL FROM command)";
          quit(out);
          if (mail.startsWith("5")) {
            return new Verdict(address, Status.UNDELIVERABLE, route + " " + h.relay(), last);
          }
          continue;
        }
        String rcpt = command(out, in, "RCPT TO:<" + address + ">");
        quit(out);
        String reason = said + rcpt + " (in reply to RCPT TO command)";
        if (rcpt.startsWith("2")) {
          return new Verdict(address, Status.DELIVERABLE, route + " " + h.relay(), reason);
        }
        if (rcpt.startsWith("5")) {
          return new Verdict(address, Status.UNDELIVERABLE, route + " " + h.relay(), reason);
        }
        last = reason;
      } catch (IOException e) {
        last = "connect to " + h.name() + "[" + h.address().getHostAddress() + "]:" + h.port()
            + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
    return new Verdict(address, Status.DEFERRED, route, last);
  }

  private static String command(OutputStream out, BufferedReader in, String line)
      throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    return reply(in);
  }

  private static void quit(OutputStream out) throws IOException {
    out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** The last line of a (possibly multi-line) reply. */
  private static String reply(BufferedReader in) throws IOException {
    String line;
    do {
      line = in.readLine();
      if (line == null) {
        throw new IOException("lost connection");
      }
    } while (line.length() > 3 && line.charAt(3) == '-');
    return line;
  }
}
