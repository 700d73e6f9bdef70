#!/usr/bin/env bash
# The end-to-end relay benchmark against Postfix (issue 7), in one command:
#
#   perf/relay-bench.sh            # the whole matrix: ~4-5 minutes; stops starting runs after 570 s
#   perf/relay-bench.sh --quick    # a smoke run: 1 KiB, 1 and 10 sessions, one round (~1-2 min)
#   perf/relay-bench.sh --help     # every option (sizes, sessions, rounds, systems, budget, ...)
#
# On a fresh Debian machine it installs what is missing: postfix (for smtp-source, smtp-sink and
# Postfix itself as the reference; preseeded "No configuration", so the system's Postfix is not
# configured and nothing listens on port 25) and gnuplot-nox (the chart). It builds Gannet
# (mvn package, skipping tests, when a jar is missing or RELAY_BENCH_REBUILD is set; MVN="mvn -o"
# builds offline) and runs io.gannet.perf.relay.RelayBench with the JVM flags of the root pom.
# Every system under test is a fresh instance
# under perf/target/relay-bench/runs/, listening on 127.0.0.1 only, started once, warmed up,
# used for every run and stopped by pid at the end.
# Results: the Markdown table on standard output and in perf/target/relay-bench/table.md,
# runs.csv, summary.csv, chart.png. Profiling: GANNET_JAVA_OPTS reaches the Gannet daemons, e.g.
#   GANNET_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/g.jfr,settings=profile" \
#     perf/relay-bench.sh --systems gannet-group --sizes 1024 --sessions 50 --keep
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

for a in "$@"; do
  case "$a" in -h|--help) exec_help=1 ;; esac
done

need=()
command -v smtp-source >/dev/null && command -v smtp-sink >/dev/null \
  && command -v postfix >/dev/null || need+=(postfix)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
if [ "${#need[@]}" -gt 0 ] && [ -z "${exec_help:-}" ]; then
  echo "relay-bench: installing ${need[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${need[@]}" >&2
fi
if [ "$(id -u)" -ne 0 ] && [ -z "${exec_help:-}" ]; then
  echo "relay-bench: must run as root (postfix -c DIR start, smtp-sink -u)" >&2
  exit 2
fi

if [ ! -f perf/target/benchmarks.jar ] || [ ! -f tools/target/gannet.jar ] \
    || [ -n "${RELAY_BENCH_REBUILD:-}" ] || [ ! -f tools/target/jvm.options ]; then
  echo "relay-bench: building (mvn package -DskipTests)" >&2
  ${MVN:-mvn} -q -B -ntp -Dstyle.color=never -DskipTests package >&2
fi
read -r -a flags < tools/target/jvm.options

# The benchmark stops starting runs when its budget (570 s) is spent; timeout is the backstop
# (SIGTERM runs the harness's shutdown hook, which stops whatever it started, by pid).
exec timeout --kill-after=20 600 java "${flags[@]}" -Xmx1g -cp perf/target/benchmarks.jar \
  io.gannet.perf.relay.RelayBench "$@"
