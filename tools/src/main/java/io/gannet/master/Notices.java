package io.gannet.master;

import io.gannet.bounce.ComposedNotice;
import io.gannet.bounce.DueNotice;
import io.gannet.bounce.NoticeComposer;
import io.gannet.bounce.NoticePolicy;
import io.gannet.bounce.NoticeRequest;
import io.gannet.bounce.RecipientReport;
import io.gannet.global.QueueId;
import io.gannet.global.QueueIdGenerator;
import io.gannet.journal.Journal;
import io.gannet.journal.JournalReader;
import io.gannet.journal.JournalRecord;
import io.gannet.journal.MessageContent;
import io.gannet.journal.MessageState;
import io.gannet.journal.QueueProjection;
import io.gannet.qmgr.NoticeHook;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postfix's bounce, defer and trace services as qmgr meets them: when a message is finished (or
 * leaves the active window deferred), the notices due ({@link NoticePolicy}) are composed
 * ({@link NoticeComposer}) and queued as new messages from the null sender.
 *
 * <p>Exactly once: a notice's queue id is derived from the message's ({@link
 * JournalRecord.NoticeKind#noticeId}, one per kind), its {@code Accepted} record is journaled
 * first and the message's {@code NoticeQueued} right after it. The projection learns from either
 * record that the notice is queued ({@code ProjectionFold}: a notice's own {@code Accepted} sets
 * the kind's bit on the original), so a crash between the two appends never queues it again, even
 * when the notice was delivered and forgotten before the original is looked at again. (A notice
 * about a notice, a double bounce, gets a fresh id: at most once more after such a crash.)
 *
 * <p>Runs on qmgr's thread: it reads the original content with its own journal reader. Public for
 * the property suite, which runs it against a journal whose appends it can cut.
 */
public final class Notices implements NoticeHook {
  private static final Logger log = LoggerFactory.getLogger("gannet/bounce");
  private static final Pattern DSN = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3}) (.*)$",
      Pattern.DOTALL);

  private final NoticePolicy policy;
  private final NoticeComposer composer;
  private final Journal journal;
  private final QueueProjection projection;
  private final Clock clock;
  private final QueueIdGenerator ids;
  /**
   * Notices written by this process whose records have not come back yet, by message and kind (a
   * double bounce has a fresh id each time it is composed, so the key is never the notice's id).
   */
  private final Set<Written> queued = ConcurrentHashMap.newKeySet();

  private record Written(QueueId message, JournalRecord.NoticeKind kind) {}
  private JournalReader reader;

  /**
   * @param journal where notices and {@code NoticeQueued} are appended, and the original's
   *     content is read from
   * @param projection the queue projection qmgr runs on (to find a notice already queued)
   */
  public Notices(NoticePolicy policy, NoticeComposer composer, Journal journal,
      QueueProjection projection, Clock clock) {
    this.policy = policy;
    this.composer = composer;
    this.journal = journal;
    this.projection = projection;
    this.clock = clock;
    this.ids = new QueueIdGenerator(clock);
  }

  @Override
  public boolean finished(MessageState message) {
    List<DueNotice> due = policy.due(message);
    forgetApplied(message, due);
    if (due.isEmpty()) {
      return true;
    }
    for (DueNotice d : due) {
      queue(message, d);
    }
    return false; // asked again once the NoticeQueued records are applied
  }

  @Override
  public void deferred(MessageState message) {
    for (DueNotice d : policy.due(message)) {
      if (d.kind() == JournalRecord.NoticeKind.DELAY) {
        queue(message, d);
      }
    }
  }

  private void queue(MessageState message, DueNotice due) {
    QueueId noticeId = due.kind().noticeId(message.queueId());
    Written key = new Written(message.queueId(), due.kind());
    if (queued.contains(key)) {
      return; // written, on its way back through the tail
    }
    long now = clock.millis();
    if (noticeId == null || projection.get(noticeId) == null) {
      byte[] content = content(message);
      if (content == null) {
        log.error("{}: cannot read the message content at journal index {}; no {} notice",
            message.queueId(), message.index(), due.kind().name().toLowerCase());
        content = new byte[0];
      }
      QueueId id = noticeId != null ? noticeId : ids.next();
      ComposedNotice notice = composer.compose(
          NoticeRequest.of(due, message, reports(message, due), content), id);
      journal.append(notice.accepted(now));
      log.info("{}: sender {} notification: {}", message.queueId(),
          switch (due.kind()) {
            case BOUNCE -> "non-delivery";
            case DELAY -> "delay";
            case SUCCESS -> "delivery status";
          }, id);
      noticeId = id;
    }
    queued.add(key);
    journal.append(new JournalRecord.NoticeQueued(message.queueId(), now, due.kind(), noticeId,
        due.recipients())).whenComplete((index, err) -> {
          if (err != null) {
            log.error("{}: cannot journal the queued {} notice: {}", message.queueId(),
                due.kind(), err.toString());
            queued.remove(key); // asked again on a later tick
          }
        });
  }

  /** Forgets the notices of {@code message} that are no longer due (their records are applied). */
  private void forgetApplied(MessageState message, List<DueNotice> due) {
    for (JournalRecord.NoticeKind kind : JournalRecord.NoticeKind.values()) {
      if (due.stream().noneMatch(d -> d.kind() == kind)) {
        queued.remove(new Written(message.queueId(), kind));
      }
    }
  }

  /** What each reported recipient's final (or last) outcome was, from the projection. */
  private static Map<Integer, RecipientReport> reports(MessageState message, DueNotice due) {
    Map<Integer, RecipientReport> out = new HashMap<>();
    for (int i : due.recipients()) {
      String reason = message.reasons().get(i);
      if (reason == null) {
        continue;
      }
      boolean bounced = message.bounced().contains(i);
      boolean delivered = message.delivered().contains(i);
      String dsn = bounced ? "5.0.0" : delivered ? "2.0.0" : "4.0.0";
      String reply = reason;
      Matcher m = DSN.matcher(reason);
      if ((bounced || delivered) && m.matches()) {
        dsn = m.group(1);
        reply = m.group(2);
      }
      out.put(i, new RecipientReport(i, dsn, reply, ""));
    }
    return out;
  }

  private byte[] content(MessageState message) {
    if (reader == null) {
      reader = journal.reader();
    }
    JournalRecord.Accepted a = MessageContent.read(reader, message);
    return a == null ? null : a.content();
  }
}
