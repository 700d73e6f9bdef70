package io.gannet.perf.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The end-to-end relay benchmark (issue 7): the loopback ceiling, Postfix and Gannet (durable
 * {@code journal_sync = group}, and {@code none}) as relays on 127.0.0.1, for each message size
 * and number of concurrent client sessions, the systems alternating within each round (A B A B)
 * and the medians over the rounds reported. Run through {@code perf/relay-bench.sh}, which
 * installs what is missing and builds first.
 *
 * <pre>
 * RelayBench [--quick] [--rounds N] [--sizes 1024,10240] [--sessions 1,10,50]
 *            [--messages N] [--warmup N] [--warmup-seconds S] [--systems ceiling,harness,postfix,gannet-group,gannet-none]
 *            [--budget SECONDS] [--run-limit SECONDS] [--out DIR] [--gannet-jar tools/target/gannet.jar]
 *            [--jvm-options tools/target/jvm.options] [--gannet-java-opts OPTS] [--keep]
 *            [--gannet-param name=value]...
 * </pre>
 *
 * Each relay (Postfix, Gannet) is started once, in its own directory under {@code
 * --out}/runs, and warmed up ({@code --warmup-seconds}, 25: a JVM compiles its hot code during
 * its first minute of traffic, and an MTA runs for weeks), then serves every run; it is stopped
 * at the end and its directory deleted unless {@code --keep}. Outputs in {@code --out} (default
 * {@code perf/target/relay-bench}): {@code table.md} (also on standard output), {@code
 * runs.csv}, {@code summary.csv}, {@code chart.dat}, {@code chart.gp}, {@code chart.png} (if
 * gnuplot is installed), and per run {@code runs/NAME.cpu.txt}: the relay's CPU per thread or
 * process. The benchmark stops starting runs when its budget ({@code --budget}, 570 s) is spent,
 * so it ends within ten minutes; the runs not made are listed. Exit status 0 when every run
 * moved every message exactly once.
 */
public final class RelayBench {
  private RelayBench() {}

  /** The parsed command line. */
  static final class Options {
    boolean quick;
    int rounds = 3;
    List<Integer> sizes = List.of(1024, 10240);
    List<Integer> sessions = List.of(1, 10, 50);
    int messages = -1;
    int warmup = -1;
    long warmupSeconds = -1;
    List<String> systems = List.of("ceiling", "harness", "postfix", "gannet-group", "gannet-none");
    long budgetSeconds = 570;
    long runLimitSeconds = 150;
    Path out = Path.of("perf/target/relay-bench");
    Path gannetJar = Path.of("tools/target/gannet.jar");
    Path jvmOptions = Path.of("tools/target/jvm.options");
    String gannetJavaOpts = System.getenv().getOrDefault("GANNET_JAVA_OPTS", "");
    boolean keep;
    List<String> gannetParams = new ArrayList<>();

