package io.gannet.smtp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class DotStuffedContentTest {

  private static String stuff(String in, int limit) {
    return new String(DotStuffedContent.encode(in.getBytes(ISO_8859_1), limit), ISO_8859_1);
  }

  @Test
  void leadingDotsAreDoubledAndTheEndIsMarked() {
    assertEquals("a\r\n..b\r\n...\r\n..\r\nc.d\r\n.\r\n", stuff("a\r\n.b\r\n..\r\n.\r\nc.d\r\n", 0));
    assertEquals("..x\r\n.\r\n", stuff(".x", 0));
    assertEquals(".\r\n", stuff("", 0));
  }

  @Test
  void bareLfBecomesCrlfAndBareCrStays() {
    assertEquals("a\r\n..b\r\nc\rd\r\n.\r\n", stuff("a\n.b\nc\rd", 0));
  }

  @Test
  void longLinesAreBrokenWithCrlfSpace() {
    assertEquals("abcd\r\n efg\r\n hij\r\nxy\r\n.\r\n", stuff("abcdefghij\r\nxy\r\n", 4));
  }

  @Test
  void chunksConcatenateToTheWhole() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      sb.append(i % 7 == 0 ? "." : "").append("line ").append(i).append("\r\n");
    }
    byte[] content = sb.toString().getBytes(ISO_8859_1);
    byte[] whole = DotStuffedContent.encode(content, 998);
    for (int chunk : new int[] {1, 7, 100, 4096}) {
      DotStuffedContent c = new DotStuffedContent(content, 998, chunk);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int chunks = 0;
      while (!c.isEndOfInput()) {
        ByteBuf b = c.readChunk(UnpooledByteBufAllocator.DEFAULT);
        byte[] part = new byte[b.readableBytes()];
        b.readBytes(part);
        b.release();
        out.write(part);
        chunks++;
      }
      assertNull(c.readChunk(UnpooledByteBufAllocator.DEFAULT));
      assertEquals(new String(whole, ISO_8859_1), out.toString(ISO_8859_1), "chunk " + chunk);
      assertTrue(chunk > 1000 || chunks > 1);
    }
  }
}
