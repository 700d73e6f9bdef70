package io.gannet.master;

/** Where an {@link AdminHandler} writes the lines of its answer. */
@FunctionalInterface
public interface AdminReply {

  /** Sends one line of text; line breaks inside {@code text} start further lines. */
  void line(String text);
}
