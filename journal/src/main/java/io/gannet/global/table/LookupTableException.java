package io.gannet.global.table;

/**
 * A table could not be opened: unknown type, unreadable file, or a syntax error. The message names
 * the table and, for syntax errors, the file and line ({@code /etc/gannet/transport, line 12:
 * ...}), ready to show to the administrator as is.
 */
public final class LookupTableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public LookupTableException(String message) {
    super(message);
  }

  public LookupTableException(String message, Throwable cause) {
    super(message, cause);
  }

  static LookupTableException at(String file, int line, String message) {
    return new LookupTableException(file + ", line " + line + ": " + message);
  }
}
