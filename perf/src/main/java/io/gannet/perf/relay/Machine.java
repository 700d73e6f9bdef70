package io.gannet.perf.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the results were measured on: CPU, cores, memory, kernel, JDK, load, Postfix version. */
final class Machine {
  private Machine() {}

  /** One line: nproc, CPU model, RAM, kernel, Java. */
  static String describe() {
    String cpu = "unknown CPU";
    long memKiB = -1;
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          cpu = l.substring(l.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          memKiB = Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // leave unknown
    }
    return String.format(
        "nproc %d, %s, %s GiB RAM, %s %s, Java %s (%s)",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        memKiB < 0 ? "?" : Long.toString(Math.round(memKiB / 1048576.0)),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"));
  }

  /** The 1-minute load average, or "?". */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  /** Postfix's mail_version, or "?". */
  static String postfixVersion() {
    try {
      Processes.Result r =
          Processes.run(List.of("postconf", "-d", "-h", "mail_version"), Map.of(), 20);
      return r.status() == 0 ? r.output().trim() : "?";
    } catch (IOException | InterruptedException e) {
      return "?";
    }
  }
}
