package io.gannet.global;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostInitTest {

  @Test
  void consistentConfigurationIsUnchanged() {
    Config c = Config.defaults();
    PostInit.Result r = PostInit.check(c);
    assertSame(c, r.config());
    assertEquals(List.of(), r.warnings());
  }

  @Test
  void maximalBackoffBelowMinimalIsRaisedWithAWarning() {
    PostInit.Result r =
        PostInit.check(
            Config.of(Map.of("minimal_backoff_time", "1h", "maximal_backoff_time", "10m")));
    assertEquals(
        List.of(
            "maximal_backoff_time is smaller than minimal_backoff_time - adjusting"
                + " maximal_backoff_time"),
        r.warnings());
    assertEquals(3600L, r.config().get(MailParams.MAXIMAL_BACKOFF_TIME));
    assertEquals(3600L, r.config().get(MailParams.MINIMAL_BACKOFF_TIME));
  }

  @Test
  void activeLimitAboveRecipientLimitIsLoweredWithAWarning() {
    PostInit.Result r = PostInit.check(Config.of(Map.of("qmgr_message_recipient_limit", "100")));
    assertEquals(
        List.of(
            "qmgr_message_recipient_limit is smaller than qmgr_message_active_limit - adjusting"
                + " qmgr_message_active_limit"),
        r.warnings());
    assertEquals(100, r.config().get(MailParams.QMGR_MESSAGE_ACTIVE_LIMIT));
  }

  @Test
  void bounceLifetimeAboveQueueLifetimeIsLoweredWithAWarning() {
    PostInit.Result r = PostInit.check(Config.of(Map.of("maximal_queue_lifetime", "1d")));
    assertEquals(
        List.of(
            "maximal_queue_lifetime is smaller than bounce_queue_lifetime - adjusting"
                + " bounce_queue_lifetime"),
        r.warnings());
    assertEquals(86400L, r.config().get(MailParams.BOUNCE_QUEUE_LIFETIME));
  }
}
