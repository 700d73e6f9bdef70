package io.gannet.journal;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Bounced;
import io.gannet.journal.JournalRecord.Deferred;
import io.gannet.journal.JournalRecord.Deleted;
import io.gannet.journal.JournalRecord.Delivered;
import io.gannet.journal.JournalRecord.Done;
import io.gannet.journal.JournalRecord.Held;
import io.gannet.journal.JournalRecord.Moved;
import io.gannet.journal.JournalRecord.NoticeKind;
import io.gannet.journal.JournalRecord.NoticeQueued;
import io.gannet.journal.JournalRecord.RecipientResult;
import io.gannet.journal.JournalRecord.Released;
import io.gannet.journal.JournalRecord.Requeued;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * A deterministic stream of plausible journal records over many messages (every record type,
 * interleaved), for projection tests: replaying it from anywhere must agree with folding it.
 */
final class ProjectionWorkload {

  static final long T0 = 1_700_000_000_000L;

  private ProjectionWorkload() {}

  /** What the generator remembers of a live message. */
  private static final class Live {
    final Accepted accepted;
    final TreeSet<Integer> pending = new TreeSet<>();
    int attempts;
    long nextAttempt;
    boolean held;
    int notices;

    Live(Accepted a) {
      accepted = a;
      for (int i = 0; i < a.recipients().size(); i++) {
        pending.add(i);
      }
    }
  }

  /**
   * Records for {@code messages} messages (ids {@code Records.id(first..)}); some stay live at
   * the end. Every {@code bigEvery}-th message has content of {@code bigSize} bytes (chunked
   * when the journal's chunk size is smaller), the others a few hundred bytes.
   */
  static List<JournalRecord> records(long seed, int first, int messages, int bigEvery,
      int bigSize) {
    Random rnd = new Random(seed);
    List<JournalRecord> out = new ArrayList<>();
    Map<QueueId, Live> live = new LinkedHashMap<>();
    List<QueueId> ids = new ArrayList<>();
    int created = 0;
    long now = T0;
    int tail = 0;
    while (created < messages || (!live.isEmpty() && tail++ < messages / 2)) {
      now += rnd.nextInt(1000);
      if (created < messages && (live.isEmpty() || rnd.nextInt(3) == 0)) {
        int n = first + created++;
        int size = bigEvery > 0 && n % bigEvery == 0 ? bigSize : 100 + rnd.nextInt(400);
        Accepted a = Records.accepted(n, size);
        out.add(a);
        live.put(a.queueId(), new Live(a));
        ids.add(a.queueId());
        continue;
      }
      if (live.isEmpty()) {
        break;
      }
      QueueId id = ids.get(rnd.nextInt(ids.size()));
      Live m = live.get(id);
      if (m == null) {
        ids.remove(id);
        continue;
      }
      JournalRecord r = step(rnd, id, m, now);
      if (r instanceof Done) {
        live.remove(id);
        ids.remove(id);
      }
      out.add(r);
    }
    return out;
  }

  private static JournalRecord step(Random rnd, QueueId id, Live m, long now) {
    if (m.pending.isEmpty()) {
      if (rnd.nextInt(4) == 0) {
        return notice(rnd, id, m, now);
      }
      return new Done(id, now);
    }
    int p = m.pending.first() + rnd.nextInt(m.pending.last() - m.pending.first() + 1);
    Integer rcpt = m.pending.ceiling(p);
    String addr = m.accepted.recipients().get(rcpt).address();
    switch (rnd.nextInt(12)) {
      case 0, 1, 2:
        m.pending.remove(rcpt);
        return new Delivered(id, now, "mx.example[192.0.2.1]:25",
            List.of(new RecipientResult(rcpt, addr, "2.0.0", "250 ok " + now)));
      case 3:
        m.pending.remove(rcpt);
        return new Bounced(id, now, "mx.example[192.0.2.1]:25",
            List.of(new RecipientResult(rcpt, addr, "5.1.1", "550 no such user")));
      case 4, 5, 6: {
        m.attempts++;
        m.nextAttempt = now + 300_000 + rnd.nextInt(4_000_000);
        List<RecipientResult> rs = new ArrayList<>();
        for (int i : m.pending) {
          rs.add(new RecipientResult(i, m.accepted.recipients().get(i).address(), "4.4.1",
              "451 try later " + rnd.nextInt(100)));
        }
        return new Deferred(id, now, "mx.example[192.0.2.1]:25", m.nextAttempt, rs);
      }
      case 7:
        if (m.held) {
          m.held = false;
          if (m.attempts > 0 || m.nextAttempt != 0) {
            m.nextAttempt = now;
          }
          return new Released(id, now);
        }
        m.held = true;
        return new Held(id, now, "admin");
      case 8:
        return notice(rnd, id, m, now);
      case 9:
        m.attempts = 0;
        m.nextAttempt = 0;
        return new Requeued(id, now);
      case 10:
        if (rnd.nextInt(3) == 0) {
          m.pending.clear();
          return new Deleted(id, now, "postsuper -d");
        }
        return new Moved(id, now, 0, m.accepted, List.copyOf(m.pending), m.attempts,
            m.nextAttempt, m.held, m.notices);
      default:
        m.pending.remove(rcpt);
        return new Delivered(id, now, "local", List.of(new RecipientResult(rcpt, addr, "2.0.0",
            "delivered to mailbox")));
    }
  }

  private static JournalRecord notice(Random rnd, QueueId id, Live m, long now) {
    NoticeKind k = NoticeKind.values()[rnd.nextInt(NoticeKind.values().length)];
    m.notices |= 1 << k.ordinal();
    return new NoticeQueued(id, now, k, Records.id(9_000_000 + rnd.nextInt(1000)), List.of(0));
  }

  /** The fold of {@code entries} from nothing: the model a projection must equal. */
  static Map<QueueId, MessageState> fold(List<JournalEntry> entries) {
    Map<QueueId, MessageState> states = new HashMap<>();
    for (JournalEntry e : entries) {
      if (e.isCorrupt()) {
        continue;
      }
      QueueId id = e.record().queueId();
      MessageState after = ProjectionFold.apply(states.get(id), e);
      if (after == null) {
        states.remove(id);
      } else {
        states.put(id, after);
      }
    }
    return states;
  }
}
