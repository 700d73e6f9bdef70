package io.gannet.agent.error;

import io.gannet.global.DeliveryAgent;
import io.gannet.global.DeliveryRequest;
import io.gannet.global.DeliveryResult;
import io.gannet.global.DeliveryStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Postfix's error(8): every recipient fails with the next hop as the reason. As the
 * {@code error} service the failure is permanent (5.0.0, bounced); as the {@code retry} service
 * it is temporary (4.0.0, deferred). A next hop such as {@code 5.1.1 no such user} gives its own
 * status code.
 */
public final class ErrorAgent implements DeliveryAgent {
  private final boolean retry;

  /** @param retry true for the {@code retry} service (defer instead of bounce) */
  public ErrorAgent(boolean retry) {
    this.retry = retry;
  }

  @Override
  public CompletionStage<DeliveryResult> deliver(DeliveryRequest request) {
    String text = request.nexthop().isEmpty() ? "delivery failed" : request.nexthop();
    String dsn = retry ? "4.0.0" : "5.0.0";
    String[] words = text.split(" ", 2);
    if (words.length == 2 && words[0].matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
      dsn = (retry ? "4" : "5") + words[0].substring(1);
      text = words[1];
    }
    return CompletableFuture.completedFuture(DeliveryResult.all(request, "none", false,
        retry ? DeliveryStatus.DEFERRED : DeliveryStatus.BOUNCED, dsn, text));
  }

  @Override
  public void close() {}
}
