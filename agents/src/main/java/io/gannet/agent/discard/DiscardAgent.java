package io.gannet.agent.discard;

import io.gannet.global.DeliveryAgent;
import io.gannet.global.DeliveryRequest;
import io.gannet.global.DeliveryResult;
import io.gannet.global.DeliveryStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Postfix's discard(8): every recipient counts as delivered and the mail goes nowhere. The next
 * hop is the reason logged ({@code status=sent (NEXTHOP)}, "discarded" when empty).
 */
public final class DiscardAgent implements DeliveryAgent {

  @Override
  public CompletionStage<DeliveryResult> deliver(DeliveryRequest request) {
    String reason = request.nexthop().isEmpty() ? "discarded" : request.nexthop();
    return CompletableFuture.completedFuture(DeliveryResult.all(request, "none", false,
        DeliveryStatus.SENT, "2.0.0", reason));
  }

  @Override
  public void close() {}
}
