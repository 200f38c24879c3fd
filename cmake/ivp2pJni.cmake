# Finds jni.h and jni_md.h for compiling the shim. Only the headers are
# needed (the shim dlopen()s libjvm at run time), and they do not depend on
# the target architecture, so a host JDK serves cross builds too; the search
# therefore ignores CMAKE_FIND_ROOT_PATH.
#
# Sets IVP2P_JNI_INCLUDE_DIRS. Override with -DIVP2P_JAVA_HOME=<jdk>.
if(IVP2P_JNI_INCLUDE_DIRS)
  return()
endif()

set(_ivp2p_jdk_hints "")
if(IVP2P_JAVA_HOME)
  list(APPEND _ivp2p_jdk_hints "${IVP2P_JAVA_HOME}")
endif()
if(DEFINED ENV{JAVA_HOME})
  list(APPEND _ivp2p_jdk_hints "$ENV{JAVA_HOME}")
endif()
find_program(_ivp2p_java java NO_CMAKE_FIND_ROOT_PATH)
if(_ivp2p_java)
  get_filename_component(_ivp2p_java_real "${_ivp2p_java}" REALPATH)
  get_filename_component(_ivp2p_java_bin "${_ivp2p_java_real}" DIRECTORY)
  get_filename_component(_ivp2p_java_home "${_ivp2p_java_bin}" DIRECTORY)
  list(APPEND _ivp2p_jdk_hints "${_ivp2p_java_home}")
endif()
list(APPEND _ivp2p_jdk_hints /usr/lib/jvm/default-java)

find_path(IVP2P_JNI_H jni.h
  HINTS ${_ivp2p_jdk_hints} PATH_SUFFIXES include
  NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
find_path(IVP2P_JNI_MD_H jni_md.h
  HINTS ${_ivp2p_jdk_hints} PATH_SUFFIXES include/linux
  NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
if(NOT IVP2P_JNI_H OR NOT IVP2P_JNI_MD_H)
  message(FATAL_ERROR
    "jni.h not found (looked in: ${_ivp2p_jdk_hints}). Install a JDK (Debian: "
    "openjdk-17-jdk-headless) or pass -DIVP2P_JAVA_HOME=<jdk home>.")
endif()
set(IVP2P_JNI_INCLUDE_DIRS "${IVP2P_JNI_H};${IVP2P_JNI_MD_H}")
