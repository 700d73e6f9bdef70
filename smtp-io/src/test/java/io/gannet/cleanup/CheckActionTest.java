package io.gannet.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CheckActionTest {

  @Test
  void actionWordsAreCaseInsensitiveAndKeepTheirText() {
    assertEquals(
        new CheckAction(CheckAction.Kind.HOLD, "look at this"),
        CheckAction.parse("hold   look at this"));
    assertEquals(new CheckAction(CheckAction.Kind.DUNNO, ""), CheckAction.parse("OK"));
    assertEquals(
        new CheckAction(CheckAction.Kind.UNKNOWN, "REDIRECT a@b"),
        CheckAction.parse("REDIRECT a@b"));
  }

  @Test
  void rejectTextMayCarryItsOwnStatus() {
    assertEquals(
        new CleanupResult.Reject(550, "5.7.1", "message content rejected"),
        CheckAction.parse("REJECT").toReject());
    assertEquals(
        new CleanupResult.Reject(450, "4.7.0", "later"),
        CheckAction.parse("REJECT 4.7.0 later").toReject());
    assertEquals(
        new CleanupResult.Reject(550, "5.7.1", "2.0.0 is not a refusal"),
        CheckAction.parse("REJECT 2.0.0 is not a refusal").toReject());
    assertEquals(
        new CleanupResult.Reject(450, "4.7.1", "message content deferred"),
        CheckAction.parse("DEFER").toReject());
  }
}
