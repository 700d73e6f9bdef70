package io.gannet.dns;

/**
 * A next hop could not be resolved. {@code permanent} (NXDOMAIN, a null MX, no address at all):
 * the recipients bounce with {@code dsn}; otherwise (SERVFAIL, timeout) they are deferred.
 * The message reads as Postfix's: {@code Host or domain name not found. Name service error for
 * name=example.invalid type=MX: Host not found}.
 */
public final class DnsLookupException extends RuntimeException {
  private final boolean permanent;
  private final String dsn;

  public DnsLookupException(boolean permanent, String dsn, String message) {
    super(message);
    this.permanent = permanent;
    this.dsn = dsn;
  }

  public boolean permanent() {
    return permanent;
  }

  public String dsn() {
    return dsn;
  }
}
