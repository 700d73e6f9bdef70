package io.gannet.qmgr;

import io.gannet.global.DeliveryAgent;
import io.gannet.global.DeliveryRequest;
import io.gannet.global.DeliveryResult;
import io.gannet.global.QueueId;
import io.gannet.journal.Journal;
import io.gannet.journal.JournalCycles;
import io.gannet.journal.JournalEntry;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.MessageContent;
import io.gannet.journal.MessageState;
import io.gannet.journal.QueueProjection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Qmgr} on its own thread: tails the journal (applying each batch to the projection,
 * then to the scheduler), runs the inbox of results and admin commands, ticks the timers, and
 * connects the scheduler to the delivery agents (loading each message's content from the
 * journal).
 *
 * <p>At start the projection catches up with the journal from its checkpoint; the scheduler then
 * takes mail from the projection's indexes, so a restart reads only what the projection missed.
 *
 * <p>Given the journal's {@link JournalCycles}, it also drives retention: a {@link RetentionPass}
 * every {@code journal_retention_interval}, one bounded step per tick.
 */
public final class QmgrService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("io.gannet.qmgr");
  private static final int TAIL_BATCH = 1024;
  /** Content up to this size is read on the scheduler thread; larger by the loader pool. */
  private static final int INLINE_LOAD_LIMIT = 256 * 1024;
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Journal journal;
  private final QueueProjection projection;
  private final Function<String, DeliveryAgent> agents;
  private final Qmgr qmgr;
  /** Null when the journal has no cycles to retire (retention off). */
  private final RetentionPass retention;
  private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private final ExecutorService loaders;
  private final ThreadLocal<JournalReader> loaderReaders;
  private final AtomicInteger deliveriesInFlight = new AtomicInteger();
  private final Thread thread;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private volatile boolean running = true;
  private JournalReader tail;
  /** The next entry of the tail, read before its append was durable; taken once it is. */
  private JournalEntry notYetDurable;
  private JournalReader contentReader;
  private QueueId stragglerCursor;
  private boolean stragglersDone;

  /**
   * @param agents the delivery agent of a master.cf transport name, or {@code null} when there
   *     is none (its mail is deferred: "mail transport unavailable")
   */
  public QmgrService(QmgrSettings settings, Journal journal, QueueProjection projection,
      RecipientResolver resolver, Function<String, DeliveryAgent> agents, NoticeHook notices,
      Clock clock, RandomGenerator random) {
    this(settings, journal, null, projection, resolver, agents, notices, clock, random);
  }

  /**
   * As above, with journal retention: {@code cycles} is the journal's view of its cycles
   * (normally the same {@code ChronicleJournal}); {@code null} turns retention off.
   */
  public QmgrService(QmgrSettings settings, Journal journal, JournalCycles cycles,
      QueueProjection projection, RecipientResolver resolver,
      Function<String, DeliveryAgent> agents, NoticeHook notices, Clock clock,
      RandomGenerator random) {
    this.journal = journal;
    this.projection = projection;
    this.agents = agents;
    this.qmgr = new Qmgr(settings, projection, resolver, this::dispatch, this::append, notices,
        clock, random);
    this.retention = cycles == null ? null : new RetentionPass(journal, cycles, projection, qmgr,
        clock, settings.retentionInterval, settings.keepCycles);
    this.loaders = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "qmgr-loader");
      t.setDaemon(true);
      return t;
    });
    this.loaderReaders = ThreadLocal.withInitial(journal::reader);
    this.thread = new Thread(this::loop, "qmgr");
    this.thread.setDaemon(true);
  }

  /** Starts the scheduler thread; completes once the projection caught up with the journal. */
  public CompletableFuture<Void> start() {
    thread.start();
    return started;
  }

  /** Runs {@code action} on the scheduler thread with the scheduler (admin commands, queries). */
  public <T> CompletableFuture<T> call(Function<Qmgr, T> action) {
    CompletableFuture<T> f = new CompletableFuture<>();
    submit(() -> {
      try {
        f.complete(action.apply(qmgr));
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  /**
   * Runs a journal retention pass now (admin command, tests); completes with what it did when it
   * ends. Fails when retention is off.
   */
  public CompletableFuture<RetentionPass.Result> retentionPass() {
    if (retention == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("journal retention is off (no journal cycles)"));
    }
    CompletableFuture<RetentionPass.Result> f = new CompletableFuture<>();
    submit(() -> retention.requestPass().whenComplete((r, e) -> {
      if (e != null) {
        f.completeExceptionally(e);
      } else {
        f.complete(r);
      }
    }));
    return f;
  }

  private void submit(Runnable r) {
    inbox.add(r);
    java.util.concurrent.locks.LockSupport.unpark(thread);
  }

  // ------------------------------------------------------------------------------------------

  private void loop() {
    try {
      tail = journal.reader();
      contentReader = journal.reader();
      long t0 = System.nanoTime();
      long caught = projection.catchUp(tail);
      log.info("projection caught up: {} journal records applied in {} ms, checkpoint {}",
          caught, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
          projection.checkpoint());
      started.complete(null);
    } catch (RuntimeException e) {
      log.error("qmgr cannot start: {}", e.toString(), e);
      started.completeExceptionally(e);
      return;
    }
    long nextTick = 0;
    List<JournalEntry> batch = new ArrayList<>(TAIL_BATCH);
    while (running) {
      boolean busy = false;
      try {
        Runnable r;
        while ((r = inbox.poll()) != null) {
          r.run();
          busy = true;
        }
        // Only what is durable: the tail can see a record in the mapped file before its sync
        // completes, and nothing may be delivered or projected that a power loss could undo.
        long durable = journal.lastIndex();
        JournalEntry e;
        while (batch.size() < TAIL_BATCH
            && (e = notYetDurable != null ? notYetDurable : tail.next()) != null) {
          if (e.index() > durable) {
            notYetDurable = e;
            break;
          }
          notYetDurable = null;
          if (e.isCorrupt()) {
            log.warn("journal index {}: skipped: {}", e.index(), e.corrupt());
          }
          batch.add(e);
        }
        if (!batch.isEmpty()) {
          projection.apply(batch);
          for (JournalEntry entry : batch) {
            qmgr.onJournal(entry);
          }
          batch.clear();
          busy = true;
        }
        long now = System.nanoTime();
        if (now - nextTick >= 0) {
          qmgr.tick();
          nextTick = now + TICK_NANOS;
          if (!stragglersDone) {
            finishSomeStragglers();
          }
          if (retention != null) {
            retention.step();
          }
        }
      } catch (RuntimeException ex) {
        log.error("qmgr: {}", ex.toString(), ex);
        batch.clear();
      }
      if (!busy) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      }
    }
  }

  /** Paced scan for messages that lost their Done in a crash (see Qmgr#finishStragglers). */
  private void finishSomeStragglers() {
    List<MessageState> page = projection.messages(stragglerCursor, 1000);
    if (page.isEmpty()) {
      stragglersDone = true;
      return;
    }
    stragglerCursor = page.get(page.size() - 1).queueId();
    qmgr.finishStragglers(page.stream().filter(s -> s.pending().isEmpty()).toList());
    if (page.size() < 1000) {
      stragglersDone = true;
    }
  }

  private void append(JournalRecord record) {
    journal.append(record).whenComplete((index, err) -> {
      if (err != null) {
        submit(() -> qmgr.onAppendFailed(record, err));
      }
    });
  }

  private void dispatch(Dispatch d) {
    DeliveryAgent agent = agents.apply(d.route().transport());
    if (agent == null) {
      log.warn("{}: to=<{}>, relay=none, status=deferred (mail transport unavailable: {})",
          d.message().queueId(), d.recipients().get(0).address(), d.route().transport());
      long id = d.id();
      DeliveryResult unavailable = new DeliveryResult("none", false, d.recipients().stream()
          .map(r -> new io.gannet.global.RecipientOutcome(r.index(), r.address(),
              io.gannet.global.DeliveryStatus.DEFERRED, "4.3.0",
              "mail transport unavailable: " + d.route().transport()))
          .toList(), null);
      submit(() -> qmgr.onResult(id, unavailable));
      return;
    }
    deliveriesInFlight.incrementAndGet();
    if (d.message().size() <= INLINE_LOAD_LIMIT) {
      deliver(agent, d, load(contentReader, d));
    } else {
      loaders.execute(() -> deliver(agent, d, load(loaderReaders.get(), d)));
    }
  }

  private static byte[] load(JournalReader reader, Dispatch d) {
    JournalRecord.Accepted a = MessageContent.read(reader, d.message());
    return a == null ? null : a.content();
  }

  private void deliver(DeliveryAgent agent, Dispatch d, byte[] content) {
    long id = d.id();
    if (content == null) {
      log.error("{}: content not found at journal index {}", d.message().queueId(),
          d.message().index());
      deliveriesInFlight.decrementAndGet();
      submit(() -> qmgr.onResult(id, null));
      return;
    }
    MessageState s = d.message();
    DeliveryRequest request = new DeliveryRequest(s.queueId(), s.arrivalTime(),
        d.route().transport(), d.route().nexthop(), s.sender(), s.envid(), s.ret(), s.body(),
        s.smtputf8(), d.recipients(), content);
    try {
      agent.deliver(request).whenComplete((result, err) -> {
        deliveriesInFlight.decrementAndGet();
        if (err != null) {
          log.error("{}: delivery agent {} failed: {}", s.queueId(), d.route().transport(),
              err.toString());
        }
        DeliveryResult r = err == null ? result : null;
        submit(() -> qmgr.onResult(id, r));
      });
    } catch (RuntimeException e) {
      deliveriesInFlight.decrementAndGet();
      log.error("{}: delivery agent {} failed: {}", s.queueId(), d.route().transport(),
          e.toString());
      submit(() -> qmgr.onResult(id, null));
    }
  }

  /** Deliveries handed to agents and not answered yet. */
  public int deliveriesInFlight() {
    return deliveriesInFlight.get();
  }

  /** Stops scheduling; in-flight deliveries are abandoned (their mail stays queued). */
  @Override
  public void close() {
    running = false;
    java.util.concurrent.locks.LockSupport.unpark(thread);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    loaders.shutdownNow();
    if (retention != null) {
      retention.close();
    }
    if (tail != null) {
      tail.close();
    }
    if (contentReader != null) {
      contentReader.close();
    }
  }
}
