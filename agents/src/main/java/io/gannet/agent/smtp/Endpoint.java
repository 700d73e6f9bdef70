package io.gannet.agent.smtp;

import io.gannet.dns.MailHost;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One server to try: a host name with a TCP address and port (from a {@link MailHost}), or, for
 * lmtp, a UNIX-domain socket path (named after {@code myhostname}, as Postfix does).
 */
record Endpoint(String name, InetSocketAddress inet, String path) {

  Endpoint {
    Objects.requireNonNull(name, "name");
    if ((inet == null) == (path == null)) {
      throw new IllegalArgumentException("an endpoint has an address or a path");
    }
  }

  static Endpoint of(MailHost host) {
    return new Endpoint(host.name(), new InetSocketAddress(host.address(), host.port()), null);
  }

  static Endpoint unix(String hostname, String path) {
    return new Endpoint(hostname, null, path);
  }

  boolean isLocal() {
    return path != null;
  }

  /** {@code mx.example.com[192.0.2.1]} (Postfix's namaddr), or {@code host[/path]}. */
  String namaddr() {
    return name + "[" + (path != null ? path : inet.getAddress().getHostAddress()) + "]";
  }

  /** As Postfix logs {@code relay=}: {@code mx.example.com[192.0.2.1]:25}, or {@code host[/path]}. */
  String relay() {
    return path != null ? namaddr() : namaddr() + ":" + inet.getPort();
  }

  /** The target named in a failed connect: {@code host[ip]:port}, or the socket path. */
  String connectTarget() {
    return path != null ? path : relay();
  }
}
