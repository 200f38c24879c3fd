#!/usr/bin/env bash
# Makes the sample camera's test-pattern clips (committed under
# examples/camera/media, so building the sample does not need ffmpeg):
#
#   clip_high.flv  640x360 25 fps H.264 baseline ~600 kbit/s + AAC-LC 16 kHz mono 32 kbit/s
#   clip_low.flv   the same picture and sound at ~150 kbit/s (congestion fallback)
#
# Both clips have a key frame every 25 frames (1 s) and no scene-cut key
# frames, so their key frames sit at the same timestamps: the camera can
# switch a stream from one to the other at any key frame without a jump in
# time. They last 8 s: a whole number of GOPs (1 s) and of AAC frames (1024
# samples = 64 ms at 16 kHz), so the camera's loop has no gap or overlap in
# either track. testsrc2 draws a moving pattern and a running timestamp, which
# makes frozen or skipped video easy to see.
#
# Usage: bash scripts/make-sample-clip.sh [output dir]   (needs Debian's ffmpeg)
set -euo pipefail

out=${1:-"$(cd "$(dirname "$0")/.." && pwd)/examples/camera/media"}
mkdir -p "$out"
command -v ffmpeg >/dev/null || { echo "ffmpeg not found: apt-get install ffmpeg" >&2; exit 1; }

make_clip() { # <file> <video kbit/s>
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i testsrc2=size=640x360:rate=25 \
    -f lavfi -i sine=frequency=440:sample_rate=16000 \
    -t 8 \
    -c:v libx264 -profile:v baseline -pix_fmt yuv420p -preset veryfast -tune zerolatency \
    -x264-params keyint=25:min-keyint=25:scenecut=0 \
    -b:v "$2k" -maxrate "$2k" -bufsize "$2k" \
    -c:a aac -ac 1 -ar 16000 -b:a 32k \
    -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
    -f flv "$1"
}

make_clip "$out/clip_high.flv" 600
make_clip "$out/clip_low.flv" 150
ls -l "$out"/clip_high.flv "$out"/clip_low.flv
