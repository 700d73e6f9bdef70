package io.gannet.smtpd;

import io.gannet.global.Config;
import io.gannet.global.MailParams;
import io.gannet.rewrite.TrivialRewrite;
import io.gannet.smtp.SmtpReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One listener's smtpd settings, read from its {@link Config} once at start (a bad value fails the
 * start with the parameter's name), with the replies that depend only on them prebuilt. Immutable;
 * shared by all sessions of the listener.
 */
final class SmtpdSettings {

  final String service;
  final String myhostname;
  final long messageSizeLimit;
  final int lineLengthLimit;
  final int recipientLimit;
  final long timeoutSeconds;
  final int hardErrorLimit;
  final int connectionCountLimit;
  final int connectionRateLimit;
  final int messageRateLimit;
  final boolean disableVrfy;
  final Set<String> forbiddenCommands;
  final List<String> fastFlushDomains;
  final Mynetworks eventLimitExceptions;
  final RelayRestrictions restrictions;

  final ByteBuf greeting;
  final ByteBuf ehlo;
  final ByteBuf helo;
  final ByteBuf timeout;
  final ByteBuf tooManyErrors;
  final ByteBuf tooManyConnections;
  final ByteBuf shuttingDown;

  SmtpdSettings(String service, Config config, TrivialRewrite rewrite) {
    this.service = service;
    try {
      myhostname = config.get(MailParams.MYHOSTNAME);
      messageSizeLimit = config.get(MailParams.MESSAGE_SIZE_LIMIT);
      lineLengthLimit = config.get(MailParams.LINE_LENGTH_LIMIT);
      recipientLimit = config.get(MailParams.SMTPD_RECIPIENT_LIMIT);
      timeoutSeconds = config.get(MailParams.SMTPD_TIMEOUT);
      hardErrorLimit = config.get(MailParams.SMTPD_HARD_ERROR_LIMIT);
      connectionCountLimit = config.get(MailParams.SMTPD_CLIENT_CONNECTION_COUNT_LIMIT);
      connectionRateLimit = config.get(MailParams.SMTPD_CLIENT_CONNECTION_RATE_LIMIT);
      messageRateLimit = config.get(MailParams.SMTPD_CLIENT_MESSAGE_RATE_LIMIT);
      disableVrfy = config.get(MailParams.DISABLE_VRFY_COMMAND);
      Set<String> forbidden = new HashSet<>();
      for (String c : config.get(MailParams.SMTPD_FORBIDDEN_COMMANDS)) {
        forbidden.add(c.toUpperCase(Locale.ROOT));
      }
      forbiddenCommands = Set.copyOf(forbidden);
      fastFlushDomains = config.get(MailParams.FAST_FLUSH_DOMAINS);
      Mynetworks mynetworks = Mynetworks.parse("mynetworks", config.get(MailParams.MYNETWORKS));
      eventLimitExceptions =
          Mynetworks.parse(
              "smtpd_client_event_limit_exceptions",
              config.get(MailParams.SMTPD_CLIENT_EVENT_LIMIT_EXCEPTIONS));
      restrictions =
          RelayRestrictions.compile(
              config.get(MailParams.SMTPD_RELAY_RESTRICTIONS),
              config.get(MailParams.SMTPD_RECIPIENT_RESTRICTIONS),
              mynetworks,
              rewrite);
      String banner = config.get(MailParams.SMTPD_BANNER);
      greeting = constant("220 " + banner + "\r\n");
      ehlo = constant(ehloReply(myhostname, messageSizeLimit, disableVrfy));
      helo = constant("250 " + myhostname + "\r\n");
      timeout = new SmtpReply(421, "4.4.2", myhostname + " Error: timeout exceeded").constant();
      tooManyErrors =
          new SmtpReply(421, "4.7.0", myhostname + " Error: too many errors").constant();
      tooManyConnections =
          new SmtpReply(421, "4.7.0", myhostname + " Error: too many connections").constant();
      shuttingDown = new SmtpReply(421, "4.3.2", myhostname + " Service shutting down").constant();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("service " + service + ": " + e.getMessage(), e);
    }
  }

  /** The EHLO reply: what this server offers (no STARTTLS or AUTH yet, no BINARYMIME). */
  private static String ehloReply(String hostname, long sizeLimit, boolean disableVrfy) {
    StringBuilder sb = new StringBuilder(200);
    sb.append("250-").append(hostname).append("\r\n");
    sb.append("250-PIPELINING\r\n");
    sb.append(sizeLimit > 0 ? "250-SIZE " + sizeLimit + "\r\n" : "250-SIZE\r\n");
    if (!disableVrfy) {
      sb.append("250-VRFY\r\n");
    }
    sb.append("250-ETRN\r\n");
    sb.append("250-ENHANCEDSTATUSCODES\r\n");
    sb.append("250-8BITMIME\r\n");
    sb.append("250-DSN\r\n");
    sb.append("250-SMTPUTF8\r\n");
    sb.append("250 CHUNKING\r\n");
    return sb.toString();
  }

  private static ByteBuf constant(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
  }

  /** True when ETRN may flush {@code domain}: it or a parent domain is in fast_flush_domains. */
  boolean flushEligible(String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    for (String f : fastFlushDomains) {
      String e = f.toLowerCase(Locale.ROOT);
      if (e.startsWith(".")) {
        e = e.substring(1);
      }
      if (d.equals(e) || d.endsWith("." + e)) {
        return true;
      }
    }
    return false;
  }
}
