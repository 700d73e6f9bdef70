#!/usr/bin/env bash
# Builds the benchmarks and runs them with the JVM flags of the root pom (jvm.flags, which the
# tools module writes to tools/target/jvm.options: one source for the flags). Arguments go to JMH
# as they are. The short default settings (1 fork, 2 x 3 s warmup, 3 x 5 s measurement) are
# annotations on the benchmark, so options given here override them (JMH refuses an option given
# twice). Without arguments it runs every benchmark and keeps the results in
# perf/target/jmh-result.json.
#
#   perf/jmh.sh                                                # the whole matrix (~9 minutes)
#   perf/jmh.sh JournalAppendBenchmark.producers64 -p size=1024 -p sync=GROUP
#   perf/jmh.sh JournalAppendBenchmark.producers64 -p size=1024 -prof jfr:dir=target/jfr
#   MVN="mvn -o" perf/jmh.sh ...                               # build offline
#
# The forks inherit this JVM's options, and -jvmArgsAppend adds the flags again so that they
# survive a -jvmArgs "..." given here for extra fork options (it replaces the inherited ones).
# Journals are written under perf/target/jmh-journal-* and deleted after each iteration.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
${MVN:-mvn} -q -B -ntp -DskipTests package
read -r -a flags < tools/target/jvm.options
cd perf
if [ "$#" -eq 0 ]; then
  set -- -rf json -rff target/jmh-result.json
fi
exec java "${flags[@]}" -jar target/benchmarks.jar \
  -jvmArgsAppend "${flags[*]} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn" "$@"
