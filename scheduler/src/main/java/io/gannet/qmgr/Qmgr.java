package io.gannet.qmgr;

import io.gannet.global.DeliveryRecipient;
import io.gannet.global.DeliveryResult;
import io.gannet.global.DeliveryStatus;
import io.gannet.global.QueueId;
import io.gannet.global.RecipientOutcome;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.JournalRecord.RecipientResult;
import io.gannet.journal.MessageState;
import io.gannet.journal.QueueProjection;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue manager: decides what is delivered, where, when and how many at once (Postfix's
 * qmgr, DESIGN.md "The scheduler").
 *
 * <p>A state machine owned by one thread: every method is called from that thread (see {@link
 * QmgrService}), so there are no locks. Inputs: journal entries from the tail (after the
 * projection applied them), delivery results, timer ticks and admin commands. Outputs: delivery
 * requests ({@link DeliveryPort}) and journal records ({@link RecordSink}). A decision about a
 * recipient is journaled first and applied when its record comes back through the tail.
 *
 * <p>Memory holds only the active window: at most {@code qmgr_message_active_limit} messages and
 * about {@code qmgr_message_recipient_limit} recipients. The rest waits in the projection's
 * incoming and deferred indexes, from which the window is refilled, incoming and deferred in
 * turn.
 */
public final class Qmgr {
  private static final Logger log = LoggerFactory.getLogger("io.gannet.qmgr");

  private final QmgrSettings settings;
  private final QueueProjection projection;
  private final RecipientResolver resolver;
  private final DeliveryPort port;
  private final RecordSink sink;
  private final NoticeHook notices;
  private final Clock clock;
  private final Backoff backoff;

  private final Map<QueueId, ActiveMessage> active = new HashMap<>();
  private final Map<Route, Destination> destinations = new HashMap<>();
  private final ArrayDeque<Destination> runQueue = new ArrayDeque<>();
  /** Destinations waiting for their rate delay; re-queued on tick. */
  private final List<Destination> rateDelayed = new ArrayList<>();
  private final Map<Long, InFlight> inFlight = new HashMap<>();
  /** Finished messages whose Done was journaled and has not come back yet. */
  private final Set<QueueId> finishing = new HashSet<>();
  /** Finished messages whose notices are not all queued yet (asked again on tick). */
  private final Set<QueueId> awaitingNotices = new HashSet<>();

  private int activeRecipients;
  private long nextDispatchId = 1;
  private boolean incomingBacklog = true;
  private long incomingCursor = -1;
  private boolean deferredScan = true;
  private long deferredScanBound;
  private long nextDeferredScan;
  private boolean deferredFirst = true;
  /** A flush pass is running: every message deferred before it is due, once. */
  private boolean flushPass;
  /** Messages deferred again during the flush pass: not taken a second time by it. */
  private final Set<QueueId> deferredInFlushPass = new HashSet<>();
  /** The destination a flush pass is for ({@code postqueue -s}, ETRN), or null: every one. */
  private String flushSite;

  private record InFlight(Destination destination, ActiveMessage message,
      List<DeliveryRecipient> recipients, long dispatchedAt) {}

  public Qmgr(QmgrSettings settings, QueueProjection projection, RecipientResolver resolver,
      DeliveryPort port, RecordSink sink, NoticeHook notices, Clock clock,
      RandomGenerator random) {
    this.settings = settings;
    this.projection = projection;
    this.resolver = resolver;
    this.port = port;
    this.sink = sink;
    this.notices = notices;
    this.clock = clock;
    this.backoff = new Backoff(settings.minimalBackoff, settings.maximalBackoff, random);
    this.deferredScanBound = clock.millis();
    this.nextDeferredScan = deferredScanBound + settings.queueRunDelay;
  }

  // ------------------------------------------------------------------------------------------
  // Inputs
  // ------------------------------------------------------------------------------------------

