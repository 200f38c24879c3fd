#!/usr/bin/env bash
# What an idle camera costs: the sample camera (examples/camera) runs with no
# app connected, and over a window we count the CPU time its process used and
# its threads' context switches (each a thread waking up: what keeps a
# low-power SoC out of its idle states). Run once per engine jar directory;
# the first is the baseline and every row shows its ratio to it, so the
# comparison is made in one run on one machine. Not a test: nothing fails.
#
#   bash scripts/bench-idle.sh [--window S] [--camera PATH] [LABEL=]JAR_DIR...
#
# JAR_DIR: a directory of engine jars (lib/ivp2p of an installed ivp2p, or
# java/dist/target/cmake/lib/ivp2p of a build); LABEL names its row. --camera: the camera binary
# (default build/demo/camera-build/ivp2p-camera, which `bash scripts/demo.sh`
# builds). --window: seconds measured per run (default 20), after the camera
# has said it is accepting sessions and 5 s more for the JVM to settle.
# Prints a table; the results file is bench/RESULTS-idle.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/bench-lib.sh
source "$root/scripts/bench-lib.sh"
window=20
camera=$root/build/demo/camera-build/ivp2p-camera
args=("$@")
jar_dirs=()
while (($#)); do
  case $1 in
    --window) window=$2; shift 2 ;;
    --camera) camera=$2; shift 2 ;;
    -*) echo "bench-idle: unknown option $1" >&2; exit 2 ;;
    *) jar_dirs+=("$1"); shift ;;
  esac
done
((${#jar_dirs[@]})) || { echo "usage: bench-idle.sh [--window S] [--camera PATH] JAR_DIR [JAR_DIR...]" >&2; exit 2; }
[[ -x $camera ]] || { echo "bench-idle: no camera at $camera (run bash scripts/demo.sh once, or pass --camera)" >&2; exit 2; }
bench_run_metadata scripts/bench-idle.sh "${args[@]}"

work=$(mktemp -d /tmp/ivp2p-bench-idle.XXXXXX)
cam_pid=
cleanup() {
  if [[ -n $cam_pid ]] && kill -0 "$cam_pid" 2>/dev/null; then
    kill -INT "$cam_pid" 2>/dev/null || true
    wait "$cam_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# CPU ticks (utime + stime) of the process, and context switches of all its threads.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
switches() {
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^(voluntary|nonvoluntary)_ctxt_switches/ {n += $2} END {print n}'
}

hz=$(getconf CLK_TCK)
table=$work/table.md
printf '| engine jars | CPU ms/s | ratio | wakeups/s | ratio |\n|---|---|---|---|---|\n' > "$table"
base_cpu= base_wake= i=0
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'; }
for spec in "${jar_dirs[@]}"; do
  label=${spec%%=*} dir=${spec#*=}
  run=$work/run-$i
  i=$((i + 1))
  mkdir -p "$run"
  IVP2P_ACCESS_KEY=bench-idle-key-0123456789 IVP2P_JAR_DIR=$dir IVP2P_CONFIG=/dev/null \
    "$camera" --device-id bench_idle --probe-port $((40000 + RANDOM % 20000)) --trans-port 0 --bind 127.0.0.1 \
    --recordings "$run" --talk-dir "$run/talk" --stats-interval 0 --log-dir "$run" > "$run/camera.out" 2>&1 &
  cam_pid=$!
  for _ in $(seq 1 300); do
    grep -q "accepting app sessions" "$run/ivp2p.log" "$run/camera.out" 2>/dev/null && break
    kill -0 "$cam_pid" 2>/dev/null || { cat "$run/camera.out" >&2; exit 1; }
    sleep 0.1
  done
  sleep 5
  c0=$(cpu_ticks "$cam_pid") s0=$(switches "$cam_pid")
  sleep "$window"
  c1=$(cpu_ticks "$cam_pid") s1=$(switches "$cam_pid")
  kill -INT "$cam_pid"
  wait "$cam_pid" || true
  cam_pid=
  cpu=$(awk -v d=$((c1 - c0)) -v hz="$hz" -v w="$window" 'BEGIN {printf "%.2f", d * 1000 / hz / w}')
  wake=$(awk -v d=$((s1 - s0)) -v w="$window" 'BEGIN {printf "%.1f", d / w}')
  if [[ -z $base_cpu ]]; then base_cpu=$cpu base_wake=$wake; fi
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$cpu" "$(ratio "$cpu" "$base_cpu")" "$wake" \
    "$(ratio "$wake" "$base_wake")" >> "$table"
done
cat "$table"
{
  echo "# Idle camera: CPU and wake-ups"
  echo
  echo "The sample camera with no app connected, measured by \`scripts/bench-idle.sh\` (see its header):"
  echo "CPU time of the whole process and context switches of all its threads (JVM included) per"
  echo "second, over a ${window}-s window; the first row is the baseline. CPU time comes in ticks of"
  echo "$((1000 / hz)) ms, so CPU figures are good to about $(awk -v hz="$hz" -v w="$window" 'BEGIN {printf "%.1f", 1000 / hz / w}') ms/s. The camera's own threads wake about"
  echo "5 times a second and the JVM's (monitor deflation, safepoints) about 5 more."
  bench_run_record "$table"
} > "$root/bench/RESULTS-idle.md"
echo "wrote bench/RESULTS-idle.md"
