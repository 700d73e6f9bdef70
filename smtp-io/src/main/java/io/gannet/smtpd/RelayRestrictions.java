package io.gannet.smtpd;

import io.gannet.rewrite.AddressClass;
import io.gannet.rewrite.TrivialRewrite;
import io.gannet.smtp.SmtpReply;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The RCPT TO access checks: {@code smtpd_relay_restrictions}, then {@code
 * smtpd_recipient_restrictions}, each a list evaluated left to right until one restriction permits
 * or refuses (Postfix's {@code smtpd_check}). Restrictions known here:
 *
 * <ul>
 *   <li>{@code permit}, {@code reject}, {@code defer};
 *   <li>{@code permit_mynetworks}: the client is in {@code mynetworks};
 *   <li>{@code permit_auth_destination}: the recipient's domain is ours (LOCAL, VIRTUAL or RELAY by
 *       trivial-rewrite);
 *   <li>{@code reject_unauth_destination} / {@code defer_unauth_destination}: refuse unless it is
 *       ({@code 554 5.7.1 <addr>: Relay access denied}). A local part with routing characters
 *       ({@code % ! @}) never counts as ours.
 * </ul>
 *
 * <p>Any other name is a configuration error at start. As in Postfix, start-up also fails when
 * neither list holds a restriction that can refuse ({@code reject_unauth_destination}, {@code
 * defer_unauth_destination}, {@code reject}, {@code defer}): Gannet is never an open relay by
 * accident. Immutable, thread-safe.
 */
public final class RelayRestrictions {

  enum Restriction {
    PERMIT,
    REJECT,
    DEFER,
    PERMIT_MYNETWORKS,
    PERMIT_AUTH_DESTINATION,
    REJECT_UNAUTH_DESTINATION,
    DEFER_UNAUTH_DESTINATION;

    String postfixName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final List<Restriction> relay;
  private final List<Restriction> recipient;
  private final Mynetworks mynetworks;
  private final TrivialRewrite rewrite;

  private RelayRestrictions(
      List<Restriction> relay,
      List<Restriction> recipient,
      Mynetworks mynetworks,
      TrivialRewrite rewrite) {
    this.relay = relay;
    this.recipient = recipient;
    this.mynetworks = mynetworks;
    this.rewrite = rewrite;
  }

  /** Compiles both lists; throws {@link IllegalArgumentException} with Postfix-like text. */
  public static RelayRestrictions compile(
      List<String> relayRestrictions,
      List<String> recipientRestrictions,
      Mynetworks mynetworks,
      TrivialRewrite rewrite) {
    List<Restriction> relay = parse("smtpd_relay_restrictions", relayRestrictions);
    List<Restriction> recipient = parse("smtpd_recipient_restrictions", recipientRestrictions);
    if (!canRefuse(relay) && !canRefuse(recipient)) {
      throw new IllegalArgumentException(
          "in parameter smtpd_relay_restrictions or "
              + "smtpd_recipient_restrictions, specify at least one working instance of: "
              + "reject_unauth_destination, defer_unauth_destination, reject or defer");
    }
    return new RelayRestrictions(relay, recipient, mynetworks, rewrite);
  }

  private static List<Restriction> parse(String parameter, List<String> names) {
    List<Restriction> out = new ArrayList<>();
    for (String name : names) {
      Restriction r = null;
      for (Restriction k : Restriction.values()) {
        if (k.postfixName().equalsIgnoreCase(name)) {
          r = k;
        }
      }
      if (r == null) {
        throw new IllegalArgumentException(
            parameter + ": unknown smtpd restriction: \"" + name + "\"");
      }
      out.add(r);
    }
    return List.copyOf(out);
  }

  private static boolean canRefuse(List<Restriction> list) {
    for (Restriction r : list) {
      switch (r) {
        case REJECT:
        case DEFER:
        case REJECT_UNAUTH_DESTINATION:
        case DEFER_UNAUTH_DESTINATION:
          return true;
        case PERMIT:
          return false; // nothing after an unconditional permit is ever reached
        default:
          break;
      }
    }
    return false;
  }

  /**
   * Checks one recipient from one client: {@code null} when it may be accepted, else the reply to
   * refuse it with.
   */
  public SmtpReply check(InetSocketAddress client, String recipientAddress) {
    SmtpReply r = evaluate(relay, client, recipientAddress);
    if (r != null) {
      return r == PERMITTED ? null : r;
    }
    r = evaluate(recipient, client, recipientAddress);
    return r == PERMITTED ? null : r;
  }

  private static final SmtpReply PERMITTED = new SmtpReply(250, "", "permit");

  private SmtpReply evaluate(List<Restriction> list, InetSocketAddress client, String rcpt) {
    for (Restriction r : list) {
      switch (r) {
        case PERMIT:
          return PERMITTED;
        case REJECT:
          return new SmtpReply(
              554, "5.7.1", "<" + rcpt + ">: Recipient address rejected: " + "Access denied");
        case DEFER:
          return new SmtpReply(
              450, "4.7.1", "<" + rcpt + ">: Recipient address rejected: " + "Access denied");
        case PERMIT_MYNETWORKS:
          if (mynetworks.contains(client)) {
            return PERMITTED;
          }
          break;
        case PERMIT_AUTH_DESTINATION:
          if (authorized(rcpt)) {
            return PERMITTED;
          }
          break;
        case REJECT_UNAUTH_DESTINATION:
          if (!authorized(rcpt)) {
            return new SmtpReply(554, "5.7.1", "<" + rcpt + ">: Relay access denied");
          }
          break;
        case DEFER_UNAUTH_DESTINATION:
          if (!authorized(rcpt)) {
            return new SmtpReply(450, "4.7.1", "<" + rcpt + ">: Relay access denied");
          }
          break;
        default:
          throw new IllegalStateException("restriction " + r);
      }
    }
    return null;
  }

  /**
   * The recipient's domain is one we deliver or relay for, and its local part carries no routing
   * ({@code user%other@ours}, {@code other!user@ours}, {@code "user@other"@ours}), which a
   * downstream system could turn into a relay.
   */
  private boolean authorized(String rcpt) {
    String canonical = rewrite.canonicalize(rcpt);
    AddressClass c = rewrite.classify(canonical);
    if (c == AddressClass.DEFAULT) {
      return false;
    }
    int at = canonical.lastIndexOf('@');
    String local = at < 0 ? canonical : canonical.substring(0, at);
    return local.indexOf('@') < 0 && local.indexOf('%') < 0 && local.indexOf('!') < 0;
  }
}
