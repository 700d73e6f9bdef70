package io.gannet.bounce;

import io.gannet.bounce.DueNotice.Audience;
import io.gannet.global.Config;
import io.gannet.global.MailParams;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalRecord.NoticeKind;
import io.gannet.journal.MessageState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedSet;

/**
 * Which notices a message owes, as Postfix's bounce, defer and trace services decide it.
 *
 * <ul>
 *   <li><b>Bounce</b>: for bounced recipients that want failure notices ({@code NOTIFY} absent or
 *       containing {@code FAILURE}). It waits until no pending recipient could still bounce into
 *       it, so recipients of one message share one notice and none is left out (the journal keeps
 *       one bounce notice per message).
 *   <li><b>Delay</b>: once, when {@code delay_warning_time} (0: never) has passed since arrival
 *       and the message still has recipients that were deferred and want delay notices ({@code
 *       NOTIFY} absent or containing {@code DELAY}). Not while the message is on hold.
 *   <li><b>Success</b>: for delivered recipients with {@code NOTIFY=SUCCESS}, once no pending
 *       recipient still wants one.
 *   <li>A kind already queued ({@link MessageState#noticeQueued}) is never due again.
 *   <li>The null sender gets no notice. Its bounced recipients are reported to {@code
 *       2bounce_notice_recipient} (qualified with {@code @$myorigin}) when {@code notify_classes}
 *       contains {@code bounce} or {@code 2bounce}, else dropped; delay and success notices are
 *       dropped. Such a double bounce is sent from {@code double_bounce_sender@$myorigin}; mail
 *       from that address (a postmaster notice that failed) is never bounced again.
 * </ul>
 *
 * <p>When a message has no pending recipient and {@link #due} is empty, it owes no more notices.
 * Stateless apart from its configuration; safe to share.
 */
public final class NoticePolicy {

  private final Clock clock;
  private final long delayWarningMillis;
  private final boolean postmasterGetsBounces;
  private final String doubleBounceRecipient;
  private final String doubleBounceSender;
  private final String bareDoubleBounceSender;

  /**
   * Reads {@code delay_warning_time}, {@code notify_classes}, {@code 2bounce_notice_recipient},
   * {@code double_bounce_sender} and {@code myorigin} from {@code config}.
   */
  public NoticePolicy(Config config, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.delayWarningMillis = config.get(MailParams.DELAY_WARNING_TIME) * 1000L;
    List<String> classes = config.get(MailParams.NOTIFY_CLASSES);
    this.postmasterGetsBounces =
        classes.stream()
            .map(c -> c.toLowerCase(Locale.ROOT))
            .anyMatch(c -> c.equals("bounce") || c.equals("2bounce"));
    String origin = config.get(MailParams.MYORIGIN).trim();
    String rcpt = config.get(MailParams.DOUBLE_BOUNCE_NOTICE_RECIPIENT).trim();
    this.doubleBounceRecipient = rcpt.isEmpty() ? "" : qualify(rcpt, origin);
    this.bareDoubleBounceSender = config.get(MailParams.DOUBLE_BOUNCE_SENDER).trim();
    this.doubleBounceSender = qualify(bareDoubleBounceSender, origin);
  }

  /** The envelope sender of postmaster notices: {@code double_bounce_sender@$myorigin}. */
  public String doubleBounceSender() {
    return doubleBounceSender;
  }

