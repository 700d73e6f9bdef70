package io.gannet.cli;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalException;
import io.gannet.journal.ProjectionException;
import io.gannet.master.AdminClient;
import io.gannet.master.AdminUnavailableException;
import io.gannet.master.QueueLockedException;
import io.gannet.postsuper.Postsuper;
import io.gannet.postsuper.QueueName;
import io.gannet.postsuper.RemoteSuper;
import io.gannet.postsuper.StoppedQueue;
import io.gannet.postsuper.SuperAction;
import io.gannet.postsuper.SuperQueue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code gannet super}: postsuper(1) for the journal. {@code -d} deletes, {@code -h} holds, {@code
 * -H} releases, {@code -r} requeues the messages named (each option may repeat; {@code ALL}, in
 * upper case, names every message; {@code -} reads queue ids from standard input, one a line, a
 * trailing {@code *} or {@code !} of mailq's listing ignored). Queue names after the options
 * ({@code hold}, {@code incoming}, {@code active}, {@code deferred}) narrow every operation to those
 * queues ({@code -d ALL deferred}). Operations run in the order delete, hold, release, requeue.
 *
 * <p>Each operation is one journal record per message ({@code Deleted}, {@code Held}, {@code
 * Released}, {@code Requeued}), durable before the command says it is done. With the daemon running
 * they go through its admin socket ({@code super}); with it stopped the command takes the queue
 * lock and appends them itself; the daemon acts on them when it starts.
 *
 * <p>Output, on standard error as postsuper's: {@code postsuper: QUEUEID: removed} per message and
 * {@code postsuper: Deleted: N messages} (when N &gt; 0); {@code postsuper: QUEUEID: no such
 * message} for an id not queued (or not in the queues named), {@code postsuper: warning: invalid
 * mail queue id: X} for one that is not an id; the others are still processed and the exit status
 * is then 1. {@code --rebuild} (alone, daemon stopped) rebuilds the projection from the journal.
 * Usage errors exit 2, failures 1 ({@code gannet: fatal: ...}).
 */
@Command(
    name = "super",
    description = "Delete, hold, release or requeue queued mail, as postsuper.",
    usageHelpAutoWidth = true)
final class SuperCommand implements Callable<Integer> {
  static final String PROGRAM = "postsuper: ";

  @ParentCommand Main main;
  @Spec CommandSpec spec;

  @Option(names = "-d", paramLabel = "QUEUEID",
      description = "Delete the message (ALL: every message; -: ids from standard input).")
  List<String> delete = new ArrayList<>();

  @Option(names = "-h", paramLabel = "QUEUEID", description = "Put the message on hold.")
  List<String> hold = new ArrayList<>();

  @Option(names = "-H", paramLabel = "QUEUEID", description = "Release the message from hold.")
  List<String> release = new ArrayList<>();

  @Option(names = "-r", paramLabel = "QUEUEID",
      description = "Requeue the message: its recipients are resolved again as if new.")
  List<String> requeue = new ArrayList<>();

  @Option(names = "--rebuild",
      description = "Rebuild the queue projection from the journal (the daemon must be stopped).")
  boolean rebuild;

  @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Parameters(paramLabel = "QUEUE",
      description = "Only messages in these queues: hold, incoming, active, deferred.")
  List<String> queueNames = new ArrayList<>();

  /** The queue ids read from standard input, once. */
  private List<String> stdinIds;

  private boolean failed;

  @Override
  public Integer call() throws IOException {
    ConfigOption.Loaded loaded = ConfigOption.load(main);
    Path queueDir = MailSystem.queueDirectory(loaded);
    Map<SuperAction, List<String>> asked = new EnumMap<>(SuperAction.class);
    put(asked, SuperAction.DELETE, delete);
    put(asked, SuperAction.HOLD, hold);
    put(asked, SuperAction.RELEASE, release);
    put(asked, SuperAction.REQUEUE, requeue);
    if (rebuild) {
      if (!asked.isEmpty() || !queueNames.isEmpty()) {
        throw new UserException(2, "fatal: --rebuild goes alone");
      }
      return rebuild(loaded, queueDir);
    }
    if (asked.isEmpty()) {
      throw new UserException(2, "fatal: nothing to do: give -d, -h, -H, -r or --rebuild");
    }
    Set<QueueName> queues = EnumSet.noneOf(QueueName.class);
    for (String q : queueNames) {
      try {
        queues.add(QueueName.parse(q));
      } catch (IllegalArgumentException e) {
        throw new UserException(2, "fatal: " + e.getMessage());
      }
    }
    if (queues.isEmpty()) {
      queues.addAll(QueueName.ALL);
    }
    PrintWriter err = spec.commandLine().getErr();
    try (SuperQueue queue = open(loaded, queueDir)) {
      for (Map.Entry<SuperAction, List<String>> e : asked.entrySet()) {
        run(queue, e.getKey(), queues, e.getValue(), err);
      }
    } catch (JournalException | ProjectionException e) {
      throw new UserException(1, "fatal: " + e.getMessage());
    } finally {
      err.flush();
    }
    return failed ? 1 : 0;
  }

  private static void put(Map<SuperAction, List<String>> asked, SuperAction a, List<String> ids) {
    if (!ids.isEmpty()) {
      asked.put(a, ids);
    }
  }

  /** Through the daemon when it runs; else on the queue, under its lock. */
  private SuperQueue open(ConfigOption.Loaded loaded, Path queueDir) throws IOException {
    if (MailSystem.running(queueDir).isPresent()) {
      return new RemoteSuper(new AdminClient(queueDir));
    }
    try {
      return StoppedQueue.open(loaded.config(), queueDir, Clock.systemUTC());
    } catch (QueueLockedException e) {
      throw new UserException(1, "fatal: the mail system is starting or stopping ("
          + e.getMessage() + "); try again");
    } catch (JournalException | ProjectionException e) {
      throw new UserException(1, "fatal: " + e.getMessage());
    }
  }

  private void run(SuperQueue queue, SuperAction action, Set<QueueName> queues,
      List<String> words, PrintWriter err) {
    long count = 0;
    try {
      if (words.contains("ALL")) {
        QueueId after = null;
        do {
          Postsuper.Page page = queue.applyAll(action, queues, after);
          for (QueueId id : page.done()) {
            err.println(PROGRAM + id + ": " + action.doneText());
          }
          count += page.done().size();
          after = page.next();
        } while (after != null);
      } else {
        List<QueueId> ids = ids(words, err);
        for (Postsuper.Outcome o : queue.apply(action, queues, ids)) {
          switch (o.status()) {
            case DONE -> {
              err.println(PROGRAM + o.id() + ": " + action.doneText());
              count++;
            }
            case MISSING -> {
              err.println(PROGRAM + o.id() + ": no such message");
              failed = true;
            }
            case SKIPPED -> { }
          }
        }
      }
    } catch (AdminUnavailableException e) {
      summary(action, count, err);
      throw new UserException(1, "fatal: the mail system stopped while working; run again");
    } catch (IOException e) {
      summary(action, count, err);
      throw new UserException(1, "fatal: " + action.word() + ": " + e.getMessage());
    }
    summary(action, count, err);
  }

  private static void summary(SuperAction action, long count, PrintWriter err) {
    if (count > 0) {
      err.println(PROGRAM + action.summary(count));
    }
    err.flush();
  }

  /** The queue ids of one option's values: "-" reads standard input; bad ones are reported. */
  private List<QueueId> ids(List<String> words, PrintWriter err) throws IOException {
    List<QueueId> ids = new ArrayList<>();
    for (String w : words) {
      for (String text : w.equals("-") ? stdinIds() : List.of(w)) {
        try {
          ids.add(QueueId.parse(text));
        } catch (IllegalArgumentException e) {
          err.println(PROGRAM + "warning: invalid mail queue id: " + text);
          failed = true;
        }
      }
    }
    return ids;
  }

  private List<String> stdinIds() throws IOException {
    if (stdinIds == null) {
      stdinIds = new ArrayList<>();
      BufferedReader r = new BufferedReader(
          new InputStreamReader(main.stdin(), StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        String id = line.strip();
        while (id.endsWith("*") || id.endsWith("!")) {
          id = id.substring(0, id.length() - 1);
        }
        if (!id.isEmpty()) {
          stdinIds.add(id);
        }
      }
    }
    return stdinIds;
  }

  private int rebuild(ConfigOption.Loaded loaded, Path queueDir) {
    PrintWriter err = spec.commandLine().getErr();
    try {
      long live = StoppedQueue.rebuild(loaded.config(), queueDir, Clock.systemUTC());
      err.println(PROGRAM + "rebuilt the queue projection from the journal: " + live
          + " message" + (live == 1 ? "" : "s"));
      err.flush();
      return 0;
    } catch (QueueLockedException e) {
      throw new UserException(1, "fatal: --rebuild needs the mail system stopped: "
          + e.getMessage());
    } catch (IOException | JournalException | ProjectionException e) {
      throw new UserException(1, "fatal: rebuild: " + e.getMessage());
    }
  }
}
