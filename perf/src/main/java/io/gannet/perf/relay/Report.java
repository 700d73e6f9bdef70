package io.gannet.perf.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Turns the runs into the benchmark's outputs: medians over rounds per system and case, a Markdown
 * table, {@code runs.csv} (every run) and {@code summary.csv} (the medians), and a gnuplot data
 * file and script for the chart of end-to-end messages per second.
 */
final class Report {
  /** Medians over the rounds of one system in one case. */
  record Summary(
      String system,
      int size,
      int sessions,
      int runs,
      double ingestRate,
      double endToEndRate,
      double p50Millis,
      double p99Millis,
      double peakRssMiB,
      double cpuMicros,
      long lost,
      long duplicates,
      long failed,
      String notes) {}

  private final List<String> systems;
  private final List<Case> cases;
  private final List<RunResult> runs;
  private final List<Summary> summaries = new ArrayList<>();

  Report(List<String> systems, List<Case> cases, List<RunResult> runs) {
    this.systems = systems;
    this.cases = cases;
    this.runs = runs;
    for (Case c : cases) {
      for (String s : systems) {
        List<RunResult> rs =
            runs.stream()
                .filter(r -> r.system().equals(s) && r.size() == c.size()
                    && r.sessions() == c.sessions())
                .collect(Collectors.toList());
        if (!rs.isEmpty()) {
          summaries.add(summarize(s, c, rs));
        }
      }
    }
  }

  private static Summary summarize(String system, Case c, List<RunResult> rs) {
    double rss = median(rs, r -> r.peakRssKiB() < 0 ? Double.NaN : r.peakRssKiB() / 1024.0);
    String notes =
        rs.stream().map(RunResult::note).filter(n -> !n.isEmpty()).distinct()
            .collect(Collectors.joining("; "));
    return new Summary(
        system, c.size(), c.sessions(), rs.size(),
        median(rs, RunResult::ingestRate), median(rs, RunResult::endToEndRate),
        median(rs, RunResult::p50Millis), median(rs, RunResult::p99Millis), rss,
        median(rs, RunResult::cpuMicrosPerMessage),
        rs.stream().mapToLong(RunResult::lost).sum(),
        rs.stream().mapToLong(RunResult::duplicates).sum(),
        rs.stream().mapToLong(RunResult::failed).sum(),
        notes);
  }

