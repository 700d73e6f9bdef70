package io.gannet.journal;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
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
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * The binary form of journal records. Hand-written, no reflection, no Java serialization.
 *
 * <p>Every frame (one Chronicle document) is laid out as:
 *
 * <pre>
 *   offset 0        u8     type tag (TYPE_*)
 *   offset 1        u8     version of that type's layout
 *   offset 2..n-4          fields, in the order the type's encoder writes them
 *   offset n-4      u32 LE CRC-32C of bytes [0, n-4)
 * </pre>
 *
 * Records whose content is larger than the chunk size ({@link Accepted}, {@link Moved}) are
 * written as a first frame holding the envelope, the total content length, the number of chunk
 * frames that follow and the first part of the content, then {@code TYPE_CHUNK} frames. The writer
 * writes all frames of one record back to back; {@link ContentAssembler} joins them on read.
 *
 * <p>Decoding checks the checksum first, then the version, then every length: a torn, truncated
 * or damaged frame is a {@link CorruptRecordException} naming its index, never a wrong record.
 * Instances hold a scratch buffer: one per thread.
 */
public final class RecordCodec {

  public static final int TYPE_ACCEPTED = 1;
  public static final int TYPE_DELIVERED = 2;
  public static final int TYPE_DEFERRED = 3;
  public static final int TYPE_BOUNCED = 4;
  public static final int TYPE_HELD = 5;
  public static final int TYPE_RELEASED = 6;
  public static final int TYPE_DELETED = 7;
  public static final int TYPE_REQUEUED = 8;
  public static final int TYPE_NOTICE_QUEUED = 9;
  public static final int TYPE_DONE = 10;
  public static final int TYPE_MOVED = 11;
  public static final int TYPE_CHUNK = 12;

  static final int VERSION = 1;
  /** Moved records: 2 adds delivered, bounced and reasons; version 1 is still read. */
  static final int MOVED_VERSION = 2;
  static final int HEADER = 2;
  static final int TRAILER = 4;

  /** Default content bytes per frame: larger content goes into chunk frames. */
  public static final int DEFAULT_CHUNK_SIZE = 256 * 1024;

  /** Upper bound on recipients of one record, against absurd counts in damaged data. */
  static final int MAX_RECIPIENTS = 10_000_000;

  /** Receives each encoded frame; the array is only valid during the call. */
  @FunctionalInterface
  public interface FrameSink {
    void frame(byte[] buf, int off, int len);
  }

  private final int chunkSize;
  private final RecordBuffer out = new RecordBuffer(4096);
  private final CRC32C crc = new CRC32C();

  public RecordCodec() {
    this(DEFAULT_CHUNK_SIZE);
  }

