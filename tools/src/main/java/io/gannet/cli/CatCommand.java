package io.gannet.cli;

import io.gannet.global.MailParams;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalException;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Bounced;
import io.gannet.journal.JournalRecord.Deferred;
import io.gannet.journal.JournalRecord.Deleted;
import io.gannet.journal.JournalRecord.Delivered;
import io.gannet.journal.JournalRecord.Held;
import io.gannet.journal.JournalRecord.Moved;
import io.gannet.journal.JournalRecord.NoticeQueued;
import io.gannet.journal.JournalRecord.RecipientResult;
import io.gannet.journal.JournalRetention;
import java.io.File;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gannet cat}: postcat(1) for the journal. Prints records in journal order: for a message,
 * its envelope ({@code *** ENVELOPE RECORDS ***}), content ({@code *** MESSAGE CONTENTS ***},
 * {@code *** HEADER EXTRACTED ***}), then one line per status record. Read-only: it opens the
 * journal without writing and works while the daemon runs. A missing journal or configuration is
 * one line on standard error and exit 2.
 */
@Command(name = "cat", description = "Print journal records, as postcat.",
    mixinStandardHelpOptions = true)
final class CatCommand implements Runnable {

  @ParentCommand Main main;
  @Spec CommandSpec spec;

  @Option(names = "--id", paramLabel = "QUEUEID",
      description = "Only this message: its envelope, content and every status record.")
  String id;

  @Option(names = "-h", description = "Message headers only (with -b: headers and body).")
  boolean headers;

  @Option(names = "-b", description = "Message body only.")
  boolean body;

  @Option(names = "-e", description = "Envelope only (no content).")
  boolean envelope;

  @Option(names = "--follow", description = "Keep printing records as they are written.")
  boolean follow;

  @Option(names = "--from", paramLabel = "INDEX",
      description = "Start at this journal index (decimal, or 0x hexadecimal).")
  String from;

  @Option(names = "--json", description = "One JSON object a line, for scripts.")
  boolean json;

  @Option(names = "--stats",
      description = "Records per type, content bytes, cycle files, live messages.")
  boolean stats;

