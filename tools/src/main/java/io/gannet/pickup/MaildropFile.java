package io.gannet.pickup;

import io.gannet.global.BodyType;
import io.gannet.global.DsnRet;
import io.gannet.global.Recipient;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The format of a file in the maildrop directory: one {@link Submission}, written by {@code gannet
 * sendmail} and read by pickup. Binary, big-endian, versioned, with a checksum at the end, so that
 * a file cut short or damaged is recognised and never half-read:
 *
 * <pre>
 *   magic       16 bytes  "GANNET-MAILDROP\n"
 *   version      2        1
 *   submitted    8        epoch millis
 *   sender       string   "" for the null sender
 *   envid        1 + string (flag 0: none)
 *   ret          1        0 none, 1 FULL, 2 HDRS
 *   body         1        0 none, 1 7BIT, 2 8BITMIME, 3 BINARYMIME
 *   recipients   4        count, at least 1; then per recipient:
 *     address    string
 *     orcpt      1 + string (flag 0: none)
 *     notify     1        Recipient.NOTIFY_* bits
 *   content      4 + bytes
 *   crc32c       4        of every byte before it
 *
 *   string = 4-byte length + UTF-8 bytes, at most 65536
 * </pre>
 *
 * The file is untrusted input (anyone who can write the directory can drop one): every length is
 * checked against what remains, every enumeration against its values.
 */
public final class MaildropFile {
  static final byte[] MAGIC = "GANNET-MAILDROP\n".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int MAX_STRING = 1 << 16;

  private static final DsnRet[] RETS = {DsnRet.DEFAULT, DsnRet.FULL, DsnRet.HDRS};
  private static final BodyType[] BODIES = {
    BodyType.UNSPECIFIED, BodyType.SEVEN_BIT, BodyType.EIGHT_BIT_MIME, BodyType.BINARY_MIME
  };

  private MaildropFile() {}

  /** The bytes of the file for {@code s}. */
  public static byte[] encode(Submission s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.content().length + 512);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeShort(VERSION);
      out.writeLong(s.submitted());
      string(out, s.sender());
      optional(out, s.envid());
      out.writeByte(index(RETS, s.ret()));
      out.writeByte(index(BODIES, s.body()));
      out.writeInt(s.recipients().size());
      for (Recipient r : s.recipients()) {
        string(out, r.address());
        optional(out, r.orcpt());
        out.writeByte(r.notifyFlags());
      }
      out.writeInt(s.content().length);
      out.write(s.content());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    CRC32C crc = new CRC32C();
    byte[] body = bytes.toByteArray();
    crc.update(body);
    return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
  }

  /**
   * The submission in {@code file}'s bytes.
   *
   * @throws MaildropFormatException naming what is wrong
   */
  public static Submission decode(byte[] file) throws MaildropFormatException {
    if (file.length < MAGIC.length + 2 + 4) {
      throw new MaildropFormatException("too short for a maildrop file (" + file.length
          + " bytes)");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (file[i] != MAGIC[i]) {
        throw new MaildropFormatException("not a maildrop file (bad magic)");
      }
    }
    ByteBuffer in = ByteBuffer.wrap(file, 0, file.length - 4);
    in.position(MAGIC.length);
    int version = in.getShort() & 0xffff;
    if (version != VERSION) {
      throw new MaildropFormatException("unknown maildrop format version " + version
          + " (this Gannet reads " + VERSION + ")");
    }
    CRC32C crc = new CRC32C();
    crc.update(file, 0, file.length - 4);
    int stored = ByteBuffer.wrap(file, file.length - 4, 4).getInt();
    if ((int) crc.getValue() != stored) {
      throw new MaildropFormatException("checksum mismatch (file cut short or damaged)");
    }
    try {
      long submitted = in.getLong();
      String sender = string(in, "sender");
      String envid = optional(in, "envid");
      DsnRet ret = pick(RETS, in.get(), "ret");
      BodyType body = pick(BODIES, in.get(), "body");
      int n = in.getInt();
      if (n < 1 || n > in.remaining() / 6) {
        throw new MaildropFormatException("bad recipient count " + n);
      }
      List<Recipient> rcpts = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String address = string(in, "recipient");
        String orcpt = optional(in, "orcpt");
        int notify = in.get() & 0xff;
        try {
          rcpts.add(new Recipient(address, orcpt, notify));
        } catch (IllegalArgumentException e) {
          throw new MaildropFormatException("recipient " + i + ": " + e.getMessage());
        }
      }
      int length = in.getInt();
      if (length != in.remaining()) {
        throw new MaildropFormatException("content length " + length + " does not match the "
            + in.remaining() + " bytes that remain");
      }
      byte[] content = new byte[length];
      in.get(content);
      return new Submission(submitted, sender, envid, ret, body, rcpts, content);
    } catch (BufferUnderflowException e) {
      throw new MaildropFormatException("truncated record");
    }
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > MAX_STRING) {
      throw new IllegalArgumentException("envelope field too long: " + b.length + " bytes");
    }
    out.writeInt(b.length);
    out.write(b);
  }

  private static void optional(DataOutputStream out, String s) throws IOException {
    out.writeByte(s == null ? 0 : 1);
    if (s != null) {
      string(out, s);
    }
  }

  private static String string(ByteBuffer in, String what) throws MaildropFormatException {
    int n = in.getInt();
    if (n < 0 || n > MAX_STRING || n > in.remaining()) {
      throw new MaildropFormatException("bad " + what + " length " + n);
    }
    ByteBuffer slice = in.slice().limit(n);
    in.position(in.position() + n);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(slice)
          .toString();
    } catch (CharacterCodingException e) {
      throw new MaildropFormatException(what + " is not UTF-8");
    }
  }

  private static String optional(ByteBuffer in, String what) throws MaildropFormatException {
    int flag = in.get();
    if (flag == 0) {
      return null;
    }
    if (flag != 1) {
      throw new MaildropFormatException("bad " + what + " flag " + flag);
    }
    return string(in, what);
  }

  private static <T> int index(T[] values, T v) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == v) {
        return i;
      }
    }
    throw new IllegalArgumentException("no code for " + v);
  }

  private static <T> T pick(T[] values, byte code, String what) throws MaildropFormatException {
    int i = code & 0xff;
    if (i >= values.length) {
      throw new MaildropFormatException("bad " + what + " code " + i);
    }
    return values[i];
  }
}
