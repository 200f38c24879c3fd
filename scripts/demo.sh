#!/usr/bin/env bash
# demo.sh - the sample camera (C, linked against libiv_p2p) and the browser
# viewer (Java, app SDK) on one machine, over ivp2p on loopback.
#
#   bash scripts/demo.sh [options]
#
# Builds what is needed (Debian packages if missing, the Java engine and viewer
# with Maven, libiv_p2p installed into a prefix, the camera against that prefix
# with find_package, as a vendor firmware is built), starts the camera and the
# viewer, and prints the URL to open. Ctrl-C stops both cleanly.
#
#   --http HOST:PORT     where the viewer serves the page (default 127.0.0.1:8080)
#   --device-id ID       the camera's device id (default cam_01)
#   --probe-port N       the camera's LAN discovery port (default 23710)
#   --trans-port N       the camera's session port (default 23711)
#   --camera-only        start only the camera, listening on all addresses (the
#                        camera machine of the two-machine set-up, README)
#   --viewer-only        start only the viewer (the other machine); with
#   --camera HOST        probes go to HOST instead of the whole LAN (broadcast)
#   --work DIR           build and run folder (default build/demo)
#   --no-build           use what an earlier run built
#
# The access key: IVP2P_ACCESS_KEY if set (both machines need the same one),
# else a random one for this run (one machine only).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
http=127.0.0.1:8080 device=cam_01 probe_port=23710 trans_port=23711
run_camera=1 run_viewer=1 camera_host="" work=$repo/build/demo build=1
usage() { sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($#)); do
  case $1 in
    --http) http=$2; shift 2 ;;
    --device-id) device=$2; shift 2 ;;
    --probe-port) probe_port=$2; shift 2 ;;
    --trans-port) trans_port=$2; shift 2 ;;
    --camera-only) run_viewer=0; shift ;;
    --viewer-only) run_camera=0; shift ;;
    --camera) camera_host=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) usage ;;
    *) echo "demo: unknown option '$1'" >&2; usage ;;
  esac
done
((run_camera || run_viewer)) || { echo "demo: --camera-only and --viewer-only exclude each other" >&2; exit 2; }
mkdir -p "$work"
log() { echo "demo: $*"; }

# ---- build ----
viewer=$repo/java/viewer/target/ivp2p-viewer-jars/ivp2p-viewer
camera=$work/camera-build/ivp2p-camera
if ((build)); then
  bash "$repo/scripts/install-deps.sh" demo
  log "building the engine and the viewer (Maven; output in $work/build.log)"
  (cd "$repo" && mvn -B -q -ntp -pl java/engine,java/viewer -am package -DskipTests) >"$work/build.log" 2>&1 \
    || { tail -n 30 "$work/build.log" >&2; echo "demo: the Maven build failed (log: $work/build.log)" >&2; exit 1; }
  if ((run_camera)); then
    log "installing libiv_p2p into $work/prefix and building the camera against it"
    {
      cmake -S "$repo" -B "$work/ivp2p-build" -DCMAKE_BUILD_TYPE=Release -DIVP2P_BUILD_TESTS=OFF \
        -DCMAKE_INSTALL_PREFIX="$work/prefix" &&
      cmake --build "$work/ivp2p-build" -j 2 &&
      cmake --install "$work/ivp2p-build" &&
      cmake -S "$repo/examples/camera" -B "$work/camera-build" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_PREFIX_PATH="$work/prefix" &&
      cmake --build "$work/camera-build" -j 2
    } >>"$work/build.log" 2>&1 \
      || { tail -n 30 "$work/build.log" >&2; echo "demo: the native build failed (log: $work/build.log)" >&2; exit 1; }
  fi
fi
((!run_camera)) || [[ -x $camera ]] || { echo "demo: no camera in $work/camera-build (run without --no-build)" >&2; exit 1; }
((!run_viewer)) || [[ -x $viewer ]] || { echo "demo: no viewer jars (run without --no-build)" >&2; exit 1; }

