package io.gannet.perf.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The relay benchmark's own parts, over real sockets on 127.0.0.1: the test message, the Java
 * source and sink (every message counted once, with both time stamps), and the statistics.
 */
class RelayHarnessTest {

  @Test
  void messageHasTheRequestedSizeAndCarriesItsNumber() {
    for (int size : new int[] {256, 300, 1024, 10240}) {
      BenchMessage m = new BenchMessage("abc123", size);
      assertEquals(size, m.size());
      byte[] buf = m.newBuffer();
      m.render(buf, 123_456_789);
      String text = new String(buf, StandardCharsets.US_ASCII);
      assertTrue(text.endsWith("\r\n.\r\n"), "ends with the end-of-data line");
      String idLine = text.lines().filter(l -> l.startsWith(BenchMessage.ID_HEADER)).findFirst()
          .orElseThrow();
      byte[] line = idLine.getBytes(StandardCharsets.US_ASCII);
      assertEquals(123_456_789, BenchMessage.parseId(line, line.length, ascii("abc123")));
      assertEquals(-1, BenchMessage.parseId(line, line.length, ascii("abc124")));
      for (String l : text.substring(0, text.length() - 3).split("\r\n")) {
        assertTrue(l.length() <= 998 && !l.startsWith("."), "no long or dotted line: " + l);
      }
    }
  }

  @Test
  void sourceAndSinkCountEveryMessageOnceWithBothTimes() throws Exception {
    Timeline t = new Timeline(300);
    try (BenchSink sink = new BenchSink(t, "tag1")) {
      BenchSource.Outcome o =
          new BenchSource(sink.port(), new BenchMessage("tag1", 1024), t).send(0, 300, 5);
      assertEquals(300, o.accepted());
      assertEquals(0, o.rejected() + o.failed());
      assertEquals(300, t.arrivedIn(0, 300));
      assertEquals(0, t.duplicates());
      assertEquals(0, sink.strays());
      for (int i = 0; i < 300; i++) {
        assertTrue(t.ackNanos(i) != 0 && t.arrivalNanos(i) != 0, "message " + i);
        assertTrue(t.arrivalNanos(i) <= t.ackNanos(i), "the sink answers after the arrival");
      }
      assertTrue(o.endNanos() >= o.startNanos());
    }
  }

  @Test
  void sinkCountsMessagesOfAnotherRunAsStrays() throws Exception {
    Timeline old = new Timeline(10);
    try (BenchSink sink = new BenchSink(old, "old")) {
      Timeline now = new Timeline(10);
      sink.reset(now, "new");
      BenchSource.Outcome o =
          new BenchSource(sink.port(), new BenchMessage("old", 512), old).send(0, 3, 1);
      assertEquals(3, o.accepted());
      assertEquals(3, sink.strays());
      assertEquals(0, now.arrivedIn(0, 10));
    }
  }

  @Test
  void aSecondArrivalIsADuplicateAndKeepsTheFirstTime() {
    Timeline t = new Timeline(2);
    assertTrue(t.arrived(1, 100));
    assertTrue(t.arrived(1, 200));
    assertEquals(100, t.arrivalNanos(1));
    assertEquals(1, t.duplicates());
    assertEquals(1, t.arrivedIn(0, 2));
    assertEquals(false, t.arrived(2, 300));
  }

  @Test
  void percentilesAreNearestRankAndMediansIgnoreMissingValues() {
    long[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(5, RelayThrough.percentile(v, 10, 50));
    assertEquals(10, RelayThrough.percentile(v, 10, 99));
    assertEquals(1, RelayThrough.percentile(v, 1, 99));
    RunResult a = run(1.0);
    RunResult b = run(3.0);
    RunResult c = run(Double.NaN);
    assertEquals(2.0, Report.median(List.of(a, b, c), RunResult::p50Millis));
    assertEquals(3.0, Report.median(List.of(b), RunResult::p50Millis));
    assertTrue(Double.isNaN(Report.median(List.of(c), RunResult::p50Millis)));
  }

  private static RunResult run(double p50) {
    return new RunResult("x", 1024, 1, 1, 10, 10, 1, 1, p50, p50, -1, -1, 0, 0, 0, "");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
