# JNA ships libjnidispatch.so for each platform inside its jar, under
# com/sun/jna/<platform>/. This picks the one for the target, so a cross
# build installs the stub the camera's CPU runs. Override with
# -DIVP2P_JNA_PLATFORM=linux-armel (soft-float ARM), for example.
string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" _ivp2p_cpu)
if(_ivp2p_cpu MATCHES "^(x86_64|amd64)$")
  set(_ivp2p_jna linux-x86-64)
elseif(_ivp2p_cpu MATCHES "^(aarch64|arm64)")
  set(_ivp2p_jna linux-aarch64)
elseif(_ivp2p_cpu MATCHES "^arm")
  set(_ivp2p_jna linux-arm)
elseif(_ivp2p_cpu MATCHES "^(i[3-6]86|x86)$")
  set(_ivp2p_jna linux-x86)
elseif(_ivp2p_cpu MATCHES "^(riscv64|mips64el|ppc64le|s390x|loongarch64)$")
  set(_ivp2p_jna linux-${_ivp2p_cpu})
else()
  set(_ivp2p_jna "")
endif()
set(IVP2P_JNA_PLATFORM "${_ivp2p_jna}" CACHE STRING
  "JNA native platform directory (com/sun/jna/<this>/libjnidispatch.so)")
if(NOT IVP2P_JNA_PLATFORM)
  message(FATAL_ERROR "No JNA platform known for CMAKE_SYSTEM_PROCESSOR=${CMAKE_SYSTEM_PROCESSOR}; "
    "set -DIVP2P_JNA_PLATFORM=linux-<cpu> (see com/sun/jna/ in the jna jar).")
endif()
