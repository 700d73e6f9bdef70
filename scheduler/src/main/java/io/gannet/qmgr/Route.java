package io.gannet.qmgr;

import java.util.Objects;

/**
 * Where a recipient goes, as trivial-rewrite resolves it: a master.cf transport and a next hop
 * in Postfix syntax. Recipients with equal routes share a destination queue and its window.
 */
public record Route(String transport, String nexthop) {
  public Route {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(nexthop, "nexthop");
  }

  @Override
  public String toString() {
    return transport + ":" + nexthop;
  }
}
