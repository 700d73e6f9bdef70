package io.gannet.journal;

import io.gannet.global.QueueId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The queue projection held in memory: the same fold ({@link ProjectionFold}) and the same index
 * rules as the RocksDB one, without persistence. For replays that must not touch the queue
 * ({@code gannet queue --at TIME}), for model-based tests of the scheduler, and as the reference
 * a persistent projection is compared with.
 */
public final class MemoryQueueProjection implements QueueProjection {

  private record DeferredKey(long nextAttempt, QueueId id) {}

  private static final Comparator<DeferredKey> DEFERRED_ORDER =
      Comparator.comparingLong(DeferredKey::nextAttempt).thenComparing(DeferredKey::id);

  private final NavigableMap<QueueId, MessageState> messages = new TreeMap<>();
  private final NavigableMap<Long, QueueId> incoming = new TreeMap<>();
  private final TreeSet<DeferredKey> deferred = new TreeSet<>(DEFERRED_ORDER);
  private final Map<QueueId, Object> indexKey = new HashMap<>();
  private long checkpoint = -1;

  /** Nothing to write: a memory projection does not survive its process anyway. */
  @Override
  public long flushDurable() {
    return checkpoint();
  }

  @Override
  public long checkpoint() {
    return checkpoint;
  }

  @Override
  public void apply(List<JournalEntry> entries) {
    for (JournalEntry e : entries) {
      if (e.index() <= checkpoint) {
        continue;
      }
      checkpoint = e.index();
      if (e.isCorrupt()) {
        continue;
      }
      for (QueueId id : ProjectionFold.subjects(e)) {
        put(id, ProjectionFold.apply(id, messages.get(id), e));
      }
    }
  }

  private void put(QueueId id, MessageState s) {
    Object old = indexKey.remove(id);
    if (old instanceof Long index) {
      incoming.remove(index);
    } else if (old instanceof DeferredKey key) {
      deferred.remove(key);
    }
    if (s == null) {
      messages.remove(id);
      return;
    }
    messages.put(id, s);
    if (s.held() || s.pending().isEmpty()) {
      return;
    }
    if (s.isIncoming()) {
      incoming.put(s.index(), id);
      indexKey.put(id, s.index());
    } else {
      DeferredKey key = new DeferredKey(s.nextAttempt(), id);
      deferred.add(key);
      indexKey.put(id, key);
    }
  }

  @Override
  public long catchUp(JournalReader reader) {
    if (checkpoint >= 0) {
      if (!reader.seek(checkpoint)) {
        reader.toStart();
      } else {
        reader.next(); // the checkpoint itself is applied
      }
    } else {
      reader.toStart();
    }
    long n = 0;
    List<JournalEntry> batch = new ArrayList<>();
    JournalEntry e;
    while ((e = reader.next()) != null) {
      batch.add(e);
      n++;
      if (batch.size() == 1024) {
        apply(batch);
        batch.clear();
      }
    }
    apply(batch);
    return n;
  }

  @Override
  public MessageState get(QueueId queueId) {
    return messages.get(queueId);
  }

  @Override
  public List<MessageState> messages(QueueId after, int limit) {
    List<MessageState> out = new ArrayList<>();
    for (MessageState s : (after == null ? messages : messages.tailMap(after, false)).values()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(s);
    }
    return out;
  }

  @Override
  public List<MessageState> incoming(long afterIndex, int limit, Predicate<QueueId> accept) {
    List<MessageState> out = new ArrayList<>();
    for (QueueId id : incoming.tailMap(afterIndex, false).values()) {
      if (out.size() >= limit) {
        break;
      }
      if (accept.test(id)) {
        out.add(messages.get(id));
      }
    }
    return out;
  }

  @Override
  public List<MessageState> dueDeferred(long dueBy, int limit, Predicate<QueueId> accept) {
    List<MessageState> out = new ArrayList<>();
    for (DeferredKey k : deferred) {
      if (k.nextAttempt() > dueBy || out.size() >= limit) {
        break;
      }
      if (accept.test(k.id())) {
        out.add(messages.get(k.id()));
      }
    }
    return out;
  }

  @Override
  public long size() {
    return messages.size();
  }

  /** Every live message's state, in queue id order (for comparing projections). */
  public List<MessageState> all() {
    return List.copyOf(messages.values());
  }

  @Override
  public void close() {}
}
