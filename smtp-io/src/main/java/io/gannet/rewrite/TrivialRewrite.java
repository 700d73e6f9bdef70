package io.gannet.rewrite;

/**
 * trivial-rewrite(8): canonicalize, classify and resolve addresses. Thread-safe, immutable after
 * construction.
 */
public interface TrivialRewrite {

  /**
   * Canonical form: unqualified {@code user} becomes {@code user@$myorigin}; {@code user@host} gets
   * {@code .$mydomain} when {@code append_dot_mydomain = yes}; the null sender {@code ""} stays
   * {@code ""}. Lower-cases the domain.
   */
  String canonicalize(String address);

  /** The address class of the (canonical) address: LOCAL, VIRTUAL, RELAY or DEFAULT. */
  AddressClass classify(String address);

  /** Address class, transport, next hop and final recipient for the (canonical) address. */
  Resolution resolve(String address);
}