# ---- the camera's SD card: two recordings, made 10 and 5 minutes ago ----
if ((run_camera)); then
  mkdir -p "$work/recordings" "$work/talk"
  if ! compgen -G "$work/recordings/rec_*.flv" >/dev/null; then
    now=$(date +%s)
    cp "$repo/examples/camera/media/clip_high.flv" "$work/recordings/rec_$((now - 600)).flv"
    cp "$repo/examples/camera/media/clip_low.flv" "$work/recordings/rec_$((now - 300)).flv"
  fi
fi

if [[ -z ${IVP2P_ACCESS_KEY:-} ]]; then
  if ((!run_camera || !run_viewer)); then
    echo "demo: set IVP2P_ACCESS_KEY (16+ characters, the same on both machines)" >&2; exit 2
  fi
  IVP2P_ACCESS_KEY=demo-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
fi
export IVP2P_ACCESS_KEY

# ---- run; Ctrl-C (or SIGTERM) stops both ----
cam_pid="" viewer_pid="" status=0
stop() {
  trap - INT TERM
  # SIGTERM, not SIGINT: a background job of a non-interactive shell ignores SIGINT, and the JVM
  # then leaves SIGINT alone. Both programs stop cleanly on SIGTERM.
  local p rc
  for p in $viewer_pid $cam_pid; do kill -TERM "$p" 2>/dev/null || true; done
  if [[ -n $viewer_pid ]]; then
    rc=0; wait "$viewer_pid" 2>/dev/null || rc=$?
    # A JVM stopped by SIGTERM/SIGINT exits 143/130 after its shutdown hook: that is a clean stop.
    if ((rc != 0 && rc != 130 && rc != 143)); then log "the viewer exited with $rc"; status=1; fi
  fi
  if [[ -n $cam_pid ]]; then
    rc=0; wait "$cam_pid" 2>/dev/null || rc=$?
    if ((rc != 0)); then log "the camera exited with $rc (its last lines above say why)"; status=1; fi
  fi
  log "stopped"
  exit "$status"
}
trap stop INT TERM
# Prefixes each line. It ignores SIGINT/SIGTERM: Ctrl-C reaches the whole process group, and the
# programs' last lines (and their clean exit: no SIGPIPE) need it to read on until they end.
prefix() { trap '' INT TERM; exec sed -u "s/^/$1/"; }

if ((run_camera)); then
  bind=()
  ((run_viewer)) && bind=(--bind 127.0.0.1) # one machine: nothing leaves loopback
  # Process substitution, not a pipe: $! is then the camera itself, to be stopped by its PID.
  "$camera" --device-id "$device" --probe-port "$probe_port" --trans-port "$trans_port" "${bind[@]}" \
    --media "$repo/examples/camera/media" --recordings "$work/recordings" --talk-dir "$work/talk" \
    --log-dir "$work" > >(prefix '[camera] ') 2>&1 &
  cam_pid=$!
  log "camera $device started (pid $cam_pid): probe port $probe_port, session port $trans_port; SDK log $work/ivp2p.log"
fi
if ((run_viewer)); then
  probe=127.0.0.1:$probe_port
  ((run_camera)) || probe=${camera_host:-255.255.255.255}:$probe_port
  # The viewer's stdout is its "open <url>" line; its log goes to a file.
  "$viewer" --device "$device" --probe "$probe" --http "$http" > >(prefix '[viewer] ') 2>"$work/viewer.log" &
  viewer_pid=$!
  log "viewer started (pid $viewer_pid), probing $probe; log $work/viewer.log"
fi
if ((!run_viewer)); then
  log "the camera is running; on the viewer machine: IVP2P_ACCESS_KEY=... bash scripts/demo.sh --viewer-only --camera <this machine's address>"
fi
# Until Ctrl-C, or until one of them ends by itself.
rc=0
wait -n $cam_pid $viewer_pid || rc=$?
log "a program ended by itself (exit $rc); stopping the other"
status=1
stop