  @Option(names = "--poll-millis", hidden = true, defaultValue = "200")
  long pollMillis;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Override
  public void run() {
    ConfigOption.Loaded loaded = ConfigOption.load(main);
    Path queueDir = Path.of(loaded.config().get(MailParams.QUEUE_DIRECTORY));
    Path journalDir = queueDir.resolve("journal");
    if (!Files.isDirectory(journalDir)) {
      throw new UserException(2, "fatal: no journal at " + journalDir
          + " (queue_directory = " + queueDir + ")");
    }
    QueueId only = null;
    if (id != null) {
      try {
        only = QueueId.parse(id);
      } catch (IllegalArgumentException e) {
        throw new UserException(2, "fatal: " + e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ChronicleJournal journal = ChronicleJournal.open(journalDir,
            JournalOptions.from(loaded.config(), java.time.Clock.systemUTC()).withReadOnly(true));
        JournalReader reader = journal.reader()) {
      if (from != null && !reader.seek(parseIndex(from))) {
        throw new UserException(1, "no record at journal index " + from);
      }
      if (stats) {
        printStats(journal, reader, out);
        return;
      }
      while (true) {
        JournalEntry e = reader.next();
        if (e == null) {
          out.flush();
          if (!follow) {
            break;
          }
          sleep();
          continue;
        }
        if (only != null && (e.isCorrupt() || !only.equals(e.record().queueId()))) {
          continue;
        }
        if (json) {
          out.println(JsonLine.of(e));
        } else {
          print(e, out);
        }
      }
    } catch (JournalException e) {
      throw new UserException(2, "fatal: " + e.getMessage());
    }
    out.flush();
  }

  private void sleep() {
    try {
      Thread.sleep(pollMillis);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new UserException(1, "interrupted");
    }
  }

  static long parseIndex(String s) {
    try {
      return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new UserException(2, "fatal: bad journal index: " + s);
    }
  }

  private void print(JournalEntry e, PrintWriter out) {
    String at = "0x" + Long.toHexString(e.index());
    if (e.isCorrupt()) {
      out.println("*** CORRUPT RECORD " + at + " ***");
      out.println(e.corrupt());
      return;
    }
    JournalRecord r = e.record();
    if (r instanceof Accepted a) {
      printMessage(at, a, null, out);
    } else if (r instanceof Moved m) {
      printMessage(at, m.message(), m, out);
    } else {
      out.println(statusLine(at, r));
    }
  }

  private void printMessage(String at, Accepted a, Moved moved, PrintWriter out) {
    boolean contentOnly = headers || body;
    if (!contentOnly) {
      out.println("*** ENVELOPE RECORDS " + a.queueId() + " (journal " + at + ") ***");
      if (moved != null) {
        out.println("moved_from: 0x" + Long.toHexString(moved.fromIndex()) + " at "
            + time(moved.time()) + ", pending " + moved.pending() + ", attempts "
            + moved.attempts() + (moved.held() ? ", held" : ""));
      }
      out.println("message_size: " + a.size() + " " + a.recipients().size());
      out.println("message_arrival_time: " + time(a.time()));
      out.println("create_time: " + time(a.time()));
      out.println("named_attribute: client_address=" + a.client().address());
      out.println("named_attribute: client_name=" + a.client().name());
      out.println("named_attribute: helo_name=" + a.client().helo());
      out.println("named_attribute: protocol_name=" + a.client().protocol());
      if (a.envid() != null) {
        out.println("named_attribute: envelope_id=" + a.envid());
      }
      out.println("named_attribute: dsn_ret=" + a.ret() + ", body=" + a.body()
          + (a.smtputf8() ? ", smtputf8" : ""));
      out.println("sender: " + a.sender());
      for (Recipient rc : a.recipients()) {
        if (rc.orcpt() != null) {
          out.println("original_recipient: " + rc.orcpt());
        }
        if (rc.notifyText() != null) {
          out.println("dsn_notify: " + rc.notifyText());
        }
        out.println("recipient: " + rc.address());
      }
    }
    if (envelope) {
      return;
    }
    String text = new String(a.content(), StandardCharsets.UTF_8);
    int split = headerEnd(text);
    int bodyStart = bodyStart(text, split);
    if (!contentOnly) {
      out.println("*** MESSAGE CONTENTS " + a.queueId() + " ***");
    }
    if (!contentOnly || (headers && body)) {
      out.print(text);
    } else if (headers) {
      out.print(text.substring(0, split));
    } else {
      out.print(text.substring(bodyStart));
    }
    if (!contentOnly) {
      if (!text.isEmpty() && !text.endsWith("\n")) {
        out.println();
      }
      out.println("*** HEADER EXTRACTED " + a.queueId() + " ***");
      out.println("*** MESSAGE FILE END " + a.queueId() + " ***");
    }
  }

  /** Offset of the empty line that ends the headers (the length if there is none). */
  static int headerEnd(String text) {
    if (text.startsWith("\r\n") || text.startsWith("\n")) {
      return 0;
    }
    int i = text.indexOf("\r\n\r\n");
    int j = text.indexOf("\n\n");
    if (i < 0 && j < 0) {
      return text.length();
    }
    if (i >= 0 && (j < 0 || i + 1 <= j)) {
      return i + 2;
    }
    return j + 1;
  }

  private static int bodyStart(String text, int headerEnd) {
    if (text.startsWith("\r\n", headerEnd)) {
      return headerEnd + 2;
    }
    if (text.startsWith("\n", headerEnd)) {
      return headerEnd + 1;
    }
    return headerEnd;
  }

  static String time(long millis) {
    return TIME.format(Instant.ofEpochMilli(millis));
  }

  static String statusLine(String at, JournalRecord r) {
    String head = at + " " + time(r.time()) + " " + r.queueId() + ": ";
    if (r instanceof Delivered d) {
      return results(head, d.relay(), d.results(), "sent", null);
    }
    if (r instanceof Deferred d) {
      return results(head, d.relay(), d.results(), "deferred",
          "next attempt " + time(d.nextAttempt()));
    }
    if (r instanceof Bounced b) {
      return results(head, b.relay(), b.results(), "bounced", null);
    }
    if (r instanceof Held h) {
      return head + "held: " + h.reason();
    }
    if (r instanceof Deleted d) {
      return head + "removed: " + d.reason();
    }
    if (r instanceof NoticeQueued n) {
      return head + n.kind().name().toLowerCase(Locale.ROOT) + " notice queued as "
          + n.notice() + " for recipients " + n.recipients();
    }
    return head + r.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  private static String results(String head, String relay, List<RecipientResult> rs,
      String status, String extra) {
    StringBuilder sb = new StringBuilder();
    for (RecipientResult x : rs) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(head).append("to=<").append(x.address()).append(">, relay=").append(relay)
          .append(", dsn=").append(x.dsn()).append(", status=").append(status)
          .append(" (").append(x.reply()).append(')');
      if (extra != null) {
        sb.append(", ").append(extra);
      }
    }
    return sb.toString();
  }

  private void printStats(ChronicleJournal journal, JournalReader reader, PrintWriter out) {
    Map<String, long[]> perType = new TreeMap<>();
    long corrupt = 0;
    Map<QueueId, Long> live = new java.util.HashMap<>();
    for (JournalEntry e; (e = reader.next()) != null; ) {
      if (e.isCorrupt()) {
        corrupt++;
        continue;
      }
      JournalRecord r = e.record();
      long[] c = perType.computeIfAbsent(r.getClass().getSimpleName(), k -> new long[2]);
      c[0]++;
      if (r instanceof Accepted a) {
        c[1] += a.size();
        live.put(a.queueId(), e.index());
      } else if (r instanceof Moved m) {
        c[1] += m.message().size();
        live.put(m.queueId(), e.index());
      } else if (r instanceof JournalRecord.Done) {
        live.remove(r.queueId());
      }
    }
    out.printf("%-14s %12s %16s%n", "record", "count", "content bytes");
    long total = 0;
    for (Map.Entry<String, long[]> t : perType.entrySet()) {
      out.printf("%-14s %12d %16d%n", t.getKey(), t.getValue()[0], t.getValue()[1]);
      total += t.getValue()[0];
    }
    out.printf("%-14s %12d%n", "total", total);
    out.printf("%-14s %12d%n", "corrupt", corrupt);
    long bytesOnDisk = 0;
    int files = 0;
    for (int cycle : journal.cycles()) {
      File f = journal.fileOfCycle(cycle);
      if (f != null) {
        files++;
        bytesOnDisk += f.length();
      }
    }
    out.printf("cycles: %d files, %d bytes allocated (sparse)%n", files, bytesOnDisk);
    out.printf("live messages: %d (oldest needed cycle %d)%n", live.size(),
        new JournalRetention(journal).releasable(live));
  }
}
