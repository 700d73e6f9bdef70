package io.gannet.cli;

import static io.gannet.showq.GoldenQueue.A;
import static io.gannet.showq.GoldenQueue.B;
import static io.gannet.showq.GoldenQueue.C;
import static io.gannet.showq.GoldenQueue.D;
import static io.gannet.showq.GoldenQueue.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.showq.GoldenQueue;
import io.gannet.showq.QueueFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gannet queue} against a real journal and RocksDB projection: golden files of the mailq
 * layout, the JSON and the shape (written from Postfix's own printf formats), filters, the empty
 * and the missing queue, and bad arguments.
 */
class QueueCommandTest {

  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private Path queueDirectory() {
    return dir.resolve("queue");
  }

  private void config() throws IOException {
    Files.writeString(dir.resolve("main.cf"), "queue_directory = " + queueDirectory() + "\n");
    Files.writeString(dir.resolve("master.cf"), "");
  }

  private void golden() throws IOException {
    config();
    try (QueueFixture q = new QueueFixture(queueDirectory())) {
      GoldenQueue.write(q);
    }
  }

  private Run queue(String... args) {
    return queueAt(NOW, args);
  }

  private Run queueAt(long now, String... args) {
    List<String> all = new ArrayList<>(List.of("-c", dir.toString(), "queue"));
    if (!List.of(args).contains("--time-zone")) {
      all.addAll(List.of("--time-zone", "UTC"));
    }
    all.addAll(List.of(args));
    Clock clock = Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC);
    CommandLine cl = Main.commandLine(new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        return cls == QueueCommand.class ? cls.cast(new QueueCommand(clock))
            : CommandLine.defaultFactory().create(cls);
      }
    });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private static String ref(String name) throws IOException {
    try (InputStream in = QueueCommandTest.class.getResourceAsStream(
        "/io/gannet/showq/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The ids of a listing's message lines (mailq layout), marks included. */
  private static List<String> ids(String listing) {
    return Stream.of(listing.split("\n"))
        .filter(l -> !l.isEmpty() && Character.isLetterOrDigit(l.charAt(0))
            && !l.equals("Mail queue is empty"))
        .map(l -> l.substring(0, l.indexOf(' ')))
        .collect(Collectors.toList());
  }

  @Test
  void listsInMailqLayout() throws IOException {
    golden();
    Run r = queue();
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(ref("mailq.ref"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void jsonIsOneObjectPerMessageAsPostqueueJ() throws IOException {
    golden();
    Run r = queue("--json");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(ref("mailq.json.ref"), r.out());
  }

  @Test
  void shapeCountsRecipientsByDomainAndAge() throws IOException {
    golden();
    Run r = queue("--shape");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(ref("shape.ref"), r.out());
  }

  @Test
  void shapeAgesMoveWithTheClock() throws IOException {
    golden();
    String[] lines = queueAt(QueueFixture.T0 + 3 * 60_000, "--shape", "--domain", "example.com")
        .out().split("\n");
    // 3 minutes old: the first age column; only recipients in example.com and its subdomains
    assertEquals("                                  TOTAL  2  2  0  0  0  0   0   0   0    0     0",
        lines[1]);
    assertEquals("                            example.com  1  1  0  0  0  0   0   0   0    0     0",
        lines[2]);
    assertEquals("                         mx.example.com  1  1  0  0  0  0   0   0   0    0     0",
        lines[3]);
    assertEquals(4, lines.length);
  }

  @Test
  void emptyQueue() throws IOException {
    config();
    Files.createDirectories(queueDirectory());
    Run r = queue();
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("Mail queue is empty\n", r.out());
    assertEquals("", queue("--json").out());
    Files.createDirectories(queueDirectory().resolve("journal"));
    Files.createDirectories(queueDirectory().resolve("projection"));
    r = queue();
    assertEquals(new Run(0, "Mail queue is empty\n", ""), r);
  }

  @Test
  void queueEmptiedByDeliveryIsEmpty() throws IOException {
    config();
    try (QueueFixture q = new QueueFixture(queueDirectory())) {
      q.append(GoldenQueue.E, QueueFixture.delivered(GoldenQueue.E, NOW, 0),
          QueueFixture.done(GoldenQueue.E, NOW));
      q.project();
    }
    assertEquals("Mail queue is empty\n", queue().out());
  }

  @Test
  void missingQueueDirectoryIsExit2WithOneLine() throws IOException {
    config();
    Run r = queue();
    assertEquals(2, r.exitCode());
    assertEquals("", r.out());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("gannet: fatal: no queue directory " + queueDirectory()),
        r.err());
  }

  @Test
  void filtersSelectMessages() throws IOException {
    golden();
    assertEquals(List.of(A.queueId().toString()), ids(queue("--sender", "ALICE@example.com").out()));
    assertEquals(List.of(B.queueId().toString()), ids(queue("--sender", "<>").out()));
    assertEquals(List.of(B.queueId().toString()), ids(queue("--sender", "MAILER-DAEMON").out()));
    assertEquals(List.of(A.queueId().toString(), D.queueId().toString()),
        ids(queue("--sender", "@example.com").out()));
    assertEquals(List.of(D.queueId().toString()),
        ids(queue("--recipient", "ivan@example.org").out()));
    assertEquals(List.of(), ids(queue("--recipient", "frank@example.org").out()),
        "a delivered recipient is no longer in the queue");
    assertEquals(List.of(A.queueId().toString()), ids(queue("--domain", "example.net").out()));
    assertEquals(List.of(B.queueId().toString(), D.queueId().toString()),
        ids(queue("--domain", "example.com").out()), "subdomains count");
    assertEquals(List.of(C.queueId() + "!"), ids(queue("--queue", "hold").out()));
    assertEquals(List.of(B.queueId().toString()), ids(queue("--queue", "incoming").out()));
    assertEquals(List.of(A.queueId().toString(), D.queueId().toString()),
        ids(queue("--queue", "deferred").out()));
    assertEquals(List.of(A.queueId().toString(), B.queueId().toString()),
        ids(queueAt(QueueFixture.T0 + 10 * 60_000 + 7_000, "--older-than", "10m").out()));
    assertEquals(List.of(A.queueId().toString()),
        ids(queue("--older-than", "PT1H", "--domain", "example.org").out()),
        "both hold for A only (arrived exactly an hour ago); D is 15 seconds younger");
    Run none = queue("--recipient", "nobody@example.org");
    assertEquals("Mail queue is empty\n", none.out());
  }

  @Test
  void filteredTotalsCountTheMessagesShown() throws IOException {
    golden();
    assertTrue(queue("--queue", "hold").out().endsWith("\n-- 0 Kbytes in 1 Request.\n"));
    assertTrue(queue("--sender", "erin@example.com").out()
        .endsWith("\n-- 2 Kbytes in 1 Request.\n"));
  }

  @Test
  void badArgumentsAreExit2() throws IOException {
    golden();
    for (String[] args : List.of(new String[] {"--older-than", "ten minutes"},
        new String[] {"--queue", "maildrop"}, new String[] {"--at", "yesterday"},
        new String[] {"--json", "--shape"}, new String[] {"--domain", "@"},
        new String[] {"--time-zone", "Mars/Olympus"})) {
      Run r = queue(args);
      assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().startsWith("gannet: fatal: "), r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void listsWithoutAProjectionFromTheJournalAlone() throws IOException {
    config();
    try (QueueFixture q = new QueueFixture(queueDirectory())) {
      q.append(A, QueueFixture.deferred(A, QueueFixture.T0 + 1_000, QueueFixture.REFUSED, 0, 1));
    }
    assertFalse(Files.exists(queueDirectory().resolve("projection")));
    Run r = queue();
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(ref("mailq.ref").substring(0, ref("mailq.ref").indexOf("\n\n") + 1)
        + "\n-- 0 Kbytes in 1 Request.\n", r.out());
    assertFalse(Files.exists(queueDirectory().resolve("projection")), "nothing is created");
  }
}
