#!/usr/bin/env bash
# smoke.sh - the sample camera end to end on loopback, driven by the app CLI.
#
#   bash examples/camera/smoke.sh [--prefix DIR] [--work DIR] [--keep]
#
#   --prefix DIR  an installed ivp2p (cmake --install ...). Without it the
#                 native part is built from this repository and installed into
#                 <work>/prefix (that needs the engine jars:
#                 mvn -pl java/engine -am package).
#   --work DIR    scratch folder (default: a new mktemp -d, removed at the end)
#   --keep        keep the scratch folder (logs, received files)
#
# Needs: cmake, a C compiler, java, ffprobe/ffmpeg (Debian ffmpeg), and the app
# CLI jars (java/app/target/ivp2p-app-jars, or $IVP2P_APP_JARS).
#
# It builds the camera against the installed package only (find_package),
# runs its unit tests, starts it on free loopback ports with a random access
# key and checks: refusal without a key; live (valid FLV, H.264 + AAC, key
# frame first, timestamps rising) for two apps at once; commands; a key frame
# request for a running stream; playback across two recordings; download and a
# path traversal refused; talk written to a file; the congestion reaction to a
# stalled reader; a clean exit on SIGINT with a stream open. Every process it
# starts is bounded by a timeout and stopped by its PID; exit code 0 = all ok.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
prefix="" work="" keep=0
while (($#)); do
  case $1 in
    --prefix) prefix=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [--prefix DIR] [--work DIR] [--keep]" >&2; exit 2 ;;
  esac
done

app_jars=${IVP2P_APP_JARS:-$repo/java/app/target/ivp2p-app-jars}
for tool in cmake cc java ffprobe ffmpeg timeout; do
  command -v "$tool" >/dev/null || { echo "smoke: $tool not found (ffprobe/ffmpeg: apt-get install ffmpeg)" >&2; exit 2; }
done
[[ -x $app_jars/ivp2p-app ]] || { echo "smoke: no app CLI in $app_jars (mvn -pl java/app -am package)" >&2; exit 2; }

if [[ -z $work ]]; then work=$(mktemp -d /tmp/camera-smoke.XXXXXX); else mkdir -p "$work"; fi
cam_pid="" bg_pids=()
cleanup() {
  local rc=$?
  for p in "${bg_pids[@]}" $cam_pid; do
    if kill -0 "$p" 2>/dev/null; then kill -TERM "$p" 2>/dev/null || true; fi
  done
  for p in "${bg_pids[@]}" $cam_pid; do wait "$p" 2>/dev/null || true; done
  if ((rc != 0)); then
    echo "smoke: FAILED; camera log:" >&2
    tail -n 40 "$work/cam.log" 2>/dev/null >&2 || true
    tail -n 20 "$work/cam.err" 2>/dev/null >&2 || true
  fi
  if ((keep)); then echo "smoke: files kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

step() { echo "== $*"; }
fail() { echo "smoke: FAIL: $*" >&2; exit 1; }

# ---- build ----
if [[ -z $prefix ]]; then
  step "installing ivp2p from $repo into $work/prefix"
  cmake -S "$repo" -B "$work/ivp2p-build" -DCMAKE_BUILD_TYPE=Release -DIVP2P_BUILD_TESTS=OFF \
    -DCMAKE_INSTALL_PREFIX="$work/prefix" >"$work/ivp2p-build.log"
  cmake --build "$work/ivp2p-build" -j 2 >>"$work/ivp2p-build.log"
  cmake --install "$work/ivp2p-build" >>"$work/ivp2p-build.log"
  prefix=$work/prefix
fi
step "building the camera against $prefix (find_package only)"
cmake -S "$here" -B "$work/camera-build" -DCMAKE_PREFIX_PATH="$prefix" -DCAMERA_WERROR=ON >"$work/camera-build.log"
cmake --build "$work/camera-build" -j 2 >>"$work/camera-build.log"
(cd "$work/camera-build" && ctest --output-on-failure >>"$work/camera-build.log") || fail "unit tests (see $work/camera-build.log)"
camera=$work/camera-build/ivp2p-camera

# ---- set-up ----
key=smoke-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
device=smoke_cam
now=$(date +%s)
r1=$((now - 600)) r2=$((now - 300))
mkdir -p "$work/rec"
cp "$here/media/clip_high.flv" "$work/rec/rec_$r1.flv"
cp "$here/media/clip_high.flv" "$work/rec/rec_$r2.flv"

step "refuses to start without IVP2P_ACCESS_KEY"
set +e
env -u IVP2P_ACCESS_KEY -u IVP2P_CONFIG "$camera" >"$work/nokey.out" 2>&1
rc=$?
set -e
((rc == 2)) && grep -q IVP2P_ACCESS_KEY "$work/nokey.out" || fail "expected exit 2 naming IVP2P_ACCESS_KEY, got $rc"

wait_log() { # <pattern> <seconds>: waits for a camera log line
  local deadline=$((SECONDS + $2))
  until grep -q -- "$1" "$work/cam.log"; do
    ((SECONDS < deadline)) || return 1
    kill -0 "$cam_pid" 2>/dev/null || return 1
    sleep 0.2
  done
}

start_camera() { # tries a few random port pairs: one may be taken
  local try
  for try in 1 2 3; do
    probe=$((20000 + RANDOM % 20000))
    IVP2P_ACCESS_KEY=$key "$camera" --device-id "$device" --probe-port "$probe" --trans-port $((probe + 1)) \
      --recordings "$work/rec" --talk-dir "$work/talk" --stats-interval 2 --restore-ms 2000 \
      >"$work/cam.log" 2>"$work/cam.err" &
    cam_pid=$!
    if wait_log "LOCAL_NET_READY" 30 && wait_log "ready:" 5; then return 0; fi
    kill -TERM "$cam_pid" 2>/dev/null || true
    wait "$cam_pid" 2>/dev/null || true
    echo "smoke: camera did not start on ports $probe/$((probe + 1)) (try $try)"
  done
  return 1
}
step "starting the camera"
start_camera || fail "the camera did not start"

# The app CLI (the key through the environment, not the command line). app_bg
# starts it in the background, stdout and stderr to a file, and notes its PID
# (timeout's, which passes a TERM on to the CLI; the launcher execs java).
app() { IVP2P_ACCESS_KEY=$key timeout 60 "$app_jars/ivp2p-app" "$@" --device "$device" --probe "127.0.0.1:$probe"; }
app_bg() {
  local out=$1
  shift
  IVP2P_ACCESS_KEY=$key timeout 60 "$app_jars/ivp2p-app" "$@" --device "$device" --probe "127.0.0.1:$probe" \
    >"$out" 2>&1 &
  bg_pids+=($!)
}
# A reply line's message: text=... as is, hex=... decoded.
reply_text() {
  local line=$1
  case $line in
    *" text="*) line=${line#* text=}; echo "${line% ms=*}" ;;
    *" hex="*) line=${line#* hex=}; line=${line% ms=*}; printf '%b\n' "$(echo "$line" | sed 's/../\\x&/g')" ;;
  esac
}
command_reply() { reply_text "$(app command --text "$1" | grep '^reply ')"; }

# Checks a received FLV file: flv_check (structure, sequence headers first,
# key frame first, timestamps rising per track; a last tag cut by --bytes is
# trimmed), then ffprobe (H.264 + AAC) and a full decode by ffmpeg without a
# single error. At least $2 video frames.
check_flv() {
  local f=$1 min_video=$2 line streams
  line=$("$work/camera-build/flv_check" "$f") || fail "$f: $line"
  [[ $line =~ video=([0-9]+) ]] && ((BASH_REMATCH[1] >= min_video)) || fail "$f: too few video frames: $line"
  [[ $line =~ complete_bytes=([0-9]+) ]] && head -c "${BASH_REMATCH[1]}" "$f" >"$f.whole"
  streams=$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$f.whole" | sort | tr '\n' ' ')
  [[ $streams == "aac h264 " ]] || fail "$f: streams are '$streams', expected aac h264"
  ffmpeg -nostdin -v error -i "$f.whole" -f null - 2>"$f.decode" && [[ ! -s $f.decode ]] ||
    fail "$f does not decode cleanly: $(head -3 "$f.decode")"
  echo "   $(basename "$f"): $line"
}

# ---- live, two apps at once ----
step "live: two apps at once (high and low quality)"
app_bg "$work/live.out" stream --channel 1 --params 'action=live&channel=0' --bytes 400000 --out "$work/live.flv"
app stream --channel 1 --params 'action=live&channel=0&quality=low' --bytes 100000 --out "$work/live_low.flv" \
  --uid app2 >"$work/live_low.out"
wait "${bg_pids[-1]}" || fail "live stream (high): $(cat "$work/live.out")"
grep -q 'end=limit' "$work/live.out" || fail "live stream: $(cat "$work/live.out")"
check_flv "$work/live.flv" 75
check_flv "$work/live_low.flv" 25
# Average video frame size: the low clip's is about a quarter of the high one's.
frame_bytes() {
  ffprobe -v error -select_streams v -show_entries packet=size -of csv=p=0 "$1" | awk '{s += $1; n++} END {print int(s / n)}'
}
(($(frame_bytes "$work/live.flv.whole") > 2 * $(frame_bytes "$work/live_low.flv.whole"))) || fail "quality=low is not the low-bitrate clip"
wait_log "stopped (live for app2#" 10 || fail "no send_stop for the low-quality stream"

# ---- commands ----
step "commands"
r=$(command_reply '{"cmd":"get_info"}')
echo "   get_info -> $r"
[[ $r == *'"ok":true,"device_id":"'$device'"'* && $r == *'"firmware":"ivp2p-sample-camera '* ]] || fail "get_info: $r"
r=$(command_reply '{"cmd":"ptz","dir":"left"}')
[[ $r == '{"ok":true,"pan":-10,"tilt":0}' ]] || fail "ptz: $r"
r=$(command_reply '{"cmd":"list_recordings"}')
[[ $r == *"\"file_name\":\"rec_$r1.flv\""*"\"file_name\":\"rec_$r2.flv\""* ]] || fail "list_recordings: $r"
r=$(command_reply '{"cmd":"reboot"}')
[[ $r == *'"ok":false'* ]] || fail "unknown command: $r"

step "request_key_frame for a running stream, seen in get_info"
app_bg "$work/kf.out" stream --channel 1 --params 'action=live&channel=0' --bytes 500000 --out /dev/null --uid viewer
wait_log "live for viewer#" 15 || fail "the viewer's stream did not open"
id=$(grep -o 'stream [0-9]*: live for viewer#' "$work/cam.log" | tail -1 | awk '{print $2}' | tr -d :)
r=$(command_reply '{"cmd":"get_info"}')
[[ $r == *"\"id\":$id,\"action\":\"live\""*'"link_mode":"direct"'* ]] || fail "get_info lacks stream $id: $r"
r=$(command_reply "{\"cmd\":\"request_key_frame\",\"stream\":$id}")
[[ $r == '{"ok":true,"streams":1}' ]] || fail "request_key_frame: $r"
wait_log "stream $id: key frame requested" 10 || fail "the stream did not act on the key frame request"
wait "${bg_pids[-1]}" || fail "viewer stream: $(cat "$work/kf.out")"

# ---- playback and download ----
step "playback across two recordings (gap left out), 4x"
app stream --channel 3 --params "action=playback&channel=0&start_time=$((r1 + 2))&end_time=$((r2 + 4))&speed=4" \
  --out "$work/playback.flv" >"$work/playback.out" || fail "playback: $(cat "$work/playback.out")"
grep -q 'end=ended' "$work/playback.out" || fail "playback did not end: $(cat "$work/playback.out")"
check_flv "$work/playback.flv" 240

step "download with an offset; path traversal refused"
app stream --channel 5 --params "action=download&channel=0&file_name=rec_$r1.flv&offset=1000" \
  --out "$work/download.bin" >"$work/download.out" || fail "download: $(cat "$work/download.out")"
cmp -s "$work/download.bin" <(tail -c +1001 "$work/rec/rec_$r1.flv") || fail "downloaded bytes differ"
set +e
app stream --channel 5 --params 'action=download&channel=0&file_name=../cam.log&offset=0' --out /dev/null \
  >"$work/traversal.out" 2>&1
rc=$?
set -e
((rc == 2)) && grep -q STREAM_REFUSED "$work/traversal.out" || fail "path traversal was not refused: $(cat "$work/traversal.out")"

# ---- talk ----
step "talk to a file"
head -c 16000 /dev/urandom >"$work/voice.raw"
app talk --channel 2 --params 'action=talk&channel=0&codec=g711a' --file "$work/voice.raw" >"$work/talk.out" ||
  fail "talk: $(cat "$work/talk.out")"
wait_log "talk 1: ended" 10 || fail "the talk did not end"
cmp -s "$work/voice.raw" "$work"/talk/talk_*_1.raw || fail "the talk file differs from what the app sent"

# ---- congestion ----
# The app's receive window holds about 1 MiB and the camera's high watermark
# is 500 KB: at ~85 KB/s both are full after ~18 s.
step "congestion: a reader that stalls 22 s, then reads on"
app_bg "$work/slow.out" stream --channel 1 --params 'action=live&channel=0' --stall-ms 22000 --seconds 45 \
  --out /dev/null --uid slow
slow_pid=${bg_pids[-1]}
for pattern in "WATERMARK_WARN: level full -> low_bitrate" "switching to the low-bitrate clip" \
  "WATERMARK_HIGH: level .* -> key_frames_only" "WATERMARK_LOW: backlog gone" "dropping [0-9]* stale frames" \
  "link recovered: level low_bitrate" "link recovered: level full" "switching to the high-bitrate clip"; do
  wait_log "$pattern" 45 || fail "no '$pattern' in the camera log"
  echo "   $(grep -- "$pattern" "$work/cam.log" | head -1 | cut -c16-)"
done
grep 'stats stream=' "$work/cam.log" | grep 'peer=slow#' | tail -1 | cut -c16- | sed 's/^/   /'
kill -TERM "$slow_pid" 2>/dev/null || true
wait "$slow_pid" 2>/dev/null || true

# ---- clean exit with a stream open ----
step "SIGINT with a stream open: clean exit"
app_bg "$work/last.out" stream --channel 1 --params 'action=live&channel=0' --seconds 30 --out /dev/null --uid last
wait_log "live for last#" 15 || fail "the last stream did not open"
sleep 1
kill -INT "$cam_pid"
deadline=$((SECONDS + 40))
while kill -0 "$cam_pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
kill -0 "$cam_pid" 2>/dev/null && fail "the camera did not exit within 40 s of SIGINT"
set +e
wait "$cam_pid"
rc=$?
set -e
cam_pid=""
((rc == 0)) || fail "the camera exited with $rc"
grep -q "stopped (live for last#" "$work/cam.log" || fail "the open stream was not stopped at exit"
grep -q "stopped: 0 streams, 0 talks, 0 buffers left over" "$work/cam.log" || fail "something was left over at exit"
echo "smoke: all checks passed"
