package io.gannet.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gannet.cli.ConfigOption;
import io.gannet.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The running daemon names its active messages ({@code active} on the admin socket), and {@code
 * gannet queue}, reading the projection the daemon holds open, marks them with {@code *}. The relay
 * host accepts connections and never greets, so a message stays in the active window.
 */
class GannetActiveTest {

  @TempDir Path dir;
  private Master master;
  private ServerSocket blackHole;
  private final List<Socket> held = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    if (master != null) {
      master.stop("test done");
    }
    for (Socket s : held) {
      s.close();
    }
    if (blackHole != null) {
      blackHole.close();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private record Run(int exitCode, String out, String err) {}

  private Run gannet(String... args) {
    List<String> all = new ArrayList<>(List.of("-c", dir.resolve("conf").toString()));
    all.addAll(List.of(args));
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void activeMessagesAreMarked() throws Exception {
    blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          Socket s = blackHole.accept(); // never answers
          synchronized (held) {
            held.add(s);
          }
        }
      } catch (Exception e) {
        // closed
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    int smtpdPort = freePort();
    Path conf = dir.resolve("conf");
    Path queue = dir.resolve("var");
    Files.createDirectories(conf);
    Files.writeString(conf.resolve("main.cf"), String.join("\n",
        "queue_directory = " + queue,
        "myhostname = relay.test",
        "mynetworks = 127.0.0.0/8",
        "relayhost = [127.0.0.1]:" + blackHole.getLocalPort(),
        "smtp_helo_timeout = 3600s", ""));
    Files.writeString(conf.resolve("master.cf"), String.join("\n",
        "127.0.0.1:" + smtpdPort + " inet n - n - - smtpd",
        "smtp unix - - n - - smtp",
        "relay unix - - n - - smtp", ""));
    ConfigOption.Loaded loaded = ConfigOption.read(conf.toString(), w -> { });
    master = new Master(new DaemonConfig(conf, loaded.config(), loaded.master()),
        () -> new DaemonConfig(conf, loaded.config(), loaded.master()), new GannetBody(),
        Clock.systemUTC());
    master.start();

    InetSocketAddress smtpd = new InetSocketAddress(InetAddress.getLoopbackAddress(), smtpdPort);
    String reply = GannetRelayTest.send(smtpd, "s@client.test", List.of("r@dest.test"), "hello");
    assertTrue(reply.startsWith("250 2.0.0 Ok: queued as "), reply);
    String id = reply.substring("250 2.0.0 Ok: queued as ".length()).trim();

    AdminClient admin = new AdminClient(queue);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!admin.request("active").lines().contains(id)) {
      assertTrue(System.nanoTime() < deadline, "the message never became active");
      Thread.sleep(20); // polling a real daemon, not waiting for a timer
    }
    assertEquals("usage: active", admin.request("active", "x").error());

    Run listing = gannet("queue");
    assertEquals(0, listing.exitCode(), listing.err());
    String[] lines = listing.out().split("\n");
    assertEquals(id + "*", lines[1].substring(0, id.length() + 1), listing.out());
    assertTrue(lines[1].endsWith(" s@client.test"), listing.out());
    assertEquals("-- 0 Kbytes in 1 Request.", lines[lines.length - 1]);
    Run json = gannet("queue", "--json");
    assertTrue(json.out().startsWith("{\"queue_name\": \"active\", \"queue_id\": \"" + id + "\""),
        json.out());

    master.stop("test done");
    master = null;
    Run stopped = gannet("queue", "--json");
    assertEquals(0, stopped.exitCode(), stopped.err());
    assertFalse(stopped.out().contains("\"active\""), "no daemon, nothing active: " + stopped.out());
    assertTrue(stopped.out().contains(id), stopped.out());
    assertEquals("", stopped.err());
  }
}
