package io.gannet.qmgr;

import io.gannet.global.QueueId;
import io.gannet.journal.Journal;
import io.gannet.journal.JournalCycles;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Moved;
import io.gannet.journal.MessageContent;
import io.gannet.journal.MessageState;
import io.gannet.journal.QueueProjection;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journal retention as the scheduler drives it (DESIGN.md, durability point 4): every {@code
 * journal_retention_interval}, a pass over the live messages moves forward ({@link Moved}) those
 * whose content lies in a cycle older than the newest {@code journal_keep_cycles}, then deletes
 * the journal cycles nothing needs any more.
 *
 * <p>Runs on the scheduler's thread, one bounded {@link #step} per tick: a page of the projection
 * ({@value #PAGE} messages) or a few megabytes of moved content, never more, so deliveries are not
 * held up. A pass:
 *
 * <ol>
 *   <li><b>start</b>: notes the cycle being written (everything appended from now on lives there
 *       or later) and waits on a journal {@link Journal#barrier barrier} until the projection has
 *       applied everything appended before;
 *   <li><b>scan</b>: pages through the projection in queue-id order; a message with pending
 *       recipients, content in a cycle older than the kept ones, and not {@link Qmgr#isBusy busy}
 *       is a candidate; every other message's content cycle is still needed;
 *   <li><b>move</b>: after another barrier (so every record the scheduler appended for a candidate
 *       before the scan is in the projection), each candidate whose state is unchanged since the
 *       scan and is still not busy gets a {@code Moved} record with its original {@code
 *       Accepted} and its state (pending, attempts, next attempt, hold, notices queued). The
 *       state check matters: a message taken into the active window and let go again in between
 *       has records on their way that the {@code Moved} would otherwise overwrite;
 *   <li><b>settle</b>: waits until every {@code Moved} is written and applied by the tail; a
 *       failed one keeps its message's old cycle;
 *   <li><b>finish</b>: the first cycle needed is the oldest content cycle of any live message as
 *       seen above, of any active message (which may still read content at its old index), and
 *       the cycle of the projection's checkpoint once made durable ({@link
 *       QueueProjection#flushDurable}): after a crash the projection replays from there. Cycles
 *       strictly before it are deleted; one INFO line says what the pass did.
 * </ol>
 *
 * <p>Records for an existing message must come from the scheduler's thread (the qmgr itself, the
 * notice hook) for the barrier to cover them; smtpd's {@code Held} right after an {@code
 * Accepted} is safe because a new message is never in a cycle older than the kept ones
 * ({@code journal_keep_cycles} is at least 2).
 *
 * <p>Not thread-safe: the scheduler's thread calls every method.
 */
public final class RetentionPass implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("io.gannet.qmgr");

  /** Messages read from the projection per step. */
  static final int PAGE = 2000;
  /** Content bytes copied forward per step. */
  static final long MOVE_BYTES_PER_STEP = 4L << 20;
  /** Content bytes of Moved records appended and not yet written. */
  static final long MOVE_BYTES_IN_FLIGHT = 32L << 20;
  /** Steps a pass waits for the projection to reach a barrier before it gives up. */
  static final int FENCE_PATIENCE = 2400;

  /**
   * What one pass did.
   *
   * @param scanned live messages looked at
   * @param moved messages moved forward ({@code Moved} records written)
   * @param firstNeededCycle the oldest cycle a live or active message still needed
   * @param durableCheckpoint the projection checkpoint made durable before deleting
   * @param deleted the cycles whose files were deleted, oldest first
   */
  public record Result(long scanned, long moved, int firstNeededCycle, long durableCheckpoint,
      List<Integer> deleted) {}

  private enum Phase { IDLE, FENCE, SCAN, MOVE, SETTLE, APPLIED, FINISH }

  private record Move(QueueId queueId, int fromCycle, long bytes, CompletableFuture<Long> stage) {}

  private final Journal journal;
  private final JournalCycles cycles;
  private final QueueProjection projection;
  private final Qmgr qmgr;
  private final Clock clock;
  private final long interval;
  private final int keepCycles;
  private JournalReader reader;

  private long nextPassAt;
  private List<CompletableFuture<Result>> waitingThisPass = new ArrayList<>();
  private List<CompletableFuture<Result>> waitingNextPass = new ArrayList<>();

  private Phase phase = Phase.IDLE;
  private Phase afterFence;
  private CompletableFuture<Long> fence;
  private int fenceSteps;
  private int oldestKept;
  private int firstNeeded;
  private QueueId cursor;
  private boolean scanDone;
  private final ArrayDeque<MessageState> candidates = new ArrayDeque<>();
  private final List<Move> moves = new ArrayList<>();
  private long lastMovedIndex;
  private long scanned;
  private long moved;

  /**
   * @param intervalMillis time between passes ({@code journal_retention_interval})
   * @param keepCycles newest cycles whose messages stay where they are ({@code
   *     journal_keep_cycles}, at least 1)
   */
  public RetentionPass(Journal journal, JournalCycles cycles, QueueProjection projection,
      Qmgr qmgr, Clock clock, long intervalMillis, int keepCycles) {
    if (keepCycles < 1) {
      throw new IllegalArgumentException("journal_keep_cycles < 1: " + keepCycles);
    }
    if (intervalMillis <= 0) {
      throw new IllegalArgumentException("journal_retention_interval <= 0: " + intervalMillis);
    }
    this.journal = journal;
    this.cycles = cycles;
    this.projection = projection;
    this.qmgr = qmgr;
    this.clock = clock;
    this.interval = intervalMillis;
    this.keepCycles = keepCycles;
    this.nextPassAt = clock.millis() + intervalMillis;
  }

  /**
   * Asks for a pass now; completes when a pass that started after this call ends (exceptionally
   * if it was abandoned).
   */
  public CompletableFuture<Result> requestPass() {
    CompletableFuture<Result> f = new CompletableFuture<>();
    waitingNextPass.add(f);
    return f;
  }

  /** True while a pass is under way. */
  public boolean running() {
    return phase != Phase.IDLE;
  }

  /** Does a bounded piece of the current pass, or starts one when it is due or asked for. */
  public void step() {
    try {
      for (int transitions = 0; transitions < 8; transitions++) {
        Phase before = phase;
        boolean more = switch (phase) {
          case IDLE -> startIfDue();
          case FENCE -> awaitFence();
          case SCAN -> scanPage();
          case MOVE -> moveSome();
          case SETTLE -> settle();
          case APPLIED -> awaitApplied();
          case FINISH -> finish();
        };
        if (!more || phase == before) {
          return;
        }
      }
    } catch (RuntimeException e) {
      abandon(e);
    }
  }

  // ------------------------------------------------------------------------------------------

  private boolean startIfDue() {
    if (waitingNextPass.isEmpty() && clock.millis() < nextPassAt) {
      return false;
    }
    waitingThisPass = waitingNextPass;
    waitingNextPass = new ArrayList<>();
    firstNeeded = cycles.currentCycle(); // whatever is appended from now on lives here or later
    oldestKept = firstNeeded - keepCycles + 1;
    cursor = null;
    scanDone = false;
    scanned = 0;
    moved = 0;
    lastMovedIndex = -1;
    candidates.clear();
    moves.clear();
    awaitBarrier(Phase.SCAN);
    return true;
  }

  private void awaitBarrier(Phase next) {
    fence = journal.barrier().toCompletableFuture();
    fenceSteps = 0;
    afterFence = next;
    phase = Phase.FENCE;
  }

  /** Waits until the journal wrote everything appended before the barrier, and we applied it. */
  private boolean awaitFence() {
    if (++fenceSteps > FENCE_PATIENCE) {
      throw new IllegalStateException("the projection did not reach journal index "
          + (fence.isDone() ? fence.join() : "(barrier not written)") + " in time (checkpoint "
          + projection.checkpoint() + ")");
    }
    if (!fence.isDone()) {
      return false;
    }
    long reached = fence.join(); // a failed barrier throws: the pass is abandoned
    if (projection.checkpoint() < reached) {
      return false;
    }
    phase = afterFence;
    return true;
  }

  private boolean scanPage() {
    List<MessageState> page = projection.messages(cursor, PAGE);
    for (MessageState s : page) {
      scanned++;
      int cycle = cycles.cycleOf(s.index());
      if (cycle < oldestKept && !s.pending().isEmpty() && !qmgr.isBusy(s.queueId())) {
        candidates.add(s);
      } else {
        needed(cycle);
      }
    }
    if (!page.isEmpty()) {
      cursor = page.get(page.size() - 1).queueId();
    }
    scanDone = page.size() < PAGE;
    if (!candidates.isEmpty()) {
      awaitBarrier(Phase.MOVE);
    } else if (scanDone) {
      phase = Phase.SETTLE;
    }
    return false; // a page is this step's work
  }

  private boolean moveSome() {
    collectWritten();
    long inFlight = 0;
    for (Move m : moves) {
      inFlight += m.bytes;
    }
    long bytes = 0;
    while (!candidates.isEmpty() && bytes < MOVE_BYTES_PER_STEP
        && inFlight + bytes < MOVE_BYTES_IN_FLIGHT) {
      bytes += moveOne(candidates.poll());
    }
    if (candidates.isEmpty()) {
      phase = scanDone ? Phase.SETTLE : Phase.SCAN;
    }
    return false;
  }

  /** Appends the Moved record of one candidate if it is still one; returns the bytes copied. */
  private long moveOne(MessageState scannedState) {
    QueueId id = scannedState.queueId();
    MessageState s = projection.get(id);
    if (s == null) {
      return 0; // finished meanwhile
    }
    int cycle = cycles.cycleOf(s.index());
    if (qmgr.isBusy(id) || !s.equals(scannedState)) {
      needed(cycle); // the scheduler is at it: next pass
      return 0;
    }
    Accepted original = original(s);
    if (original == null) {
      log.warn("{}: content at journal index {} cannot be read; not moved, journal "
          + "cycle {} is kept", id, s.index(), cycle);
      needed(cycle);
      return 0;
    }
    CompletableFuture<Long> stage;
    try {
      stage = journal.append(new Moved(id, clock.millis(), s.index(), original,
          List.copyOf(s.pending()), s.attempts(), s.nextAttempt(), s.held(),
          s.noticesQueued(), List.copyOf(s.delivered()), List.copyOf(s.bounced()),
          s.reasons())).toCompletableFuture();
    } catch (RuntimeException e) {
      log.warn("{}: cannot move it forward: {}; journal cycle {} is kept", id,
          e.toString(), cycle);
      needed(cycle);
      return 0;
    }
    long bytes = Math.max(1, original.size());
    moves.add(new Move(id, cycle, bytes, stage));
    return bytes;
  }

  /** The message's Accepted record, read from its content record (Accepted or Moved). */
  private Accepted original(MessageState s) {
    if (reader == null) {
      reader = journal.reader();
    }
    return MessageContent.read(reader, s);
  }

  /** Waits for every Moved record to be written. */
  private boolean settle() {
    collectWritten();
    if (!moves.isEmpty()) {
      return false;
    }
    phase = Phase.APPLIED;
    return true;
  }

  /**
   * Takes the Moved records written (or refused) off the list, so it holds only those in flight:
   * a written one counts, a refused one keeps its message's old cycle.
   */
  private void collectWritten() {
    for (Iterator<Move> it = moves.iterator(); it.hasNext(); ) {
      Move m = it.next();
      if (!m.stage.isDone()) {
        continue;
      }
      it.remove();
      if (m.stage.isCompletedExceptionally()) {
        log.warn("{}: Moved record not written; journal cycle {} is kept", m.queueId,
            m.fromCycle);
        needed(m.fromCycle);
      } else {
        long index = m.stage.join();
        lastMovedIndex = Math.max(lastMovedIndex, index);
        needed(cycles.cycleOf(index));
        moved++;
      }
    }
  }

  /** Waits until the tail applied the Moved records to the projection. */
  private boolean awaitApplied() {
    if (projection.checkpoint() < lastMovedIndex) {
      return false;
    }
    phase = Phase.FINISH;
    return true;
  }

  private boolean finish() {
    long oldestActive = qmgr.oldestActiveIndex();
    if (oldestActive != Long.MAX_VALUE) {
      needed(cycles.cycleOf(oldestActive));
    }
    long durable = projection.flushDurable();
    List<Integer> deleted = List.of();
    if (durable >= 0) {
      int limit = Math.min(firstNeeded, cycles.cycleOf(durable));
      deleted = cycles.deleteCyclesBefore(limit);
    }
    log.info("journal retention: scanned {}, moved {}, first needed cycle {}, deleted cycles {}",
        scanned, moved, firstNeeded, deleted);
    Result result = new Result(scanned, moved, firstNeeded, durable, List.copyOf(deleted));
    endPass();
    waitingThisPass.forEach(f -> f.complete(result));
    waitingThisPass = new ArrayList<>();
    return false;
  }

  private void needed(int cycle) {
    firstNeeded = Math.min(firstNeeded, cycle);
  }

  private void abandon(RuntimeException e) {
    log.warn("journal retention pass abandoned, nothing deleted: {}", e.toString());
    endPass();
    waitingThisPass.forEach(f -> f.completeExceptionally(e));
    waitingThisPass = new ArrayList<>();
  }

  private void endPass() {
    phase = Phase.IDLE;
    candidates.clear();
    moves.clear();
    fence = null;
    nextPassAt = clock.millis() + interval;
  }

  /** Closes the content reader; passes asked for and not finished fail. */
  @Override
  public void close() {
    IllegalStateException closed = new IllegalStateException("qmgr stopped");
    waitingThisPass.forEach(f -> f.completeExceptionally(closed));
    waitingNextPass.forEach(f -> f.completeExceptionally(closed));
    waitingThisPass.clear();
    waitingNextPass.clear();
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
