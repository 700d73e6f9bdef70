package io.gannet.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.QueueId;
import io.gannet.journal.JournalRecord.Accepted;
import io.gannet.journal.JournalRecord.Delivered;
import io.gannet.journal.JournalRecord.Moved;
import io.gannet.journal.JournalRecord.NoticeKind;
import io.gannet.journal.JournalRecord.NoticeQueued;
import io.gannet.journal.JournalRecord.RecipientResult;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;

/**
 * Where the records' constructors and the codec disagree about what a valid record is, and what a
 * reader does with a frame whose checksum is right but whose content is not a valid record.
 *
 * <ol>
 *   <li>Every record the constructors accept is either refused by the encoder ({@link
 *       IllegalArgumentException}, before any frame is written) or reads back equal. A record that
 *       encodes and then reads back as corrupt was acknowledged as durable and is lost.
 *   <li>A frame with a valid checksum that decodes into an impossible record (no recipients) is
 *       reported as a corrupt entry: the reader never throws.
 * </ol>
 *
 * <p>Both fail against the journal of commit 70f6840: the decoder reads recipient indexes up to
 * {@code RecordCodec.MAX_RECIPIENTS} and notice bits up to 7 that the constructors do not bound,
 * and {@code ContentAssembler} lets the record constructor's exception out for a record without
 * chunks (it catches it for a chunked one).
 */
@PropertyDefaults(tries = 300, edgeCases = EdgeCasesMode.NONE)
class RecordDomainProperties {

  private static final QueueId ID = Records.id(1);

  /**
   * Records with one field outside the range the decoder reads back, as suppliers: the constructors
   * may refuse them, which is one of the two right answers.
   */
  @Provide
  Arbitrary<Supplier<JournalRecord>> recordsAtTheEdgeOfTheirDomain() {
    Arbitrary<Integer> bigIndex = Arbitraries.integers().between(10_000_001, Integer.MAX_VALUE);
    Arbitrary<Integer> negative = Arbitraries.integers().between(Integer.MIN_VALUE, -1);
    Accepted message = Records.accepted(1, 100);
    return Arbitraries.oneOf(
        bigIndex.map(
            i ->
                () ->
                    new Delivered(
                        ID,
                        1,
                        "relay",
                        List.of(new RecipientResult(i, "a@example.net", "2.0.0", "250")))),
        bigIndex.map(i -> () -> new NoticeQueued(ID, 1, NoticeKind.BOUNCE, ID, List.of(i))),
        bigIndex.map(i -> () -> new Moved(ID, 1, 0, message, List.of(i), 0, 0, false, 0)),
        Arbitraries.integers()
            .between(1 << NoticeKind.values().length, Integer.MAX_VALUE)
            .map(n -> () -> new Moved(ID, 1, 0, message, List.of(0), 0, 0, false, n)),
        negative.map(n -> () -> new Moved(ID, 1, 0, message, List.of(0), n, 0, false, 0)),
        negative.map(n -> () -> new Moved(ID, 1, 0, message, List.of(0), 0, 0, false, n)),
        negative.map(i -> () -> new Moved(ID, 1, 0, message, List.of(i), 0, 0, false, 0)),
        negative.map(i -> () -> new NoticeQueued(ID, 1, NoticeKind.DELAY, ID, List.of(i))));
  }

  @Property
  void aRecordIsRefusedAtConstructionOrByTheEncoderOrReadsBackEqual(
      @ForAll("recordsAtTheEdgeOfTheirDomain") Supplier<JournalRecord> make) throws Exception {
    JournalRecord record;
    try {
      record = make.get();
    } catch (IllegalArgumentException refused) {
      return; // the record cannot exist: nothing can be written that does not read back
    }
    List<byte[]> frames;
    try {
      frames = RecordCodecProperties.encode(64, record);
    } catch (IllegalArgumentException refused) {
      return; // refused before writing: the append can fail alone (see JournalBadRecordTest)
    }
    assertEquals(
        List.of(JournalEntry.of(0x79c2e00000000L, record)),
        RecordCodecProperties.assemble(64, frames),
        "the encoder wrote " + record + ", the decoder does not read it back");
  }

  @Example
  void aValidChecksumOverAnAcceptedWithoutRecipientsIsACorruptEntryNotAnException()
      throws Exception {
    RecordBuffer b = new RecordBuffer(64);
    b.u8(RecordCodec.TYPE_ACCEPTED).u8(RecordCodec.VERSION);
    b.queueId(ID).int64(1);
    b.string("127.0.0.1").string("localhost").string("helo").string("ESMTP");
    b.string("sender@example.com").nullableString(null);
    b.u8(0).u8(0).u8(0);
    b.varint(0); // no recipients: the Accepted constructor refuses this
    b.varint(0).varint(0).varint(0); // no content, no chunks
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.length());
    b.int32((int) crc.getValue());

    ContentAssembler assembler = new ContentAssembler();
    long index = 7;
    try {
      assembler.accept(index, new RecordCodec().decode(index, b.array(), b.length()));
    } catch (CorruptRecordException e) {
      assembler.corrupt(index, e.getMessage());
    }
    // ChronicleJournal's reader does exactly the above; an exception here leaves its next().
    JournalEntry entry = assembler.poll();
    assertTrue(entry.isCorrupt(), "entry: " + entry);
    assertEquals(index, entry.index());
  }
}
