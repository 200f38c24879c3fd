#!/usr/bin/env bash
# The device benchmark (issue 4, point 14): the real product path on loopback.
# The device is bench/device_bench.c, camera firmware linked against
# libiv_p2p (the engine's JVM inside its process); the apps are
# io.ivp2p.app.bench.DeviceBench (java/app test sources), P2pClients in one
# JVM. Measures LAN connect time, command round trips both ways, frame latency
# at 2 and 8 Mbit/s, device CPU per Mbit/s and device buffer memory per app
# (4 apps x 2 streams, fast and throttled), each next to a baseline measured
# in the same run and to its target. Not a test: nothing fails on speed.
#
# Builds the engine and app modules with their tests (Maven) and device_bench
# (plain CMake, Release, in build-bench/), starts the device, runs the
# benchmark, stops the device (by its PID, also on failure), prints the table
# and rewrites bench/RESULTS-device.md with the command, date, commit, machine
# and table.
#
#   bash scripts/bench-device.sh [window_seconds]
#
# window_seconds: each streaming window (default 15; the throttled ones are 5 s
# longer). Takes about 4 minutes on 2 cores. Works from any checkout of the
# repo. MVN_FLAGS adds Maven flags (e.g. "-o -Dmaven.repo.local=..."); it is
# recorded in the results file when set.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build-bench"
results="$root/bench/RESULTS-device.md"
app_target="$root/java/app/target"
cd "$root"

# shellcheck disable=SC2206 # word splitting of the flags is intended
mvn_flags=(${MVN_FLAGS:-})
mvn "${mvn_flags[@]}" -q -B -ntp -pl java/engine,java/app -am package -DskipTests \
  dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
classpath="$app_target/classes:$app_target/test-classes:$(cat "$app_target/bench-classpath.txt")"

# device_bench needs jvm_fixture (ivp2p_test_support), which tests-c/ defines.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DIVP2P_BUILD_TESTS=ON -DIVP2P_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target device_bench -j "$(nproc)" >/dev/null

# shellcheck source=bench-lib.sh
source "$root/scripts/bench-lib.sh"
bench_run_metadata scripts/bench-device.sh "$@"
if [[ -n "${MVN_FLAGS:-}" ]]; then
  echo "Maven flags: $MVN_FLAGS"
fi

work=$(mktemp -d)
device_pid=
stop_device() {
  if [[ -n "$device_pid" ]] && kill -0 "$device_pid" 2>/dev/null; then
    kill -TERM "$device_pid" 2>/dev/null || true
    # iv_avt_p2p_exit waits for running callbacks (up to 30 s); then give up on it.
    for _ in $(seq 1 40); do
      kill -0 "$device_pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$device_pid" 2>/dev/null; then
      echo "device_bench (pid $device_pid) did not exit; killing it" >&2
      kill -KILL "$device_pid" 2>/dev/null || true
    fi
  fi
  if [[ -n "$device_pid" ]]; then
    wait "$device_pid" 2>/dev/null || true
    device_pid=
  fi
}
trap 'stop_device; rm -rf "$work"' EXIT

# A fresh access key per run: nothing else on this machine can join the benchmark's device.
key="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
# 900 s: the device ends by itself even if this script is killed without its trap.
IVP2P_ACCESS_KEY="$key" IVP2P_CLASSPATH="$root/java/engine/target/ivp2p-engine-tests.jar" \
  IVP2P_CONFIG=/dev/null "$build/bench/device_bench" 23810 23811 900 \
  >"$work/device.out" 2>"$work/device.err" &
device_pid=$!
ready=
for _ in $(seq 1 600); do
  ready=$(grep -m1 '^ready ' "$work/device.out" || true)
  [[ -n "$ready" ]] && break
  if ! kill -0 "$device_pid" 2>/dev/null; then
    echo "device_bench exited before it was ready:" >&2
    cat "$work/device.err" >&2
    exit 1
  fi
  sleep 0.1
done
if [[ -z "$ready" ]]; then
  echo "device_bench not ready after 60 s" >&2
  exit 1
fi
probe_port=$(sed -n 's/.* probe_port=\([0-9]*\).*/\1/p' <<<"$ready")
trans_port=$(sed -n 's/.* trans_port=\([0-9]*\).*/\1/p' <<<"$ready")
echo "device: $ready"

table="$work/table"
IVP2P_ACCESS_KEY="$key" "$java_bin" -cp "$classpath" io.ivp2p.app.bench.DeviceBench \
  "$probe_port" "$trans_port" "$@" | tee "$table"
stop_device
device_lines=$(grep -E '^(phase=|exit )' "$work/device.out" || true)
device_log=$(grep -v '^$' "$work/device.err" | tail -n 20 || true)

{
  cat <<'HEAD'
# Device benchmark: latest results

What the device side of ivp2p costs and delivers on the real product path: camera firmware in C
(bench/device_bench.c) linked against libiv_p2p, with the engine's JVM inside its process
(the shim's default JVM options: -Xmx64m, SerialGC), and apps using the app SDK
(io.ivp2p.app.P2pClient) in a second process (java/app/src/test/java/io/ivp2p/app/bench/DeviceBench.java).
Everything on loopback (127.0.0.1), both processes on the same cores. A benchmark, not a test:
nothing fails on speed. This file is rewritten by every run of the command below, and every figure
in it comes from that one run.
HEAD
  echo
  echo "Command: \`$command\`"
  echo
  if [[ -n "${MVN_FLAGS:-}" ]]; then
    echo "Maven flags (MVN_FLAGS; they do not change what is measured): \`$MVN_FLAGS\`"
    echo
  fi
  echo "Date: $date"
  echo
  echo "Source: $commit"
  echo
  echo "Machine: $machine"
  echo
  echo '```text'
  cat "$table"
  echo '```'
  echo
  echo "The device's own lines (bench:phase-end answers, then its exit):"
  echo
  echo '```text'
  echo "$device_lines"
  echo '```'
  if [[ -n "$device_log" ]]; then
    echo
    echo "The device's log (stderr, last 20 lines):"
    echo
    echo '```text'
    echo "$device_log"
    echo '```'
  fi
} >"$results"
echo "wrote $results"