  /** A journal entry, already applied to the projection. */
  public void onJournal(JournalEntry entry) {
    if (entry.isCorrupt()) {
      return;
    }
    JournalRecord record = entry.record();
    QueueId id = record.queueId();
    ActiveMessage m = active.get(id);
    if (record instanceof JournalRecord.Accepted) {
      if (m == null && !admitFromArrival(id)) {
        incomingBacklog = true;
      }
    } else if (record instanceof JournalRecord.Delivered d) {
      resultsBack(m, d.results());
    } else if (record instanceof JournalRecord.Bounced b) {
      resultsBack(m, b.results());
    } else if (record instanceof JournalRecord.Deferred d) {
      if (flushPass) {
        deferredInFlushPass.add(id);
      }
      resultsBack(m, d.results());
    } else if (record instanceof JournalRecord.Held) {
      cancel(m);
    } else if (record instanceof JournalRecord.Deleted) {
      if (m != null) {
        cancel(m);
      } else {
        MessageState s = projection.get(id);
        if (s != null && s.pending().isEmpty()) {
          finish(s); // deleted while waiting in the queue: forget it now
        }
      }
    } else if (record instanceof JournalRecord.Released) {
      scanDeferredSoon(); // it was deferred: the next queue run takes it
      incomingCursor = -1; // or it was new: back in the incoming index, behind the cursor
      incomingBacklog = true;
    } else if (record instanceof JournalRecord.Requeued) {
      incomingCursor = -1;
      incomingBacklog = true;
    } else if (record instanceof JournalRecord.Done) {
      log.info("{}: removed", id);
      finishing.remove(id);
      awaitingNotices.remove(id);
    }
    run();
  }

  /** The result of the delivery {@code id} (from any thread, handed to ours by the service). */
  public void onResult(long id, DeliveryResult result) {
    InFlight f = inFlight.remove(id);
    if (f == null) {
      log.warn("result for unknown delivery {}", id);
      return;
    }
    long now = clock.millis();
    Destination d = f.destination;
    d.inFlight--;
    boolean agentFailed = result == null;
    if (agentFailed) {
      result = failedAgent(f);
    }
    Map<Integer, RecipientOutcome> byIndex = new HashMap<>();
    for (RecipientOutcome o : result.outcomes()) {
      byIndex.put(o.index(), o);
    }
    List<RecipientOutcome> outcomes = new ArrayList<>(f.recipients.size());
    for (DeliveryRecipient r : f.recipients) {
      RecipientOutcome o = byIndex.get(r.index());
      outcomes.add(o != null ? o : new RecipientOutcome(r.index(), r.address(),
          DeliveryStatus.DEFERRED, "4.3.0", "delivery agent gave no result for this recipient"));
    }
    if (result.siteFailure()) {
      String reason = outcomes.get(0).reply();
      if (d.failure(outcomes.get(0).dsn(), reason) && !d.dead()) {
        markDead(d, now);
      }
    } else {
      d.success();
    }
    if (agentFailed) {
      DeliveryLog.log(f.message.state, d.route, result.relay(), outcomes, now,
          f.dispatchedAt, result.timings());
    } // else the agent logged its outcomes, as Postfix's delivery agents do
    journalOutcomes(f.message, result.relay(), outcomes, now);
    touch(d);
    run();
  }

  /** A record of ours could not be journaled: its recipients stay pending for a later attempt. */
  public void onAppendFailed(JournalRecord record, Throwable cause) {
    log.error("{}: cannot journal {}: {}", record.queueId(), record.getClass().getSimpleName(),
        cause.toString());
    ActiveMessage m = active.get(record.queueId());
    if (m == null) {
      finishing.remove(record.queueId());
      return;
    }
    List<RecipientResult> results = List.of();
    if (record instanceof JournalRecord.Delivered d) {
      results = d.results();
    } else if (record instanceof JournalRecord.Deferred d) {
      results = d.results();
    } else if (record instanceof JournalRecord.Bounced b) {
      results = b.results();
    }
    for (RecipientResult r : results) {
      if (m.awaiting.remove(r.index())) {
        m.outstanding--;
      }
    }
    maybeLeave(m);
    run();
  }

  /** Timers: dead destinations come back, rate delays pass, the deferred index is scanned. */
  public void tick() {
    long now = clock.millis();
    for (Destination d : List.copyOf(destinations.values())) {
      if (d.dead() && now >= d.deadUntil) {
        d.resurrect();
        log.info("{}: destination is alive again (transport_retry_time passed)", d.route);
        touch(d);
      }
    }
    if (!rateDelayed.isEmpty()) {
      List<Destination> again = new ArrayList<>(rateDelayed);
      rateDelayed.clear();
      again.forEach(this::touch);
    }
    if (now >= nextDeferredScan) {
      scanDeferredSoon();
    }
    if (!awaitingNotices.isEmpty()) {
      for (QueueId id : List.copyOf(awaitingNotices)) {
        MessageState s = projection.get(id);
        awaitingNotices.remove(id);
        if (s != null) {
          finish(s);
        }
      }
    }
    run();
  }

