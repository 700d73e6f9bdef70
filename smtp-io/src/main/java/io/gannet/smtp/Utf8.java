package io.gannet.smtp;

import io.netty.buffer.ByteBuf;

/** Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF). */
final class Utf8 {

  private Utf8() {}

  /** True when bytes {@code [start, end)} of {@code buf} are well-formed UTF-8. */
  static boolean isValid(ByteBuf buf, int start, int end) {
    int i = start;
    while (i < end) {
      int b = buf.getByte(i) & 0xff;
      if (b < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      int cp;
      if (b >= 0xc2 && b <= 0xdf) {
        n = 1;
        min = 0x80;
        cp = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        n = 2;
        min = 0x800;
        cp = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        n = 3;
        min = 0x10000;
        cp = b & 0x07;
      } else {
        return false;
      }
      if (i + n >= end) {
        return false; // truncated sequence
      }
      for (int k = 1; k <= n; k++) {
        int c = buf.getByte(i + k) & 0xff;
        if ((c & 0xc0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (c & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return false;
      }
      i += n + 1;
    }
    return true;
  }
}
