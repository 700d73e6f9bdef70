package io.gannet.showq;

import io.gannet.journal.MessageState;
import java.util.Iterator;

/**
 * The live messages of a queue at one moment, read in queue id (arrival) order without holding
 * them all in memory: the source of {@code gannet queue}. {@link LiveQueue} reads the queue as it
 * is now; {@link QueueReplay} as it was at a past time.
 */
public interface QueueSnapshot extends AutoCloseable {

  /** The live messages in queue id order, read as the iterator advances. */
  Iterator<MessageState> messages();

  @Override
  void close();
}
