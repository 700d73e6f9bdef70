package io.gannet.master;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The admin commands a daemon answers, by name. The lifecycle registers {@code status}, {@code
 * stop} and {@code reload}; a {@link DaemonBody} adds its own ({@code flush}, {@code flush-site},
 * {@code flush-id}, {@code super}, ...) from {@link DaemonBody#start}. Names are lower-case words
 * ({@code [a-z][a-z0-9-]*}); a name is registered once. Thread-safe.
 */
public final class AdminCommands {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

  private final Map<String, AdminHandler> handlers = new ConcurrentHashMap<>();

  /**
   * Adds a command.
   *
   * @throws IllegalArgumentException for a malformed name or one already registered
   */
  public void register(String name, AdminHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad admin command name: " + name);
    }
    if (handlers.putIfAbsent(name, handler) != null) {
      throw new IllegalArgumentException("admin command registered twice: " + name);
    }
  }

  /** The handler of {@code name}, or {@code null}. */
  public AdminHandler handler(String name) {
    return handlers.get(name);
  }

  /** The registered names, sorted. */
  public Set<String> names() {
    return new TreeSet<>(handlers.keySet());
  }
}
