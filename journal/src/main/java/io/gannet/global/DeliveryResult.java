package io.gannet.global;

import java.util.List;
import java.util.Objects;

/**
 * An agent's answer to a {@link DeliveryRequest}: one outcome per requested recipient, the relay
 * as Postfix logs it ({@code mx.example.com[192.0.2.1]:25}, {@code none} when no host was
 * reached), and the feedback qmgr's concurrency window needs.
 *
 * @param siteFailure true when the destination itself failed (no host reachable, every host
 *     refused or timed out, 421 at greeting): negative feedback for the destination's window.
 *     False when a session took place, whatever the recipients' outcomes (positive feedback).
 * @param timings milliseconds spent: {@code [in agent queue, connection setup, transmission]}
 *     for Postfix's {@code delays=a/b/c/d}; may be empty
 */
public record DeliveryResult(String relay, boolean siteFailure, List<RecipientOutcome> outcomes,
    long[] timings) {
  public DeliveryResult {
    Objects.requireNonNull(relay, "relay");
    outcomes = List.copyOf(outcomes);
    timings = timings == null ? new long[0] : timings;
  }

  /** Every recipient of {@code request} gets the same outcome (a site-level failure). */
  public static DeliveryResult all(DeliveryRequest request, String relay, boolean siteFailure,
      DeliveryStatus status, String dsn, String reply) {
    return new DeliveryResult(relay, siteFailure, request.recipients().stream()
        .map(r -> new RecipientOutcome(r.index(), r.address(), status, dsn, reply))
        .toList(), null);
  }
}
