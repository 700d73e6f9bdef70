package io.gannet.global;

import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration parameter: its Postfix name (verbatim, where the meaning is Postfix's), its
 * default as written in main.cf, how its text becomes a value, and its bounds. Declared once, in
 * {@link MailParams}; read through {@link Config#get(Param)}.
 */
public final class Param<T> {

  /** The kind of value, for parsing and for {@code gannet conf}. */
  public enum Kind {
    STRING,
    INT,
    LONG,
    BOOL,
    /** A time with an optional unit suffix (s, m, h, d, w); the value is in seconds. */
    TIME,
    /** A size in bytes. */
    SIZE,
    LIST
  }

  private final String name;
  private final String defaultValue;
  private final Kind kind;
  private final long min;
  private final long max;
  private final Function<String, T> parser;
  private final String description;

  Param(String name, String defaultValue, Kind kind, long min, long max,
      Function<String, T> parser, String description) {
    this.name = Objects.requireNonNull(name);
    this.defaultValue = Objects.requireNonNull(defaultValue);
    this.kind = kind;
    this.min = min;
    this.max = max;
    this.parser = parser;
    this.description = description;
  }

  public String name() {
    return name;
  }

  /** The default as main.cf text (may contain {@code $name} references). */
  public String defaultValue() {
    return defaultValue;
  }

  public Kind kind() {
    return kind;
  }

  public long min() {
    return min;
  }

  public long max() {
    return max;
  }

  public String description() {
    return description;
  }

  /**
   * Parses an expanded value. Throws {@link IllegalArgumentException} with a message that names
   * the parameter and the bad value; numbers outside the bounds are rejected the same way.
   */
  public T parse(String text) {
    return parser.apply(text);
  }

  @Override
  public String toString() {
    return name;
  }
}