  /** {@code postqueue -f}: every deferred message is due now, dead destinations get a new try. */
  public void flushAll() {
    for (Destination d : List.copyOf(destinations.values())) {
      if (d.dead()) {
        d.resurrect();
        touch(d);
      }
    }
    // One pass over everything deferred now; mail deferred again during the pass is not taken
    // a second time.
    deferredScan = true;
    flushPass = true;
    flushSite = null;
    deferredInFlushPass.clear();
    deferredScanBound = Long.MAX_VALUE;
    run();
  }

  /**
   * {@code postqueue -s SITE}, ETRN: deferred mail with a pending recipient in {@code site} (a
   * domain) is due now, once. Other deferred mail keeps its schedule.
   */
  public void flushSite(String site) {
    String domain = site.toLowerCase(java.util.Locale.ROOT);
    for (Destination d : List.copyOf(destinations.values())) {
      if (d.dead() && d.route.nexthop().toLowerCase(java.util.Locale.ROOT).contains(domain)) {
        d.resurrect();
        touch(d);
      }
    }
    if (flushPass && flushSite == null) {
      run(); // a pass over everything is running already
      return;
    }
    deferredScan = true;
    flushPass = true;
    flushSite = domain;
    deferredInFlushPass.clear();
    deferredScanBound = Long.MAX_VALUE;
    run();
  }

  private static boolean hasPendingRecipientIn(MessageState s, String domain) {
    for (int i : s.pending()) {
      String a = s.recipients().get(i).address();
      int at = a.lastIndexOf('@');
      if (at >= 0 && a.substring(at + 1).equalsIgnoreCase(domain)) {
        return true;
      }
    }
    return false;
  }

