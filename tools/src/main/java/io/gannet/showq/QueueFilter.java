package io.gannet.showq;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which messages {@code gannet queue} shows; every criterion given must hold (and). Addresses and
 * domains compare case-insensitively.
 *
 * <ul>
 *   <li>sender: the sender address; {@code @example.com} matches any sender in that domain; the
 *       null sender is named {@code <>}, {@code MAILER-DAEMON} or the empty string;
 *   <li>recipient: some pending recipient is that address;
 *   <li>domain: some pending recipient's domain is that domain or one of its subdomains;
 *   <li>arrived at or before: the message arrived at or before that time (epoch millis),
 *       {@code --older-than};
 *   <li>queues: the message is in one of these queues.
 * </ul>
 *
 * For the queue shape, which counts recipients, {@link #acceptsRecipient} also selects the
 * recipients of a message that count: those matching the recipient and domain criteria.
 */
public final class QueueFilter {

  private final String sender;
  private final String recipient;
  private final String domain;
  private final long arrivedBy;
  private final Set<QueueName> queues;

  private QueueFilter(String sender, String recipient, String domain, long arrivedBy,
      Set<QueueName> queues) {
    this.sender = sender;
    this.recipient = recipient;
    this.domain = domain;
    this.arrivedBy = arrivedBy;
    this.queues = queues;
  }

  /** Every message. */
  public static QueueFilter all() {
    return new QueueFilter(null, null, null, Long.MAX_VALUE, EnumSet.allOf(QueueName.class));
  }

  /** Messages from {@code address} (see the class comment for the null sender and domains). */
  public QueueFilter sender(String address) {
    String s = address.trim().toLowerCase(Locale.ROOT);
    if (s.equals("<>") || s.equals(QueuedMessage.NULL_SENDER.toLowerCase(Locale.ROOT))) {
      s = "";
    }
    return new QueueFilter(s, recipient, domain, arrivedBy, queues);
  }

  /** Messages with {@code address} among their pending recipients. */
  public QueueFilter recipient(String address) {
    return new QueueFilter(sender, address.trim().toLowerCase(Locale.ROOT), domain, arrivedBy,
        queues);
  }

  /** Messages with a pending recipient in {@code domain} or a subdomain of it. */
  public QueueFilter domain(String name) {
    String d = name.trim().toLowerCase(Locale.ROOT);
    while (d.startsWith("@") || d.startsWith(".")) {
      d = d.substring(1);
    }
    if (d.isEmpty()) {
      throw new IllegalArgumentException("empty domain");
    }
    return new QueueFilter(sender, recipient, d, arrivedBy, queues);
  }

  /** Messages that arrived at or before {@code epochMillis}. */
  public QueueFilter arrivedBy(long epochMillis) {
    return new QueueFilter(sender, recipient, domain, epochMillis, queues);
  }

  /** Messages in one of {@code names} (none given: every queue). */
  public QueueFilter queues(Set<QueueName> names) {
    return new QueueFilter(sender, recipient, domain, arrivedBy,
        names.isEmpty() ? EnumSet.allOf(QueueName.class) : EnumSet.copyOf(names));
  }

  /** Whether {@code m} is listed. */
  public boolean accepts(QueuedMessage m) {
    if (!queues.contains(m.queue()) || m.state().arrivalTime() > arrivedBy) {
      return false;
    }
    if (sender != null && !senderMatches(m.state().sender())) {
      return false;
    }
    if (recipient == null && domain == null) {
      return true;
    }
    for (int i : m.state().pending()) {
      if (acceptsRecipient(m.state().recipients().get(i).address())) {
        return true;
      }
    }
    return false;
  }

  /** Whether a recipient matches the recipient and domain criteria (true when none is given). */
  public boolean acceptsRecipient(String address) {
    String a = address.toLowerCase(Locale.ROOT);
    if (recipient != null && !a.equals(recipient)) {
      return false;
    }
    if (domain != null) {
      String d = domainOf(a);
      return d.equals(domain) || d.endsWith("." + domain);
    }
    return true;
  }

  private boolean senderMatches(String address) {
    String a = address.toLowerCase(Locale.ROOT);
    if (sender.startsWith("@")) {
      return !a.isEmpty() && ("@" + domainOf(a)).equals(sender);
    }
    return a.equals(sender);
  }

  /** The part after the last {@code @}; the empty string when there is none. */
  static String domainOf(String address) {
    int at = address.lastIndexOf('@');
    return at < 0 ? "" : address.substring(at + 1);
  }
}
