package io.gannet.perf.relay;

import java.nio.charset.StandardCharsets;

/**
 * The benchmark's test message: a fixed template of a given size whose {@code X-Bench-Id:} header
 * carries the run's tag and the message's sequence number, so that the sink can tell which
 * message arrived and when. The template is built once; {@link #render} patches the number into
 * a copy, so the source allocates nothing per message.
 *
 * <pre>
 *   From: &lt;source@bench.test&gt;
 *   To: &lt;sink@sink.test&gt;
 *   Subject: relay-bench
 *   Date: Mon, 23 Nov 2026 00:00:00 +0000
 *   Message-ID: &lt;TAG.NNNNNNNNN@bench.test&gt;
 *   X-Bench-Id: TAG.NNNNNNNNN
 *
 *   xxxx... (lines of 76 characters up to the size)
 * </pre>
 *
 * The content is {@code size} bytes (CRLF line ends, no line starts with a dot) followed by the
 * end-of-data line {@code .CRLF}.
 */
public final class BenchMessage {
  /** The header the sink reads, with its trailing space. */
  public static final String ID_HEADER = "X-Bench-Id: ";

  /** Digits of the sequence number, zero-padded. */
  public static final int DIGITS = 9;

  private static final byte[] ID_HEADER_BYTES = ID_HEADER.getBytes(StandardCharsets.US_ASCII);

  private final byte[] template;
  private final int[] numberOffsets;
  private final int size;

  /**
   * @param tag the run's tag: letters and digits only, 1 to 16 characters
   * @param size the content size in bytes (at least 256)
   */
  public BenchMessage(String tag, int size) {
    if (!tag.matches("[A-Za-z0-9]{1,16}")) {
      throw new IllegalArgumentException("bad tag: " + tag);
    }
    if (size < 256) {
      throw new IllegalArgumentException("message size below 256 bytes: " + size);
    }
    String number = "0".repeat(DIGITS);
    String head =
        "From: <source@bench.test>\r\n"
            + "To: <sink@sink.test>\r\n"
            + "Subject: relay-bench\r\n"
            + "Date: Mon, 23 Nov 2026 00:00:00 +0000\r\n"
            + "Message-ID: <"
            + tag
            + "."
            + number
            + "@bench.test>\r\n"
            + ID_HEADER
            + tag
            + "."
            + number
            + "\r\n\r\n";
    if (head.length() + 2 > size) {
      throw new IllegalArgumentException("message size below its header: " + size);
    }
    StringBuilder b = new StringBuilder(size + 3).append(head);
    int remaining = size - head.length();
    while (remaining > 79) {
      b.append("x".repeat(76)).append("\r\n");
      remaining -= 78;
    }
    b.append("x".repeat(remaining - 2)).append("\r\n"); // 0 to 77 characters
    b.append(".\r\n");
    this.template = b.toString().getBytes(StandardCharsets.US_ASCII);
    this.size = template.length - 3;
    int first = head.indexOf(number);
    int second = head.indexOf(number, first + DIGITS);
    this.numberOffsets = new int[] {first, second};
  }

  /** Content size in bytes, without the end-of-data line. */
  public int size() {
    return size;
  }

  /** Length of {@link #newBuffer()} and of what {@link #render} writes. */
  public int wireLength() {
    return template.length;
  }

  /** A buffer holding the template, for {@link #render}. */
  public byte[] newBuffer() {
    return template.clone();
  }

  /** Writes message {@code seq} into {@code buffer} (from {@link #newBuffer()}). */
  public void render(byte[] buffer, int seq) {
    if (seq < 0 || seq >= 1_000_000_000) {
      throw new IllegalArgumentException("sequence number out of range: " + seq);
    }
    for (int off : numberOffsets) {
      int v = seq;
      for (int i = DIGITS - 1; i >= 0; i--) {
        buffer[off + i] = (byte) ('0' + v % 10);
        v /= 10;
      }
    }
  }

  /**
   * The sequence number in a header line {@code X-Bench-Id: TAG.NNNNNNNNN}, or -1 if the line is
   * not such a header or carries another tag.
   *
   * @param line the line's bytes (without CRLF) in {@code line[0..length)}
   */
  public static int parseId(byte[] line, int length, byte[] tag) {
    int p = ID_HEADER_BYTES.length;
    if (length != p + tag.length + 1 + DIGITS) {
      return -1;
    }
    for (int i = 0; i < p; i++) {
      if ((line[i] | 0x20) != (ID_HEADER_BYTES[i] | 0x20)) {
        return -1;
      }
    }
    for (int i = 0; i < tag.length; i++) {
      if (line[p + i] != tag[i]) {
        return -1;
      }
    }
    p += tag.length;
    if (line[p++] != '.') {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < DIGITS; i++) {
      int d = line[p + i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
