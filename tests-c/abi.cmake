# tests-c/abi.cmake - the ABI part of the C conformance tests.
#
# Included (at file scope: it may call enable_language) from
# tests-c/CMakeLists.txt once the library target iv_p2p and the function
# ivp2p_add_runtime_test(<test> <target>) exist. Registers:
#
#   abi_layout                runtime: layout model vs abi-facts.md (LP64 and
#                             ILP32) and vs the host compiler; enum values
#   headers_c99 headers_c11   vendor_sample.c compiled -fsyntax-only -Wall
#   headers_cxx11 headers_cxx17  -Wextra -Werror -pedantic as C and as C++:
#                             a warning in our headers is a failing test
#   abi_static_host           abi_static.c's _Static_asserts with the build's
#   abi_static_aarch64        C compiler and with the Debian cross compilers:
#   abi_static_armhf          proves the LP64 and ILP32 ARM layouts without
#                             running anything on those targets
#   vendor_sample             runtime: the vendor's sample init/exit sequence
#                             against libiv_p2p
#
# Cross compilers that are missing are skipped with a message, unless
# IVP2P_REQUIRE_CROSS_TESTS is ON (then configuration fails and says which
# Debian package to install).

set(_ivp2p_abi_dir "${CMAKE_CURRENT_LIST_DIR}")
set(_ivp2p_abi_include "${PROJECT_SOURCE_DIR}/include")

# Options the build's own compilers need to see the target's headers: the
# sysroot of a vendor toolchain file, and clang's --target. (Debian's cross
# gcc found below by name has its sysroot built in and needs neither.)
function(_ivp2p_abi_target_flags lang out_var)
  set(flags "")
  if(CMAKE_SYSROOT)
    list(APPEND flags "--sysroot=${CMAKE_SYSROOT}")
  endif()
  if(CMAKE_${lang}_COMPILER_TARGET AND CMAKE_${lang}_COMPILER_ID MATCHES "Clang")
    list(APPEND flags "--target=${CMAKE_${lang}_COMPILER_TARGET}")
  endif()
  set(${out_var} "${flags}" PARENT_SCOPE)
endfunction()

# A missing compiler: skip, or fail when IVP2P_REQUIRE_CROSS_TESTS is ON.
function(_ivp2p_abi_missing what package)
  if(IVP2P_REQUIRE_CROSS_TESTS)
    message(FATAL_ERROR
      "ivp2p ABI tests: ${what} not found and IVP2P_REQUIRE_CROSS_TESTS is ON. "
      "Install it (Debian/Ubuntu: apt-get install ${package}) or configure with "
      "-DIVP2P_REQUIRE_CROSS_TESTS=OFF.")
  else()
    message(STATUS "ivp2p ABI tests: ${what} not found, skipping its tests "
                   "(Debian/Ubuntu package: ${package})")
  endif()
endfunction()

# ---------------------------------------------------------------------------
# abi_layout: needs only the headers, not the library.
add_executable(abi_layout "${_ivp2p_abi_dir}/abi_layout.c")
target_include_directories(abi_layout PRIVATE "${_ivp2p_abi_include}" "${_ivp2p_abi_dir}")
if(CMAKE_CROSSCOMPILING AND NOT CMAKE_CROSSCOMPILING_EMULATOR)
  # A target binary cannot run on the build host; abi_static_* cover the
  # layout there. Set CMAKE_CROSSCOMPILING_EMULATOR (e.g. qemu-aarch64) to run it.
  message(STATUS "ivp2p ABI tests: cross-compiling without CMAKE_CROSSCOMPILING_EMULATOR, "
                 "abi_layout is built but not registered as a test")
else()
  # With an emulator set, add_test runs the target through it.
  add_test(NAME abi_layout COMMAND abi_layout)
endif()

# ---------------------------------------------------------------------------
# headers_*: compile the vendor sample; -Werror turns any warning our headers
# cause in firmware-style code into a failure. -fsyntax-only is GCC/Clang.
set(_ivp2p_abi_warn -Wall -Wextra -Werror -pedantic -fsyntax-only)

if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  _ivp2p_abi_target_flags(C _ivp2p_c_flags)
  foreach(std IN ITEMS c99 c11)
    add_test(NAME headers_${std}
      COMMAND "${CMAKE_C_COMPILER}" ${_ivp2p_c_flags} -std=${std} ${_ivp2p_abi_warn}
              "-I${_ivp2p_abi_include}" "${_ivp2p_abi_dir}/vendor_sample.c")
  endforeach()
else()
  message(STATUS "ivp2p ABI tests: C compiler ${CMAKE_C_COMPILER_ID} is not GCC/Clang, "
                 "skipping headers_c99/headers_c11 and abi_static_host")
endif()

