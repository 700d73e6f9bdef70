package io.gannet.master;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The commands' end of the admin socket ({@link AdminProtocol}): sends one request to the daemon
 * running on a queue directory and reads its reply. A new connection per request; thread-safe.
 *
 * <pre>
 *   AdminResponse r = new AdminClient(queueDirectory).request("flush-site", "example.com");
 *   if (!r.ok()) { ... r.error() ... }
 * </pre>
 */
public final class AdminClient {
  /** How long a request may take by default, reply included. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** The longest reply line accepted. */
  static final int MAX_REPLY_LINE_BYTES = 1 << 20;

  private final Path socket;
  private final Duration timeout;

  /** A client of the daemon on {@code queueDirectory}, with {@link #DEFAULT_TIMEOUT}. */
  public AdminClient(Path queueDirectory) {
    this(queueDirectory, DEFAULT_TIMEOUT);
  }

  public AdminClient(Path queueDirectory, Duration timeout) {
    this.socket = DaemonFiles.adminSocket(queueDirectory.toAbsolutePath());
    this.timeout = timeout;
  }

  /** Sends {@code command} with {@code args}; see {@link #request(List)}. */
  public AdminResponse request(String command, String... args) throws IOException {
    List<String> words = new ArrayList<>();
    words.add(command);
    words.addAll(Arrays.asList(args));
    return request(words);
  }

  /**
   * Sends one request (the command, then its arguments) and returns the reply.
   *
   * @throws AdminUnavailableException no daemon listens on the socket (not running)
   * @throws SocketTimeoutException no complete reply within the timeout
   * @throws IOException the connection broke, or the reply does not follow the protocol
   */
  public AdminResponse request(List<String> words) throws IOException {
    String line = AdminProtocol.encode(words);
    SocketChannel ch;
    try {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    } catch (UnsupportedOperationException e) {
      throw new IOException("UNIX domain sockets are not supported here", e);
    }
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      ch.close();
      throw new AdminUnavailableException(
          "no daemon answers on " + socket + ": " + e.getMessage(), e);
    }
    long deadline = LineChannel.deadline(timeout.toMillis());
    try (LineChannel lc = new LineChannel(ch)) {
      lc.writeLine(line, deadline);
      List<String> data = new ArrayList<>();
      while (true) {
        String l = lc.readLine(MAX_REPLY_LINE_BYTES, deadline);
        if (l == null) {
          throw new IOException(
              "admin socket " + socket + ": connection closed before the reply" + " ended");
        }
        if (!l.isEmpty() && l.charAt(0) == AdminProtocol.DATA) {
          data.add(l.substring(1));
        } else if (l.equals(AdminProtocol.OK)) {
          return new AdminResponse(data, null);
        } else if (l.startsWith(AdminProtocol.ERR)) {
          return new AdminResponse(data, l.substring(AdminProtocol.ERR.length()));
        } else {
          throw new IOException("admin socket " + socket + ": not a reply line: " + l);
        }
      }
    }
  }
}
