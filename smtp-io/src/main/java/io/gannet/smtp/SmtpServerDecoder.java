package io.gannet.smtp;

import io.gannet.smtp.SmtpInput.Problem;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;

/**
 * Server-side SMTP framing: command lines, DATA bodies, BDAT chunks. No mail policy.
 *
 * <p><b>Command lines</b> end with CRLF and are at most {@code maxLineLength} bytes ({@code
 * line_length_limit}, 2048) without it. A longer line is discarded up to its LF and reported once
 * as {@link Problem#LINE_TOO_LONG}; a line ended by a bare LF, or holding a bare CR, is reported as
 * {@link Problem#BARE_LF} / {@link Problem#BARE_CR} and never executed. At most one line plus one
 * read is buffered.
 *
 * <p><b>DATA</b> ({@link #readData}): the body ends only at {@code CRLF.CRLF}, where the first CRLF
 * is a real line end or the start of the body. A bare LF or bare CR anywhere is remembered (the
 * message must be refused) but never ends a line, so {@code LF.LF}, {@code LF.CRLF} or {@code
 * CR.CR} can neither end nor split a message (SMTP smuggling). A leading dot on a line is removed
 * (RFC 5321 4.5.2); everything else is kept byte-exact, CRLF line ends included. Unlike Postfix,
 * lines longer than {@code line_length_limit} are not split: the content stays exactly as received.
 * Bytes past the {@link ContentBuffer}'s limit are counted and dropped.
 *
 * <p><b>BDAT</b> ({@link #readChunk}): exactly the announced number of bytes, unchanged.
 *
 * <p><b>Flow control.</b> The session switches modes and may {@link #pause} while handling an event
 * (for instance while a journal append is outstanding): decoding stops right after that event, the
 * channel stops reading, and bytes already received wait here until {@link #resume}. Stateful: one
 * instance per channel, never shared.
 */
public final class SmtpServerDecoder extends ChannelInboundHandlerAdapter {

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final ByteProcessor NOT_ASCII = b -> b >= 0;

  private enum Mode {
    LINE,
    SKIP_LINE,
    DATA,
    CHUNK
  }

  /** Where DATA parsing stands between bytes. */
  private enum DataState {
    /** At the start of a line (after a real CRLF, or the start of the body). */
    LINE_START,
    /** Inside a line. */
    MID,
    /** Inside a line, just after a CR. */
    CR,
    /** A dot at the start of a line. */
    DOT,
    /** A dot at the start of a line, then CR. */
    DOT_CR
  }

  private final int maxLineLength;
  private ChannelHandlerContext ctx;
  private ByteBuf cumulation;
  private Mode mode = Mode.LINE;
  private DataState dataState;
  private ContentBuffer sink;
  private long chunkSize;
  private long chunkRemaining;
  private boolean bareLf;
  private boolean bareCr;
  private boolean paused;
  private boolean decoding;

  /**
   * @param maxLineLength the longest command line accepted, CRLF excluded
   */
  public SmtpServerDecoder(int maxLineLength) {
    if (maxLineLength < 1) {
      throw new IllegalArgumentException("maxLineLength < 1: " + maxLineLength);
    }
    this.maxLineLength = maxLineLength;
  }

  /**
   * From the next byte on, read a DATA body into {@code content}, ending in {@link
   * SmtpInput.DataEnd}.
   */
  public void readData(ContentBuffer content) {
    mode = Mode.DATA;
    dataState = DataState.LINE_START;
    sink = content;
    bareLf = false;
    bareCr = false;
  }

  /**
   * From the next byte on, read a BDAT chunk of {@code size} bytes into {@code content} (or drop it
   * when {@code content} is null), ending in {@link SmtpInput.ChunkEnd}; {@code size > 0}.
   */
  public void readChunk(ContentBuffer content, long size) {
    if (size <= 0) {
      throw new IllegalArgumentException("chunk size must be positive: " + size);
    }
    mode = Mode.CHUNK;
    sink = content;
    chunkSize = size;
    chunkRemaining = size;
  }

  /** Stops decoding after the current event and stops reading from the channel. */
  public void pause() {
    paused = true;
    if (ctx != null) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  /** Decodes what was held back, then reads from the channel again. Event loop only. */
  public void resume() {
    if (!paused) {
      return;
    }
    paused = false;
    ctx.channel().config().setAutoRead(true);
    decode();
  }

  /** True while paused. */
  public boolean isPaused() {
    return paused;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseCumulation();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    releaseCumulation();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    ByteBuf in = (ByteBuf) msg;
    if (!ctx.channel().isOpen()) {
      in.release();
      return;
    }
    cumulation =
        cumulation == null
            ? in
            : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
    decode();
  }

  private void decode() {
    if (decoding) {
      return; // resume() called from inside an event: the outer loop carries on
    }
    decoding = true;
    try {
      while (!paused && cumulation != null && cumulation.isReadable() && ctx.channel().isOpen()) {
        boolean progress;
        switch (mode) {
          case LINE:
            progress = decodeLine(cumulation);
            break;
          case SKIP_LINE:
            progress = skipLine(cumulation);
            break;
          case DATA:
            decodeData(cumulation);
            progress = true;
            break;
          case CHUNK:
            decodeChunk(cumulation);
            progress = true;
            break;
          default:
            throw new IllegalStateException("mode " + mode);
        }
        if (!progress) {
          break;
        }
      }
    } finally {
      decoding = false;
    }
    if (cumulation != null) {
      if (!cumulation.isReadable()) {
        releaseCumulation();
      } else {
        cumulation.discardSomeReadBytes();
      }
    }
  }

  private void releaseCumulation() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }

