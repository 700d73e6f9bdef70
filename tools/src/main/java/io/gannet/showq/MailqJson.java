package io.gannet.showq;

/**
 * One message as one line of JSON, as {@code postqueue -j} prints it (Postfix 3.7): {@code
 * queue_name}, {@code queue_id}, {@code arrival_time} (epoch seconds), {@code message_size},
 * {@code forced_expire} (always false: Gannet has no forced expiry), {@code sender} ({@code
 * MAILER-DAEMON} for the null sender) and {@code recipients}: the pending recipients, each with
 * {@code address} and, when it was deferred, {@code delay_reason}. Keys in Postfix's order,
 * separated as Postfix separates them.
 */
public final class MailqJson {
  private MailqJson() {}

  /** The JSON object of {@code m}, without a line end. */
  public static String line(QueuedMessage m) {
    StringBuilder b = new StringBuilder(256);
    b.append("{\"queue_name\": ");
    quote(b, m.queue().text());
    b.append(", \"queue_id\": ");
    quote(b, m.state().queueId().toString());
    b.append(", \"arrival_time\": ").append(Math.floorDiv(m.state().arrivalTime(), 1000));
    b.append(", \"message_size\": ").append(m.state().size());
    b.append(", \"forced_expire\": false, \"sender\": ");
    quote(b, m.sender());
    b.append(", \"recipients\": [");
    boolean first = true;
    for (QueuedMessage.Pending p : m.pending()) {
      if (!first) {
        b.append(", ");
      }
      first = false;
      b.append("{\"address\": ");
      quote(b, p.address());
      if (p.reason() != null && !p.reason().isEmpty()) {
        b.append(", \"delay_reason\": ");
        quote(b, p.reason());
      }
      b.append('}');
    }
    return b.append("]}").toString();
  }

  /** Appends {@code s} as a JSON string (RFC 8259 escapes). */
  static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