    static Options parse(String[] args) {
      Options o = new Options();
      boolean roundsSet = false;
      boolean sizesSet = false;
      boolean sessionsSet = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--quick" -> o.quick = true;
          case "--keep" -> o.keep = true;
          case "--rounds" -> {
            o.rounds = positive(a, value(args, ++i));
            roundsSet = true;
          }
          case "--sizes" -> {
            o.sizes = ints(a, value(args, ++i));
            sizesSet = true;
          }
          case "--sessions" -> {
            o.sessions = ints(a, value(args, ++i));
            sessionsSet = true;
          }
          case "--messages" -> o.messages = positive(a, value(args, ++i));
          case "--warmup" -> o.warmup = Integer.parseInt(value(args, ++i));
          case "--warmup-seconds" -> o.warmupSeconds = Integer.parseInt(value(args, ++i));
          case "--systems" -> o.systems = List.of(value(args, ++i).split(","));
          case "--budget" -> o.budgetSeconds = positive(a, value(args, ++i));
          case "--run-limit" -> o.runLimitSeconds = positive(a, value(args, ++i));
          case "--out" -> o.out = Path.of(value(args, ++i));
          case "--gannet-jar" -> o.gannetJar = Path.of(value(args, ++i));
          case "--jvm-options" -> o.jvmOptions = Path.of(value(args, ++i));
          case "--gannet-java-opts" -> o.gannetJavaOpts = value(args, ++i);
          case "--gannet-param" -> {
            String p = value(args, ++i);
            int eq = p.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--gannet-param needs name=value: " + p);
            }
            o.gannetParams.add(p.substring(0, eq).trim() + " = " + p.substring(eq + 1).trim());
          }
          case "-h", "--help" -> throw new IllegalArgumentException("usage");
          default -> throw new IllegalArgumentException("unknown option: " + a);
        }
      }
      if (o.quick) {
        o.rounds = roundsSet ? o.rounds : 1;
        o.sizes = sizesSet ? o.sizes : List.of(1024);
        o.sessions = sessionsSet ? o.sessions : List.of(1, 10);
      }
      for (String s : o.systems) {
        if (!List.of("ceiling", "harness", "postfix", "gannet-group", "gannet-none").contains(s)) {
          throw new IllegalArgumentException("unknown system: " + s);
        }
      }
      return o;
    }

    /** Measured messages per run for a number of sessions. */
    int messages(int sessions) {
      if (messages > 0) {
        return messages;
      }
      if (quick) {
        return sessions == 1 ? 200 : 500;
      }
      return sessions == 1 ? 1000 : 5000;
    }

    /** Warm-up messages at the start of each run (sessions and connections open). */
    int warmup() {
      return warmup >= 0 ? warmup : quick ? 100 : 200;
    }

    /** Warm-up traffic when a relay starts (its JIT compiles; Postfix's processes start). */
    long warmupSeconds() {
      return warmupSeconds >= 0 ? warmupSeconds : quick ? 5 : 25;
    }

    private static String value(String[] args, int i) {
      if (i >= args.length) {
        throw new IllegalArgumentException(args[i - 1] + " needs a value");
      }
      return args[i];
    }

    private static int positive(String name, String v) {
      int n = Integer.parseInt(v);
      if (n <= 0) {
        throw new IllegalArgumentException(name + " must be positive: " + v);
      }
      return n;
    }

    private static List<Integer> ints(String name, String v) {
      return Arrays.stream(v.split(",")).map(x -> positive(name, x.trim()))
          .collect(Collectors.toList());
    }
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(
          (e.getMessage().equals("usage") ? "" : "relay-bench: " + e.getMessage() + "\n")
              + "usage: relay-bench [--quick] [--rounds N] [--sizes 1024,10240]"
              + " [--sessions 1,10,50] [--messages N] [--warmup N] [--warmup-seconds S]"
              + " [--systems ceiling,harness,postfix,gannet-group,gannet-none]"
              + " [--budget SECONDS] [--run-limit SECONDS] [--out DIR] [--gannet-jar JAR]"
              + " [--jvm-options FILE] [--gannet-java-opts OPTS] [--gannet-param NAME=VALUE]..."
              + " [--keep]");
      System.exit(e.getMessage().equals("usage") ? 0 : 2);
      return;
    }
    System.exit(run(o));
  }

  static int run(Options o) throws Exception {
    long begin = System.nanoTime();
    long deadline = begin + TimeUnit.SECONDS.toNanos(o.budgetSeconds);
    Files.createDirectories(o.out);
    Path out = o.out.toAbsolutePath();
    Path work = out.resolve("runs");
    deleteTree(work);
    List<BenchSystem> systems = systems(o);
    List<Case> cases = new ArrayList<>();
    for (int size : o.sizes) {
      for (int s : o.sessions) {
        cases.add(new Case(size, s, o.messages(s), o.warmup()));
      }
    }
    String started = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(
        java.time.temporal.ChronoUnit.SECONDS));
    String machine = Machine.describe();
    String loadBefore = Machine.loadAverage();
    System.err.println("relay-bench: " + started + "; " + machine + "; load " + loadBefore);
    List<RunResult> results = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<BenchSystem> running = new ArrayList<>();
    try {
      for (BenchSystem system : systems) {
        try {
          system.start(work.resolve(system.label()), deadline);
          running.add(system);
        } catch (Exception e) {
          System.err.println("relay-bench: " + system.label() + " does not start: "
              + e.getMessage());
          try {
            system.stop();
          } catch (Exception x) {
            System.err.println("relay-bench: " + system.label() + ": " + x.getMessage());
          }
        }
      }
      measure(o, cases, running, work, deadline, results, skipped);
    } finally {
      for (BenchSystem system : running) {
        try {
          system.stop();
        } catch (Exception e) {
          System.err.println("relay-bench: cannot stop " + system.label() + ": " + e.getMessage());
        }
      }
      if (!o.keep) {
        for (BenchSystem system : systems) {
          deleteTree(work.resolve(system.label()));
        }
      }
    }
    for (BenchSystem system : systems) {
      if (!running.contains(system)) {
        skipped.add(system.label() + " (did not start)");
      }
    }
    String loadAfter = Machine.loadAverage();
    double minutes = (System.nanoTime() - begin) / 60e9;
    List<String> labels = systems.stream().map(BenchSystem::label).collect(Collectors.toList());
    Report report = new Report(labels, cases, results);
    report.writeCsv(out);
    Path gp = report.writeChart(out, "Gannet vs Postfix relay on loopback, " + started
        + " (median end-to-end rate)");
    StringBuilder md = new StringBuilder();
    md.append("Relay benchmark, ").append(started).append(String.format(Locale.ROOT,
            " (%.1f min; load average %s before, %s after)%n", minutes, loadBefore, loadAfter))
        .append("Machine: ").append(machine).append('\n')
        .append(String.format(Locale.ROOT,
            "Rounds: %d (systems alternate within each round; medians over rounds); measured"
                + " messages per run: %s; warm-up: %d%n",
            o.rounds, cases.stream().map(c -> c.sessions() + " sess.: " + c.messages())
                .distinct().collect(Collectors.joining(", ")), o.warmup()))
        .append('\n').append(report.markdown()).append('\n')
        .append(Report.legend(systems)).append('\n');
    String problems = report.problems();
    if (!problems.isEmpty()) {
      md.append("\nIncomplete runs:\n").append(problems);
    }
    if (!skipped.isEmpty()) {
      md.append("\nNot run (budget of ").append(o.budgetSeconds).append(" s spent): ")
          .append(String.join(", ", skipped)).append('\n');
    }
    Files.writeString(out.resolve("table.md"), md, StandardCharsets.UTF_8);
    System.out.print(md);
    System.out.println();
    System.out.println("Files: " + out.resolve("table.md") + ", runs.csv, summary.csv, "
        + (Chart.draw(gp) ? "chart.png" : "chart.gp (gnuplot not found: no PNG)"));
    return problems.isEmpty() && skipped.isEmpty() ? 0 : 1;
  }

  /** The rounds: in each, every case, and in each case every system in turn (A B A B). */
  private static void measure(Options o, List<Case> cases, List<BenchSystem> systems, Path work,
      long deadline, List<RunResult> results, List<String> skipped) throws IOException {
    int total = o.rounds * cases.size() * systems.size();
    int done = 0;
    for (int round = 1; round <= o.rounds; round++) {
      for (Case c : cases) {
        for (BenchSystem system : systems) {
          done++;
          String name = system.label() + "-" + c.size() + "-" + c.sessions() + "-r" + round;
          long remaining = deadline - System.nanoTime();
          if (remaining < TimeUnit.SECONDS.toNanos(15)) {
            skipped.add(name);
            continue;
          }
          Path dir = work.resolve(name);
          Files.createDirectories(dir);
          long runDeadline =
              System.nanoTime() + Math.min(TimeUnit.SECONDS.toNanos(o.runLimitSeconds),
                  remaining - TimeUnit.SECONDS.toNanos(5));
          long t0 = System.nanoTime();
          RunResult r;
          try {
            r = system.run(c, round, dir, runDeadline);
          } catch (Exception e) {
            r = new RunResult(system.label(), c.size(), c.sessions(), round, c.messages(), 0,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1, -1, 0, 0, c.messages(),
                "run failed: " + String.valueOf(e.getMessage()).replace('\n', ' '));
          }
          results.add(r);
          System.err.printf(Locale.ROOT,
              "relay-bench: [%d/%d] %-12s %6s %2d sess round %d: ingest %8.0f/s, e2e %8.0f/s,"
                  + " p50 %7.2f ms, p99 %7.2f ms, cpu %4.0f us/msg, rss %5s MiB, lost %d, dup %d,"
                  + " failed %d (%.1f s, load %s)%s%n",
              done, total, r.system(), c.sizeLabel(), c.sessions(), round, r.ingestRate(),
              r.endToEndRate(), r.p50Millis(), r.p99Millis(), r.cpuMicrosPerMessage(),
              r.peakRssKiB() < 0 ? "-" : Long.toString(r.peakRssKiB() / 1024), r.lost(),
              r.duplicates(), r.failed(), (System.nanoTime() - t0) / 1e9, Machine.loadAverage(),
              r.note().isEmpty() ? "" : " " + r.note());
          deleteTree(dir);
        }
      }
    }
  }

  private static List<BenchSystem> systems(Options o) throws IOException {
    List<String> flags = words(Files.readString(o.jvmOptions));
    List<String> opts = words(o.gannetJavaOpts);
    Path jar = o.gannetJar.toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IOException("no " + jar + ": build first (mvn package -DskipTests)");
    }
    List<BenchSystem> all = new ArrayList<>();
    for (String s : o.systems) {
      all.add(switch (s) {
        case "ceiling" -> new ToolCeiling();
        case "harness" -> new RelayThrough("harness",
            "the benchmark's Java source straight into its Java sink (no relay): the ceiling of"
                + " the harness that drives the rows below", null, Math.min(3, o.warmupSeconds()));
        case "postfix" -> new RelayThrough("postfix",
            "Debian's Postfix " + Machine.postfixVersion() + " as a relay, as shipped (queue"
                + " files fsynced)", new PostfixMta(), o.warmupSeconds());
        case "gannet-group" -> new RelayThrough("gannet-group",
            "Gannet, journal_sync = group (durable: 250 after msync)",
            new GannetMta(jar, flags, "group", opts, o.gannetParams), o.warmupSeconds());
        case "gannet-none" -> new RelayThrough("gannet-none",
            "Gannet, journal_sync = none (NOT durable: a power loss loses acknowledged mail)",
            new GannetMta(jar, flags, "none", opts, o.gannetParams), o.warmupSeconds());
        default -> throw new IllegalArgumentException(s);
      });
    }
    return all;
  }

  private static List<String> words(String s) {
    String t = s.trim();
    return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(x);
      }
    }
  }
}
