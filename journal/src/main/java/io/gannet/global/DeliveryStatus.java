package io.gannet.global;

/** The outcome class of one recipient's delivery attempt, as Postfix logs {@code status=}. */
public enum DeliveryStatus {
  /** Delivered: 2xx ({@code status=sent}). */
  SENT,
  /** Temporary failure: 4xx, connection trouble ({@code status=deferred}). */
  DEFERRED,
  /** Permanent failure: 5xx ({@code status=bounced}). */
  BOUNCED
}
