package io.gannet.postsuper;

import io.gannet.global.QueueId;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Where the operations of {@code gannet super} run: through the running daemon ({@link
 * RemoteSuper}) or on the queue of a stopped one ({@link StoppedQueue}). Both answer as {@link
 * Postsuper} does, and both return only once the records are durable.
 */
public interface SuperQueue extends AutoCloseable {

  /** {@link Postsuper#apply}: the named messages, each once, in order. */
  List<Postsuper.Outcome> apply(SuperAction action, Set<QueueName> queues, List<QueueId> ids)
      throws IOException;

  /** {@link Postsuper#applyAll}: one page of every message, after {@code after}. */
  Postsuper.Page applyAll(SuperAction action, Set<QueueName> queues, QueueId after)
      throws IOException;

  @Override
  void close() throws IOException;
}
