package io.gannet.cli;

import io.gannet.global.ConfigException;
import io.gannet.journal.ChronicleJournal;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalOptions;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.MessageState;
import io.gannet.journal.RocksQueueProjection;
import io.gannet.global.QueueId;
import io.gannet.master.DaemonConfig;
import io.gannet.master.GannetBody;
import io.gannet.master.Master;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A configuration directory and queue for the command tests, with an in-process daemon ({@link
 * Master} running the real {@link GannetBody}: the admin socket, qmgr, smtp agents, pickup) that
 * relays everything to {@code relayhost}, and the {@code gannet} command run in this JVM.
 */
final class MailSystemFixture implements AutoCloseable {
  final Path conf;
  final Path queue;
  private Master master;

  /** The outcome of one command. */
  record Run(int exitCode, String out, String err) {}

  MailSystemFixture(Path dir) throws IOException {
    this.conf = Files.createDirectories(dir.resolve("conf"));
    this.queue = dir.resolve("var");
  }

  /** Writes main.cf (relaying all mail to {@code relayhost}) and master.cf with pickup. */
  MailSystemFixture configure(String relayhost, String... extra) throws IOException {
    StringBuilder main = new StringBuilder()
        .append("queue_directory = ").append(queue).append('\n')
        .append("myhostname = relay.test\n")
        .append("myorigin = origin.test\n")
        .append("mynetworks = 127.0.0.0/8\n")
        .append("relayhost = ").append(relayhost).append('\n')
        .append("smtp_connect_timeout = 2s\n");
    for (String e : extra) {
      main.append(e).append('\n');
    }
    Files.writeString(conf.resolve("main.cf"), main);
    Files.writeString(conf.resolve("master.cf"), String.join("\n",
        "127.0.0.1:0 inet n - n - - smtpd",
        "pickup unix n - n 60 1 pickup",
        "smtp unix - - n - - smtp",
        "relay unix - - n - - smtp",
        "discard unix - - n - - discard",
        "error unix - - n - - error", ""));
    return this;
  }

  /** Runs {@code gannet -c CONF args...} with {@code stdin}. */
  Run withInput(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("-c", conf.toString()));
    all.addAll(Arrays.asList(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(all.toArray(new String[0]));
    return new Run(code, out.toString(), err.toString());
  }

  /** Runs {@code gannet -c CONF args...} with an empty standard input. */
  Run gannet(String... args) {
    return withInput("", args);
  }

  /** Starts the daemon in this JVM. */
  void start() throws Exception {
    ConfigOption.Loaded loaded;
    try {
      loaded = ConfigOption.read(conf.toString(), w -> { });
    } catch (ConfigException e) {
      throw new IllegalStateException(e);
    }
    DaemonConfig dc = new DaemonConfig(conf, loaded.config(), loaded.master());
    master = new Master(dc, () -> dc, new GannetBody(), Clock.systemUTC());
    master.start();
  }

  void stop() {
    if (master != null) {
      master.stop("test");
      master = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Every record in the journal (read-only; works while the daemon runs). */
  List<JournalRecord> journal() {
    List<JournalRecord> out = new ArrayList<>();
    Path dir = queue.resolve("journal");
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (ChronicleJournal j = ChronicleJournal.open(dir,
            JournalOptions.defaults().withReadOnly(true));
        JournalReader r = j.reader()) {
      for (JournalEntry e; (e = r.next()) != null; ) {
        if (!e.isCorrupt()) {
          out.add(e.record());
        }
      }
    }
    return out;
  }

  /** The records of one message, of one type. */
  <T extends JournalRecord> List<T> records(Class<T> type, QueueId id) {
    return journal().stream().filter(type::isInstance).map(type::cast)
        .filter(r -> id == null || r.queueId().equals(id)).toList();
  }

  /** Appends records to the journal of a stopped daemon. */
  void append(JournalRecord... records) throws Exception {
    try (ChronicleJournal j = ChronicleJournal.open(queue.resolve("journal"),
        JournalOptions.defaults())) {
      for (JournalRecord r : records) {
        j.append(r).toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The projected state of a message (daemon stopped), or null. */
  MessageState state(QueueId id) {
    try (RocksQueueProjection p = RocksQueueProjection.openReadOnly(queue.resolve("projection"))) {
      return p.get(id);
    }
  }

  /** Files waiting in maildrop. */
  List<Path> maildrop() throws IOException {
    Path dir = queue.resolve("maildrop");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  /** Polls a real system (no timer is waited for). */
  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
