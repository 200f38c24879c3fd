#!/usr/bin/env bash
# Installs the Debian 12 packages that ivp2p needs, and only those that are
# missing (so a machine with a newer JDK keeps it). Maven fetches the Java
# dependencies and npm the web ones during the build.
#
#   bash scripts/install-deps.sh demo   # building and running the demo (scripts/demo.sh)
#   bash scripts/install-deps.sh test   # that, plus what the tests need (scripts/test-all.sh)
set -euo pipefail

what=${1:-test}
packages=(openjdk-17-jdk-headless maven cmake make gcc g++ binutils)
case $what in
  demo) ;;
  test)
    packages+=(
      # cross compilers for the AArch64 and 32-bit ARM ABI and cross-build tests
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross
      gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
      # ffprobe/ffmpeg: the sample camera's smoke test and the browser test check
      # the received video; scripts/make-sample-clip.sh makes the clips
      ffmpeg
      # the browser test (tests-browser/) drives Debian's Chromium with playwright-core
      chromium
    ) ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# npm fetches the viewer's page dependency (mpegts.js) at build time. It may come with a
# Node.js that is not Debian's (whose own npm package would conflict): look for the command.
if ! command -v npm >/dev/null; then
  missing+=(npm)
fi

if ((${#missing[@]})); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "all packages for '$what' are installed"
fi