  /** Takes one message into the active window now, whatever its next attempt time. */
  public boolean flushMessage(QueueId id) {
    if (active.containsKey(id)) {
      return true;
    }
    MessageState s = projection.get(id);
    if (s == null || s.held() || s.pending().isEmpty()) {
      return false;
    }
    admit(s);
    run();
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Queries (tests, metrics, showq's active marker)
  // ------------------------------------------------------------------------------------------

  public boolean isActive(QueueId id) {
    return active.containsKey(id);
  }

  /**
   * True while the scheduler may still journal records for this message on its own: it is in
   * the active window, its {@code Done} is on the way, or its notices are being queued. Retention
   * moves only messages for which this is false.
   */
  public boolean isBusy(QueueId id) {
    return active.containsKey(id) || finishing.contains(id) || awaitingNotices.contains(id);
  }

  /**
   * The lowest journal index of content that active messages may still read (their state as
   * admitted), or {@link Long#MAX_VALUE} when none is active: retention keeps its cycle.
   */
  public long oldestActiveIndex() {
    long oldest = Long.MAX_VALUE;
    for (ActiveMessage m : active.values()) {
      oldest = Math.min(oldest, m.state.index());
    }
    return oldest;
  }

  /**
   * The queue ids of the active window (messages qmgr has taken in and not finished), in queue id
   * order: what {@code gannet queue} marks with {@code *}. A copy; at most {@code
   * qmgr_message_active_limit} ids.
   */
  public List<QueueId> activeIds() {
    List<QueueId> ids = new ArrayList<>(active.keySet());
    Collections.sort(ids);
    return ids;
  }

  public int activeCount() {
    return active.size();
  }

  public int activeRecipients() {
    return activeRecipients;
  }

  public int inFlightCount() {
    return inFlight.size();
  }

  /** Deliveries in flight to one route. */
  public int inFlight(Route route) {
    Destination d = destinations.get(route);
    return d == null ? 0 : d.inFlight;
  }

  /** The concurrency window of one route (0 when the scheduler holds no queue for it). */
  public double window(Route route) {
    Destination d = destinations.get(route);
    return d == null ? 0 : d.window;
  }

  public boolean isDead(Route route) {
    Destination d = destinations.get(route);
    return d != null && d.dead();
  }

  // ------------------------------------------------------------------------------------------
  // The active window
  // ------------------------------------------------------------------------------------------

  private boolean hasRoom(int recipients) {
    if (active.size() >= settings.activeLimit) {
      return false;
    }
    // A message larger than the whole recipient window still goes in alone.
    return active.isEmpty() || activeRecipients + recipients <= settings.recipientLimit;
  }

  /** A new arrival: taken in now when there is room; false when it must wait in the index. */
  private boolean admitFromArrival(QueueId id) {
    if (incomingBacklog) {
      return false; // older incoming mail first, in journal order
    }
    MessageState s = projection.get(id);
    if (s == null || s.held() || s.pending().isEmpty()) {
      return true; // nothing to deliver
    }
    if (!hasRoom(s.pending().size())) {
      return false;
    }
    admit(s);
    incomingCursor = Math.max(incomingCursor, s.index());
    return true;
  }

  private void admit(MessageState s) {
    long now = clock.millis();
    ActiveMessage m = new ActiveMessage(s);
    active.put(s.queueId(), m);
    activeRecipients += m.recipientCount();
    log.info("{}: from=<{}>, size={}, nrcpt={} (queue active)", s.queueId(), s.sender(), s.size(),
        s.pending().size());
    Map<Route, Destination.Entry> byRoute = new LinkedHashMap<>();
    List<RecipientOutcome> unroutable = new ArrayList<>();
    for (int index : s.pending()) {
      String address = s.recipients().get(index).address();
      Route route;
      try {
        route = resolver.resolve(address);
      } catch (RuntimeException e) {
        unroutable.add(new RecipientOutcome(index, address, DeliveryStatus.DEFERRED, "4.3.0",
            "address resolver failure: " + e.getMessage()));
        m.outstanding++;
        continue;
      }
      Destination.Entry entry = byRoute.computeIfAbsent(route,
          r -> new Destination.Entry(m));
      entry.recipients.add(index);
      m.outstanding++;
    }
    for (Map.Entry<Route, Destination.Entry> e : byRoute.entrySet()) {
      Destination d = destinations.computeIfAbsent(e.getKey(),
          r -> new Destination(r, settings.limits(r.transport())));
      m.destinations.add(d);
      if (d.dead()) {
        List<RecipientOutcome> suspended = new ArrayList<>();
        for (int index : e.getValue().recipients) {
          suspended.add(suspendedOutcome(d, index, s.recipients().get(index).address()));
        }
        DeliveryLog.log(s, d.route, "none", suspended, now, now, null);
        journalOutcomes(m, "none", suspended, now);
        continue;
      }
      d.entries.add(e.getValue());
      touch(d);
    }
    if (!unroutable.isEmpty()) {
      DeliveryLog.log(s, new Route("none", "none"), "none", unroutable, now, now, null);
      journalOutcomes(m, "none", unroutable, now);
    }
  }

  /** Refills the active window from the projection, incoming and deferred in turn. */
  private void refill() {
    int room = settings.activeLimit - active.size();
    if (room <= 0 || activeRecipients >= settings.recipientLimit) {
      return;
    }
    boolean both = incomingBacklog && deferredScan;
    int share = both ? Math.max(1, room / 2) : room;
    boolean deferredTurn = deferredFirst;
    deferredFirst = !deferredFirst;
    for (int pass = 0; pass < 2; pass++, deferredTurn = !deferredTurn) {
      room = settings.activeLimit - active.size();
      int take = Math.min(pass == 0 ? share : room, room);
      if (take <= 0) {
        return;
      }
      if (deferredTurn && deferredScan) {
        List<MessageState> due = projection.dueDeferred(deferredScanBound, take,
            id -> notActive(id) && !deferredInFlushPass.contains(id));
        if (flushPass && flushSite != null) {
          List<MessageState> forSite = new ArrayList<>(due.size());
          for (MessageState s : due) {
            if (hasPendingRecipientIn(s, flushSite)) {
              forSite.add(s);
            } else {
              deferredInFlushPass.add(s.queueId()); // not for this site: passed over, once
            }
          }
          admitAll(forSite);
        } else {
          admitAll(due);
        }
        if (due.size() < take) {
          deferredScan = false; // this queue run is complete
          flushPass = false;
          flushSite = null;
          deferredInFlushPass.clear();
          deferredScanBound = 0;
        }
      } else if (!deferredTurn && incomingBacklog) {
        List<MessageState> in = projection.incoming(incomingCursor, take, this::notActive);
        int taken = admitAll(in);
        if (taken > 0) {
          incomingCursor = Math.max(incomingCursor, in.get(taken - 1).index());
        }
        if (in.size() < take && taken == in.size()) {
          incomingBacklog = false;
        }
      }
    }
  }

  private int admitAll(List<MessageState> states) {
    int taken = 0;
    for (MessageState s : states) {
      if (!hasRoom(s.pending().size())) {
        break;
      }
      admit(s);
      taken++;
    }
    return taken;
  }

  private boolean notActive(QueueId id) {
    return !active.containsKey(id) && !finishing.contains(id);
  }

  /** Starts a queue run: deferred mail due by now is taken in as room allows. */
  private void scanDeferredSoon() {
    long now = clock.millis();
    deferredScanBound = Math.max(deferredScanBound, now); // a flush pass keeps its bound
    deferredScan = true;
    nextDeferredScan = now + settings.queueRunDelay;
  }

  // ------------------------------------------------------------------------------------------
  // Dispatch
  // ------------------------------------------------------------------------------------------

  private void run() {
    refill();
    pump();
  }

  private void touch(Destination d) {
    if (!d.queued && d.hasWork() && !d.dead()) {
      d.queued = true;
      runQueue.add(d);
    } else {
      forgetIfIdle(d);
    }
  }

  /** An idle, healthy destination not in the run queue is dropped (its window starts over). */
  private void forgetIfIdle(Destination d) {
    if (d.disposable() && !d.queued) {
      destinations.remove(d.route, d); // only this object: a newer one may hold the route
    }
  }

  private void pump() {
    long now = clock.millis();
    while (inFlight.size() < settings.processLimit) {
      Destination d = runQueue.poll();
      if (d == null) {
        return;
      }
      d.queued = false;
      if (!d.runnable(now)) {
        if (!d.dead() && d.hasWork() && d.inFlight < d.windowSlots()) {
          rateDelayed.add(d); // waits for default_destination_rate_delay
        } else {
          forgetIfIdle(d);
        }
        continue;
      }
      dispatchOne(d, now);
      touch(d);
    }
  }

  private void dispatchOne(Destination d, long now) {
    Destination.Entry entry = d.entries.poll();
    int limit = d.limits.recipientLimit();
    List<DeliveryRecipient> group = new ArrayList<>(Math.min(limit, entry.recipients.size()));
    MessageState s = entry.message.state;
    while (group.size() < limit && !entry.recipients.isEmpty()) {
      int index = entry.recipients.poll();
      group.add(new DeliveryRecipient(index, s.recipients().get(index)));
    }
    if (!entry.recipients.isEmpty()) {
      d.entries.add(entry); // round robin between the messages of this destination
    }
    if (d.inFlight >= d.windowSlots()) {
      throw new IllegalStateException(d.route + ": window " + d.window + " is full");
    }
    d.inFlight++;
    d.nextDispatchAt = d.limits.rateDelayMillis() > 0 ? now + d.limits.rateDelayMillis() : 0;
    long id = nextDispatchId++;
    inFlight.put(id, new InFlight(d, entry.message, group, now));
    port.dispatch(new Dispatch(id, s, d.route, group));
  }

  // ------------------------------------------------------------------------------------------
  // Outcomes
  // ------------------------------------------------------------------------------------------

  private static DeliveryResult failedAgent(InFlight f) {
    List<RecipientOutcome> outcomes = new ArrayList<>();
    for (DeliveryRecipient r : f.recipients) {
      outcomes.add(new RecipientOutcome(r.index(), r.address(), DeliveryStatus.DEFERRED, "4.3.0",
          "delivery agent failed"));
    }
    return new DeliveryResult("none", false, outcomes, null);
  }

  private RecipientOutcome suspendedOutcome(Destination d, int index, String address) {
    return new RecipientOutcome(index, address, DeliveryStatus.DEFERRED, d.lastFailureDsn,
        "delivery temporarily suspended: " + d.lastFailure);
  }

  private void markDead(Destination d, long now) {
    d.deadUntil = now + settings.transportRetryTime;
    log.warn("{}: destination is dead until transport_retry_time passes: {}", d.route,
        d.lastFailure);
    // Its waiting mail is deferred, not bounced.
    Map<ActiveMessage, List<RecipientOutcome>> byMessage = new LinkedHashMap<>();
    for (Destination.Entry e : d.entries) {
      for (int index : e.recipients) {
        byMessage.computeIfAbsent(e.message, k -> new ArrayList<>()).add(
            suspendedOutcome(d, index, e.message.state.recipients().get(index).address()));
      }
    }
    d.entries.clear();
    byMessage.forEach((m, outcomes) -> {
      DeliveryLog.log(m.state, d.route, "none", outcomes, now, now, null);
      journalOutcomes(m, "none", outcomes, now);
    });
  }

  /**
   * Journals the outcomes of some recipients of an active message: deferrals past the queue
   * lifetime become bounces ({@code 4.4.7 message expired}).
   */
  private void journalOutcomes(ActiveMessage m, String relay, List<RecipientOutcome> outcomes,
      long now) {
    MessageState s = m.state;
    long lifetime = s.sender().isEmpty() ? settings.bounceQueueLifetime
        : settings.maximalQueueLifetime;
    boolean expired = now - s.arrivalTime() >= lifetime;
    List<RecipientResult> sent = new ArrayList<>();
    List<RecipientResult> deferred = new ArrayList<>();
    List<RecipientResult> bounced = new ArrayList<>();
    for (RecipientOutcome o : outcomes) {
      m.awaiting.add(o.index());
      switch (o.status()) {
        case SENT -> sent.add(new RecipientResult(o.index(), o.address(), o.dsn(), o.reply()));
        case BOUNCED -> bounced.add(new RecipientResult(o.index(), o.address(), o.dsn(),
            o.reply()));
        case DEFERRED -> {
          if (expired) {
            bounced.add(new RecipientResult(o.index(), o.address(), "4.4.7",
                "message expired: " + o.reply()));
          } else {
            deferred.add(new RecipientResult(o.index(), o.address(), o.dsn(), o.reply()));
          }
        }
      }
    }
    if (!sent.isEmpty()) {
      sink.append(new JournalRecord.Delivered(s.queueId(), now, relay, sent));
    }
    if (!deferred.isEmpty()) {
      sink.append(new JournalRecord.Deferred(s.queueId(), now, relay,
          backoff.nextAttempt(s.arrivalTime(), now), deferred));
    }
    if (!bounced.isEmpty()) {
      sink.append(new JournalRecord.Bounced(s.queueId(), now, relay, bounced));
    }
  }

  private void resultsBack(ActiveMessage m, List<RecipientResult> results) {
    if (m == null) {
      return;
    }
    for (RecipientResult r : results) {
      if (m.awaiting.remove(r.index())) {
        m.outstanding--;
      }
    }
    maybeLeave(m);
  }

  private void cancel(ActiveMessage m) {
    if (m == null || m.cancelled) {
      return;
    }
    m.cancelled = true;
    for (Destination d : m.destinations) {
      m.outstanding -= d.remove(m);
      touch(d);
    }
    maybeLeave(m);
  }

  /** A message with nothing outstanding leaves the active window. */
  private void maybeLeave(ActiveMessage m) {
    if (m.outstanding > 0) {
      return;
    }
    QueueId id = m.state.queueId();
    active.remove(id);
    activeRecipients -= m.recipientCount();
    m.destinations.forEach(this::forgetIfIdle);
    MessageState now = projection.get(id);
    if (now == null) {
      return;
    }
    if (now.pending().isEmpty()) {
      finish(now);
    } else if (now.held()) {
      return;
    } else if (now.isIncoming()) {
      // Left with recipients never tried (held and released while active): it is back in the
      // incoming index, possibly behind the cursor.
      incomingCursor = Math.min(incomingCursor, now.index() - 1);
      incomingBacklog = true;
    } else {
      notices.deferred(now);
    }
  }

  /** Every recipient is final: notices, then Done. */
  private void finish(MessageState s) {
    if (finishing.contains(s.queueId())) {
      return;
    }
    if (!notices.finished(s)) {
      awaitingNotices.add(s.queueId());
      return;
    }
    finishing.add(s.queueId());
    sink.append(new JournalRecord.Done(s.queueId(), clock.millis()));
  }

  /**
   * At start: messages whose recipients are all final but whose Done was never journaled (a
   * crash between the last result and the Done) are finished now.
   */
  public void finishStragglers(Iterable<MessageState> finished) {
    for (MessageState s : finished) {
      if (s.pending().isEmpty() && !active.containsKey(s.queueId())) {
        finish(s);
      }
    }
  }

  /** Checks the window's bookkeeping (tests and properties). */
  public void checkInvariants() {
    int recipients = 0;
    for (ActiveMessage m : active.values()) {
      recipients += m.recipientCount();
      if (m.outstanding < 0) {
        throw new IllegalStateException(m.state.queueId() + ": outstanding < 0");
      }
    }
    if (recipients != activeRecipients) {
      throw new IllegalStateException("active recipients " + activeRecipients + " != "
          + recipients);
    }
  }
}
