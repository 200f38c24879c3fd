# cmake -DJAR_DIR=<maven output> -DDEST=<lib/ivp2p> -DJNA_PLATFORM=<linux-cpu> -P ivp2pStageEngine.cmake
#
# Copies the engine jars into DEST and extracts JNA's libjnidispatch.so for
# JNA_PLATFORM next to them. The shim starts the JVM with
# jna.boot.library.path=DEST and jna.nounpack=true, so JNA loads this copy
# and never writes a stub to a temp dir (read-only firmware filesystems).
file(GLOB _jars "${JAR_DIR}/*.jar")
if(NOT _jars)
  message(WARNING "No engine jars in ${JAR_DIR}: build them with "
    "'mvn -pl java/engine -am package' (or point -DIVP2P_JAR_DIR at them). "
    "libiv_p2p is built, but cannot start its engine without them.")
  return()
endif()

file(MAKE_DIRECTORY "${DEST}")
file(GLOB _old "${DEST}/*.jar")
if(_old)
  file(REMOVE ${_old})
endif()
file(COPY ${_jars} DESTINATION "${DEST}")

file(GLOB _jna_jar "${JAR_DIR}/jna-[0-9]*.jar")
list(LENGTH _jna_jar _count)
if(NOT _count EQUAL 1)
  message(FATAL_ERROR "Expected one jna-<version>.jar in ${JAR_DIR}, found: ${_jna_jar}")
endif()
set(_tmp "${DEST}/.jna-extract")
file(REMOVE_RECURSE "${_tmp}")
file(ARCHIVE_EXTRACT INPUT "${_jna_jar}" DESTINATION "${_tmp}"
  PATTERNS "com/sun/jna/${JNA_PLATFORM}/libjnidispatch.so")
set(_stub "${_tmp}/com/sun/jna/${JNA_PLATFORM}/libjnidispatch.so")
if(NOT EXISTS "${_stub}")
  message(FATAL_ERROR "${_jna_jar} has no com/sun/jna/${JNA_PLATFORM}/libjnidispatch.so")
endif()
file(COPY "${_stub}" DESTINATION "${DEST}")
file(REMOVE_RECURSE "${_tmp}")
