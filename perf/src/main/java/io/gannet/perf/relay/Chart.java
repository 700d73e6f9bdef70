package io.gannet.perf.relay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Draws the chart with gnuplot (Debian's gnuplot-nox), if it is installed. */
final class Chart {
  private Chart() {}

  /** Runs {@code gnuplot script}; false (with a message) if gnuplot is missing or fails. */
  static boolean draw(Path script) {
    try {
      Processes.Result r = Processes.run(List.of("gnuplot", script.toString()), Map.of(), 60);
      if (r.status() != 0) {
        System.err.println("relay-bench: gnuplot failed: " + r.output().trim());
        return false;
      }
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
