package io.gannet.bounce;

import static io.gannet.bounce.States.rcpt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.bounce.DueNotice.Audience;
import io.gannet.global.Config;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalRecord.NoticeKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NoticePolicyTest {

  private static final Map<String, String> BASE =
      Map.of("myhostname", "mx.example.net", "mydomain", "example.net");

  private static NoticePolicy policy(Duration sinceArrival, String... settings) {
    Map<String, String> m = new HashMap<>(BASE);
    for (int i = 0; i < settings.length; i += 2) {
      m.put(settings[i], settings[i + 1]);
    }
    Clock clock = Clock.fixed(
        Instant.ofEpochMilli(States.ARRIVAL).plus(sinceArrival), ZoneOffset.UTC);
    return new NoticePolicy(Config.of(m), clock);
  }

  private static NoticePolicy policy(String... settings) {
    return policy(Duration.ofMinutes(10), settings);
  }

  private static int bit(NoticeKind k) {
    return 1 << k.ordinal();
  }

  // ---- Bounce ----------------------------------------------------------------------------

  @Test
  void bounceForBouncedRecipientWithDefaultNotify() {
    var state = new States().bounced(0).build();
    assertEquals(
        List.of(new DueNotice(NoticeKind.BOUNCE, Audience.SENDER, "", "alice@example.org",
            List.of(0))),
        policy().due(state));
  }

  @Test
  void bouncedRecipientsOfOneMessageShareOneNotice() {
    var state = new States()
        .recipients(Recipient.of("a@x.example"), Recipient.of("b@x.example"),
            Recipient.of("c@x.example"))
        .bounced(0, 2).delivered(1).build();
    List<DueNotice> due = policy().due(state);
    assertEquals(1, due.size());
    assertEquals(List.of(0, 2), due.get(0).recipients());
  }

  @Test
  void noBounceForNotifyNeverOrSuccessOnly() {
    var state = new States()
        .recipients(rcpt("a@x.example", Recipient.NOTIFY_NEVER),
            rcpt("b@x.example", Recipient.NOTIFY_SUCCESS))
        .bounced(0, 1).build();
    assertEquals(List.of(), policy().due(state));
  }

  @Test
  void bounceOnlyForRecipientsThatAskForFailureNotices() {
    var state = new States()
        .recipients(rcpt("a@x.example", Recipient.NOTIFY_NEVER),
            rcpt("b@x.example", Recipient.NOTIFY_FAILURE | Recipient.NOTIFY_DELAY))
        .bounced(0, 1).build();
    assertEquals(List.of(1), policy().due(state).get(0).recipients());
  }

  @Test
  void bounceWaitsWhileAPendingRecipientMayStillFail() {
    var waiting = new States()
        .recipients(Recipient.of("a@x.example"), Recipient.of("b@x.example"))
        .bounced(0).deferred(1, 1).build();
    assertEquals(List.of(), policy().due(waiting));

    var pendingNeverNotified = new States()
        .recipients(Recipient.of("a@x.example"), rcpt("b@x.example", Recipient.NOTIFY_NEVER))
        .bounced(0).deferred(1, 1).build();
    assertEquals(List.of(0), policy().due(pendingNeverNotified).get(0).recipients());
  }

  @Test
  void bounceAlreadyQueuedIsNotDueAgain() {
    var state = new States().bounced(0).queued(bit(NoticeKind.BOUNCE)).build();
    assertEquals(List.of(), policy().due(state));
  }

  // ---- Success ---------------------------------------------------------------------------

  @Test
  void successOnlyForNotifySuccess() {
    var state = new States()
        .recipients(Recipient.of("a@x.example"),
            rcpt("b@x.example", Recipient.NOTIFY_SUCCESS | Recipient.NOTIFY_FAILURE))
        .delivered(0, 1).build();
    assertEquals(
        List.of(new DueNotice(NoticeKind.SUCCESS, Audience.SENDER, "", "alice@example.org",
            List.of(1))),
        policy().due(state));
  }

  @Test
  void successWaitsForPendingRecipientsThatWantIt() {
    var state = new States()
        .recipients(rcpt("a@x.example", Recipient.NOTIFY_SUCCESS),
            rcpt("b@x.example", Recipient.NOTIFY_SUCCESS))
        .delivered(0).deferred(1, 1).build();
    assertEquals(List.of(), policy().due(state));
    var done = new States()
        .recipients(rcpt("a@x.example", Recipient.NOTIFY_SUCCESS),
            rcpt("b@x.example", Recipient.NOTIFY_SUCCESS))
        .delivered(0, 1).build();
    assertEquals(List.of(0, 1), policy().due(done).get(0).recipients());
    assertEquals(List.of(),
        policy().due(new States().recipients(done.recipients().toArray(Recipient[]::new))
            .delivered(0, 1).queued(bit(NoticeKind.SUCCESS)).build()));
  }

  @Test
  void bounceAndSuccessOfOneMessageBothDue() {
    var state = new States()
        .recipients(Recipient.of("a@x.example"), rcpt("b@x.example", Recipient.NOTIFY_SUCCESS))
        .bounced(0).delivered(1).build();
    List<DueNotice> due = policy().due(state);
    assertEquals(List.of(NoticeKind.BOUNCE, NoticeKind.SUCCESS),
        due.stream().map(DueNotice::kind).toList());
  }

  // ---- Delay -----------------------------------------------------------------------------

  @Test
  void delayWarningIsOffByDefault() {
    var state = new States().deferred(3, 0).build();
    assertEquals(List.of(), policy(Duration.ofDays(2)).due(state));
    assertEquals(OptionalLong.empty(), policy().delayWarningAt(state));
  }

  @Test
  void delayWarningOnceDelayWarningTimeHasPassed() {
    var state = new States().deferred(3, 0).build();
    assertEquals(OptionalLong.of(States.ARRIVAL + 4 * 3600_000L),
        policy("delay_warning_time", "4h").delayWarningAt(state));
    assertEquals(List.of(),
        policy(Duration.ofHours(4).minusSeconds(1), "delay_warning_time", "4h").due(state));
    assertEquals(
        List.of(new DueNotice(NoticeKind.DELAY, Audience.SENDER, "", "alice@example.org",
            List.of(0))),
        policy(Duration.ofHours(4), "delay_warning_time", "4h").due(state));
    var sent = new States().deferred(3, 0).queued(bit(NoticeKind.DELAY)).build();
    assertEquals(List.of(), policy(Duration.ofHours(5), "delay_warning_time", "4h").due(sent));
    assertEquals(OptionalLong.empty(), policy("delay_warning_time", "4h").delayWarningAt(sent));
  }

  @Test
  void delayWarningOnlyForDeferredRecipientsThatWantIt() {
    var state = new States()
        .recipients(Recipient.of("a@x.example"), rcpt("b@x.example", Recipient.NOTIFY_FAILURE),
            rcpt("c@x.example", Recipient.NOTIFY_DELAY), Recipient.of("d@x.example"))
        .deferred(2, 0, 1, 2).delivered(3).build();
    assertEquals(List.of(0, 2),
        policy(Duration.ofDays(1), "delay_warning_time", "4h").due(state).get(0).recipients());
  }

  @Test
  void noDelayWarningForMailNeverTriedOrHeld() {
    var fresh = new States().pending(0).build();
    assertEquals(List.of(), policy(Duration.ofDays(1), "delay_warning_time", "4h").due(fresh));
    var held = new States().deferred(2, 0);
    held.held = true;
    assertEquals(List.of(),
        policy(Duration.ofDays(1), "delay_warning_time", "4h").due(held.build()));
  }

  // ---- Null sender and double bounces ----------------------------------------------------

  @Test
  void nullSenderGetsNothingAndDoubleBouncesAreOffByDefault() {
    var state = new States().sender("")
        .recipients(Recipient.of("a@x.example"), rcpt("b@x.example", Recipient.NOTIFY_SUCCESS),
            Recipient.of("c@x.example"))
        .bounced(0).delivered(1).deferred(3, 2).build();
    assertEquals(List.of(), policy(Duration.ofDays(1), "delay_warning_time", "1h").due(state));
    assertEquals(OptionalLong.empty(), policy("delay_warning_time", "1h").delayWarningAt(state));
    var done = new States().sender("").bounced(0).build();
    assertEquals(List.of(), policy().due(done));
  }

  @Test
  void nullSenderBounceGoesToTheDoubleBounceRecipientWhenNotifyClassesSaySo() {
    var state = new States().sender("")
        .recipients(rcpt("a@x.example", Recipient.NOTIFY_NEVER), Recipient.of("b@x.example"))
        .bounced(0, 1).build();
    DueNotice expected = new DueNotice(NoticeKind.BOUNCE, Audience.DOUBLE_BOUNCE,
        "double-bounce@mx.example.net", "postmaster@mx.example.net", List.of(0, 1));
    assertEquals(List.of(expected), policy("notify_classes", "resource, 2bounce").due(state));
    assertEquals(List.of(expected), policy("notify_classes", "bounce").due(state));
    assertEquals(List.of(new DueNotice(NoticeKind.BOUNCE, Audience.DOUBLE_BOUNCE,
            "mailer-loop@example.net", "hostmaster@example.net", List.of(0, 1))),
        policy("notify_classes", "2bounce", "myorigin", "$mydomain",
            "2bounce_notice_recipient", "hostmaster",
            "double_bounce_sender", "mailer-loop").due(state));
    assertEquals(List.of(),
        policy("notify_classes", "2bounce").due(
            new States().sender("").recipients(Recipient.of("a@x.example"),
                Recipient.of("b@x.example")).bounced(0).deferred(2, 1).build()));
  }

  @Test
  void aBouncedNoticeIsDoubleBouncedAndAFailedDoubleBounceIsDropped() {
    var notice = new States().client(ComposedNotice.CLIENT).sender("")
        .recipients(Recipient.of("alice@example.org")).bounced(0).build();
    assertEquals(List.of(), policy().due(notice));
    List<DueNotice> due = policy("notify_classes", "2bounce").due(notice);
    assertEquals(Audience.DOUBLE_BOUNCE, due.get(0).audience());

    for (String sender : List.of("double-bounce@mx.example.net", "Double-Bounce@MX.example.net",
        "double-bounce")) {
      var failedDoubleBounce = new States().client(ComposedNotice.CLIENT).sender(sender)
          .recipients(Recipient.of("postmaster@mx.example.net")).bounced(0).build();
      assertEquals(List.of(), policy("notify_classes", "2bounce, bounce, delay")
          .due(failedDoubleBounce), sender);
    }
    assertTrue(ComposedNotice.isNotice(notice.client()));
  }

  @Test
  void policyIgnoresRecipientIndexesTheMessageDoesNotHave() {
    var state = new States().bounced(0, 5).build();
    assertEquals(List.of(0), policy().due(state).get(0).recipients());
  }
}
