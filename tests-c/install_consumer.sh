#!/bin/sh
# install_consumer.sh <build dir> <source dir> <work dir>
# Installs the host build into a fresh prefix and builds the vendor sample
# the two ways the README documents, against the installed package only:
#   1. a plain compiler line: cc ... -I<prefix>/include -L<prefix>/lib -liv_p2p
#   2. a CMake project using find_package(ivp2p) and ivp2p::iv_p2p
# Both programs run init -> exit -> init -> exit with the engine found next to
# the installed library (no IVP2P_JAR_DIR).
set -eu
build=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work/logs"
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log"
p="$work/prefix"
unset IVP2P_JAR_DIR
export IVP2P_SAMPLE_LOG_DIR="$work/logs"

cc -std=c99 -Wall -Wextra -Werror -pedantic -I"$p/include" "$src/tests-c/vendor_sample.c" \
  -L"$p/lib" -liv_p2p -Wl,-rpath,"$p/lib" -o "$work/sample_plain"
"$work/sample_plain"

mkdir -p "$work/consumer"
cat >"$work/consumer/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.13)
project(firmware C)
find_package(ivp2p 0.1 REQUIRED)
add_executable(sample_find_package "$src/tests-c/vendor_sample.c")
target_compile_options(sample_find_package PRIVATE -Wall -Wextra -Werror)
target_link_libraries(sample_find_package PRIVATE ivp2p::iv_p2p)
CMAKE
cmake -S "$work/consumer" -B "$work/consumer/build" -DCMAKE_PREFIX_PATH="$p" >"$work/consumer.log"
cmake --build "$work/consumer/build" >>"$work/consumer.log"
"$work/consumer/build/sample_find_package"
echo "installed package: plain link and find_package both ok"
