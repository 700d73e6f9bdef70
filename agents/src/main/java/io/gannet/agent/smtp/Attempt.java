package io.gannet.agent.smtp;

import io.gannet.smtp.SmtpClientException;
import io.gannet.smtp.SmtpResponse;

/**
 * What one server (or one step before any server) made of one recipient, with the text Postfix
 * would write for it. {@link Kind#SOFT} and {@link Kind#HARD_IF_FINAL} results leave the
 * recipient for the next server; whatever the last server said becomes the outcome.
 *
 * @param relay the server as logged ({@code host[ip]:port}), {@code none} when none was reached
 * @param site true for trouble with the server itself (connect, greeting, lost connection,
 *     timeout): negative feedback for the destination unless some session completed
 */
record Attempt(Kind kind, String dsn, String text, String relay, boolean site) {

  /** The class of a result. */
  enum Kind {
    /** 2xx: delivered. */
    SENT,
    /** 4xx or connection trouble: try the next server, else defer. */
    SOFT,
    /** 5xx: bounce. */
    HARD,
    /** Bounce unless another server may do better (SMTPUTF8 not offered). */
    HARD_IF_FINAL
  }

  static Attempt sent(Session s, SmtpResponse r) {
    return new Attempt(Kind.SENT, r.dsn(), r.text(), s.endpoint().relay(), false);
  }

  /** {@code host X said: 550 ... (in reply to RCPT TO command)}. */
  static Attempt said(Session s, SmtpResponse r, String inReplyTo) {
    String text =
        "host " + s.endpoint().namaddr() + " said: " + r.text() + " (in reply to " + inReplyTo + ")";
    return fromReply(r, text, s.endpoint().relay(), false);
  }

  /** {@code host X refused to talk to me: 421 ...} (greeting, EHLO 421, HELO, LHLO). */
  static Attempt refused(Endpoint e, SmtpResponse r, boolean skip5xxGreeting) {
    String text = "host " + e.namaddr() + " refused to talk to me: " + r.text();
    if (r.isPermanent() && skip5xxGreeting) {
      return new Attempt(Kind.SOFT, "4" + r.dsn().substring(1), text, e.relay(), true);
    }
    return fromReply(r, text, e.relay(), true);
  }

  /** A lost connection, a timeout or a malformed reply, in Postfix's words. */
  static Attempt broken(Endpoint e, SmtpClientException x) {
    String text =
        switch (x.kind()) {
          case LOST -> "lost connection with " + e.namaddr() + " while " + x.stage();
          case TIMEOUT -> "conversation with " + e.namaddr() + " timed out while " + x.stage();
          case PROTOCOL ->
              "host " + e.namaddr() + " sent a malformed reply while " + x.stage()
                  + (x.detail() == null ? "" : ": " + x.detail());
        };
    String dsn = x.kind() == SmtpClientException.Kind.PROTOCOL ? "4.5.0" : "4.4.2";
    return new Attempt(Kind.SOFT, dsn, text, e.relay(), true);
  }

  /** {@code connect to X[ip]:25: Connection refused}. */
  static Attempt connectFailed(Endpoint e, String reason) {
    return new Attempt(
        Kind.SOFT, "4.4.1", "connect to " + e.connectTarget() + ": " + reason, "none", true);
  }

  /** A decision of this client about the message on a server ({@code 5.3.4} too big...). */
  static Attempt local(Kind kind, String dsn, String text, String relay) {
    return new Attempt(kind, dsn, text, relay, false);
  }

  private static Attempt fromReply(SmtpResponse r, String text, String relay, boolean site) {
    if (r.isTransient()) {
      return new Attempt(Kind.SOFT, r.dsn(), text, relay, site);
    }
    if (r.isPermanent()) {
      return new Attempt(Kind.HARD, r.dsn(), text, relay, site);
    }
    return new Attempt(Kind.HARD, "5.5.0", "Protocol error: " + text, relay, site);
  }
}