  /**
   * The notices due now for {@code state}, in the order bounce, delay, success. Empty when none
   * is due (including when one is due later: see {@link #delayWarningAt}).
   */
  public List<DueNotice> due(MessageState state) {
    List<DueNotice> out = new ArrayList<>(3);
    if (isDoubleBounceSender(state.sender())) {
      return out; // a failed postmaster notice: discarded, never a triple bounce
    }
    boolean nullSender = state.sender().isEmpty();
    if (!state.noticeQueued(NoticeKind.BOUNCE)) {
      bounce(state, nullSender, out);
    }
    if (nullSender) {
      return out;
    }
    if (!state.noticeQueued(NoticeKind.DELAY)
        && delayWarningAt(state).orElse(Long.MAX_VALUE) <= clock.millis()) {
      List<Integer> delayed = deferredWanting(state);
      if (!delayed.isEmpty()) {
        out.add(toSender(NoticeKind.DELAY, state, delayed));
      }
    }
    if (!state.noticeQueued(NoticeKind.SUCCESS)
        && !anyPendingWants(state, Recipient.NOTIFY_SUCCESS)) {
      List<Integer> delivered = wanting(state, state.delivered(), Recipient.NOTIFY_SUCCESS);
      if (!delivered.isEmpty()) {
        out.add(toSender(NoticeKind.SUCCESS, state, delivered));
      }
    }
    return out;
  }

  /**
   * The earliest time (epoch millis) the delay warning for {@code state} can fall due, for the
   * caller's timer: arrival plus {@code delay_warning_time}. {@link #due} also needs the message
   * to have been deferred, so ask again after its next deferral. Empty when no warning will come:
   * {@code delay_warning_time} is 0, the warning was sent, the sender is null, the message is
   * held, or no pending recipient wants one.
   */
  public OptionalLong delayWarningAt(MessageState state) {
    if (delayWarningMillis <= 0
        || state.noticeQueued(NoticeKind.DELAY)
        || state.held()
        || state.sender().isEmpty()
        || isDoubleBounceSender(state.sender())
        || !anyPendingWants(state, Recipient.NOTIFY_DELAY)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(state.arrivalTime() + delayWarningMillis);
  }

  private void bounce(MessageState state, boolean nullSender, List<DueNotice> out) {
    if (nullSender) {
      // Any pending recipient may still bounce into this notice.
      if (!postmasterGetsBounces
          || doubleBounceRecipient.isEmpty()
          || state.bounced().isEmpty()
          || !state.pending().isEmpty()) {
        return;
      }
      out.add(
          new DueNotice(
              NoticeKind.BOUNCE,
              Audience.DOUBLE_BOUNCE,
              doubleBounceSender,
              doubleBounceRecipient,
              List.copyOf(state.bounced())));
      return;
    }
    if (anyPendingWants(state, Recipient.NOTIFY_FAILURE)) {
      return;
    }
    List<Integer> failed = wanting(state, state.bounced(), Recipient.NOTIFY_FAILURE);
    if (!failed.isEmpty()) {
      out.add(toSender(NoticeKind.BOUNCE, state, failed));
    }
  }

  /** Pending recipients that were deferred (the message was tried) and want a delay notice. */
  private static List<Integer> deferredWanting(MessageState state) {
    if (state.attempts() == 0) {
      return List.of();
    }
    return wanting(state, state.pending(), Recipient.NOTIFY_DELAY);
  }

  private static DueNotice toSender(NoticeKind kind, MessageState state, List<Integer> rcpts) {
    return new DueNotice(kind, Audience.SENDER, "", state.sender(), rcpts);
  }

  private static boolean anyPendingWants(MessageState state, int notify) {
    return !wanting(state, state.pending(), notify).isEmpty();
  }

  /** The indexes in {@code set} (valid for this message) whose recipient wants {@code notify}. */
  private static List<Integer> wanting(MessageState state, SortedSet<Integer> set, int notify) {
    List<Integer> out = new ArrayList<>(set.size());
    List<Recipient> rcpts = state.recipients();
    for (int i : set) {
      if (i >= 0 && i < rcpts.size() && rcpts.get(i).wants(notify)) {
        out.add(i);
      }
    }
    return out;
  }

  private boolean isDoubleBounceSender(String sender) {
    return !sender.isEmpty()
        && (sender.equalsIgnoreCase(doubleBounceSender)
            || sender.equalsIgnoreCase(bareDoubleBounceSender));
  }

  /** {@code name} with {@code @origin} appended when it has no domain. */
  static String qualify(String name, String origin) {
    return name.indexOf('@') >= 0 || origin.isEmpty() ? name : name + "@" + origin;
  }
}
