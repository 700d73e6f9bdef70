package io.gannet.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.anvil.Anvil;
import io.gannet.cleanup.CleanupService;
import io.gannet.global.Config;
import io.gannet.global.QueueIdGenerator;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord;
import io.gannet.rewrite.TrivialRewriteService;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** smtpd with the real cleanup and trivial-rewrite in front of the real journal. */
class SmtpdWithCleanupTest {

  @TempDir Path dir;

  @Test
  void messageThroughRealCleanupIsJournaledWithItsReceivedHeader() throws Exception {
    Config config =
        Config.of(
            Map.of(
                "myhostname", "mx.example.com",
                "mydomain", "example.com",
                "mynetworks", "192.0.2.0/24"));
    Clock clock = Clock.systemUTC();
    TrivialRewriteService rewrite = new TrivialRewriteService(config, dir);
    try (ChronicleJournal journal =
        ChronicleJournal.open(dir.resolve("journal"), JournalOptions.defaults())) {
      SmtpdServices services =
          new SmtpdServices(
              journal,
              new CleanupService(config, rewrite, dir, clock),
              rewrite,
              clock,
              new QueueIdGenerator(clock),
              new Anvil(clock, 60_000),
              FlushService.NONE);
      try (SmtpdServer server = new SmtpdServer(services, 1)) {
        InetSocketAddress a =
            server
                .start(
                    List.of(new Listener("smtp", new InetSocketAddress("127.0.0.1", 0), 0, config)))
                .get(0);
        try (SmtpTestClient c = new SmtpTestClient(a)) {
          c.reply();
          c.command("EHLO client.example");
          c.command("MAIL FROM:<s@client.example>");
          assertEquals(
              "554 5.7.1 <x@elsewhere.example>: Relay access denied",
              c.command("RCPT TO:<x@elsewhere.example>"));
          assertEquals("250 2.1.5 Ok", c.command("RCPT TO:<user@mx.example.com>"));
          c.command("DATA");
          String reply = c.command("Subject: real\r\n\r\nbody\r\n.");
          assertTrue(reply.startsWith("250 2.0.0 Ok: queued as "), reply);
        }
      }
      try (JournalReader r = journal.reader()) {
        JournalRecord.Accepted acc = (JournalRecord.Accepted) r.next().record();
        String content = new String(acc.content(), StandardCharsets.UTF_8);
        assertTrue(content.startsWith("Received: from client.example"), content);
        assertTrue(content.contains("Subject: real\r\n"), content);
      }
    }
  }
}
