# Cross toolchain file: 32-bit ARM Linux, hard-float EABI (ILP32), with Debian's cross compiler.
#
#   cmake -S . -B build-arm -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/arm-linux-gnueabihf.cmake
#
# Debian/Ubuntu: apt-get install gcc-arm-linux-gnueabihf. That compiler has its
# sysroot (/usr/arm-linux-gnueabihf) built in. libiv_p2p needs only jni.h from a JDK
# (any JDK's include/ works: jni.h is portable and OpenJDK's Linux jni_md.h is
# the same on every architecture), libdl and pthread from the target's C library.
#
# Adapting it to a vendor SDK toolchain (copy this file, change three things):
#   - the compiler prefix: set IVP2P_CROSS_PREFIX below, or pass
#     -DIVP2P_CROSS_PREFIX=/opt/vendor/bin/arm-linux-gnueabihf- (a path prefix works);
#   - the sysroot, if the compiler does not have one built in:
#     set(CMAKE_SYSROOT /opt/vendor/sysroot) - CMake then passes --sysroot
#     and searches libraries and headers only there (see the modes below);
#   - CMAKE_SYSTEM_PROCESSOR, and any ABI flags the vendor requires
#     (e.g. set(CMAKE_C_FLAGS_INIT "-march=armv7-a -mfpu=neon")).

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)

if(NOT DEFINED IVP2P_CROSS_PREFIX)
  set(IVP2P_CROSS_PREFIX arm-linux-gnueabihf-)
endif()
set(CMAKE_C_COMPILER ${IVP2P_CROSS_PREFIX}gcc)
# try_compile projects re-read this file; pass them the prefix too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES IVP2P_CROSS_PREFIX)

# set(CMAKE_SYSROOT /path/to/sysroot)
# Extra directories with target libraries/headers (e.g. a target JDK):
# list(APPEND CMAKE_FIND_ROOT_PATH /path/to/target/prefix)

# Programs run on the build host; libraries, headers and packages come from
# the target only.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# libiv_p2p is C; a C++ compiler is used only by the headers_cxx* tests.
# Set it only if it is installed, so that check_language(CXX) there can
# skip cleanly instead of failing on a compiler that does not exist.
find_program(IVP2P_CROSS_CXX ${IVP2P_CROSS_PREFIX}g++)
if(IVP2P_CROSS_CXX)
  set(CMAKE_CXX_COMPILER ${IVP2P_CROSS_CXX})
endif()
