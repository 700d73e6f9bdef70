package io.gannet.journal;

import io.gannet.global.BodyType;
import io.gannet.global.ClientInfo;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueId;
import io.gannet.global.Recipient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The bytes of one {@link MessageState} in the projection's {@code messages} column family (the
 * queue id is the key, so it is not repeated). Layout, version 1:
 *
 * <pre>
 *   u8 version (1)
 *   varint index, zigzag varint arrivalTime
 *   string client address, client name, helo, protocol
 *   string sender, nullable string envid
 *   u8 ret ordinal, u8 body ordinal
 *   u8 flags: bit 0 smtputf8, bit 1 held
 *   varint size
 *   varint n, n x (string address, nullable string orcpt, u8 notify flags)
 *   set pending
 *   varint attempts, zigzag varint nextAttempt, varint noticesQueued
 *   varint k, k x (varint recipient index, string reply)     (reasons, ascending index)
 *   set bounced, set delivered
 * </pre>
 *
 * A set is a count then the ascending indexes as varint gaps (first value, then differences).
 * Strings are varint length and UTF-8; nullable strings length + 1 (0 is null), as in the journal's
 * {@link RecordBuffer}. Decoding checks every length, range and the absence of trailing bytes, and
 * throws {@link IllegalArgumentException} naming what is wrong. Not thread-safe (reuses a buffer).
 */
final class MessageStateCodec {

  static final int VERSION = 1;

  private static final int FLAG_SMTPUTF8 = 1;
  private static final int FLAG_HELD = 2;

  private final RecordBuffer out = new RecordBuffer(512);

  byte[] encode(MessageState s) {
    RecordBuffer b = out;
    b.clear();
    b.u8(VERSION);
    b.varint(s.index());
    signed(b, s.arrivalTime());
    ClientInfo c = s.client();
    b.string(c.address()).string(c.name()).string(c.helo()).string(c.protocol());
    b.string(s.sender()).nullableString(s.envid());
    b.u8(s.ret().ordinal()).u8(s.body().ordinal());
    b.u8((s.smtputf8() ? FLAG_SMTPUTF8 : 0) | (s.held() ? FLAG_HELD : 0));
    b.varint(s.size());
    b.varint(s.recipients().size());
    for (Recipient r : s.recipients()) {
      b.string(r.address()).nullableString(r.orcpt()).u8(r.notifyFlags());
    }
    set(b, s.pending());
    b.varint(s.attempts());
    signed(b, s.nextAttempt());
    b.varint(s.noticesQueued());
    b.varint(s.reasons().size());
    for (Map.Entry<Integer, String> e : new TreeMap<>(s.reasons()).entrySet()) {
      b.varint(e.getKey()).string(e.getValue());
    }
    set(b, s.bounced());
    set(b, s.delivered());
    return Arrays.copyOf(b.array(), b.length());
  }

