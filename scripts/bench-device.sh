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
# Both JVMs log their GC pauses (stamped with System.nanoTime, as the frames are), so that
# DeviceBench can name the pauses behind its slowest frames; nothing else is added to the
# device's JVM options. 900 s: the device ends by itself even if this script is killed
# without its trap.
gc_log="-Xlog:gc:file=$work/%s-gc.log:timenanos,uptime"
IVP2P_ACCESS_KEY="$key" IVP2P_CLASSPATH="$root/java/engine/target/ivp2p-engine-tests.jar" \
  IVP2P_CONFIG=/dev/null IVP2P_JVM_OPTIONS="${gc_log//%s/device}" \
  "$build/bench/device_bench" 23810 23811 900 \
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
IVP2P_ACCESS_KEY="$key" "$java_bin" "${gc_log//%s/app}" \
  -Ddevicebench.gclogs="device=$work/device-gc.log,app=$work/app-gc.log" \
  -cp "$classpath" io.ivp2p.app.bench.DeviceBench \
  "$probe_port" "$trans_port" "$@" | tee "$table"
stop_device
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
device_lines=$(grep -E '^(phase=|exit )' "$work/device.out" || true)
device_log=$(grep -v '^$' "$work/device.err" | tail -n 20 || true)

{
  cat <<'HEAD'
# Device benchmark: latest results

What the device side of ivp2p costs and delivers on the real product path (issue 4, point 14):
camera firmware in C (bench/device_bench.c) linked against libiv_p2p, with the engine's JVM inside
its process (the shim's default JVM options: -Xmx64m, SerialGC; plus GC logging), and apps using
the app SDK (io.ivp2p.app.P2pClient) in a second JVM
(java/app/src/test/java/io/ivp2p/app/bench/DeviceBench.java). Everything on loopback (127.0.0.1);
both processes, and the impairment proxies, share the machine's two cores. A benchmark, not a
test: nothing fails on speed. This file is rewritten by every run of the command below, and every
figure in it comes from that one run.

How to read this:

- Clocks. Frame latencies cross processes: the firmware stamps frames with
  clock_gettime(CLOCK_MONOTONIC) and the app reads System.nanoTime(), which is CLOCK_MONOTONIC on
  Linux. The "Clock check" line verifies in the run that the two agree.
- 1. LAN connect: P2pClient.connectBlocking with LAN discovery (PROBE to the device's probe_port,
  an HMAC-authenticated answer from its session port), the DTLS-PSK handshake, HELLO/WELCOME; one
  at a time, each session closed before the next. Baselines: connectDirect to the same device (no
  discovery), and a bare SessionEndpoint DTLS-PSK handshake with both ends in the app JVM (no
  HELLO, no second process). Target: median <= 100 ms.
- 2. Command round trip, 64 bytes each way. app -> device: P2pClient.command answered by the
  firmware's command_cb (an echo), timed in Java. device -> app: iv_avt_p2p_send_command called in
  a loop from a firmware pthread, answered by the app's command handler (an echo), timed in C.
  Baseline: 64 bytes echoed on channel 1 of a bare session between two SessionEndpoints in the app
  JVM. It is a reference, not a floor: its two endpoints and the echo thread share one JVM and the
  two cores, and its median moved between about 40 and 80 us across the runs of 2026-11-21, so a
  ratio near or below 1 means "no measurable cost over the session itself". The "first 1000" rows
  are the start of the warm-up: what an app sees while both JITs still compile the path.
  Target: median <= 2 ms both ways.
- 3. Frame latency: from send_get_cb returning a frame (the firmware's stamp, taken just before
  it returns) to the app's read that delivers the frame's last byte. The firmware makes frames of
  kbps x 1000 / 8 / fps bytes at 25 fps, each due on a 40 ms clock that starts when the stream
  opens; "poll wait" is how long a due frame waited for the engine's poll (sender_interval_ms,
  10 ms). The pump's fixed-rate 10 ms schedule and the frames' 40 ms clock keep a fixed phase, so
  the wait is almost constant within a run (somewhere in 0-10 ms); a camera's encoder clock
  drifts against the pump and would spread it over 0-10 ms (5 ms on average). "median/10ms":
  the transport's part against the poll interval. An unmeasured 5 s stream runs first, so both
  JITs have compiled the streaming path. The slowest frames are listed with any GC pause of either
  JVM that overlapped them (both JVMs log GC with System.nanoTime stamps).
- 4. Device CPU: getrusage(RUSAGE_SELF) of the device process, user + system, every thread (the
  firmware's, the engine's, the JVM's compiler and GC threads), over each window, as % of one
  core; per Mbit/s of stream bytes the apps read in the window, gross and net of the first idle
  row (the control session connected, nothing streaming). The firmware's buffer sampler sleeps
  during CPU windows.
- 5. Device buffer memory per app, 4 apps (4 P2pClients) x 2 streams of 1 Mbit/s. What "buffer
  memory" counts: for each stream, iv_avt_p2p_get_send_buf, i.e. the bytes the engine took from
  send_get_cb and the app has not acknowledged (bytes in the session's send buffer not yet
  acknowledged, plus the unsent rest of the firmware buffer the engine holds without copying);
  summed over one app's streams, sampled by a firmware thread every 1 ms (a peak shorter than
  1 ms can be missed; a frame is 5 KB); "app max" is the largest such sum of any app during the
  window. The window starts before the streams open, so it covers the whole fill. What it does
  not count: the JVM (heap, code, threads; the RSS column is the whole device process, for
  scale), receive buffers and the control channel. "engine alloc" is closer to allocated memory:
  the channel-buffer chunks of every app session, both directions (16 KiB chunks; it excludes the
  held firmware frame), summed over all sessions, sampled every 20 ms. Vendor bounds
  (abi-facts.md, "Published resource figures"), per app: 150 KB when the link is faster than the
  streams; (n x 512 KB + 732 KB) = 1756 KB on a weak link (n = 2 streams); read here as KiB (with
  1000-byte KB the ratios would be 2.4 % higher). Target: at most half. "Fast": loopback.
  "Throttled": each app through its own io.ivp2p.testnet.ImpairmentProxy (in the app JVM):
  150,000 B/s (1.2 Mbit/s, below the app's 2 Mbit/s of streams) with a 30 KB drop-tail queue,
  then 20 ms, each way; discovery and session both go through it. Watermarks (low/warn/high)
  are set by the firmware: 64/96/128 KiB (this firmware's choice: HIGH pauses polling well under
  the bound), then the vendor sample's 200/400/500 KiB, then none (all 0, the state after
  iv_avt_p2p_init), so both are visible. Like a live camera, the firmware keeps at most the 2
  newest due frames: frames that fell due while polling was paused are skipped ("skipped";
  counted when polling resumes).

What limits these figures (runs of 2026-11-21; check them against the tables below):

0. LAN connect takes 8-11 ms at the median, about a tenth of the target. Discovery adds 3-5 ms to
   connectDirect (a discovery socket per connect, the probe and the device's authenticated
   answer), and connectDirect is 2-4 ms above the bare handshake (HELLO/WELCOME through the
   device's request queue, a second process); not analysed further.
1. Memory on a weak link is what the watermarks allow: an app's streams hold about n x (HIGH +
   one frame), 0.15 of the vendor's weak-link bound with HIGH = 128 KiB. With the vendor
   sample's HIGH of 500 KiB it is 0.56, and without watermarks (as after init) the engine holds
   up to its per-channel send buffer (SessionConfig.defaults(): 512 KiB) plus the held frame per
   stream, 0.59: the target of half the bound is met only when the firmware sets HIGH at or below
   about 430 KiB (n = 2). The engine needs no counterpart of the vendor's fixed 732 KB per app;
   its per-stream ceiling is the vendor's 512 KB. Meeting the target with no firmware
   configuration would need a smaller default send buffer per channel (at most about 430 KiB),
   a trade-off against throughput on long fat paths that the transport benchmark measures.
2. On a fast link almost nothing waits on average (the mean is under a KiB for all apps
   together), and the largest sample is one to three frames of an app's two streams (10-15 KB,
   0.07-0.10 of the 150 KB bound) on a quiet machine. One run with another team's CI on the two
   cores reached 39 KiB (0.26): acknowledgements come late when the app's process waits for a
   core. Allocation is coarser: a stream with bytes in flight holds at least one 16 KiB chunk,
   so "engine alloc" is 16-36 KiB per app, still below half the bound.
