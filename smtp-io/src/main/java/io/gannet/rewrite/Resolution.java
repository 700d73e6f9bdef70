package io.gannet.rewrite;

/**
 * What trivial-rewrite answers for one recipient: its address class, the transport (a master.cf
 * service name such as {@code smtp}), the next hop in Postfix syntax ({@code domain}, {@code
 * [host]:port}, {@code host:port}; see {@code NextHop}) and the final recipient address.
 */
public record Resolution(
    AddressClass addressClass, String transport, String nexthop, String recipient) {}
