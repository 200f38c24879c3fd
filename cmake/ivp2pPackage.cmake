# Installation and the CMake package that firmware builds use:
#
#   find_package(ivp2p 0.1 REQUIRED)          # -DCMAKE_PREFIX_PATH=<prefix>
#   target_link_libraries(firmware PRIVATE ivp2p::iv_p2p)
#
# Layout under the prefix:
#   include/iv_av.h iv_cm.h iv_err.h
#   lib/libiv_p2p.so
#   lib/ivp2p/*.jar, lib/ivp2p/libjnidispatch.so   (found by the shim at run time)
#   lib/cmake/ivp2p/ivp2pConfig.cmake ...
include(CMakePackageConfigHelpers)

set(IVP2P_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/ivp2p")

install(TARGETS iv_p2p EXPORT ivp2pTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES include/iv_av.h include/iv_cm.h include/iv_err.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The engine must sit in ivp2p/ next to the installed library (jvm_locate.h).
install(DIRECTORY ${IVP2P_STAGE_ENGINE_DIR}/
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/ivp2p
  FILES_MATCHING PATTERN "*.jar" PATTERN "libjnidispatch.so")
install(EXPORT ivp2pTargets NAMESPACE ivp2p:: DESTINATION ${IVP2P_INSTALL_CMAKEDIR})

configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/ivp2pConfig.cmake.in
  ${CMAKE_BINARY_DIR}/ivp2pConfig.cmake
  INSTALL_DESTINATION ${IVP2P_INSTALL_CMAKEDIR})
write_basic_package_version_file(
  ${CMAKE_BINARY_DIR}/ivp2pConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${CMAKE_BINARY_DIR}/ivp2pConfig.cmake
  ${CMAKE_BINARY_DIR}/ivp2pConfigVersion.cmake
  DESTINATION ${IVP2P_INSTALL_CMAKEDIR})
