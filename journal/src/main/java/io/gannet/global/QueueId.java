package io.gannet.global;

/**
 * A queue id: unique, sortable by arrival, printable.
 *
 * <p>Modelled on Postfix's long queue ids ({@code enable_long_queue_ids = yes}): fixed width,
 * made of digits and consonants only (no vowels, so no words), in an alphabet whose ASCII order
 * is its numeric order, so that sorting the printed ids sorts them by arrival.
 *
 * <p>Layout of the 14 characters: 8 for the arrival time in milliseconds since the epoch, 3 for a
 * sequence number within that millisecond, 3 for the generator's node number (random per
 * process). Binary form: {@link #millis()} and {@link #low()} (sequence &lt;&lt; 32 | node), 16 bytes.
 */
public record QueueId(long millis, long low) implements Comparable<QueueId> {

  /** Digits, then upper- and lower-case consonants: 52 symbols in ascending ASCII order. */
  static final String ALPHABET = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";

  static final int BASE = ALPHABET.length();
  static final int TIME_CHARS = 8;
  static final int SEQ_CHARS = 3;
  static final int NODE_CHARS = 3;
  public static final int LENGTH = TIME_CHARS + SEQ_CHARS + NODE_CHARS;
  static final long MAX_SEQ = pow(BASE, SEQ_CHARS) - 1;
  static final long MAX_NODE = pow(BASE, NODE_CHARS) - 1;
  static final long MAX_MILLIS = pow(BASE, TIME_CHARS) - 1;
  /**
   * Generators draw their node below this bound; the three ranges above it hold ids derived from
   * another id ({@link #derived}), so a derived id never equals a generated one.
   */
  public static final int GENERATED_NODES = (int) ((MAX_NODE + 1) / 4);

  private static final byte[] VALUE_OF = new byte[128];

  static {
    java.util.Arrays.fill(VALUE_OF, (byte) -1);
    for (int i = 0; i < BASE; i++) {
      VALUE_OF[ALPHABET.charAt(i)] = (byte) i;
    }
  }

  public QueueId {
    if (millis < 0 || millis > MAX_MILLIS) {
      throw new IllegalArgumentException("queue id time out of range: " + millis);
    }
    if (sequence(low) > MAX_SEQ || node(low) > MAX_NODE || low < 0) {
      throw new IllegalArgumentException("queue id sequence or node out of range: " + low);
    }
  }

  public static QueueId of(long millis, int sequence, int node) {
    return new QueueId(millis, ((long) sequence << 32) | (node & 0xffffffffL));
  }

  /**
   * A second id made from this one, the same every time it is asked for: {@code slot} 1 to 3
   * selects one of three. Used for the notices a message causes (one per kind), so a replay
   * after a crash names the same notice and never queues it twice. Null when this id is itself
   * derived (its node is above {@link #GENERATED_NODES}).
   */
  public QueueId derived(int slot) {
    if (slot < 1 || slot > 3) {
      throw new IllegalArgumentException("slot must be 1 to 3: " + slot);
    }
    if (node() >= GENERATED_NODES) {
      return null;
    }
    return of(millis, sequence(), node() + slot * GENERATED_NODES);
  }

  /** True when this id was made by {@link #derived} from another id. */
  public boolean isDerived() {
    return node() >= GENERATED_NODES;
  }

  /** The {@code slot} (1 to 3) this id was {@link #derived} with; 0 when it is not derived. */
  public int derivedSlot() {
    return node() / GENERATED_NODES;
  }

  /**
   * The id this one was {@link #derived} from: {@code x.derived(k).origin()} is {@code x}. Null
   * when this id is not derived.
   */
  public QueueId origin() {
    return isDerived() ? of(millis, sequence(), node() % GENERATED_NODES) : null;
  }

  public int sequence() {
    return (int) sequence(low);
  }

  public int node() {
    return (int) node(low);
  }

  private static long sequence(long low) {
    return low >>> 32;
  }

  private static long node(long low) {
    return low & 0xffffffffL;
  }

  /** Parses the printed form; throws {@link IllegalArgumentException} naming the bad input. */
  public static QueueId parse(CharSequence text) {
    if (text.length() != LENGTH) {
      throw new IllegalArgumentException(
          "bad queue id '" + truncate(text) + "': expected " + LENGTH + " characters");
    }
    long millis = decode(text, 0, TIME_CHARS);
    long seq = decode(text, TIME_CHARS, SEQ_CHARS);
    long node = decode(text, TIME_CHARS + SEQ_CHARS, NODE_CHARS);
    return of(millis, (int) seq, (int) node);
  }

  /** True when {@code text} has the form of a queue id. */
  public static boolean isValid(CharSequence text) {
    if (text.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = text.charAt(i);
      if (c >= 128 || VALUE_OF[c] < 0) {
        return false;
      }
    }
    return true;
  }

  private static long decode(CharSequence text, int from, int count) {
    long v = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      int d = c < 128 ? VALUE_OF[c] : -1;
      if (d < 0) {
        throw new IllegalArgumentException(
            "bad queue id '" + truncate(text) + "': character '" + c + "' at " + i);
      }
      v = v * BASE + d;
    }
    return v;
  }

  private static void encode(StringBuilder out, long value, int count) {
    char[] buf = new char[count];
    for (int i = count - 1; i >= 0; i--) {
      buf[i] = ALPHABET.charAt((int) (value % BASE));
      value /= BASE;
    }
    out.append(buf);
  }

  private static String truncate(CharSequence text) {
    return text.length() > 40 ? text.subSequence(0, 40) + "..." : text.toString();
  }

  private static long pow(int base, int exp) {
    long v = 1;
    for (int i = 0; i < exp; i++) {
      v *= base;
    }
    return v;
  }

  @Override
  public int compareTo(QueueId o) {
    int c = Long.compare(millis, o.millis);
    return c != 0 ? c : Long.compare(low, o.low);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(LENGTH);
    encode(sb, millis, TIME_CHARS);
    encode(sb, sequence(low), SEQ_CHARS);
    encode(sb, node(low), NODE_CHARS);
    return sb.toString();
  }
}