  /** Median of the defined (non-NaN) values; NaN if none. */
  static double median(List<RunResult> rs, ToDoubleFunction<RunResult> f) {
    double[] v = rs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  List<Summary> summaries() {
    return summaries;
  }

  private Summary find(String system, int size, int sessions) {
    for (Summary s : summaries) {
      if (s.system().equals(system) && s.size() == size && s.sessions() == sessions) {
        return s;
      }
    }
    return null;
  }

  /** The Markdown table of medians, with ratios for the Gannet rows. */
  String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("| size | sessions | system | ingest msg/s | end-to-end msg/s | ")
        .append("e2e / postfix | e2e / ceiling | p50 ms | p99 ms | CPU µs/msg | peak RSS MiB | ")
        .append("lost / dup / failed |\n");
    b.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Case c : cases) {
      Summary postfix = find("postfix", c.size(), c.sessions());
      Summary ceiling = find("ceiling", c.size(), c.sessions());
      for (String system : systems) {
        Summary s = find(system, c.size(), c.sessions());
        if (s == null) {
          continue;
        }
        boolean gannet = system.startsWith("gannet");
        b.append("| ").append(c.sizeLabel())
            .append(" | ").append(c.sessions())
            .append(" | ").append(system)
            .append(" | ").append(rate(s.ingestRate()))
            .append(" | ").append(gannet ? "**" + rate(s.endToEndRate()) + "**"
                : rate(s.endToEndRate()))
            .append(" | ").append(gannet ? ratio(s, postfix) : "")
            .append(" | ").append(gannet ? ratio(s, ceiling) : "")
            .append(" | ").append(millis(s.p50Millis()))
            .append(" | ").append(millis(s.p99Millis()))
            .append(" | ").append(Double.isNaN(s.cpuMicros()) ? "" : fmt("%.0f", s.cpuMicros()))
            .append(" | ").append(Double.isNaN(s.peakRssMiB()) ? "" : fmt("%.0f", s.peakRssMiB()))
            .append(" | ").append(s.lost()).append(" / ").append(s.duplicates()).append(" / ")
            .append(s.failed())
            .append(" |\n");
      }
    }
    return b.toString();
  }

  private static String ratio(Summary s, Summary base) {
    if (base == null || !(base.endToEndRate() > 0)) {
      return "";
    }
    return fmt("%.2f×", s.endToEndRate() / base.endToEndRate());
  }

  private static String rate(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String millis(double v) {
    return Double.isNaN(v) ? "" : v < 10 ? fmt("%.2f", v) : fmt("%.1f", v);
  }

  private static String fmt(String f, double v) {
    return String.format(Locale.ROOT, f, v);
  }

  /** Notes of incomplete runs, one line each (empty if every run was complete). */
  String problems() {
    StringBuilder b = new StringBuilder();
    for (RunResult r : runs) {
      if (!r.complete()) {
        b.append("- ").append(r.system()).append(", ").append(r.size()).append(" B, ")
            .append(r.sessions()).append(" sessions, round ").append(r.round()).append(": lost ")
            .append(r.lost()).append(", duplicates ").append(r.duplicates()).append(", failed ")
            .append(r.failed()).append(r.note().isEmpty() ? "" : ", " + r.note()).append('\n');
      }
    }
    return b.toString();
  }

  /** Writes runs.csv and summary.csv into {@code dir}. */
  void writeCsv(Path dir) throws IOException {
    StringBuilder b = new StringBuilder(
        "system,size,sessions,round,sent,accepted,ingest_s,e2e_s,ingest_rate,e2e_rate,"
            + "p50_ms,p99_ms,peak_rss_kib,cpu_ms,cpu_us_per_msg,lost,duplicates,failed,note\n");
    for (RunResult r : runs) {
      b.append(String.join(",", r.system(), i(r.size()), i(r.sessions()), i(r.round()),
          i(r.sent()), i(r.accepted()), d(r.ingestSeconds()), d(r.endToEndSeconds()),
          d(r.ingestRate()), d(r.endToEndRate()), d(r.p50Millis()), d(r.p99Millis()),
          Long.toString(r.peakRssKiB()), Long.toString(r.cpuMillis()),
          d(r.cpuMicrosPerMessage()), Long.toString(r.lost()), Long.toString(r.duplicates()),
          Long.toString(r.failed()), csv(r.note()))).append('\n');
    }
    Files.writeString(dir.resolve("runs.csv"), b);
    b = new StringBuilder(
        "system,size,sessions,runs,ingest_rate,e2e_rate,e2e_vs_postfix,e2e_vs_ceiling,"
            + "p50_ms,p99_ms,cpu_us_per_msg,peak_rss_mib,lost,duplicates,failed,notes\n");
    for (Summary s : summaries) {
      Summary postfix = find("postfix", s.size(), s.sessions());
      Summary ceiling = find("ceiling", s.size(), s.sessions());
      b.append(String.join(",", s.system(), i(s.size()), i(s.sessions()), i(s.runs()),
          d(s.ingestRate()), d(s.endToEndRate()),
          postfix == null ? "" : d(s.endToEndRate() / postfix.endToEndRate()),
          ceiling == null ? "" : d(s.endToEndRate() / ceiling.endToEndRate()),
          d(s.p50Millis()), d(s.p99Millis()), d(s.cpuMicros()), d(s.peakRssMiB()),
          Long.toString(s.lost()), Long.toString(s.duplicates()), Long.toString(s.failed()),
          csv(s.notes()))).append('\n');
    }
    Files.writeString(dir.resolve("summary.csv"), b);
  }

  /**
   * Writes {@code chart.dat} (one row per case, one column per system: median end-to-end msg/s)
   * and {@code chart.gp}, a gnuplot script that draws {@code chart.png} from it.
   */
  Path writeChart(Path dir, String title) throws IOException {
    StringBuilder d = new StringBuilder("case");
    for (String s : systems) {
      d.append('\t').append(s);
    }
    d.append('\n');
    for (Case c : cases) {
      d.append('"').append(c.sizeLabel()).append(", ").append(c.sessions()).append(" sess.\"");
      for (String s : systems) {
        Summary sum = find(s, c.size(), c.sessions());
        d.append('\t').append(sum == null || Double.isNaN(sum.endToEndRate()) ? "NaN"
            : fmt("%.1f", sum.endToEndRate()));
      }
      d.append('\n');
    }
    Files.writeString(dir.resolve("chart.dat"), d);
    StringBuilder gp = new StringBuilder();
    gp.append("set terminal pngcairo size 1200,600 font 'sans,10'\n")
        .append("set output '").append(dir.resolve("chart.png")).append("'\n")
        .append("set title \"").append(title.replace("\"", "'")).append("\"\n")
        .append("set ylabel 'end-to-end messages/s (median, log scale)'\n")
        .append("set logscale y\n")
        .append("set style data histogram\n")
        .append("set style histogram cluster gap 1\n")
        .append("set style fill solid 0.8 border -1\n")
        .append("set boxwidth 0.9\n")
        .append("set key top left\n")
        .append("set grid ytics\n")
        .append("set yrange [10:*]\n")
        .append("plot '").append(dir.resolve("chart.dat")).append("'");
    for (int k = 0; k < systems.size(); k++) {
      gp.append(k == 0 ? " using " : ", '' using ").append(k + 2)
          .append(k == 0 ? ":xtic(1)" : "").append(" title columnheader(").append(k + 2)
          .append(")");
    }
    gp.append('\n');
    Path script = dir.resolve("chart.gp");
    Files.writeString(script, gp);
    return script;
  }

  private static String i(int v) {
    return Integer.toString(v);
  }

  private static String d(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String csv(String s) {
    return s.isEmpty() ? "" : '"' + s.replace("\"", "\"\"") + '"';
  }

  /** Systems in order, for the legend. */
  static String legend(List<BenchSystem> systems) {
    return systems.stream()
        .map(s -> "- **" + s.label() + "**: " + s.description())
        .collect(Collectors.joining("\n"));
  }
}