  public RecordCodec(int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunk size < 1");
    }
    this.chunkSize = chunkSize;
  }

  // ------------------------------------------------------------------------------------------
  // Encoding
  // ------------------------------------------------------------------------------------------

  /** Encodes {@code record} as one frame, or several when its content exceeds the chunk size. */
  public void encode(JournalRecord record, FrameSink sink) {
    out.clear();
    out.u8(typeOf(record)).u8(record instanceof Moved ? MOVED_VERSION : VERSION);
    if (record instanceof Accepted a) {
      writeAcceptedEnvelope(a);
      writeContent(a.queueId(), a.content(), sink);
      return;
    }
    if (record instanceof Moved m) {
      out.queueId(m.queueId()).int64(m.time()).int64(m.fromIndex());
      writeInts(m.pending());
      out.varint(m.attempts()).int64(m.nextAttempt()).u8(m.held() ? 1 : 0);
      out.varint(m.noticesQueued());
      writeInts(m.delivered());
      writeInts(m.bounced());
      out.varint(m.reasons().size());
      for (Map.Entry<Integer, String> e : new java.util.TreeMap<>(m.reasons()).entrySet()) {
        out.varint(e.getKey());
        out.string(e.getValue());
      }
      writeAcceptedEnvelope(m.message());
      writeContent(m.queueId(), m.message().content(), sink);
      return;
    }
    out.queueId(record.queueId()).int64(record.time());
    if (record instanceof Delivered d) {
      out.string(d.relay());
      writeResults(d.results());
    } else if (record instanceof Deferred d) {
      out.string(d.relay()).int64(d.nextAttempt());
      writeResults(d.results());
    } else if (record instanceof Bounced b) {
      out.string(b.relay());
      writeResults(b.results());
    } else if (record instanceof Held h) {
      out.string(h.reason());
    } else if (record instanceof Deleted d) {
      out.string(d.reason());
    } else if (record instanceof NoticeQueued n) {
      out.u8(n.kind().ordinal()).queueId(n.notice());
      writeInts(n.recipients());
    } else if (!(record instanceof Released || record instanceof Requeued
        || record instanceof Done)) {
      throw new IllegalStateException("no encoder for " + record.getClass());
    }
    finishFrame(sink);
  }

  static int typeOf(JournalRecord r) {
    if (r instanceof Accepted) return TYPE_ACCEPTED;
    if (r instanceof Delivered) return TYPE_DELIVERED;
    if (r instanceof Deferred) return TYPE_DEFERRED;
    if (r instanceof Bounced) return TYPE_BOUNCED;
    if (r instanceof Held) return TYPE_HELD;
    if (r instanceof Released) return TYPE_RELEASED;
    if (r instanceof Deleted) return TYPE_DELETED;
    if (r instanceof Requeued) return TYPE_REQUEUED;
    if (r instanceof NoticeQueued) return TYPE_NOTICE_QUEUED;
    if (r instanceof Done) return TYPE_DONE;
    if (r instanceof Moved) return TYPE_MOVED;
    throw new IllegalStateException("unknown record " + r.getClass());
  }

  /** The type name for a tag, as {@code gannet cat --stats} prints it. */
  public static String typeName(int type) {
    switch (type) {
      case TYPE_ACCEPTED: return "Accepted";
      case TYPE_DELIVERED: return "Delivered";
      case TYPE_DEFERRED: return "Deferred";
      case TYPE_BOUNCED: return "Bounced";
      case TYPE_HELD: return "Held";
      case TYPE_RELEASED: return "Released";
      case TYPE_DELETED: return "Deleted";
      case TYPE_REQUEUED: return "Requeued";
      case TYPE_NOTICE_QUEUED: return "NoticeQueued";
      case TYPE_DONE: return "Done";
      case TYPE_MOVED: return "Moved";
      case TYPE_CHUNK: return "Chunk";
      default: return "Unknown(" + type + ")";
    }
  }

  private void writeAcceptedEnvelope(Accepted a) {
    ClientInfo c = a.client();
    out.queueId(a.queueId()).int64(a.time());
    out.string(c.address()).string(c.name()).string(c.helo()).string(c.protocol());
    out.string(a.sender()).nullableString(a.envid());
    out.u8(a.ret().ordinal()).u8(a.body().ordinal()).u8(a.smtputf8() ? 1 : 0);
    out.varint(a.recipients().size());
    for (Recipient r : a.recipients()) {
      out.string(r.address()).nullableString(r.orcpt()).u8(r.notifyFlags());
    }
  }

  private void writeContent(QueueId id, byte[] content, FrameSink sink) {
    int inline = Math.min(content.length, chunkSize);
    int rest = content.length - inline;
    int chunks = (rest + chunkSize - 1) / chunkSize;
    out.varint(content.length).varint(chunks).varint(inline).bytes(content, 0, inline);
    finishFrame(sink);
    int off = inline;
    for (int seq = 1; seq <= chunks; seq++) {
      int len = Math.min(chunkSize, content.length - off);
      out.clear();
      out.u8(TYPE_CHUNK).u8(VERSION).queueId(id).varint(seq).varint(len);
      out.bytes(content, off, len);
      finishFrame(sink);
      off += len;
    }
  }

  private void writeResults(List<RecipientResult> results) {
    out.varint(results.size());
    for (RecipientResult r : results) {
      out.varint(r.index()).string(r.address()).string(r.dsn()).string(r.reply());
    }
  }

  private void writeInts(List<Integer> ints) {
    out.varint(ints.size());
    for (int i : ints) {
      out.varint(i);
    }
  }

  private void finishFrame(FrameSink sink) {
    crc.reset();
    crc.update(out.array(), 0, out.length());
    out.int32((int) crc.getValue());
    sink.frame(out.array(), 0, out.length());
  }

  // ------------------------------------------------------------------------------------------
  // Decoding
  // ------------------------------------------------------------------------------------------

  /** One decoded frame: a whole record, the start of a chunked record, or a chunk. */
  public sealed interface Frame {}

  /** A whole record. */
  public record Whole(JournalRecord record) implements Frame {}

  /**
   * The first frame of a record with chunked content: {@code finish} builds the record once
   * {@code content} is filled by {@code chunks} chunk frames.
   */
  public record ContentStart(
      QueueId queueId, int type, byte[] content, int filled, int chunks,
      Function<byte[], JournalRecord> finish) implements Frame {}

  /** A chunk frame: part {@code seq} (from 1) of the content of {@code queueId}. */
  public record Chunk(QueueId queueId, int seq, byte[] buf, int off, int len) implements Frame {}

  /** The type tag of a frame, without checking it, or -1 when empty. */
  public static int peekType(byte[] buf, int len) {
    return len < 1 ? -1 : buf[0] & 0xFF;
  }

  /**
   * Decodes one frame read at journal {@code index}. {@code buf} may be reused by the caller
   * after this returns except for {@link Chunk}, whose bytes must be consumed first.
   */
  public Frame decode(long index, byte[] buf, int len) throws CorruptRecordException {
    if (len < HEADER + TRAILER) {
      throw new CorruptRecordException(index, "frame of " + len + " bytes is too short");
    }
    int body = len - TRAILER;
    int stored = (buf[body] & 0xFF) | (buf[body + 1] & 0xFF) << 8 | (buf[body + 2] & 0xFF) << 16
        | (buf[body + 3] & 0xFF) << 24;
    crc.reset();
    crc.update(buf, 0, body);
    if ((int) crc.getValue() != stored) {
      throw new CorruptRecordException(index, "checksum mismatch (torn or damaged record)");
    }
    int type = buf[0] & 0xFF;
    int version = buf[1] & 0xFF;
    if (version != VERSION && !(type == TYPE_MOVED && version == MOVED_VERSION)) {
      throw new CorruptRecordException(index,
          "unknown version " + version + " of record type " + typeName(type));
    }
    RecordSlice in = new RecordSlice(index, buf, HEADER, body);
    try {
      Frame f = decodeBody(type, version, in);
      if (!(f instanceof ContentStart) && !(f instanceof Chunk)) {
        in.expectEnd();
      }
      return f;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw in.corrupt("invalid " + typeName(type) + ": " + e.getMessage());
    }
  }

  private Frame decodeBody(int type, int version, RecordSlice in) throws CorruptRecordException {
    if (type == TYPE_ACCEPTED) {
      AcceptedEnvelope env = readAcceptedEnvelope(in);
      return readContentStart(in, env.queueId, type, env::toAccepted);
    }
    if (type == TYPE_MOVED) {
      QueueId id = in.queueId();
      long time = in.int64("time");
      long from = in.int64("from index");
      List<Integer> pending = readInts(in, "pending");
      int attempts = in.count("attempts", Integer.MAX_VALUE);
      long next = in.int64("next attempt");
      boolean held = bool(in, "held");
      int notices = in.count("notices", (1 << NoticeKind.values().length) - 1);
      List<Integer> delivered = List.of();
      List<Integer> bounced = List.of();
      Map<Integer, String> reasons = Map.of();
      if (version == MOVED_VERSION) {
        delivered = readInts(in, "delivered");
        bounced = readInts(in, "bounced");
        int n = in.count("reasons", MAX_RECIPIENTS + 1);
        Map<Integer, String> r = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
          int index = in.count("reason recipient", MAX_RECIPIENTS);
          r.put(index, in.string("reason"));
        }
        reasons = r;
      }
      AcceptedEnvelope env = readAcceptedEnvelope(in);
      List<Integer> d = delivered;
      List<Integer> b = bounced;
      Map<Integer, String> rs = reasons;
      return readContentStart(in, id, type, content -> new Moved(id, time, from,
          env.toAccepted(content), pending, attempts, next, held, notices, d, b, rs));
    }
    if (type == TYPE_CHUNK) {
      QueueId id = in.queueId();
      int seq = in.count("chunk number", Integer.MAX_VALUE);
      int len = in.count("chunk length", in.remaining());
      if (len != in.remaining()) {
        throw in.corrupt("chunk length " + len + " but " + in.remaining() + " bytes");
      }
      int off = in.remainingOffset();
      return new Chunk(id, seq, in.array(), off, len);
    }
    QueueId id = in.queueId();
    long time = in.int64("time");
    switch (type) {
      case TYPE_DELIVERED:
        return new Whole(new Delivered(id, time, in.string("relay"), readResults(in)));
      case TYPE_DEFERRED: {
        String relay = in.string("relay");
        long next = in.int64("next attempt");
        return new Whole(new Deferred(id, time, relay, next, readResults(in)));
      }
      case TYPE_BOUNCED:
        return new Whole(new Bounced(id, time, in.string("relay"), readResults(in)));
      case TYPE_HELD:
        return new Whole(new Held(id, time, in.string("reason")));
      case TYPE_RELEASED:
        return new Whole(new Released(id, time));
      case TYPE_DELETED:
        return new Whole(new Deleted(id, time, in.string("reason")));
      case TYPE_REQUEUED:
        return new Whole(new Requeued(id, time));
      case TYPE_NOTICE_QUEUED: {
        NoticeKind kind = enumOf(NoticeKind.values(), in.u8("notice kind"), in, "notice kind");
        QueueId notice = in.queueId();
        return new Whole(new NoticeQueued(id, time, kind, notice, readInts(in, "recipients")));
      }
      case TYPE_DONE:
        return new Whole(new Done(id, time));
      default:
        throw in.corrupt("unknown record type " + type);
    }
  }

  private static final class AcceptedEnvelope {
    QueueId queueId;
    long time;
    ClientInfo client;
    String sender;
    String envid;
    DsnRet ret;
    BodyType body;
    boolean smtputf8;
    List<Recipient> recipients;

    Accepted toAccepted(byte[] content) {
      return new Accepted(queueId, time, client, sender, envid, ret, body, smtputf8, recipients,
          content);
    }
  }

  private static AcceptedEnvelope readAcceptedEnvelope(RecordSlice in)
      throws CorruptRecordException {
    AcceptedEnvelope e = new AcceptedEnvelope();
    e.queueId = in.queueId();
    e.time = in.int64("time");
    e.client = new ClientInfo(in.string("client address"), in.string("client name"),
        in.string("helo"), in.string("protocol"));
    e.sender = in.string("sender");
    e.envid = in.nullableString("envid");
    e.ret = enumOf(DsnRet.values(), in.u8("ret"), in, "ret");
    e.body = enumOf(BodyType.values(), in.u8("body"), in, "body");
    e.smtputf8 = bool(in, "smtputf8");
    int n = in.count("recipient count", Math.min(MAX_RECIPIENTS, in.remaining()));
    List<Recipient> rcpts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rcpts.add(new Recipient(in.string("recipient"), in.nullableString("orcpt"),
          in.u8("notify")));
    }
    e.recipients = rcpts;
    return e;
  }

  private ContentStart readContentStart(RecordSlice in, QueueId id, int type,
      Function<byte[], JournalRecord> finish) throws CorruptRecordException {
    int total = in.count("content length", Integer.MAX_VALUE - 16);
    int chunks = in.count("chunk count", Integer.MAX_VALUE);
    int inline = in.count("inline content length", in.remaining());
    if (inline > total) {
      throw in.corrupt("inline content " + inline + " > total " + total);
    }
    if ((chunks == 0) != (inline == total)) {
      throw in.corrupt("content of " + total + " bytes with " + inline + " inline and "
          + chunks + " chunks");
    }
    byte[] content = new byte[total];
    in.bytes(content, 0, inline, "content");
    in.expectEnd();
    return new ContentStart(id, type, content, inline, chunks, finish);
  }

  private static List<RecipientResult> readResults(RecordSlice in)
      throws CorruptRecordException {
    int n = in.count("result count", Math.min(MAX_RECIPIENTS, in.remaining()));
    List<RecipientResult> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(new RecipientResult(in.count("recipient index", MAX_RECIPIENTS),
          in.string("address"), in.string("dsn"), in.string("reply")));
    }
    return list;
  }

  private static List<Integer> readInts(RecordSlice in, String what)
      throws CorruptRecordException {
    int n = in.count(what + " count", Math.min(MAX_RECIPIENTS, in.remaining()));
    List<Integer> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(in.count(what, MAX_RECIPIENTS));
    }
    return list;
  }

  private static boolean bool(RecordSlice in, String what) throws CorruptRecordException {
    int v = in.u8(what);
    if (v > 1) {
      throw in.corrupt("bad " + what + " flag " + v);
    }
    return v == 1;
  }

  private static <E> E enumOf(E[] values, int ordinal, RecordSlice in, String what)
      throws CorruptRecordException {
    if (ordinal >= values.length) {
      throw in.corrupt("bad " + what + " value " + ordinal);
    }
    return values[ordinal];
  }
}
