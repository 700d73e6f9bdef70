#!/usr/bin/env bash
# qmgr restart time with a large queue: builds N deferred messages (default 10^6) under
# perf/target, then times open + catch-up + start until the first delivery request.
#   perf/restart-bench.sh [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
${MVN:-mvn} -q -B -ntp -DskipTests package
read -r -a flags < tools/target/jvm.options
cd perf
exec java "${flags[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp target/benchmarks.jar io.gannet.perf.RestartBenchmark "$@"
