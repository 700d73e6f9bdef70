package io.gannet.props.journal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Where each frame of a closed journal lies in its cycle files, learnt by reading the queue
 * read-only with a Chronicle tailer: a document's payload is at {@code [start, end)} of its file
 * and its 4-byte Chronicle header just before it.
 *
 * <p>What a look at a cycle file shows (Chronicle Queue 2026.4, binary wire): the file opens with
 * the store header and the index-of-indexes and first index array (about 64 KiB), then the
 * documents back to back, each a 4-byte little-endian header (length in the low 30 bits, bit 30
 * metadata, bit 31 "not complete") and its payload, padded to 4 bytes. The file is pre-allocated
 * sparse (tens of MiB of zeros past the data), so the end of the data is the end of the last
 * document, which is also the last non-zero byte.
 */
final class CycleFileLayout {

  /** One journal frame (Chronicle document) and where its bytes are. */
  record Frame(long index, File file, long headerPosition, long end) {}

  private final List<Frame> frames;

  private CycleFileLayout(List<Frame> frames) {
    this.frames = frames;
  }

  static CycleFileLayout read(Path journalDir, RollCycle rollCycle) {
    List<Frame> frames = new ArrayList<>();
    try (SingleChronicleQueue queue =
            SingleChronicleQueueBuilder.binary(journalDir)
                .rollCycle(rollCycle)
                .readOnly(true)
                .build();
        ExcerptTailer tailer = queue.createTailer()) {
      while (true) {
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) {
            break;
          }
          Bytes<?> bytes = dc.wire().bytes();
          frames.add(
              new Frame(
                  dc.index(), tailer.currentFile(), bytes.readPosition() - 4, bytes.readLimit()));
        }
      }
    }
    return new CycleFileLayout(frames);
  }

  List<Frame> frames() {
    return frames;
  }

  Frame last() {
    return frames.get(frames.size() - 1);
  }

  /** The frames in the file of the last frame, in order. */
  List<Frame> framesOfLastFile() {
    File file = last().file();
    return frames.stream().filter(f -> f.file().equals(file)).toList();
  }

  /** Offset just past the last non-zero byte of {@code file} (0 if all zero). */
  static long endOfNonZeroData(File file) {
    try (FileChannel ch = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      long end = ch.size();
      while (end > 0) {
        long start = Math.max(0, end - buf.capacity());
        buf.clear().limit((int) (end - start));
        while (buf.hasRemaining() && ch.read(buf, start + buf.position()) >= 0) {
          // fill
        }
        for (int i = (int) (end - start) - 1; i >= 0; i--) {
          if (buf.get(i) != 0) {
            return start + i + 1;
          }
        }
        end = start;
      }
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
