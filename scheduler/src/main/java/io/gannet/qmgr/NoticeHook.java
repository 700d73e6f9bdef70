package io.gannet.qmgr;

import io.gannet.journal.MessageState;

/**
 * Asked before a message whose recipients are all final is forgotten ({@code Done}): the bounce /
 * success notice generator queues what is due (journaling {@code NoticeQueued}) and answers
 * whether the message may now be forgotten. Also asked when a deferred message leaves the active
 * window, for delay warnings.
 */
public interface NoticeHook {

  /** True when every notice due for this finished message is queued. */
  boolean finished(MessageState message);

  /** A deferred message left the active window; queue a delay notice if one is due. */
  default void deferred(MessageState message) {}

  /** No notices at all. */
  NoticeHook NONE = message -> true;
}
