#!/bin/sh
# cross_build.sh <source dir> <work dir> <toolchain file> <cross prefix> <expected ELF machine> <jar dir>
# Builds libiv_p2p for another CPU exactly as a vendor would (plain CMake and
# a toolchain file, no Maven), installs it, and checks the result: six
# exported functions, library and JNA stub built for the target machine, the
# installed layout a firmware image needs.
set -eu
src=$1 work=$2 toolchain=$3 prefix=$4 machine=$5 jars=$6
rm -rf "$work"
cmake -S "$src" -B "$work/build" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
  -DCMAKE_BUILD_TYPE=Release -DIVP2P_WERROR=ON -DIVP2P_BUILD_TESTS=OFF -DIVP2P_BUILD_BENCH=OFF \
  -DIVP2P_JAR_DIR="$jars" -DCMAKE_INSTALL_PREFIX="$work/prefix" >"$work.log" 2>&1 ||
  { cat "$work.log"; exit 1; }
cmake --build "$work/build" >>"$work.log" 2>&1 || { cat "$work.log"; exit 1; }
cmake --install "$work/build" >>"$work.log" 2>&1 || { cat "$work.log"; exit 1; }
p="$work/prefix"
sh "$(dirname "$0")/check_exports.sh" "$p/lib/libiv_p2p.so" "${prefix}nm"
for f in "$p/lib/libiv_p2p.so" "$p/lib/ivp2p/libjnidispatch.so"; do
  m=$("${prefix}readelf" -h "$f" | sed -n 's/^ *Machine: *//p')
  echo "$f: $m"
  case "$m" in *"$machine"*) ;; *) echo "FAILED: expected machine $machine" >&2; exit 1 ;; esac
done
for f in include/iv_av.h include/iv_cm.h include/iv_err.h lib/cmake/ivp2p/ivp2pConfig.cmake; do
  [ -f "$p/$f" ] || { echo "FAILED: $f not installed" >&2; exit 1; }
done
ls "$p"/lib/ivp2p/ivp2p-engine.jar "$p"/lib/ivp2p/jna-*.jar >/dev/null
echo "cross build for $machine: ok"
