package io.gannet.global;

import java.util.concurrent.CompletionStage;

/**
 * A delivery agent (Postfix's smtp, lmtp, local, discard, error...): takes requests from qmgr and
 * answers each with a result. Implementations are asynchronous; the returned stage never
 * completes exceptionally for a delivery problem (that is a DEFERRED or BOUNCED outcome), only
 * for a bug, which qmgr treats as a deferral of every recipient with reason
 * {@code 4.3.0 delivery agent failed}.
 */
public interface DeliveryAgent extends AutoCloseable {

  CompletionStage<DeliveryResult> deliver(DeliveryRequest request);

  /** Stops taking requests; in-flight requests complete (possibly deferred) or are abandoned. */
  @Override
  void close();
}
