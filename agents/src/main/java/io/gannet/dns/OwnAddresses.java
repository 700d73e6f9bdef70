package io.gannet.dns;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * Where this Gannet instance receives mail (Postfix's {@code own_inet_addr}): the smtpd listen
 * sockets, a wildcard address standing for every address of every local interface. The resolver
 * uses it to find MX hosts that point back to this machine ("mail for X loops back to myself").
 *
 * <p>Unlike Postfix, the port counts: a destination on 127.0.0.1:2526 is not this instance when it
 * listens on 127.0.0.1:2525. That keeps loopback test setups working and is exact for a host that
 * runs several MTAs.
 */
public final class OwnAddresses {

  private static final OwnAddresses NONE = new OwnAddresses(Set.of());

  private final Set<InetSocketAddress> sockets;

  private OwnAddresses(Set<InetSocketAddress> sockets) {
    this.sockets = Collections.unmodifiableSet(sockets);
  }

  /** No address is ours: the loop check is off. */
  public static OwnAddresses none() {
    return NONE;
  }

  /**
   * The given listen sockets; a wildcard address (0.0.0.0 or ::) is expanded, once, into every
   * address of every local network interface at that port.
   *
   * @throws UncheckedIOException if the interfaces cannot be listed
   */
  public static OwnAddresses of(Collection<InetSocketAddress> listeners) {
    Set<InetSocketAddress> out = new HashSet<>();
    for (InetSocketAddress l : listeners) {
      InetAddress a = l.getAddress();
      if (a == null) {
        throw new IllegalArgumentException("unresolved listen address: " + l);
      }
      if (a.isAnyLocalAddress()) {
        for (InetAddress local : interfaceAddresses()) {
          out.add(new InetSocketAddress(withoutScope(local), l.getPort()));
        }
      } else {
        out.add(new InetSocketAddress(withoutScope(a), l.getPort()));
      }
    }
    return new OwnAddresses(out);
  }

  /** Whether a connection to {@code address}:{@code port} would reach this instance. */
  public boolean contains(InetAddress address, int port) {
    return !sockets.isEmpty() && sockets.contains(new InetSocketAddress(withoutScope(address), port));
  }

  @Override
  public String toString() {
    return "OwnAddresses" + sockets;
  }

  private static Set<InetAddress> interfaceAddresses() {
    Set<InetAddress> out = new HashSet<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        out.addAll(Collections.list(ni.getInetAddresses()));
      }
    } catch (SocketException e) {
      throw new UncheckedIOException("cannot list the network interfaces", e);
    }
    return out;
  }

  /** An IPv6 address without its interface scope (fe80::1%eth0 is fe80::1), no lookup. */
  private static InetAddress withoutScope(InetAddress a) {
    try {
      return InetAddress.getByAddress(a.getAddress());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
    }
  }
}
