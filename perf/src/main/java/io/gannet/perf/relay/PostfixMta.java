package io.gannet.perf.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Debian's Postfix as the reference relay: its own {@code config_directory}, {@code
 * queue_directory} and {@code data_directory} under the run's directory, {@code inet_interfaces =
 * 127.0.0.1}, smtpd on a non-standard port, {@code relayhost = [127.0.0.1]:SINKPORT}, no DNS,
 * everything else (fsync of queue files, concurrency, process limits) as shipped. Started with
 * {@code postfix -c DIR start}, stopped with {@code postfix -c DIR stop}; the system's own
 * Postfix configuration and port 25 are never touched. It logs to {@code maillog} in the run's
 * directory (through postlogd), as Gannet logs to its own file.
 */
final class PostfixMta implements Mta {
  private static final String MASTER_CF =
      String.join(
          "\n",
          "# relay-bench: Postfix as a loopback relay; chroot off, limits as shipped",
          "127.0.0.1:%d inet n - n - - smtpd",
          "pickup    unix  n       -       n       60      1       pickup",
          "cleanup   unix  n       -       n       -       0       cleanup",
          "qmgr      unix  n       -       n       300     1       qmgr",
          "tlsmgr    unix  -       -       n       1000?   1       tlsmgr",
          "rewrite   unix  -       -       n       -       -       trivial-rewrite",
          "bounce    unix  -       -       n       -       0       bounce",
          "defer     unix  -       -       n       -       0       bounce",
          "trace     unix  -       -       n       -       0       bounce",
          "verify    unix  -       -       n       -       1       verify",
          "flush     unix  n       -       n       1000?   0       flush",
          "proxymap  unix  -       -       n       -       -       proxymap",
          "smtp      unix  -       -       n       -       -       smtp",
          "relay     unix  -       -       n       -       -       smtp",
          "showq     unix  n       -       n       -       -       showq",
          "error     unix  -       -       n       -       -       error",
          "retry     unix  -       -       n       -       -       error",
          "discard   unix  -       -       n       -       -       discard",
          "anvil     unix  -       -       n       -       1       anvil",
          "scache    unix  -       -       n       -       1       scache",
          "postlog   unix-dgram n  -       n       -       1       postlogd",
          "");

  private Path config;
  private Path maillog;
  private long pid = -1;
  private boolean running;

  @Override
  public void start(Path dir, int smtpdPort, int sinkPort)
      throws IOException, InterruptedException {
    config = dir.resolve("conf");
    Path queue = dir.resolve("queue");
    Path data = dir.resolve("data");
    maillog = dir.resolve("maillog");
    Files.createDirectories(config);
    Files.createDirectories(queue);
    Files.createDirectories(data);
    UserPrincipal postfix =
        data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postfix");
    Files.setOwner(data, postfix); // postfix's master locks data_directory/master.lock
    Files.writeString(
        config.resolve("main.cf"),
        String.join(
            "\n",
            "# relay-bench: Postfix as a loopback relay to the benchmark's sink",
            "compatibility_level = 3.6",
            "queue_directory = " + queue,
            "data_directory = " + data,
            "mail_owner = postfix",
            "setgid_group = postdrop",
            "inet_interfaces = 127.0.0.1",
            "inet_protocols = ipv4",
            "myhostname = postfix.bench.test",
            "mydestination =",
            "mynetworks = 127.0.0.0/8",
            "relayhost = [127.0.0.1]:" + sinkPort,
            "smtpd_relay_restrictions = permit_mynetworks, reject",
            "smtp_dns_support_level = disabled",
            "alias_maps =",
            "alias_database =",
            "local_recipient_maps =",
            "biff = no",
            "maillog_file = " + maillog,
            "maillog_file_prefixes = " + dir,
            ""));
    Files.writeString(config.resolve("master.cf"), String.format(MASTER_CF, smtpdPort));
    Processes.Result r =
        Processes.run(List.of("postfix", "-c", config.toString(), "start"), Map.of(), 60);
    Path pidFile = queue.resolve("pid").resolve("master.pid");
    if (r.status() != 0 || !Files.exists(pidFile)) {
      throw new IOException(
          "postfix -c " + config + " start failed (" + r.status() + "):\n" + r.output()
              + Processes.tail(maillog, 10));
    }
    running = true;
    pid = Processes.readPid(pidFile);
    if (!Processes.awaitListening(smtpdPort, 20_000)) {
      throw new IOException("postfix smtpd does not listen on port " + smtpdPort + ":\n"
          + Processes.tail(maillog, 10));
    }
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public OptionalLong peakRssKiB() {
    return OptionalLong.empty(); // many processes: no single figure to compare with one JVM
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (!running) {
      return;
    }
    running = false;
    Processes.Result r =
        Processes.run(List.of("postfix", "-c", config.toString(), "stop"), Map.of(), 60);
    if (r.status() != 0) {
      System.err.println("relay-bench: postfix stop: " + r.output().trim());
    }
    if (pid > 0 && !Processes.awaitGone(pid, 20_000)) {
      Processes.terminate(pid, 5_000);
    }
  }

  @Override
  public String toString() {
    return "postfix -c " + config + " (master pid " + pid + ")";
  }
}
