package io.gannet.anvil;

import io.gannet.journal.MutableClock;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AnvilTest {

  private final MutableClock clock = new MutableClock(1_000_000);
  private final Anvil anvil = new Anvil(clock, 60_000);

  @Test
  void countsOpenConnectionsPerClient() {
    assertEquals(1, anvil.connect("smtp:192.0.2.1").connections());
    assertEquals(2, anvil.connect("smtp:192.0.2.1").connections());
    assertEquals(1, anvil.connect("smtp:192.0.2.2").connections());
    anvil.disconnect("smtp:192.0.2.1");
    assertEquals(2, anvil.connect("smtp:192.0.2.1").connections());
  }

  @Test
  void ratesRestartWhenTheWindowEnds() {
    anvil.connect("k");
    anvil.message("k");
    assertEquals(2, anvil.message("k").messageRate());
    assertEquals(2, anvil.connect("k").connectionRate());
    clock.advance(Duration.ofMillis(59_999));
    assertEquals(3, anvil.message("k").messageRate());
    clock.advance(Duration.ofMillis(1));
    Anvil.Counts c = anvil.message("k");
    assertEquals(1, c.messageRate());
    assertEquals(0, c.connectionRate());
    assertEquals(2, c.connections());
  }

  @Test
  void sweepForgetsOnlyIdleClientsWithAnEndedWindow() {
    anvil.connect("open");
    anvil.connect("closed");
    anvil.disconnect("closed");
    assertEquals(0, anvil.sweep()); // window still running
    clock.advance(Duration.ofMillis(60_000));
    assertEquals(1, anvil.sweep());
    assertEquals(1, anvil.size());
    assertEquals(1, anvil.connect("closed").connectionRate());
  }
}
