#!/usr/bin/env bash
# browser-test.sh - the demo checked as a person would: scripts/demo.sh builds
# and starts the sample camera and the viewer on loopback, then headless
# Chromium (Debian's chromium, driven by playwright-core from npm) opens the
# page and tests-browser/viewer.test.mjs checks that video really decodes,
# commands round-trip, playback plays, and ffprobe finds H.264 in the FLV.
# Finally the demo is stopped as Ctrl-C would and must end cleanly.
#
#   bash scripts/browser-test.sh [--no-build]
#
# Artifacts (the screenshot viewer.png, the captured live.flv, the logs):
# target/browser-test/ at the repository root. Every process it starts is
# bounded by a timeout and stopped by its PID. Exit code 0 = all passed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$repo/target/browser-test
work=$repo/build/browser-test  # the demo's build and run folder (kept: --no-build reuses it)
build_flag=()
[[ ${1:-} == --no-build ]] && build_flag=(--no-build)
for tool in node npm ffprobe timeout; do
  command -v "$tool" >/dev/null || { echo "browser-test: $tool not found (bash scripts/install-deps.sh test)" >&2; exit 2; }
done
chromium=${CHROMIUM:-/usr/bin/chromium}
[[ -x $chromium ]] || { echo "browser-test: no Chromium at $chromium (apt-get install chromium)" >&2; exit 2; }

rm -rf "$out"
mkdir -p "$out" "$work"
rm -f "$work"/{viewer.log,ivp2p.log}
demo_pid=""
cleanup() {
  local rc=$?
  if [[ -n $demo_pid ]] && kill -0 "$demo_pid" 2>/dev/null; then
    kill -TERM "$demo_pid" 2>/dev/null || true
    wait "$demo_pid" 2>/dev/null || true
  fi
  cp "$work"/{viewer.log,ivp2p.log,build.log} "$out"/ 2>/dev/null || true
  if ((rc != 0)); then
    echo "browser-test: FAILED; the demo's last lines:" >&2
    tail -n 30 "$out/demo.log" >&2 2>/dev/null || true
  fi
  echo "browser-test: artifacts in $out"
}
trap cleanup EXIT

# A random probe port (the camera's session port and the viewer's HTTP port are chosen by the
# system), so a test run never collides with a demo someone left running.
probe_port=$((30000 + RANDOM % 20000))
echo "== starting the demo (camera probe port $probe_port)"
# --foreground: the signal goes to demo.sh alone, which stops camera and viewer itself.
timeout --foreground 900 bash "$repo/scripts/demo.sh" --work "$work" --http 127.0.0.1:0 --probe-port "$probe_port" \
  --trans-port 0 "${build_flag[@]}" >"$out/demo.log" 2>&1 &
demo_pid=$!

url=""
for _ in $(seq 1 600); do # the build included: up to 10 minutes
  url=$(grep -o 'open http://[^ ]*' "$out/demo.log" | head -n 1 | cut -d' ' -f2 || true)
  [[ -n $url ]] && break
  kill -0 "$demo_pid" 2>/dev/null || { echo "browser-test: the demo ended before serving" >&2; exit 1; }
  sleep 1
done
[[ -n $url ]] || { echo "browser-test: the viewer printed no URL in time" >&2; exit 1; }
echo "== the viewer serves $url"

echo "== installing the test's npm packages (tests-browser/package-lock.json)"
(cd "$repo/tests-browser" && npm ci --no-audit --no-fund --loglevel=error)

echo "== the browser test"
VIEWER_URL=${url%/} ARTIFACT_DIR=$out CHROMIUM=$chromium \
  timeout 300 node --test "$repo/tests-browser/"

echo "== stopping the demo as Ctrl-C does"
kill -TERM "$demo_pid"
rc=0
wait "$demo_pid" || rc=$?
demo_pid=""
((rc == 0)) || { echo "browser-test: the demo exited with $rc after SIGTERM" >&2; exit 1; }
grep -q 'camera: stopped: 0 streams, 0 talks, 0 buffers left over' "$out/demo.log" \
  || { echo "browser-test: the camera did not stop cleanly" >&2; exit 1; }
grep -q 'ivp2p-viewer: stopped' "$out/demo.log" || { echo "browser-test: the viewer did not stop cleanly" >&2; exit 1; }
echo "browser-test: passed (screenshot: $out/viewer.png)"
