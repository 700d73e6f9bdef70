package io.gannet.global.table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a table source file into logical lines, as Postfix's readlline(3): blank lines and lines
 * whose first non-blank character is {@code #} are skipped; a line that starts with white space
 * continues the logical line before it. Each logical line keeps the number of its first line.
 */
final class LogicalLines {

  /** One logical line: its text (continuations joined) and the number of its first line. */
  record Line(int number, String text) {}

  private LogicalLines() {}

  static List<Line> read(Path file) {
    String text;
    try {
      text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new LookupTableException(file + ": no such file");
    } catch (IOException e) {
      throw new LookupTableException(file + ": cannot read: " + e.getMessage(), e);
    }
    return split(file.toString(), text);
  }

  static List<Line> split(String name, String text) {
    List<Line> out = new ArrayList<>();
    StringBuilder current = null;
    int currentNumber = 0;
    int number = 0;
    int pos = 0;
    while (pos < text.length()) {
      int nl = text.indexOf('\n', pos);
      int end = nl < 0 ? text.length() : nl;
      number++;
      String line = text.substring(pos, end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end);
      pos = nl < 0 ? text.length() : nl + 1;
      String stripped = line.strip();
      if (stripped.isEmpty() || stripped.charAt(0) == '#') {
        continue;
      }
      if (Character.isWhitespace(line.charAt(0))) {
        if (current == null) {
          throw LookupTableException.at(
              name, number, "a logical line must not start with white space (nothing to continue)");
        }
        current.append(line);
        continue;
      }
      if (current != null) {
        out.add(new Line(currentNumber, current.toString().stripTrailing()));
      }
      current = new StringBuilder(line);
      currentNumber = number;
    }
    if (current != null) {
      out.add(new Line(currentNumber, current.toString().stripTrailing()));
    }
    return out;
  }
}
