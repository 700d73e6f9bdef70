package io.gannet.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminServerTest {
  @TempDir Path queue;

  private final AdminCommands commands = new AdminCommands();
  private AdminServer server;

  @BeforeEach
  void commands() {
    commands.register("echo", (args, reply) -> args.forEach(reply::line));
    commands.register(
        "refuse",
        (args, reply) -> {
          reply.line("partial");
          throw new AdminException("no such queue id: " + args.get(0));
        });
    commands.register(
        "broken",
        (args, reply) -> {
          throw new IllegalStateException("bug\nsecond line");
        });
  }

  @AfterEach
  void close() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private AdminServer open() throws IOException {
    server = AdminServer.open(queue, commands);
    return server;
  }

  @Test
  void socketIsOwnerOnlyInsideAnOwnerOnlyDirectory() throws IOException {
    Path socket = open().socket();
    assertEquals(queue.resolve("private/admin"), socket);
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(queue.resolve("private"))));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
    assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void anExistingPrivateDirectoryIsMadeOwnerOnlyAndAStaleSocketReplaced() throws IOException {
    Path priv = Files.createDirectories(queue.resolve("private"));
    Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(priv.resolve("admin"), "left by a crash");
    open();
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
    assertEquals(List.of("x"), new AdminClient(queue).request("echo", "x").lines());
  }

  @Test
  void requestAndReplyThroughTheClient() throws IOException {
    open();
    AdminClient client = new AdminClient(queue);
    AdminResponse r = client.request("echo", "a b", "100%", "line1\nline2");
    assertTrue(r.ok());
    assertEquals(List.of("a b", "100%", "line1", "line2"), r.lines());

    r = client.request("refuse", "4Bx9kq2ZmT5");
    assertEquals("no such queue id: 4Bx9kq2ZmT5", r.error());
    assertEquals(List.of("partial"), r.lines()); // what was done before the refusal is told

    r = client.request("broken");
    assertEquals("internal error: java.lang.IllegalStateException: bug second line", r.error());

    assertEquals("unknown command: nope", client.request("nope").error());
  }

  @Test
  void theWireIsOneRequestLineThenDataLinesAndOkOrErr() throws IOException {
    open();
    assertEquals("-a b\n-c\nOK\n", raw("echo a%20b c\r\n"));
    assertEquals("ERR unknown command: x\n", raw("x\n"));
    assertEquals("ERR empty request\n", raw("\n"));
    assertEquals("ERR bad encoding\n", raw("echo %G0\n"));
    assertEquals(
        "ERR request too long\n",
        raw("echo " + "x".repeat(AdminProtocol.MAX_REQUEST_BYTES) + "\n"));
  }

  @Test
  void aClientWithoutADaemonIsToldNobodyAnswers() throws IOException {
    AdminClient client = new AdminClient(queue);
    assertThrows(AdminUnavailableException.class, () -> client.request("status"));
    open().close();
    assertFalse(Files.exists(queue.resolve("private/admin"), LinkOption.NOFOLLOW_LINKS));
    assertThrows(AdminUnavailableException.class, () -> client.request("status"));
  }

  @Test
  void commandNamesAreLowerCaseWordsRegisteredOnce() {
    assertThrows(IllegalArgumentException.class, () -> commands.register("echo", (a, r) -> {}));
    assertThrows(IllegalArgumentException.class, () -> commands.register("Flush", (a, r) -> {}));
    assertThrows(IllegalArgumentException.class, () -> commands.register("a b", (a, r) -> {}));
    commands.register("flush-site", (a, r) -> {});
  }

  /** Sends {@code request} as bytes and returns everything until the daemon closes. */
  private String raw(String request) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(queue.resolve("private/admin")));
      ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer b = ByteBuffer.allocate(4096);
      while (ch.read(b) >= 0) {
        out.write(b.array(), 0, b.position());
        b.clear();
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
