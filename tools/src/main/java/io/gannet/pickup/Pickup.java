package io.gannet.pickup;

import io.gannet.cleanup.Cleanup;
import io.gannet.cleanup.CleanupInput;
import io.gannet.cleanup.CleanupResult;
import io.gannet.global.ClientInfo;
import io.gannet.global.QueueId;
import io.gannet.global.QueueIdGenerator;
import io.gannet.global.Recipient;
import io.gannet.journal.Journal;
import io.gannet.journal.JournalRecord;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NAME pickup - local mail pickup, as Postfix's pickup(8).
 *
 * <p>DESCRIPTION Takes the messages that {@code gannet sendmail} left in the maildrop directory
 * ({@link Maildrop}) and queues them: each file goes through cleanup as a local submission
 * (protocol LOCAL; missing {@code From:}, {@code Date:}, {@code Message-ID:} are added), exactly as
 * smtpd hands a message over, then its {@code Accepted} record (and {@code Held}, for a HOLD action)
 * is appended to the journal, and only once the journal says it is durable is the file removed. A
 * crash in between queues the message twice at worst, never loses it.
 *
 * <p>The directory is scanned when pickup starts (mail submitted while the daemon was down), when
 * poked ({@code gannet sendmail} pokes through the admin command {@code pickup}), and every
 * wakeup period (master.cf's wakeup column of the pickup service: 60 s). One thread does all of
 * it, one file at a time, in submission order.
 *
 * <p>TRUST: files are untrusted. One that is not a maildrop file, or too large, is moved to {@code
 * $queue_directory/corrupt/} with a warning. A permanent refusal by cleanup is logged; the file is
 * removed when a waiting sendmail reports the refusal to its user, else kept in {@code corrupt/}
 * (Gannet does not bounce it). A temporary refusal, an I/O or a journal failure leaves the file for
 * the next scan.
 *
 * <p>DIAGNOSTICS (logger {@code gannet/pickup}): {@code QUEUEID: uid=N from=<sender>}; warnings
 * name the file.
 *
 * <p>CONFIGURATION PARAMETERS: message_size_limit (10240000).
 *
 * <p>SEE ALSO: {@link Maildrop}, {@link MaildropFile}, {@link io.gannet.cleanup.CleanupService},
 * Postfix pickup(8), postdrop(1).
 */
public final class Pickup implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("gannet/pickup");

  /** Room for the envelope beyond message_size_limit in one file. */
  static final long ENVELOPE_SLACK = 16L << 20;

  /** Outcomes remembered by file name, for a sendmail that asks after a scan took its file. */
  static final int REMEMBERED = 1024;

  private static final long SYNC_TIMEOUT_SECONDS = 60;

  private final Maildrop maildrop;
  private final Cleanup cleanup;
  private final Journal journal;
  private final QueueIdGenerator ids;
  private final Clock clock;
  private final long sizeLimit;
  private final long wakeupSeconds;
  private final ScheduledExecutorService thread;
  private final Map<String, PickupOutcome> recent = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PickupOutcome> eldest) {
      return size() > REMEMBERED;
    }
  };
  /** Files whose sendmail waits for the outcome (pickup thread only). */
  private final Set<String> awaited = new HashSet<>();
  private volatile boolean closed;

  /**
   * @param sizeLimit message_size_limit: the largest content accepted (0: no limit)
   * @param wakeupSeconds the period of the scan; 0: only at start and when poked
   */
  public Pickup(Maildrop maildrop, Cleanup cleanup, Journal journal, QueueIdGenerator ids,
      Clock clock, long sizeLimit, long wakeupSeconds) {
    this.maildrop = maildrop;
    this.cleanup = cleanup;
    this.journal = journal;
    this.ids = ids;
    this.clock = clock;
    this.sizeLimit = sizeLimit;
    this.wakeupSeconds = wakeupSeconds;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pickup");
      t.setDaemon(true);
      return t;
    });
  }

  /** Scans now, then every wakeup period. */
  public void start() {
    if (wakeupSeconds > 0) {
      thread.scheduleWithFixedDelay(this::scanQuietly, 0, wakeupSeconds, TimeUnit.SECONDS);
    } else {
      thread.execute(this::scanQuietly);
    }
  }

  /** Scans now; completes when the scan is over. */
  public CompletableFuture<Void> poke() {
    return CompletableFuture.runAsync(this::scanQuietly, thread);
  }

  /**
   * Scans now, and tells what became of the file {@code name} (a sendmail waiting for its
   * message): completes when the scan is over.
   */
  public CompletableFuture<PickupOutcome> pickUp(String name) {
    return CompletableFuture.supplyAsync(() -> {
      awaited.add(name);
      try {
        scanQuietly();
        PickupOutcome o = recent.get(name);
        return o != null ? o : PickupOutcome.of(PickupOutcome.Kind.UNKNOWN, "no such file");
      } finally {
        awaited.remove(name);
      }
    }, thread);
  }

  private void scanQuietly() {
    try {
      scan();
    } catch (RuntimeException | IOException e) {
      log.warn("maildrop {}: scan failed: {}", maildrop.directory(), e.toString());
    }
  }

  /** One pass over the directory; stops early when the journal fails. */
  private void scan() throws IOException {
    for (Path file : maildrop.waiting()) {
      if (closed) {
        return;
      }
      PickupOutcome o = process(file);
      if (o == null) {
        continue; // gone meanwhile
      }
      recent.put(file.getFileName().toString(), o);
      if (o.kind() == PickupOutcome.Kind.DEFERRED && o.detail().startsWith("journal")) {
        return;
      }
    }
  }

  /** Queues one file; {@code null} when it is gone. */
  private PickupOutcome process(Path file) {
    String name = file.getFileName().toString();
    Submission s;
    try {
      s = Maildrop.read(file, maxFileBytes());
    } catch (NoSuchFileException e) {
      return null;
    } catch (MaildropFormatException e) {
      return setAside(file, "bad maildrop file: " + e.getMessage());
    } catch (IOException e) {
      log.warn("maildrop file {}: cannot read: {}", file, e.toString());
      return PickupOutcome.of(PickupOutcome.Kind.DEFERRED, "cannot read: " + e.getMessage());
    }
    QueueId id = ids.next();
    long now = clock.millis();
    long arrival = s.submitted() > 0 && s.submitted() <= now ? s.submitted() : now;
    log.info("{}: uid={} from=<{}>", id, Maildrop.owner(file), s.sender());
    if (sizeLimit > 0 && s.content().length > sizeLimit) {
      return rejected(file, name, id, "552 5.3.4 message file too big");
    }
    CleanupResult result;
    try {
      result = cleanup.process(new CleanupInput(id, arrival, ClientInfo.LOCAL, s.sender(),
          s.envid(), s.ret(), s.body(), utf8(s), s.recipients(), s.content(), true));
    } catch (RuntimeException e) {
      log.warn("{}: cleanup failed: {}", id, e.toString(), e);
      return PickupOutcome.of(PickupOutcome.Kind.DEFERRED, "cleanup failed: " + e);
    }
    if (result instanceof CleanupResult.Reject r) {
      String reply = r.code() + " " + r.enhancedStatus() + " " + r.text();
      if (r.code() / 100 == 4) {
        log.warn("{}: maildrop file {}: {}; trying again later", id, name, reply);
        return PickupOutcome.of(PickupOutcome.Kind.DEFERRED, reply);
      }
      return rejected(file, name, id, reply);
    }
    if (result instanceof CleanupResult.Discard d) {
      log.info("{}: discard: {}", id, d.reason());
      return removed(file, PickupOutcome.of(PickupOutcome.Kind.DISCARDED, d.reason()));
    }
    CleanupResult.Accept accept = (CleanupResult.Accept) result;
    try {
      append(accept);
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null
          ? e.getCause() : e;
      log.error("{}: cannot journal the message of maildrop file {}: {}; the file stays", id,
          name, cause.toString());
      return PickupOutcome.of(PickupOutcome.Kind.DEFERRED, "journal: " + cause.getMessage());
    }
    return removed(file, PickupOutcome.of(PickupOutcome.Kind.QUEUED, id.toString()));
  }

  /** Appends the Accepted record (and Held) and waits until both are durable. */
  private void append(CleanupResult.Accept accept)
      throws InterruptedException, ExecutionException, TimeoutException {
    JournalRecord.Accepted record = accept.record();
    CompletionStage<Long> stage = journal.append(record);
    if (accept.hold()) {
      CompletionStage<Long> held = journal.append(new JournalRecord.Held(record.queueId(),
          clock.millis(), accept.holdReason() == null ? "" : accept.holdReason()));
      stage = stage.thenCombine(held, (a, b) -> a);
    }
    stage.toCompletableFuture().get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private PickupOutcome rejected(Path file, String name, QueueId id, String reply) {
    log.info("{}: reject: maildrop file {}: {}", id, name, reply);
    PickupOutcome o = PickupOutcome.of(PickupOutcome.Kind.REJECTED, reply);
    if (awaited.contains(name)) {
      return removed(file, o); // its sendmail tells the user
    }
    return setAside(file, "rejected: " + reply) == null ? null : o;
  }

  private PickupOutcome removed(Path file, PickupOutcome o) {
    try {
      maildrop.remove(file);
    } catch (IOException e) {
      log.warn("cannot remove maildrop file {}: {}", file, e.toString());
    }
    return o;
  }

  private PickupOutcome setAside(Path file, String why) {
    try {
      Path kept = maildrop.setAside(file);
      log.warn("maildrop file {}: {}; moved to {}", file.getFileName(), why, kept);
      return PickupOutcome.of(PickupOutcome.Kind.CORRUPT, why);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      log.warn("maildrop file {}: {}; cannot move it aside: {}", file, why,
          e.toString());
      return PickupOutcome.of(PickupOutcome.Kind.DEFERRED, why);
    }
  }

  private long maxFileBytes() {
    long limit = sizeLimit > 0 ? sizeLimit : Integer.MAX_VALUE - ENVELOPE_SLACK;
    return Math.min(Integer.MAX_VALUE - 8L, limit + ENVELOPE_SLACK);
  }

  private static boolean utf8(Submission s) {
    if (!isAscii(s.sender())) {
      return true;
    }
    for (Recipient r : s.recipients()) {
      if (!isAscii(r.address())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAscii(String s) {
    return s.chars().allMatch(c -> c < 128);
  }

  /** Stops scanning; a file being queued is finished first (up to 10 s). */
  @Override
  public void close() {
    closed = true;
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
