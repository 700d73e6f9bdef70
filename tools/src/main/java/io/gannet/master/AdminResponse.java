package io.gannet.master;

import java.util.List;

/**
 * The daemon's answer to one admin request.
 *
 * @param lines the data lines, in order, without their {@code -} prefix
 * @param error {@code null} for {@code OK}; else the reason of {@code ERR reason}
 */
public record AdminResponse(List<String> lines, String error) {
  public AdminResponse {
    lines = List.copyOf(lines);
  }

  /** Whether the reply ended with {@code OK}. */
  public boolean ok() {
    return error == null;
  }

  /** The value of the first data line {@code name = value}, or {@code null}. */
  public String value(String name) {
    String prefix = name + " = ";
    for (String l : lines) {
      if (l.startsWith(prefix)) {
        return l.substring(prefix.length());
      }
    }
    return null;
  }
}
