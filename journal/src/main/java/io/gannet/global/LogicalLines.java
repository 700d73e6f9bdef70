package io.gannet.global;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Postfix-style configuration file as logical lines, as Postfix's {@code readllines()}: a
 * line that starts with white space continues the logical line before it; a line whose first
 * non-blank character is {@code #} is a comment; blank lines are skipped. Comment and blank lines
 * do not end a logical line. A continuation is joined with one space, its leading and trailing
 * white space removed. Each logical line keeps the number of the physical line it starts on.
 *
 * <p>Files must be UTF-8 (ASCII in practice); anything else is an error, not a guess.
 */
final class LogicalLines {

  /** One logical line: the physical line it starts on and its joined, trimmed text. */
  record Line(int number, String text) {}

  private LogicalLines() {}

  /**
   * {@code confDir/name}, after checking that {@code confDir} is a directory (so that a wrong
   * {@code -c} says so instead of naming a file inside it).
   */
  static Path fileIn(Path confDir, String name) throws ConfigException {
    if (!Files.isDirectory(confDir)) {
      throw new ConfigException(
          "bad configuration directory "
              + confDir
              + ": "
              + (Files.exists(confDir) ? "Not a directory" : "No such file or directory"));
    }
    return confDir.resolve(name);
  }

  static List<Line> read(Path file) throws ConfigException {
    List<Line> out = new ArrayList<>();
    StringBuilder current = null;
    int start = 0;
    String[] physical = text(file).split("\r?\n|\r", -1);
    for (int i = 0; i < physical.length; i++) {
      String s = physical[i];
      String trimmed = s.strip();
      if (trimmed.isEmpty() || trimmed.charAt(0) == '#') {
        continue;
      }
      if (Character.isWhitespace(s.charAt(0))) {
        if (current == null) {
          throw ConfigException.at(
              file, i + 1, "logical line must not start with white space: " + quote(trimmed));
        }
        current.append(' ').append(trimmed);
      } else {
        if (current != null) {
          out.add(new Line(start, current.toString()));
        }
        current = new StringBuilder(trimmed);
        start = i + 1;
      }
    }
    if (current != null) {
      out.add(new Line(start, current.toString()));
    }
    return out;
  }

  /** Text quoted for a message, cut at 100 characters as Postfix's {@code %.100s}. */
  static String quote(String text) {
    return "\"" + (text.length() > 100 ? text.substring(0, 100) + "..." : text) + "\"";
  }

  private static String text(Path file) throws ConfigException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("open " + file + ": No such file or directory");
    } catch (AccessDeniedException e) {
      throw new ConfigException("open " + file + ": Permission denied");
    } catch (IOException e) {
      throw new ConfigException("read " + file + ": " + e.getMessage());
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException("read " + file + ": not UTF-8 text");
    }
  }
}