# The target triplet a GCC/Clang driver compiles for ("" if it cannot say).
function(_ivp2p_abi_dumpmachine compiler out_var)
  set(flags "")
  if(CMAKE_C_COMPILER_TARGET AND CMAKE_C_COMPILER_ID MATCHES "Clang")
    list(APPEND flags "--target=${CMAKE_C_COMPILER_TARGET}")
  endif()
  execute_process(COMMAND "${compiler}" ${flags} -dumpmachine
    OUTPUT_VARIABLE machine OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    set(machine "")
  endif()
  set(${out_var} "${machine}" PARENT_SCOPE)
endfunction()

# The project is C only; look for a C++ compiler without failing when there is
# none (check_language), and enable CXX only if one works.
if(NOT CMAKE_CXX_COMPILER_LOADED)
  include(CheckLanguage)
  check_language(CXX)
  if(CMAKE_CXX_COMPILER AND CMAKE_CROSSCOMPILING)
    # When the toolchain file names no C++ compiler, CMake's search falls back
    # to the build host's c++ (x86-64 g++ under an AArch64 toolchain). That
    # one would check the host's layout, not the target's: refuse it.
    _ivp2p_abi_dumpmachine("${CMAKE_C_COMPILER}" _ivp2p_c_machine)
    _ivp2p_abi_dumpmachine("${CMAKE_CXX_COMPILER}" _ivp2p_cxx_machine)
    if(NOT _ivp2p_c_machine STREQUAL _ivp2p_cxx_machine)
      message(STATUS "ivp2p ABI tests: ignoring C++ compiler ${CMAKE_CXX_COMPILER}: it targets "
                     "'${_ivp2p_cxx_machine}', the C compiler targets '${_ivp2p_c_machine}'")
      set(CMAKE_CXX_COMPILER "CMAKE_CXX_COMPILER-NOTFOUND" CACHE FILEPATH "C++ compiler" FORCE)
      unset(CMAKE_CXX_COMPILER) # the normal variable check_language may have left
    endif()
  endif()
  if(CMAKE_CXX_COMPILER)
    enable_language(CXX)
  endif()
endif()
if(CMAKE_CXX_COMPILER_LOADED AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  _ivp2p_abi_target_flags(CXX _ivp2p_cxx_flags)
  foreach(std IN ITEMS 11 17)
    add_test(NAME headers_cxx${std}
      COMMAND "${CMAKE_CXX_COMPILER}" ${_ivp2p_cxx_flags} -x c++ -std=c++${std}
              ${_ivp2p_abi_warn} "-I${_ivp2p_abi_include}" "${_ivp2p_abi_dir}/vendor_sample.c")
  endforeach()
elseif(CMAKE_CROSSCOMPILING)
  _ivp2p_abi_dumpmachine("${CMAKE_C_COMPILER}" _ivp2p_c_machine)
  if(NOT _ivp2p_c_machine)
    set(_ivp2p_c_machine "<target triplet>")
  endif()
  _ivp2p_abi_missing("a GCC/Clang C++ compiler for the target (headers_cxx11/headers_cxx17)"
                     "g++-${_ivp2p_c_machine}")
else()
  _ivp2p_abi_missing("a GCC/Clang C++ compiler (headers_cxx11/headers_cxx17)" "g++")
endif()

# ---------------------------------------------------------------------------
# abi_static_*: _Static_assert the layout with each compiler.
set(_ivp2p_abi_static_args -std=c11 ${_ivp2p_abi_warn}
    "-I${_ivp2p_abi_include}" "${_ivp2p_abi_dir}/abi_static.c")

if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  # "host" = the compiler this build uses; under a toolchain file, the target's.
  add_test(NAME abi_static_host
    COMMAND "${CMAKE_C_COMPILER}" ${_ivp2p_c_flags} ${_ivp2p_abi_static_args})
endif()

# Debian's cross compilers, searched on the build host even under a toolchain
# file (CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER).
find_program(IVP2P_AARCH64_GCC aarch64-linux-gnu-gcc
  DOC "AArch64 (LP64) cross gcc for the abi_static_aarch64 test")
find_program(IVP2P_ARMHF_GCC arm-linux-gnueabihf-gcc
  DOC "32-bit ARM EABI (ILP32) cross gcc for the abi_static_armhf test")

if(IVP2P_AARCH64_GCC)
  add_test(NAME abi_static_aarch64 COMMAND "${IVP2P_AARCH64_GCC}" ${_ivp2p_abi_static_args})
else()
  _ivp2p_abi_missing("aarch64-linux-gnu-gcc (abi_static_aarch64)" "gcc-aarch64-linux-gnu")
endif()

if(IVP2P_ARMHF_GCC)
  add_test(NAME abi_static_armhf COMMAND "${IVP2P_ARMHF_GCC}" ${_ivp2p_abi_static_args})
else()
  _ivp2p_abi_missing("arm-linux-gnueabihf-gcc (abi_static_armhf)" "gcc-arm-linux-gnueabihf")
endif()

# ---------------------------------------------------------------------------
# vendor_sample: the sample against the real library. The include directory
# comes from iv_p2p's INTERFACE usage requirements, as it would for firmware
# that links the installed package.
if(NOT COMMAND ivp2p_add_runtime_test)
  message(FATAL_ERROR "tests-c/abi.cmake: include it after ivp2p_add_runtime_test is defined")
endif()
add_executable(vendor_sample_c "${_ivp2p_abi_dir}/vendor_sample.c")
target_link_libraries(vendor_sample_c PRIVATE iv_p2p)
if(CMAKE_CROSSCOMPILING AND NOT CMAKE_CROSSCOMPILING_EMULATOR)
  # Still built: linking it proves the cross-built libiv_p2p exports the API.
  message(STATUS "ivp2p ABI tests: cross-compiling without CMAKE_CROSSCOMPILING_EMULATOR, "
                 "vendor_sample_c is built but not registered as a test")
else()
  ivp2p_add_runtime_test(vendor_sample vendor_sample_c)
endif()
if(TEST vendor_sample)
  # The sample logs to "/tmp"; keep a test run's log in the build tree.
  set(_ivp2p_sample_log_dir "${CMAKE_CURRENT_BINARY_DIR}/vendor_sample_log")
  file(MAKE_DIRECTORY "${_ivp2p_sample_log_dir}")
  set_property(TEST vendor_sample APPEND PROPERTY ENVIRONMENT
    "IVP2P_SAMPLE_LOG_DIR=${_ivp2p_sample_log_dir}")
endif()
