package io.gannet.props.journal;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import io.gannet.journal.JournalRecord;
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
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * Generators of journal records over their whole valid domain, for the properties of this package
 * and of {@code io.gannet.journal} in props/.
 *
 * <p>The domains are those the record constructors accept, narrowed only where the codec documents
 * a limit of its own ({@code RecordCodec.MAX_RECIPIENTS} for recipient indexes and counts; {@code
 * Moved.noticesQueued} holds one bit per {@link NoticeKind}; counts are not negative). Values
 * outside the codec's limits that the constructors still accept are the subject of {@code
 * RecordDomainProperties}, not of the round trip.
 *
 * <ul>
 *   <li>queue ids: {@link QueueId#of} over the full time, sequence and node ranges;
 *   <li>strings: any Unicode code points (supplementary planes included, no lone surrogates, which
 *       UTF-8 cannot carry), empty included; {@code null} where the record allows it;
 *   <li>recipients: 1..{@value #MAX_LIST} on {@code Accepted}, 0..{@value #MAX_LIST} where a list
 *       may be empty;
 *   <li>content: 0..{@code maxContent} bytes, with the chunk boundaries favoured.
 * </ul>
 */
public final class JournalArbitraries {

  /** 52^8 - 1: the largest time a queue id can print (eight base-52 digits). */
  public static final long MAX_QUEUE_ID_MILLIS = 53_459_728_531_455L;

  /** 52^3 - 1: the largest sequence number and node number of a queue id. */
  public static final int MAX_QUEUE_ID_SEQ = 140_607;

  /** The codec's bound on recipient counts and indexes (RecordCodec.MAX_RECIPIENTS). */
  public static final int MAX_RECIPIENT_INDEX = 10_000_000;

  static final int MAX_LIST = 5;
  private static final int MAX_STRING = 24;

  private JournalArbitraries() {}

  public static Arbitrary<QueueId> queueIds() {
    return Combinators.combine(
            Arbitraries.longs().between(0, MAX_QUEUE_ID_MILLIS),
            Arbitraries.integers().between(0, MAX_QUEUE_ID_SEQ),
            Arbitraries.integers().between(0, MAX_QUEUE_ID_SEQ))
        .as(QueueId::of);
  }

  /** Unicode text built from code points: ASCII, Latin, CJK, emoji and the rest of the range. */
  public static Arbitrary<String> strings() {
    Arbitrary<Integer> codePoint =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
            Tuple.of(1, Arbitraries.integers().between(0, 0x1F)),
            Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
            Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
            Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    return codePoint
        .list()
        .ofMaxSize(MAX_STRING)
        .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
  }

  public static Arbitrary<String> nullableStrings() {
    return strings().injectNull(0.25);
  }

  /** NOTIFY flags as the Recipient record allows them: none, NEVER alone, or a set of the rest. */
  public static Arbitrary<Integer> notifyFlags() {
    return Arbitraries.oneOf(
        Arbitraries.just(Recipient.NOTIFY_DEFAULT),
        Arbitraries.just(Recipient.NOTIFY_NEVER),
        Arbitraries.integers().between(1, 7).map(bits -> bits << 1));
  }

  public static Arbitrary<Recipient> recipients() {
    return Combinators.combine(strings(), nullableStrings(), notifyFlags()).as(Recipient::new);
  }

  public static Arbitrary<ClientInfo> clients() {
    return Combinators.combine(strings(), strings(), strings(), strings()).as(ClientInfo::new);
  }

  /** Content sizes 0..max, with the sizes around multiples of the chunk size favoured. */
  public static Arbitrary<byte[]> contents(int chunkSize, int maxContent) {
    Arbitrary<Integer> boundary =
        Arbitraries.integers()
            .between(1, Math.max(1, maxContent / chunkSize))
            .withDistribution(RandomDistribution.uniform())
            .flatMap(k -> Arbitraries.of(k * chunkSize - 1, k * chunkSize, k * chunkSize + 1))
            .map(n -> Math.max(0, Math.min(maxContent, n)));
    // jqwik's default integer distribution favours small values: content would rarely be chunked.
    Arbitrary<Integer> size = Arbitraries.oneOf(uniform(0, maxContent), boundary);
    return size.flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n));
  }

  public static Arbitrary<Accepted> accepted(int chunkSize, int maxContent) {
    return queueIds().flatMap(id -> accepted(id, chunkSize, maxContent));
  }

  static Arbitrary<Accepted> accepted(QueueId id, int chunkSize, int maxContent) {
    Arbitrary<Object[]> envelope =
        Combinators.combine(
                Arbitraries.longs(),
                clients(),
                strings(),
                nullableStrings(),
                Arbitraries.of(DsnRet.class),
                Arbitraries.of(BodyType.class),
                Arbitraries.of(true, false))
            .as(
                (time, client, sender, envid, ret, body, utf8) ->
                    new Object[] {time, client, sender, envid, ret, body, utf8});
    return Combinators.combine(
            envelope,
            recipients().list().ofMinSize(1).ofMaxSize(MAX_LIST),
            contents(chunkSize, maxContent))
        .as(
            (e, rcpts, content) ->
                new Accepted(
                    id,
                    (Long) e[0],
                    (ClientInfo) e[1],
                    (String) e[2],
                    (String) e[3],
                    (DsnRet) e[4],
                    (BodyType) e[5],
                    (Boolean) e[6],
                    rcpts,
                    content));
  }

  public static Arbitrary<RecipientResult> results() {
    return Combinators.combine(
            Arbitraries.integers().between(0, MAX_RECIPIENT_INDEX), strings(), strings(), strings())
        .as(RecipientResult::new);
  }

  static Arbitrary<List<Integer>> recipientIndexes() {
    return Arbitraries.integers().between(0, MAX_RECIPIENT_INDEX).list().ofMaxSize(MAX_LIST);
  }

  public static Arbitrary<Delivered> delivered() {
    return Combinators.combine(
            queueIds(), Arbitraries.longs(), strings(), results().list().ofMinSize(1).ofMaxSize(5))
        .as(Delivered::new);
  }

  public static Arbitrary<Deferred> deferred() {
    return Combinators.combine(
            queueIds(),
            Arbitraries.longs(),
            strings(),
            Arbitraries.longs(),
            results().list().ofMinSize(1).ofMaxSize(MAX_LIST))
        .as(Deferred::new);
  }

  public static Arbitrary<Bounced> bounced() {
    return Combinators.combine(
            queueIds(), Arbitraries.longs(), strings(), results().list().ofMinSize(1).ofMaxSize(5))
        .as(Bounced::new);
  }

  public static Arbitrary<Held> held() {
    return Combinators.combine(queueIds(), Arbitraries.longs(), strings()).as(Held::new);
  }

  public static Arbitrary<Released> released() {
    return Combinators.combine(queueIds(), Arbitraries.longs()).as(Released::new);
  }

  public static Arbitrary<Deleted> deleted() {
    return Combinators.combine(queueIds(), Arbitraries.longs(), strings()).as(Deleted::new);
  }

  public static Arbitrary<Requeued> requeued() {
    return Combinators.combine(queueIds(), Arbitraries.longs()).as(Requeued::new);
  }

  public static Arbitrary<NoticeQueued> noticeQueued() {
    return Combinators.combine(
            queueIds(),
            Arbitraries.longs(),
            Arbitraries.of(NoticeKind.class),
            queueIds(),
            recipientIndexes())
        .as(NoticeQueued::new);
  }

  public static Arbitrary<Done> done() {
    return Combinators.combine(queueIds(), Arbitraries.longs()).as(Done::new);
  }

  public static Arbitrary<Moved> moved(int chunkSize, int maxContent) {
    Arbitrary<Object[]> state =
        Combinators.combine(
                Arbitraries.longs(),
                Arbitraries.longs(),
                recipientIndexes(),
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.longs(),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, (1 << NoticeKind.values().length) - 1))
            .as(
                (time, from, pending, attempts, next, held, notices) ->
                    new Object[] {time, from, pending, attempts, next, held, notices});
    return queueIds()
        .flatMap(
            id ->
                Combinators.combine(state, accepted(id, chunkSize, maxContent))
                    .as(
                        (s, message) -> {
                          @SuppressWarnings("unchecked")
                          List<Integer> pending = (List<Integer>) s[2];
                          return new Moved(
                              id,
                              (Long) s[0],
                              (Long) s[1],
                              message,
                              pending,
                              (Integer) s[3],
                              (Long) s[4],
                              (Boolean) s[5],
                              (Integer) s[6],
                              // outcomes so far (version 2 of Moved): derived, any valid indexes
                              pending.stream().map(i -> i + 1).toList(),
                              pending.isEmpty() ? List.of() : List.of(pending.get(0) + 2),
                              pending.isEmpty() ? java.util.Map.of()
                                  : java.util.Map.of(pending.get(0), "4.4.1 try \u00e9 later"));
                        }));
  }

  /**
   * Any record, every type equally likely. {@code maxContent} bounds the content of {@code
   * Accepted} and {@code Moved}.
   */
  public static Arbitrary<JournalRecord> records(int chunkSize, int maxContent) {
    List<Arbitrary<? extends JournalRecord>> types =
        List.of(
            accepted(chunkSize, maxContent),
            delivered(),
            deferred(),
            bounced(),
            held(),
            released(),
            deleted(),
            requeued(),
            noticeQueued(),
            done(),
            moved(chunkSize, maxContent));
    // Arbitraries.oneOf favours some alternatives here; an explicit uniform choice does not.
    return uniform(0, types.size() - 1).flatMap(i -> types.get(i).map(r -> (JournalRecord) r));
  }

  private static Arbitrary<Integer> uniform(int min, int max) {
    return Arbitraries.integers().between(min, max).withDistribution(RandomDistribution.uniform());
  }

  /** The record's type name, for jqwik's statistics. */
  public static String typeOf(JournalRecord r) {
    return r.getClass().getSimpleName();
  }
}
