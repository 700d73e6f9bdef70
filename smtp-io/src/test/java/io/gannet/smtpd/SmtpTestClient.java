package io.gannet.smtpd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain-socket SMTP client for tests: raw bytes out, replies in, nothing hidden. */
final class SmtpTestClient implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  SmtpTestClient(InetSocketAddress server) throws IOException {
    socket = new Socket();
    socket.connect(server, 5000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sends the text as UTF-8 bytes, exactly (no line ending added). */
  SmtpTestClient send(String raw) throws IOException {
    return send(raw.getBytes(StandardCharsets.UTF_8));
  }

  SmtpTestClient send(byte[] raw) throws IOException {
    out.write(raw);
    out.flush();
    return this;
  }

  /** Reads one whole reply, multi-line ones joined with LF; {@code null} at end of stream. */
  String reply() throws IOException {
    StringBuilder all = new StringBuilder();
    while (true) {
      String line = line();
      if (line == null) {
        return all.length() == 0 ? null : all.toString();
      }
      if (all.length() > 0) {
        all.append('\n');
      }
      all.append(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        return all.toString();
      }
    }
  }

  /** Sends a command line (CRLF added) and reads its reply. */
  String command(String line) throws IOException {
    send(line + "\r\n");
    return reply();
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int c = in.read();
      if (c < 0) {
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
      }
      if (c == '\n' && prev == '\r') {
        byte[] bytes = b.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      b.write(c);
      prev = c;
    }
  }

  /** True when the server closed the connection (reads end of stream). */
  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
