package io.gannet.perf.relay;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The benchmark's SMTP client, as Postfix's {@code smtp-source -d}: {@code sessions} concurrent
 * connections to 127.0.0.1:{@code port} share the messages {@code [from, to)}; each connection
 * says EHLO once and sends one message after the other (MAIL, RCPT and DATA pipelined when the
 * server offers PIPELINING), one recipient per message. For every message answered {@code 2xx}
 * it stamps the time of that reply in the {@link Timeline}. A connection that fails is opened
 * again; its message counts as failed.
 */
final class BenchSource {
  /** What one {@link #send} did. */
  record Outcome(
      long startNanos, long endNanos, int accepted, int rejected, int failed, String firstError) {}

  private static final int READ_TIMEOUT_MILLIS = 120_000;
  private static final byte[] EHLO = ascii("EHLO source.bench.test\r\n");
  private static final byte[] ENVELOPE =
      ascii("MAIL FROM:<source@bench.test>\r\nRCPT TO:<sink@sink.test>\r\nDATA\r\n");
  private static final byte[] QUIT = ascii("QUIT\r\n");

  private final int port;
  private final BenchMessage message;
  private final Timeline timeline;

  BenchSource(int port, BenchMessage message, Timeline timeline) {
    this.port = port;
    this.message = message;
    this.timeline = timeline;
  }

  /** Sends messages {@code [from, to)} over {@code sessions} connections; returns when done. */
  Outcome send(int from, int to, int sessions) throws InterruptedException {
    AtomicInteger next = new AtomicInteger(from);
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicLong end = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < sessions; i++) {
      Thread t =
          new Thread(
              () -> session(next, to, accepted, rejected, failed, end, firstError),
              "bench-source-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return new Outcome(
        start, end.get(), accepted.get(), rejected.get(), failed.get(), firstError.get());
  }

  private void session(
      AtomicInteger next,
      int to,
      AtomicInteger accepted,
      AtomicInteger rejected,
      AtomicInteger failed,
      AtomicLong end,
      AtomicReference<String> firstError) {
    byte[] buffer = message.newBuffer();
    int consecutiveFailures = 0;
    while (true) {
      Connection c = null;
      int seq = -1;
      try {
        c = new Connection();
        while ((seq = next.getAndIncrement()) < to) {
          message.render(buffer, seq);
          int code = c.transaction(buffer);
          long now = System.nanoTime();
          if (code / 100 == 2) {
            timeline.acked(seq, now);
            accepted.incrementAndGet();
            end.accumulateAndGet(now, Math::max);
          } else {
            rejected.incrementAndGet();
            firstError.compareAndSet(null, "message " + seq + ": " + c.lastReply);
          }
          seq = -1;
          consecutiveFailures = 0;
        }
        c.quit();
        return;
      } catch (IOException e) {
        if (seq >= 0 && seq < to) {
          failed.incrementAndGet();
        }
        firstError.compareAndSet(null, e.toString());
        if (++consecutiveFailures >= 5) {
          // give up on this session: count what it would have sent as failed
          while (next.getAndIncrement() < to) {
            failed.incrementAndGet();
          }
          return;
        }
      } finally {
        if (c != null) {
          c.close();
        }
      }
    }
  }

  /** One SMTP connection to the server under test. */
  private final class Connection {
    private final Socket socket;
    private final LineReader in;
    private final OutputStream out;
    private final boolean pipelining;
    String lastReply = "";

    Connection() throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
      in = new LineReader(socket.getInputStream(), 8192, 4096);
      out = new BufferedOutputStream(socket.getOutputStream(), message.wireLength() + 256);
      expect(reply(), 220);
      out.write(EHLO);
      out.flush();
      boolean[] pipe = new boolean[1];
      expect(readReply(pipe), 250);
      pipelining = pipe[0];
    }

    /** One transaction; returns the reply code to the end of data (or the first refusal). */
    int transaction(byte[] content) throws IOException {
      if (pipelining) {
        out.write(ENVELOPE);
        out.flush();
        int mail = reply();
        int rcpt = reply();
        int data = reply();
        if (mail / 100 != 2 || rcpt / 100 != 2 || data != 354) {
          if (data == 354) {
            out.write(ascii(".\r\n")); // an empty message the server will refuse
            out.flush();
            reply();
          }
          reset();
          return mail / 100 != 2 ? mail : rcpt / 100 != 2 ? rcpt : data;
        }
      } else {
        int mail = command("MAIL FROM:<source@bench.test>\r\n");
        if (mail / 100 != 2) {
          reset();
          return mail;
        }
        int rcpt = command("RCPT TO:<sink@sink.test>\r\n");
        if (rcpt / 100 != 2) {
          reset();
          return rcpt;
        }
        int data = command("DATA\r\n");
        if (data != 354) {
          reset();
          return data;
        }
      }
      out.write(content);
      out.flush();
      return reply();
    }

    private int command(String line) throws IOException {
      out.write(ascii(line));
      out.flush();
      return reply();
    }

    private void reset() throws IOException {
      command("RSET\r\n");
    }

    void quit() {
      try {
        out.write(QUIT);
        out.flush();
        reply();
      } catch (IOException e) {
        // the server may close first
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing
      }
    }

    private int reply() throws IOException {
      return readReply(null);
    }

    /** Reads a (multi-line) reply; sets pipelining[0] if a line offers PIPELINING. */
    private int readReply(boolean[] pipelining) throws IOException {
      while (true) {
        int n = in.next();
        byte[] l = in.line();
        if (n < 3) {
          throw new IOException("malformed reply: " + in.text());
        }
        if (pipelining != null && n >= 14 && in.text().substring(4).equalsIgnoreCase("PIPELINING")) {
          pipelining[0] = true;
        }
        if (n == 3 || l[3] != '-') {
          lastReply = in.text();
          return (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
        }
      }
    }

    private void expect(int code, int wanted) throws IOException {
      if (code != wanted) {
        throw new IOException("expected " + wanted + ", got: " + lastReply);
      }
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
