package io.gannet.master;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's end of the admin socket ({@link AdminProtocol}): binds {@code
 * $queue_directory/private/admin} with {@code private/} at 0700 and the socket at 0600, accepts on
 * one thread and answers each connection on a small pool (at most {@value #THREADS} requests at
 * once, {@value #BACKLOG} waiting; beyond that {@code ERR busy}). The caller must hold the {@link
 * QueueLock}: a socket file left by a crashed instance is removed before binding.
 *
 * <p>A reply is collected in memory, then sent: admin commands answer briefly (a queue listing is
 * the job of a journal reader, not of the daemon).
 */
public final class AdminServer implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  /** Handler threads. */
  static final int THREADS = 4;

  /** Connections waiting for a handler thread. */
  static final int BACKLOG = 16;

  /** The longest socket path the kernel accepts (sun_path less its terminating NUL). */
  static final int MAX_PATH_BYTES = 107;

  private static final long WRITE_TIMEOUT_MILLIS = 10_000;

  private final Path socket;
  private final AdminCommands commands;
  private final ServerSocketChannel server;
  private final ThreadPoolExecutor pool;
  private final Thread acceptor;
  private volatile boolean closed;

  private AdminServer(Path socket, AdminCommands commands, ServerSocketChannel server) {
    this.socket = socket;
    this.commands = commands;
    this.server = server;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(BACKLOG),
            r -> daemonThread(r, "admin-" + n.incrementAndGet()));
    this.pool.allowCoreThreadTimeOut(true);
    this.acceptor = daemonThread(this::acceptLoop, "admin-accept");
  }

  private static Thread daemonThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Binds the admin socket of {@code queueDirectory} and starts answering with {@code commands}.
   *
   * @throws IOException naming the socket path when it cannot be bound (path too long, no
   *     permission, ...)
   */
  public static AdminServer open(Path queueDirectory, AdminCommands commands) throws IOException {
    Path dir = DaemonFiles.privateDirectory(queueDirectory);
    Path socket = DaemonFiles.adminSocket(queueDirectory);
    int length = socket.toString().getBytes(StandardCharsets.UTF_8).length;
    if (length > MAX_PATH_BYTES) {
      throw new IOException(
          "admin socket path too long ("
              + length
              + " bytes, at most "
              + MAX_PATH_BYTES
              + "): "
              + socket
              + "; use a shorter queue_directory");
    }
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socket), BACKLOG);
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot bind admin socket " + socket + ": " + e.getMessage(), e);
    }
    AdminServer s = new AdminServer(socket, commands, server);
    s.acceptor.start();
    return s;
  }

  /** The socket file. */
  public Path socket() {
    return socket;
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closed) {
          log.warn("admin socket {}: accept: {}", socket, e.toString());
        }
        return;
      }
      try {
        pool.execute(() -> serve(ch));
      } catch (RejectedExecutionException e) {
        refuseBusy(ch);
      }
    }
  }

  private static void refuseBusy(SocketChannel ch) {
    try (LineChannel lc = new LineChannel(ch)) {
      lc.writeLine(AdminProtocol.ERR + "busy", LineChannel.deadline(1000));
    } catch (IOException ignored) {
      // the client will see the connection close
    }
  }

  private void serve(SocketChannel ch) {
    try (LineChannel lc = new LineChannel(ch)) {
      String line;
      try {
        line =
            lc.readLine(
                AdminProtocol.MAX_REQUEST_BYTES,
                LineChannel.deadline(AdminProtocol.REQUEST_TIMEOUT_MILLIS));
      } catch (LineChannel.LineTooLongException e) {
        lc.writeLine(AdminProtocol.ERR + "request too long", LineChannel.deadline(1000));
        return;
      }
      if (line == null) {
        return;
      }
      List<String> reply = answer(line);
      long deadline = LineChannel.deadline(WRITE_TIMEOUT_MILLIS);
      for (String l : reply) {
        lc.writeLine(l, deadline);
      }
    } catch (IOException e) {
      log.debug("admin connection: {}", e.toString());
    }
  }

  /** The reply lines (data lines, then OK or ERR) to one request line. */
  List<String> answer(String line) {
    List<String> words;
    try {
      words = AdminProtocol.decode(line);
    } catch (IllegalArgumentException e) {
      return List.of(AdminProtocol.ERR + e.getMessage());
    }
    String name = words.get(0);
    AdminHandler h = commands.handler(name);
    if (h == null) {
      return List.of(AdminProtocol.ERR + "unknown command: " + oneLine(name));
    }
    List<String> out = new ArrayList<>();
    try {
      h.handle(
          List.copyOf(words.subList(1, words.size())),
          text -> {
            for (String l : text.split("\r\n|\r|\n")) {
              out.add(AdminProtocol.DATA + l);
            }
          });
      out.add(AdminProtocol.OK);
    } catch (AdminException e) {
      out.add(AdminProtocol.ERR + oneLine(e.getMessage()));
    } catch (Exception | LinkageError e) {
      log.warn("admin command {}: {}", name, e.toString(), e);
      out.add(AdminProtocol.ERR + "internal error: " + oneLine(e.toString()));
    }
    return out;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("[\\r\\n]+", " ");
  }

  /**
   * Stops accepting, lets requests in progress finish (up to 10 s), removes the socket file. Called
   * by the lifecycle, never from a handler.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } finally {
      pool.shutdown();
      try {
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
          pool.shutdownNow();
        }
      } catch (InterruptedException e) {
        pool.shutdownNow();
        Thread.currentThread().interrupt();
      }
      Files.deleteIfExists(socket);
    }
  }
}
