package io.gannet.cli;

import io.gannet.global.QueueId;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalException;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.ProjectionException;
import io.gannet.master.DaemonFiles;
import io.gannet.showq.ActiveIds;
import io.gannet.showq.LiveQueue;
import io.gannet.showq.MailqJson;
import io.gannet.showq.MailqLayout;
import io.gannet.showq.QueueFilter;
import io.gannet.showq.QueueName;
import io.gannet.showq.QueueReplay;
import io.gannet.showq.QueueShape;
import io.gannet.showq.QueueSnapshot;
import io.gannet.showq.ShowqException;
import io.gannet.showq.Showq;
import io.gannet.showq.TimeArgs;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gannet queue}: mailq(1) / {@code postqueue -p}. Lists the queued messages in mailq's
 * layout ({@link MailqLayout}), or one JSON object a message ({@code --json}, as {@code postqueue
 * -j}), or the queue's shape by recipient domain and age ({@code --shape}, as qshape). Filters:
 * {@code --sender}, {@code --recipient}, {@code --domain}, {@code --older-than}, {@code --queue}.
 * {@code --at TIME} shows the queue as it was at TIME, replayed from the journal.
 *
 * <p>Read-only, with or without the daemon running: the projection and journal are opened
 * read-only; the running daemon is asked (admin socket, {@code active}) which messages are active.
 * Output streams as the queue is read, flushed every {@value #FLUSH_EVERY} messages; it stops when
 * standard output is closed. Exit 0; 2 with one line on standard error for bad usage or a missing
 * queue directory; 1 when the queue cannot be read.
 */
@Command(name = "queue", description = "List the mail queue, as mailq / postqueue -p.",
    mixinStandardHelpOptions = true)
final class QueueCommand implements Runnable {

  static final int FLUSH_EVERY = 256;

  @ParentCommand Main main;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "One JSON object a message, as postqueue -j.")
  boolean json;

  @Option(names = "--shape",
      description = "Recipients by destination domain and message age in minutes, as qshape.")
  boolean shape;

  @Option(names = "--sender", paramLabel = "ADDRESS",
      description = "Only mail from ADDRESS (@DOMAIN: any sender there; '<>' or MAILER-DAEMON: "
          + "the null sender).")
  String sender;

  @Option(names = "--recipient", paramLabel = "ADDRESS",
      description = "Only mail with ADDRESS among its pending recipients.")
  String recipient;

  @Option(names = "--domain", paramLabel = "DOMAIN",
      description = "Only mail with a pending recipient in DOMAIN or a subdomain of it.")
  String domain;

  @Option(names = "--older-than", paramLabel = "DURATION",
      description = "Only mail that arrived at least DURATION ago (30m, 2h, 5d, PT90M).")
  String olderThan;

  @Option(names = "--queue", paramLabel = "NAME", split = ",",
      description = "Only mail in these queues: incoming, active, deferred, hold.")
  List<String> queues = List.of();

  @Option(names = "--at", paramLabel = "TIME",
      description = "The queue as it was at TIME (ISO-8601, or epoch milliseconds), replayed "
          + "from the journal.")
  String at;

  @Option(names = "--time-zone", paramLabel = "ZONE",
      description = "Zone of the times printed and of --at without an offset (default: the "
          + "system's).")
  String timeZone;

  /** The clock of "now" ({@code --older-than}, {@code --shape}). */
  private final Clock clock;

  QueueCommand() {
    this(Clock.systemUTC());
  }

  /** A command whose "now" is {@code clock}'s (tests). */
  QueueCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void run() {
    ConfigOption.Loaded loaded = ConfigOption.load(main);
    Path queueDir = DaemonFiles.queueDirectory(loaded.config());
    if (!Files.isDirectory(queueDir)) {
      throw new UserException(2, "fatal: no queue directory " + queueDir
          + " (queue_directory): nothing is queued there");
    }
    if (json && shape) {
      throw new UserException(2, "fatal: --json and --shape cannot be combined");
    }
    ZoneId zone = zone();
    Long atMillis = at == null ? null : usage(() -> TimeArgs.instant(at, zone));
    long now = atMillis != null ? atMillis : clock.millis();
    QueueFilter filter = filter(now);
    JournalOptions options =
        JournalOptions.from(loaded.config(), Clock.systemUTC()).withReadOnly(true);
    PrintWriter err = spec.commandLine().getErr();
    try (QueueSnapshot snapshot = snapshot(queueDir, options, atMillis)) {
      Set<QueueId> active = atMillis != null ? Set.of()
          : ActiveIds.fetch(queueDir, ActiveIds.TIMEOUT, w -> err.println("gannet: warning: " + w));
      err.flush();
      print(new Showq(snapshot, active, filter), filter, now, zone);
    } catch (ShowqException | ProjectionException | JournalException e) {
      throw new UserException(1, "fatal: " + e.getMessage());
    }
  }

  private QueueSnapshot snapshot(Path queueDir, JournalOptions options, Long atMillis) {
    if (atMillis == null) {
      return LiveQueue.open(queueDir, options);
    }
    Path journalDir = queueDir.resolve("journal");
    if (!Files.isDirectory(journalDir) || isEmpty(journalDir)) {
      throw new ShowqException("no journal at " + journalDir + ": nothing to replay");
    }
    try (ChronicleJournal journal = ChronicleJournal.open(journalDir, options)) {
      return QueueReplay.at(journal, atMillis);
    }
  }

  private static boolean isEmpty(Path dir) {
    try (var files = Files.list(dir)) {
      return files.findAny().isEmpty();
    } catch (java.io.IOException e) {
      return false; // let the journal say what is wrong
    }
  }

  private void print(Showq showq, QueueFilter filter, long now, ZoneId zone) {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter out = new PrintWriter(new BufferedWriter(stdout, 1 << 16), false);
    if (shape) {
      QueueShape table = new QueueShape(now);
      showq.list(m -> {
        table.add(m, filter::acceptsRecipient);
        return true;
      });
      table.print(out);
    } else if (json) {
      long[] n = {0};
      showq.list(m -> {
        out.append(MailqJson.line(m)).append('\n');
        return flushed(out, stdout, ++n[0]);
      });
    } else {
      MailqLayout layout = new MailqLayout(out, zone);
      showq.list(m -> {
        layout.message(m);
        return flushed(out, stdout, layout.count());
      });
      layout.finish();
    }
    out.flush();
  }

  /**
   * Flushes after the first message and every {@link #FLUSH_EVERY}; false once standard output is
   * closed (a reader such as {@code head} went away), which ends the listing.
   */
  private static boolean flushed(PrintWriter out, PrintWriter stdout, long count) {
    if (count == 1 || count % FLUSH_EVERY == 0) {
      out.flush();
      return !stdout.checkError();
    }
    return true;
  }

  private QueueFilter filter(long now) {
    QueueFilter f = QueueFilter.all();
    if (sender != null) {
      f = f.sender(sender);
    }
    if (recipient != null) {
      f = f.recipient(recipient);
    }
    if (domain != null) {
      QueueFilter base = f;
      f = usage(() -> base.domain(domain));
    }
    if (olderThan != null) {
      long millis = usage(() -> TimeArgs.duration(olderThan).toMillis());
      f = f.arrivedBy(now - millis);
    }
    Set<QueueName> names = EnumSet.noneOf(QueueName.class);
    for (String q : queues) {
      names.add(usage(() -> QueueName.parse(q)));
    }
    return f.queues(names);
  }

  private ZoneId zone() {
    if (timeZone == null) {
      return ZoneId.systemDefault();
    }
    try {
      return ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new UserException(2, "fatal: bad time zone '" + timeZone + "'");
    }
  }

  /** Runs a parse; a bad argument becomes exit 2 with its message. */
  private static <T> T usage(java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new UserException(2, "fatal: " + e.getMessage());
    }
  }
}
