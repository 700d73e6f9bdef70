package io.gannet.journal;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;

/**
 * What the journal implies about one live message: its envelope (without content), where its
 * content lies in the journal, and its delivery state. The RocksDB projection stores one per
 * message; qmgr and showq read it. Immutable; {@link ProjectionFold} computes the next state.
 *
 * @param index journal index of the record holding the content: the {@code Accepted} record, or
 *     the latest {@code Moved} record
 * @param pending indexes (into {@code recipients}) not yet delivered, bounced or deleted
 * @param attempts delivery attempts that deferred (one per {@code Deferred} record)
 * @param nextAttempt epoch millis of the next attempt; 0 for a message never deferred
 * @param noticesQueued bits by {@code NoticeKind.ordinal()}
 * @param reasons per recipient index: for a pending recipient its last deferral reply (for
 *     mailq); for a delivered or bounced one {@code "DSN reply"} of its final outcome (for
 *     notices)
 * @param bounced indexes of recipients that bounced (for the bounce notice)
 * @param delivered indexes of recipients delivered (for success notices)
 */
public record MessageState(
    QueueId queueId,
    long index,
    long arrivalTime,
    ClientInfo client,
    String sender,
    String envid,
    DsnRet ret,
    BodyType body,
    boolean smtputf8,
    long size,
    List<Recipient> recipients,
    SortedSet<Integer> pending,
    int attempts,
    long nextAttempt,
    boolean held,
    int noticesQueued,
    Map<Integer, String> reasons,
    SortedSet<Integer> bounced,
    SortedSet<Integer> delivered) {

  public MessageState {
    Objects.requireNonNull(queueId, "queueId");
    recipients = List.copyOf(recipients);
    pending = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(pending));
    reasons = Map.copyOf(reasons);
    bounced = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(bounced));
    delivered = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(delivered));
  }

  /** Never deferred: the message is in Postfix's incoming queue. */
  public boolean isIncoming() {
    return attempts == 0 && nextAttempt == 0;
  }

  public boolean noticeQueued(JournalRecord.NoticeKind kind) {
    return (noticesQueued & (1 << kind.ordinal())) != 0;
  }
}