3. Frame latency: the transport's part is well under a millisecond at the median at 2 and
   8 Mbit/s (0.02-0.08 of the 10 ms poll interval); the poll interval itself costs more, up to
   10 ms, 5 ms on average for a real camera. The slowest frames take about 4 ms: one scheduler tick
   of this VM's kernel (CONFIG_HZ=250, no kernel preemption), which a woken thread waits when
   both cores are busy; under load from other processes (the first runs of the day, load
   average 3-8) single frames took 40-135 ms, with GC pauses of the device's JVM of up to 40 ms.
4. Command round trips, warm, are about 60-200 us either way, near the bare session's own. Cold,
   right after connecting, p90 is about 1.5 ms and p99 about 4 ms while both JITs compile; a
   warm-up of 200 commands left p90 above 1 ms in early runs, hence 10,000.
5. CPU: about 0.2-0.4 % of one core per Mbit/s on this EPYC, whether one stream of 8 Mbit/s or 8
   streams of 1 Mbit/s. Idle costs 0.9-1.4 % of a core with one app connected and 0.3-0.8 %
   with none (it varies from run to run): the JVM's background, including the engine's pump,
   which ticks every sender_interval_ms even when no stream is open. The device's JVM allocates per frame and per
   poll (the bridge's JNA structures, session chunks): a young collection every few seconds
   while streaming (about 100 over a run, mostly 1-3 ms, a few up to about 10 ms).
6. The device process's RSS is 115-140 MiB, nearly all the JVM (64 MiB heap limit, code cache,
   metaspace, thread stacks), not per-app buffers.
HEAD
  bench_run_record "$table" "; load average after the run $load_after" \
    "${MVN_FLAGS:+Maven flags (MVN_FLAGS; they do not change what is measured): \`$MVN_FLAGS\`}"
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
