package io.gannet.perf.relay;

/**
 * What one run of one system for one case measured. Rates are messages per second over the
 * measured messages (warm-up excluded); latencies in milliseconds from the {@code 250} the
 * source read to the end of data at the sink ({@code NaN} where not measured); {@code peakRssKiB}
 * -1 where not measured; {@code cpuMillis} the CPU time the system under test used (all its
 * processes) from the start of the measured messages until the last arrived, -1 where not
 * measured.
 *
 * @param sent measured messages the source tried to send
 * @param accepted of those, answered 2xx by the system under test
 * @param lost accepted but never seen by the sink (within the run's time limit)
 * @param duplicates second and later arrivals of a message, warm-up included
 * @param failed not accepted: refused or the connection failed
 * @param note empty, or why the run is incomplete
 */
record RunResult(
    String system,
    int size,
    int sessions,
    int round,
    int sent,
    int accepted,
    double ingestSeconds,
    double endToEndSeconds,
    double p50Millis,
    double p99Millis,
    long peakRssKiB,
    long cpuMillis,
    long lost,
    long duplicates,
    long failed,
    String note) {

  double ingestRate() {
    return accepted / ingestSeconds;
  }

  double endToEndRate() {
    return (accepted - lost) / endToEndSeconds;
  }

  /** CPU microseconds per message moved, NaN where not measured. */
  double cpuMicrosPerMessage() {
    return cpuMillis < 0 || accepted - lost <= 0 ? Double.NaN
        : cpuMillis * 1000.0 / (accepted - lost);
  }

  boolean complete() {
    return note.isEmpty() && lost == 0 && duplicates == 0 && failed == 0;
  }
}