  /** Decodes a value; throws {@link IllegalArgumentException} when the bytes are not one. */
  static MessageState decode(QueueId id, byte[] bytes) {
    In in = new In(bytes);
    int version = in.u8("version");
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown message state version " + version);
    }
    long index = in.varint("index");
    long arrival = in.signed("arrival time");
    ClientInfo client = new ClientInfo(in.string("client address"), in.string("client name"),
        in.string("helo"), in.string("protocol"));
    String sender = in.string("sender");
    String envid = in.nullableString("envid");
    DsnRet ret = in.enumOf(DsnRet.values(), "ret");
    BodyType body = in.enumOf(BodyType.values(), "body");
    int flags = in.u8("flags");
    if ((flags & ~(FLAG_SMTPUTF8 | FLAG_HELD)) != 0) {
      throw new IllegalArgumentException("bad flags " + flags);
    }
    long size = in.varint("size");
    int n = in.count("recipient count", in.remaining());
    List<Recipient> rcpts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rcpts.add(new Recipient(in.string("recipient"), in.nullableString("orcpt"),
          in.u8("notify")));
    }
    SortedSet<Integer> pending = in.set("pending", n);
    int attempts = in.count("attempts", Integer.MAX_VALUE);
    long nextAttempt = in.signed("next attempt");
    int notices = in.count("notices", (1 << JournalRecord.NoticeKind.values().length) - 1);
    int k = in.count("reason count", n);
    Map<Integer, String> reasons = new HashMap<>(k * 2);
    for (int i = 0; i < k; i++) {
      int idx = in.count("reason index", n - 1);
      reasons.put(idx, in.string("reason"));
    }
    SortedSet<Integer> bounced = in.set("bounced", n);
    SortedSet<Integer> delivered = in.set("delivered", n);
    in.expectEnd();
    return new MessageState(id, index, arrival, client, sender, envid, ret, body,
        (flags & FLAG_SMTPUTF8) != 0, size, rcpts, pending, attempts, nextAttempt,
        (flags & FLAG_HELD) != 0, notices, reasons, bounced, delivered);
  }

  /** Any long, zigzag-mapped, as an unsigned LEB128 varint. */
  private static void signed(RecordBuffer b, long v) {
    long u = zigzag(v);
    while ((u & ~0x7FL) != 0) {
      b.u8((int) ((u & 0x7F) | 0x80));
      u >>>= 7;
    }
    b.u8((int) u);
  }

  private static void set(RecordBuffer b, Collection<Integer> ascending) {
    b.varint(ascending.size());
    int prev = 0;
    for (int i : ascending) {
      b.varint(i - prev);
      prev = i;
    }
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  /** Bounds-checked reads over one value. */
  private static final class In {
    private final byte[] buf;
    private int pos;

    In(byte[] buf) {
      this.buf = buf;
    }

    int remaining() {
      return buf.length - pos;
    }

    private IllegalArgumentException bad(String what) {
      return new IllegalArgumentException(what + " at byte " + pos + " of " + buf.length);
    }

    int u8(String what) {
      if (pos >= buf.length) {
        throw bad("truncated " + what);
      }
      return buf[pos++] & 0xFF;
    }

    long varint(String what) {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = (byte) u8(what);
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          if (v < 0) {
            throw bad("negative " + what);
          }
          return v;
        }
      }
      throw bad("overlong varint in " + what);
    }

    /** A zigzag varint: any long. */
    long signed(String what) {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = (byte) u8(what);
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return unzigzag(v);
        }
      }
      throw bad("overlong varint in " + what);
    }

    int count(String what, int max) {
      long v = varint(what);
      if (v < 0 || v > max) {
        throw bad(what + " out of range: " + v + " > " + max);
      }
      return (int) v;
    }

    String string(String what) {
      long n = varint(what + " length");
      if (n > remaining()) {
        throw bad("truncated " + what);
      }
      int len = (int) n;
      String s = new String(buf, pos, len, StandardCharsets.UTF_8);
      pos += len;
      return s;
    }

    String nullableString(String what) {
      long n = varint(what + " length");
      if (n == 0) {
        return null;
      }
      if (n - 1 > remaining()) {
        throw bad("truncated " + what);
      }
      int len = (int) (n - 1);
      String s = new String(buf, pos, len, StandardCharsets.UTF_8);
      pos += len;
      return s;
    }

    <E> E enumOf(E[] values, String what) {
      int o = u8(what);
      if (o >= values.length) {
        throw bad("bad " + what + " " + o);
      }
      return values[o];
    }

    /** A set of recipient indexes below {@code n}. */
    SortedSet<Integer> set(String what, int n) {
      int count = count(what + " count", n);
      SortedSet<Integer> s = new TreeSet<>();
      long v = 0;
      for (int i = 0; i < count; i++) {
        long gap = varint(what);
        if (i > 0 && gap == 0) {
          throw bad("repeated index in " + what);
        }
        v += gap;
        if (v >= n) {
          throw bad(what + " index " + v + " out of " + n);
        }
        s.add((int) v);
      }
      return s;
    }

    void expectEnd() {
      if (pos != buf.length) {
        throw bad((buf.length - pos) + " trailing bytes after");
      }
    }
  }
}
