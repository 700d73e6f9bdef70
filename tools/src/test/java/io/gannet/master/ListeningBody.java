package io.gannet.master;

import io.gannet.global.MasterService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DaemonBody} test double that does what the real one does first: bind the smtpd listeners
 * of master.cf. A taken port fails the start with the address in the message. Admin command {@code
 * ports}: the bound addresses. Public with a no-argument constructor, so a spawned daemon can be
 * given it with {@code -Dgannet.daemon.body}.
 */
public final class ListeningBody implements DaemonBody {
  private final List<ServerSocketChannel> listeners = new ArrayList<>();

  @Override
  public void start(DaemonContext context) throws Exception {
    for (MasterService s : context.master().smtpdListeners()) {
      String host = s.host().orElse("127.0.0.1");
      ServerSocketChannel ch = ServerSocketChannel.open();
      listeners.add(ch);
      try {
        ch.bind(new InetSocketAddress(host, s.port()));
      } catch (IOException e) {
        throw new IOException(
            "cannot listen on " + host + ":" + s.port() + ": " + e.getMessage(), e);
      }
    }
    context
        .admin()
        .register(
            "ports",
            (args, reply) -> {
              for (ServerSocketChannel ch : listeners) {
                reply.line(ch.getLocalAddress().toString());
              }
            });
  }

  @Override
  public void reload(DaemonConfig config) {}

  @Override
  public void stop() {
    for (ServerSocketChannel ch : listeners) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
