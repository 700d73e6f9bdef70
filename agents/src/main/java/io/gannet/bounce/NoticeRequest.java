package io.gannet.bounce;

import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalRecord.NoticeKind;
import io.gannet.journal.MessageState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one notice reports: which notice ({@link DueNotice}: kind, audience, envelope), the
 * original message, and one {@link Entry} per recipient reported on. {@link #of} builds it from
 * the projection's {@link MessageState} and the recipients' last journal results; tests and other
 * callers may build it field by field.
 */
public record NoticeRequest(DueNotice due, Original original, List<Entry> entries) {

  public NoticeRequest {
    Objects.requireNonNull(due, "due");
    Objects.requireNonNull(original, "original");
    entries = List.copyOf(entries);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a notice reports on at least one recipient");
    }
  }

  /**
   * The request for {@code due} about the message {@code state}, whose content is {@code content}
   * (or {@code null} when it cannot be read: the notice then says so). Each reported recipient's
   * status and reply come from {@code reports} (by recipient index); a delayed recipient without
   * one falls back to its last deferral reason in {@code state}, anything else missing to a
   * generic status ({@code 5.0.0}, {@code 4.0.0}, {@code 2.0.0}).
   *
   * @throws IllegalArgumentException if {@code due} names a recipient the message does not have
   */
  public static NoticeRequest of(
      DueNotice due, MessageState state, Map<Integer, RecipientReport> reports, byte[] content) {
    Action action =
        switch (due.kind()) {
          case BOUNCE -> Action.FAILED;
          case DELAY -> Action.DELAYED;
          case SUCCESS -> Action.DELIVERED;
        };
    List<Entry> entries = new ArrayList<>(due.recipients().size());
    for (int i : due.recipients()) {
      if (i < 0 || i >= state.recipients().size()) {
        throw new IllegalArgumentException(
            state.queueId() + ": notice names recipient " + i + " of "
                + state.recipients().size());
      }
      Recipient r = state.recipients().get(i);
      RecipientReport report = reports.get(i);
      String dsn = report == null ? null : report.dsn();
      String reply = report == null ? null : report.reply();
      String relay = report == null ? null : report.relay();
      if (reply == null && due.kind() == NoticeKind.DELAY) {
        reply = state.reasons().get(i);
      }
      entries.add(Entry.of(r, action, dsn, reply, relay));
    }
    return new NoticeRequest(due, Original.of(state, content), entries);
  }

  /**
   * The message a notice is about.
   *
   * @param queueId its queue id
   * @param sender its envelope sender ({@code ""}: the null sender)
   * @param envid its DSN {@code ENVID}, decoded, or {@code null}
   * @param ret its DSN {@code RET}
   * @param smtputf8 whether it was received with SMTPUTF8 (the notice then uses RFC 6533 types)
   * @param arrivalTime epoch millis of its arrival
   * @param content its content (headers and body, CRLF), or {@code null} when unavailable
   */
  public record Original(
      QueueId queueId,
      String sender,
      String envid,
      DsnRet ret,
      boolean smtputf8,
      long arrivalTime,
      byte[] content) {

    public Original {
      Objects.requireNonNull(queueId, "queueId");
      Objects.requireNonNull(sender, "sender (\"\" for the null sender)");
      Objects.requireNonNull(ret, "ret");
    }

    /** The original as the projection knows it, with its content read from the journal. */
    public static Original of(MessageState state, byte[] content) {
      return new Original(
          state.queueId(),
          state.sender(),
          state.envid(),
          state.ret() == null ? DsnRet.DEFAULT : state.ret(),
          state.smtputf8(),
          state.arrivalTime(),
          content);
    }
  }

  /** RFC 3464 action values. */
  public enum Action {
    FAILED("failed", '5'),
    DELAYED("delayed", '4'),
    DELIVERED("delivered", '2'),
    /** Handed to a system that does not send DSNs; no further notice will come. */
    RELAYED("relayed", '2'),
    /** Delivered to a list or alias that expanded it. */
    EXPANDED("expanded", '2');

    private final String text;
    private final char statusClass;

    Action(String text, char statusClass) {
      this.text = text;
      this.statusClass = statusClass;
    }

    /** The value as written in the {@code Action:} field. */
    public String text() {
      return text;
    }

    /** True when {@code status} has a class this action may report. */
    boolean allows(String status) {
      char c = status.charAt(0);
      // A bounce after the queue lifetime reports the last temporary status, as Postfix does.
      return c == statusClass || (this == FAILED && c == '4');
    }

    String defaultStatus() {
      return statusClass + ".0.0";
    }
  }

  /**
   * What a notice says about one recipient (RFC 3464 per-recipient fields and the human line).
   *
   * @param recipient the final recipient address
   * @param orcpt the DSN original recipient, {@code addr-type;address}, or {@code null}
   * @param action the action
   * @param status the RFC 3463 status code, of a class that fits {@code action}
   * @param remoteMta the remote host's DNS name, or {@code null}
   * @param diagnosticType {@code smtp} or {@code X-Gannet}; {@code null} when no diagnostic
   * @param diagnostic the diagnostic text, or {@code null}
   * @param text the reason as a person reads it (the reply as Gannet logs it)
   */
  public record Entry(
      String recipient,
      String orcpt,
      Action action,
      String status,
      String remoteMta,
      String diagnosticType,
      String diagnostic,
      String text) {

    public Entry {
      Objects.requireNonNull(recipient, "recipient");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(text, "text");
      if (!ReplyText.isStatus(status)) {
        throw new IllegalArgumentException("bad DSN status code: " + status);
      }
      if (!action.allows(status)) {
        throw new IllegalArgumentException(
            "status " + status + " does not fit action " + action.text());
      }
      if ((diagnosticType == null) != (diagnostic == null)) {
        throw new IllegalArgumentException("diagnostic type and text go together");
      }
      if (orcpt != null && orcpt.indexOf(';') <= 0) {
        throw new IllegalArgumentException("ORCPT without addr-type: " + orcpt);
      }
    }

    /**
     * The entry for recipient {@code r} from its journal result: {@code dsn} (a malformed or
     * missing code, or one that does not fit {@code action}, becomes the status the reply names,
     * else {@code 5.0.0}, {@code 4.0.0} or {@code 2.0.0}), {@code reply} as Gannet logs it (may
     * be {@code null}) and {@code relay} (may be {@code null}). Control characters in the texts
     * become spaces.
     */
    public static Entry of(Recipient r, Action action, String dsn, String reply, String relay) {
      String text = reply == null ? null : MimeText.clean(reply).trim();
      if (text == null || text.isEmpty()) {
        text =
            switch (action) {
              case FAILED -> "delivery failed";
              case DELAYED -> "delivery temporarily suspended";
              default -> "delivered";
            };
      }
      String status = dsn == null ? null : dsn.trim();
      if (!ReplyText.isStatus(status) || !action.allows(status)) {
        status = ReplyText.status(text, action.defaultStatus().charAt(0));
        if (status == null) {
          status = action.defaultStatus();
        }
      }
      String orcpt = r.orcpt();
      if (orcpt != null) {
        orcpt = MimeText.clean(orcpt).trim();
        if (orcpt.indexOf(';') <= 0) {
          orcpt = null;
        }
      }
      ReplyText.Parsed p = ReplyText.parse(text, relay == null ? null : MimeText.clean(relay));
      return new Entry(
          MimeText.clean(r.address()),
          orcpt,
          action,
          status,
          p.remoteMta(),
          p.diagnosticType(),
          p.diagnostic(),
          text);
    }
  }
}
