package io.gannet.rewrite;

/**
 * Postfix's address classes (ADDRESS_CLASS_README): which domain list a recipient domain is in, and
 * so which delivery transport serves it by default.
 */
public enum AddressClass {
  /** The domain is in {@code mydestination} (or is one of this machine's own names). */
  LOCAL,
  /** The domain is in {@code virtual_mailbox_domains}. */
  VIRTUAL,
  /** The domain is in {@code relay_domains}. */
  RELAY,
  /** Any other domain: delivered by {@code default_transport}. */
  DEFAULT
}
