#!/bin/sh
# Stages a copy of the engine jars whose entry class claims a class-file
# version from the future (99), so that the Java 17 runtime we test with
# refuses it exactly as a Java 11 runtime refuses our real (version 61)
# classes: UnsupportedClassVersionError. There is no older runtime on the
# test machine to do this for real.
#   stage_future_class_jars.sh <jar tool> <staged engine dir> <destination>
set -eu
jar_tool=$1
stage=$2
dest=$3
class=io/ivp2p/bridge/NativeEntry.class
rm -rf "$dest"
mkdir -p "$dest/unpacked"
cp "$stage"/*.jar "$stage"/libjnidispatch.so "$dest/"
cd "$dest/unpacked"
"$jar_tool" xf ../ivp2p-engine.jar "$class"
# JVMS 4.1: u4 magic, u2 minor_version, u2 major_version (bytes 6-7); 0x0063 = 99.
printf '\000\143' | dd of="$class" bs=1 seek=6 conv=notrunc 2>/dev/null
"$jar_tool" uf ../ivp2p-engine.jar "$class"
cd .. && rm -rf unpacked
