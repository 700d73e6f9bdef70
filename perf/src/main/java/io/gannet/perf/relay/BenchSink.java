package io.gannet.perf.relay;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's SMTP sink, as Postfix's {@code smtp-sink} but recording when each test message
 * arrived: it accepts every transaction on 127.0.0.1, and at each end of data reads the message's
 * {@code X-Bench-Id:} header ({@link BenchMessage}) and stamps the arrival in the {@link
 * Timeline} before it answers {@code 250}. Offers PIPELINING and 8BITMIME; answers pipelined
 * commands in one write. One thread per connection (the MTAs open at most a few dozen).
 *
 * <p>One sink serves a system under test for the whole benchmark; {@link #reset} points it at the
 * next run's timeline and tag. Messages without an id of the current tag are counted as strays
 * ({@link #strays()}).
 */
final class BenchSink implements AutoCloseable {
  private static final byte[] GREETING = ascii("220 sink.test ESMTP relay-bench sink\r\n");
  private static final byte[] EHLO =
      ascii("250-sink.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 0\r\n");
  private static final byte[] HELO = ascii("250 sink.test\r\n");
  private static final byte[] OK_MAIL = ascii("250 2.1.0 Ok\r\n");
  private static final byte[] OK_RCPT = ascii("250 2.1.5 Ok\r\n");
  private static final byte[] GO_AHEAD = ascii("354 End data with <CR><LF>.<CR><LF>\r\n");
  private static final byte[] OK_DATA = ascii("250 2.0.0 Ok: queued\r\n");
  private static final byte[] OK = ascii("250 2.0.0 Ok\r\n");
  private static final byte[] BYE = ascii("221 2.0.0 Bye\r\n");
  private static final byte[] UNKNOWN = ascii("502 5.5.2 Error: command not recognized\r\n");

  private volatile Timeline timeline;
  private volatile byte[] tag;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong strays = new AtomicLong();
  private final AtomicLong sessions = new AtomicLong();
  private volatile boolean closed;

  /** Listens on 127.0.0.1 at an ephemeral port and starts accepting. */
  BenchSink(Timeline timeline, String tag) throws IOException {
    reset(timeline, tag);
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    this.acceptor = new Thread(this::acceptLoop, "bench-sink-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** From now on, stamps arrivals of messages with {@code tag} in {@code timeline}. */
  void reset(Timeline timeline, String tag) {
    this.tag = ascii(tag);
    this.timeline = timeline;
    strays.set(0);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Messages that carried no id of this run. */
  long strays() {
    return strays.get();
  }

  /** Connections accepted so far. */
  long sessions() {
    return sessions.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        sessions.incrementAndGet();
        connections.add(s);
        Thread t = new Thread(() -> serve(s), "bench-sink-" + s.getPort());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!closed) {
          System.err.println("relay-bench: sink: accept failed: " + e.getMessage());
        }
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      LineReader in = new LineReader(s.getInputStream(), 65536, 4096);
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 8192);
      out.write(GREETING);
      out.flush();
      while (true) {
        in.next();
        byte[] reply;
        if (in.startsWith("MAIL")) {
          reply = OK_MAIL;
        } else if (in.startsWith("RCPT")) {
          reply = OK_RCPT;
        } else if (in.startsWith("DATA")) {
          out.write(GO_AHEAD);
          out.flush();
          reply = readContent(in);
        } else if (in.startsWith("EHLO")) {
          reply = EHLO;
        } else if (in.startsWith("HELO")) {
          reply = HELO;
        } else if (in.startsWith("RSET") || in.startsWith("NOOP")) {
          reply = OK;
        } else if (in.startsWith("QUIT")) {
          out.write(BYE);
          out.flush();
          return;
        } else {
          reply = UNKNOWN;
        }
        out.write(reply);
        if (!in.buffered()) {
          out.flush();
        }
      }
    } catch (EOFException | SocketException e) {
      // the client went away
    } catch (IOException e) {
      if (!closed) {
        System.err.println("relay-bench: sink: " + e.getMessage());
      }
    } finally {
      connections.remove(s);
    }
  }

  /** Reads the content up to the end-of-data line; stamps the arrival. */
  private byte[] readContent(LineReader in) throws IOException {
    byte[] tag = this.tag;
    int seq = -1;
    boolean header = true;
    while (true) {
      int n = in.next();
      byte[] line = in.line();
      if (n == 1 && line[0] == '.') {
        break;
      }
      if (header) {
        if (n == 0) {
          header = false;
        } else if (seq < 0 && (line[0] == 'X' || line[0] == 'x')) {
          seq = BenchMessage.parseId(line, n, tag);
        }
      }
    }
    long now = System.nanoTime();
    if (seq < 0 || !timeline.arrived(seq, now)) { // a stale tag parses as -1
      strays.incrementAndGet();
    }
    return OK_DATA;
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException e) {
        // closing
      }
    }
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
