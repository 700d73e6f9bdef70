package io.gannet.smtpd;

/**
 * flush(8) as seen from smtpd: asked by ETRN to deliver the mail queued for a domain. smtpd has
 * already checked that the domain is eligible ({@code fast_flush_domains}).
 */
@FunctionalInterface
public interface FlushService {

  /** No flush service: every ETRN is answered {@code 458}. */
  FlushService NONE = domain -> false;

  /** Starts delivery of mail queued for {@code domain}; false when it cannot. Must not block. */
  boolean flush(String domain);
}
