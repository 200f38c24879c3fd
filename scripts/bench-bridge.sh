#!/usr/bin/env bash
# The bridge benchmark (bench/bridge_bench.c with its Java driver
# io.ivp2p.testkit.BridgeBench): what a call across libiv_p2p's C/Java
# boundary costs, each figure next to a baseline measured in the same run.
# Not a test: nothing fails on speed.
#
# Builds the engine jars (Maven) and bridge_bench (plain CMake, Release, in
# build-bench/), runs it, prints the table and rewrites
# bench/RESULTS-bridge.md with the command, date, machine and table.
#
#   bash scripts/bench-bridge.sh [c_calls_per_round [java_calls_per_round]]
#
# Takes about a minute on 2 cores. Works from any checkout of the repo.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build-bench"
results="$root/bench/RESULTS-bridge.md"
cd "$root"

mvn -q -B -pl java/engine -am package -DskipTests

# bridge_bench needs jvm_fixture (ivp2p_test_support), which tests-c/ defines.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DIVP2P_BUILD_TESTS=ON -DIVP2P_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target bridge_bench -j "$(nproc)" >/dev/null

# shellcheck source=bench-lib.sh
source "$root/scripts/bench-lib.sh"
bench_run_metadata scripts/bench-bridge.sh "$@"
table=$(mktemp)
trap 'rm -f "$table"' EXIT
IVP2P_CLASSPATH="$root/java/engine/target/ivp2p-engine-tests.jar" IVP2P_CONFIG=/dev/null \
  "$build/bench/bridge_bench" "$@" | tee "$table"

{
  cat <<'HEAD'
# Bridge benchmark: latest results

What one call across libiv_p2p's C/Java boundary costs (bench/bridge_bench.c and its Java driver
io.ivp2p.testkit.BridgeBench in the engine's test jar). A benchmark, not a test: nothing fails on
speed. This file is rewritten by every run of the command below.

- A. C -> Java: an exported function called from C in a loop after iv_avt_p2p_init (attach check,
  JNI call, the engine's lookup; the handle is a valid pointer the engine does not know). Baseline:
  a trivial C function of the same shape called through a function pointer.
- B. Java -> C: a firmware callback called by the engine through JNA
  (io.ivp2p.bridge.FirmwareCallbacks, with its CallbackGate and argument conversion), on the
  C program's attached thread. Baseline: a JNA call of a trivial C `int f(void)`.
- ns/call: median of 5 rounds after a warm-up. bytes/call: Java heap bytes the calling thread
  allocated per call (ThreadMXBean#getThreadAllocatedBytes).
- Shapes that allocate JNA `Memory` (String arguments, struct-by-value returns, recv_voice's copy)
  vary by tens of percent between runs: their cost includes GC and JNA's cleaner thread, which
  compete for the CPUs with everything else on the machine (see the load average).
HEAD
  bench_run_record "$table"
} >"$results"
echo "wrote $results"