  // ---- Command lines ---------------------------------------------------------------------

  /** Returns false when a whole line is not there yet. */
  private boolean decodeLine(ByteBuf in) {
    int r = in.readerIndex();
    int n = in.readableBytes();
    int scan = (int) Math.min(n, maxLineLength + 2L);
    int lf = in.indexOf(r, r + scan, LF);
    if (lf < 0) {
      if (scan < maxLineLength + 2L) {
        return false;
      }
      in.skipBytes(scan); // the LF may be further on: SKIP_LINE finds it
      mode = Mode.SKIP_LINE;
      return true;
    }
    in.readerIndex(lf + 1);
    boolean crlf = lf > r && in.getByte(lf - 1) == CR;
    int end = crlf ? lf - 1 : lf;
    if (!crlf) {
      fire(new SmtpInput.LineError(Problem.BARE_LF));
    } else if (end - r > maxLineLength) {
      fire(new SmtpInput.LineError(Problem.LINE_TOO_LONG));
    } else if (in.indexOf(r, end, CR) >= 0) {
      fire(new SmtpInput.LineError(Problem.BARE_CR));
    } else {
      fireCommand(in, r, end);
    }
    return true;
  }

  private boolean skipLine(ByteBuf in) {
    int r = in.readerIndex();
    int lf = in.indexOf(r, in.writerIndex(), LF);
    if (lf < 0) {
      in.skipBytes(in.readableBytes());
      return false;
    }
    in.readerIndex(lf + 1);
    mode = Mode.LINE;
    fire(new SmtpInput.LineError(Problem.LINE_TOO_LONG));
    return true;
  }

  private void fireCommand(ByteBuf in, int start, int end) {
    boolean ascii = in.forEachByte(start, end - start, NOT_ASCII) < 0;
    if (!ascii && !Utf8.isValid(in, start, end)) {
      fire(new SmtpInput.LineError(Problem.BAD_UTF8));
      return;
    }
    while (start < end && isSpace(in.getByte(start))) {
      start++;
    }
    int verbEnd = start;
    while (verbEnd < end && !isSpace(in.getByte(verbEnd))) {
      verbEnd++;
    }
    SmtpVerb verb = SmtpVerb.lookup(in, start, verbEnd - start);
    String verbText =
        verb == SmtpVerb.UNKNOWN
            ? in.toString(start, verbEnd - start, StandardCharsets.UTF_8)
            : null;
    int argStart = verbEnd;
    while (argStart < end && isSpace(in.getByte(argStart))) {
      argStart++;
    }
    int argEnd = end;
    while (argEnd > argStart && isSpace(in.getByte(argEnd - 1))) {
      argEnd--;
    }
    String argument =
        argEnd == argStart
            ? ""
            : in.toString(
                argStart,
                argEnd - argStart,
                ascii ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8);
    fire(new SmtpInput.Command(verb, argument, verbText));
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t';
  }

  // ---- DATA ------------------------------------------------------------------------------

  /** Consumes everything readable, or up to the end of the body. */
  private void decodeData(ByteBuf in) {
    while (in.isReadable()) {
      int r = in.readerIndex();
      switch (dataState) {
        case MID:
          {
            int special = in.forEachByte(r, in.readableBytes(), ByteProcessor.FIND_CRLF);
            if (special < 0) {
              sink.write(in, r, in.readableBytes());
              in.skipBytes(in.readableBytes());
              return;
            }
            sink.write(in, r, special - r);
            in.readerIndex(special + 1);
            if (in.getByte(special) == CR) {
              dataState = DataState.CR;
            } else {
              bareLf = true; // kept as content; never a line end
              sink.write(LF);
            }
            break;
          }
        case LINE_START:
          if (in.getByte(r) == '.') {
            in.skipBytes(1);
            dataState = DataState.DOT;
          } else {
            dataState = DataState.MID;
          }
          break;
        case CR:
          if (in.getByte(r) == LF) {
            in.skipBytes(1);
            sink.writeCrlf();
            dataState = DataState.LINE_START;
          } else {
            bareCr = true;
            sink.write(CR);
            dataState = DataState.MID; // the byte after the CR is read again as MID
          }
          break;
        case DOT:
          if (in.getByte(r) == CR) {
            in.skipBytes(1);
            dataState = DataState.DOT_CR;
          } else {
            dataState = DataState.MID; // the dot was stuffing: dropped
          }
          break;
        case DOT_CR:
          if (in.getByte(r) == LF) {
            in.skipBytes(1);
            endData();
            return;
          }
          bareCr = true;
          sink.write(CR);
          dataState = DataState.MID;
          break;
        default:
          throw new IllegalStateException("data state " + dataState);
      }
    }
  }

  private void endData() {
    mode = Mode.LINE;
    sink = null;
    fire(new SmtpInput.DataEnd(bareLf, bareCr));
  }

  // ---- BDAT ------------------------------------------------------------------------------

  private void decodeChunk(ByteBuf in) {
    int take = (int) Math.min(in.readableBytes(), chunkRemaining);
    if (sink != null) {
      sink.write(in, in.readerIndex(), take);
    }
    in.skipBytes(take);
    chunkRemaining -= take;
    if (chunkRemaining == 0) {
      mode = Mode.LINE;
      sink = null;
      fire(new SmtpInput.ChunkEnd(chunkSize));
    }
  }

  private void fire(SmtpInput event) {
    ctx.fireChannelRead(event);
  }
}
