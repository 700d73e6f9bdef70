package io.gannet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Delivered;
import io.gannet.journal.JournalRecord.Done;
import io.gannet.journal.JournalRecord.RecipientResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CatCommandTest {

  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private static final QueueId ID1 = QueueId.of(1_800_000_000_000L, 1, 7);
  private static final QueueId ID2 = QueueId.of(1_800_000_000_500L, 2, 7);

  private static Accepted message(QueueId id, String content) {
    return new Accepted(id, id.millis(), new ClientInfo("127.0.0.1", "localhost", "c.example",
        "ESMTP"), "s@example.com", "E1", DsnRet.HDRS, BodyType.EIGHT_BIT_MIME, false,
        List.of(new Recipient("r@example.net", "rfc822;r@example.net", Recipient.NOTIFY_SUCCESS)),
        content.getBytes(StandardCharsets.UTF_8));
  }

  @BeforeEach
  void writeJournal() throws Exception {
    Files.writeString(dir.resolve("main.cf"), "queue_directory = " + dir.resolve("q") + "\n");
    Files.writeString(dir.resolve("master.cf"), "");
    try (ChronicleJournal j = ChronicleJournal.open(dir.resolve("q/journal"),
        JournalOptions.defaults())) {
      j.append(message(ID1, "Subject: one\r\nFrom: s@example.com\r\n\r\nbody one\r\n"));
      j.append(message(ID2, "Subject: two\r\n\r\nbody two\r\n"));
      j.append(new Delivered(ID1, ID1.millis() + 1000, "mx.example.net[127.0.0.1]:25",
          List.of(new RecipientResult(0, "r@example.net", "2.0.0", "250 2.0.0 Ok"))));
      j.append(new Done(ID1, ID1.millis() + 1000)).toCompletableFuture().get();
    }
  }

  private Run cat(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "-c";
    all[1] = dir.toString();
    all[2] = "cat";
    System.arraycopy(args, 0, all, 3, args.length);
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(all);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void printsEnvelopeContentAndStatusInJournalOrder() {
    Run r = cat();
    assertEquals(0, r.exitCode(), r.err());
    String o = r.out();
    assertTrue(o.contains("*** ENVELOPE RECORDS " + ID1), o);
    assertTrue(o.contains("sender: s@example.com\n"), o);
    assertTrue(o.contains("original_recipient: rfc822;r@example.net\n"
        + "dsn_notify: SUCCESS\nrecipient: r@example.net\n"), o);
    assertTrue(o.contains("*** MESSAGE CONTENTS " + ID1 + " ***\nSubject: one\r\n"), o);
    assertTrue(o.contains(ID1 + ": to=<r@example.net>, relay=mx.example.net[127.0.0.1]:25, "
        + "dsn=2.0.0, status=sent (250 2.0.0 Ok)"), o);
    assertTrue(o.indexOf(ID2.toString()) < o.indexOf("status=sent"), o);
  }

  @Test
  void idSelectsOneMessageWithItsStatusRecords() {
    Run r = cat("--id", ID1.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("status=sent"));
    assertTrue(r.out().contains(ID1 + ": done"));
    assertTrue(!r.out().contains(ID2.toString()), r.out());
  }

  @Test
  void headersOnlyAndBodyOnly() {
    assertEquals("Subject: two\r\n\r\nbody two\r\n".substring(0, 14),
        cat("--id", ID2.toString(), "-h").out());
    assertEquals("body two\r\n", cat("--id", ID2.toString(), "-b").out());
    String env = cat("--id", ID2.toString(), "-e").out();
    assertTrue(env.contains("sender: s@example.com") && !env.contains("body two"), env);
  }

  @Test
  void jsonIsOneObjectPerRecord() {
    Run r = cat("--json");
    String[] lines = r.out().split("\n");
    assertEquals(4, lines.length, r.out());
    assertTrue(lines[0].startsWith("{\"index\":"), lines[0]);
    assertTrue(lines[0].contains("\"type\":\"Accepted\",\"queue_id\":\"" + ID1 + "\""), lines[0]);
    assertTrue(lines[0].contains("\"content\":\"Subject: one\\r\\nFrom"), lines[0]);
    assertTrue(lines[2].contains("\"results\":[{\"index\":0,\"address\":\"r@example.net\""),
        lines[2]);
  }

  @Test
  void statsCountsRecordsAndLiveMessages() {
    Run r = cat("--stats");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().matches("(?s).*Accepted\\s+2\\s+\\d+.*"), r.out());
    assertTrue(r.out().contains("live messages: 1"), r.out());
  }

  @Test
  void fromStartsAtAnIndex() {
    String all = cat("--json").out();
    String third = all.split("\n")[2];
    String index = third.substring("{\"index\":".length(), third.indexOf(','));
    Run r = cat("--json", "--from", index);
    assertEquals(2, r.out().split("\n").length, r.out());
  }

  @Test
  void missingJournalIsOneLineAndExitTwo() throws Exception {
    Files.writeString(dir.resolve("main.cf"), "queue_directory = " + dir.resolve("nope") + "\n");
    Run r = cat();
    assertEquals(2, r.exitCode());
    assertTrue(r.err().startsWith("gannet: fatal: no journal at "), r.err());
    assertEquals(1, r.err().strip().split("\n").length, r.err());
  }

  @Test
  void wrongConfigDirectoryIsExitTwo() {
    CommandLine cl = Main.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    assertEquals(2, cl.execute("-c", dir.resolve("missing").toString(), "cat"));
    assertTrue(err.toString().startsWith("gannet: "), err.toString());
  }
}
