#!/usr/bin/env bash
# Installs the Debian 12 packages that building and testing ivp2p needs, and
# only those that are missing (so a machine with a newer JDK keeps it).
# Maven fetches the Java dependencies itself during the build.
set -euo pipefail

packages=(
  openjdk-17-jdk-headless maven cmake make gcc g++ binutils
  # cross compilers for the AArch64 and 32-bit ARM ABI and cross-build tests
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross
  gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
  # ffprobe/ffmpeg: the sample camera's smoke test checks the received video
  # (examples/camera/smoke.sh); scripts/make-sample-clip.sh makes its clips
  ffmpeg
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "all build and test packages are installed"
fi
