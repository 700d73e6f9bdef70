package io.gannet.pickup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.global.BodyType;
import io.gannet.global.DsnRet;
import io.gannet.global.QueueIdGenerator;
import io.gannet.global.Recipient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The maildrop file format: round trip, and every kind of damage recognised. */
class MaildropFileTest {
  @TempDir Path dir;

  private static Submission submission() {
    return new Submission(1_700_000_000_123L, "", "env-1", DsnRet.HDRS, BodyType.EIGHT_BIT_MIME,
        List.of(new Recipient("ä@dest.test", "rfc822;a@dest.test", Recipient.NOTIFY_SUCCESS),
            Recipient.of("b@dest.test")),
        "Subject: x\r\n\r\n\u00e9t\u00e9\r\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void roundTrip() throws Exception {
    Submission s = submission();
    assertEquals(s, MaildropFile.decode(MaildropFile.encode(s)));
    Submission plain = new Submission(1, "u", null, DsnRet.DEFAULT, BodyType.UNSPECIFIED,
        List.of(Recipient.of("r")), new byte[0]);
    assertEquals(plain, MaildropFile.decode(MaildropFile.encode(plain)));
  }

  @Test
  void everyTruncationAndEveryFlippedByteIsRefused() {
    byte[] good = MaildropFile.encode(submission());
    for (int n = 0; n < good.length; n++) {
      byte[] cut = Arrays.copyOf(good, n);
      assertThrows(MaildropFormatException.class, () -> MaildropFile.decode(cut), "cut at " + n);
    }
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x40;
      assertThrows(MaildropFormatException.class, () -> MaildropFile.decode(bad), "byte " + i);
    }
  }

  @Test
  void lengthsBeyondTheFileAreRefusedEvenWithAGoodChecksum() {
    byte[] good = MaildropFile.encode(submission());
    // the recipient count sits after magic, version, time, sender, envid, ret and body
    int at = MaildropFile.MAGIC.length + 2 + 8 + 4 + 1 + 4 + "env-1".length() + 1 + 1;
    byte[] bad = good.clone();
    ByteBuffer.wrap(bad).putInt(at, Integer.MAX_VALUE);
    reseal(bad);
    MaildropFormatException e =
        assertThrows(MaildropFormatException.class, () -> MaildropFile.decode(bad));
    assertTrue(e.getMessage().startsWith("bad recipient count"), e.getMessage());
    byte[] version = good.clone();
    version[MaildropFile.MAGIC.length + 1] = 9;
    reseal(version);
    e = assertThrows(MaildropFormatException.class, () -> MaildropFile.decode(version));
    assertEquals("unknown maildrop format version 9 (this Gannet reads 1)", e.getMessage());
  }

  private static void reseal(byte[] b) {
    CRC32C crc = new CRC32C();
    crc.update(b, 0, b.length - 4);
    ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
  }

  @Test
  void theDirectoryHoldsWholeFilesOnlyInSubmissionOrder() throws Exception {
    Maildrop m = Maildrop.of(dir);
    QueueIdGenerator names = new QueueIdGenerator(Clock.systemUTC());
    Path first = m.write(submission(), names);
    Path second = m.write(submission(), names);
    Files.writeString(m.directory().resolve(".half-written.tmp"), "partial");
    assertEquals(List.of(first, second), m.waiting());
    assertEquals(submission(), Maildrop.read(first, 1 << 20));
    assertThrows(MaildropFormatException.class, () -> Maildrop.read(first, 10));
    Path link = m.directory().resolve("link");
    Files.createSymbolicLink(link, first);
    assertThrows(MaildropFormatException.class, () -> Maildrop.read(link, 1 << 20));
    Path aside = m.setAside(second);
    assertEquals(dir.resolve("corrupt").resolve(second.getFileName()), aside);
    m.remove(first);
    assertEquals(List.of(link), m.waiting());
  }
}
