package io.gannet.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Client-side SMTP framing: turns the server's bytes into {@link SmtpResponse}s, one per complete
 * (possibly multi-line) reply. No policy.
 *
 * <p>Lines end with LF (a CR before it is dropped; servers that end lines with a bare LF are
 * tolerated, as Postfix's smtp client does). A line longer than {@code maxLineLength} bytes is cut
 * at that length and the rest of it is skipped. A reply keeps at most {@link #MAX_LINES} lines;
 * further continuation lines are read and dropped. A line that does not start with three digits
 * followed by a space, a hyphen or the line end is not SMTP: decoding fails with a {@link
 * SmtpClientException} of kind {@code PROTOCOL} (wrapped in a {@link DecoderException}) naming the
 * line. Text is decoded as UTF-8 (malformed bytes become U+FFFD).
 *
 * <p>Stateful: one instance per channel, never shared.
 */
public final class SmtpResponseDecoder extends ByteToMessageDecoder {

  /** Most lines kept of one reply. */
  public static final int MAX_LINES = 1000;

  private final int maxLineLength;
  private final List<String> lines = new ArrayList<>();
  private int code = -1;
  private boolean skipping;

  /** @param maxLineLength longest reply line kept, without CRLF ({@code line_length_limit}) */
  public SmtpResponseDecoder(int maxLineLength) {
    if (maxLineLength < 8) {
      throw new IllegalArgumentException("maxLineLength < 8: " + maxLineLength);
    }
    this.maxLineLength = maxLineLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
      if (skipping) {
        if (lf < 0) {
          in.skipBytes(in.readableBytes());
          return;
        }
        in.readerIndex(lf + 1);
        skipping = false;
        continue;
      }
      String line;
      if (lf < 0) {
        if (in.readableBytes() <= maxLineLength) {
          return; // wait for the rest of the line
        }
        line = in.readCharSequence(maxLineLength, StandardCharsets.UTF_8).toString();
        skipping = true;
      } else {
        int end = lf;
        if (end > in.readerIndex() && in.getByte(end - 1) == '\r') {
          end--;
        }
        int len = Math.min(end - in.readerIndex(), maxLineLength);
        line = in.toString(in.readerIndex(), len, StandardCharsets.UTF_8);
        in.readerIndex(lf + 1);
      }
      SmtpResponse response = line(line);
      if (response != null) {
        out.add(response);
      }
    }
  }

  /** Adds one line to the reply being read; returns the reply when this line ends it. */
  private SmtpResponse line(String line) {
    int lineCode = codeOf(line);
    if (lineCode < 0) {
      throw new DecoderException(
          new SmtpClientException(
              SmtpClientException.Kind.PROTOCOL,
              "reading a server reply",
              "not an SMTP reply: \"" + printable(line) + "\""));
    }
    if (code < 0) {
      code = lineCode;
    }
    if (lines.size() < MAX_LINES) {
      lines.add(line);
    }
    boolean last = line.length() == 3 || line.charAt(3) == ' ';
    if (!last) {
      return null;
    }
    SmtpResponse response = SmtpResponse.of(code, lines);
    lines.clear();
    code = -1;
    return response;
  }

  /** The three-digit code of a reply line, or -1 when the line is not a reply line. */
  private static int codeOf(String line) {
    if (line.length() < 3) {
      return -1;
    }
    int c = 0;
    for (int i = 0; i < 3; i++) {
      char d = line.charAt(i);
      if (d < '0' || d > '9') {
        return -1;
      }
      c = c * 10 + (d - '0');
    }
    if (c < 100 || c > 599) {
      return -1;
    }
    if (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-') {
      return -1;
    }
    return c;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), 100));
    for (int i = 0; i < s.length() && i < 100; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return sb.toString();
  }
}
