# `cmake --install` (GNUInstallDirs): the binary in bin/, its data under share/pvbench (found
# relative to the binary: bench/datadir.c), man pages and bash completion generated from the
# option tables by the built binary (`pvbench help --man-dir`, `pvbench help --completion`).
# Included by the top-level CMakeLists.txt.

# A build tree's binary finds the source tree's data through this marker next to it; it is
# not installed, so an installed binary never depends on the source tree.
file(GENERATE OUTPUT $<TARGET_FILE_DIR:pvbench>/pvbench-srcdir CONTENT "${CMAKE_SOURCE_DIR}\n")

set(PVB_INSTALL_DATA ${CMAKE_INSTALL_DATADIR}/pvbench)
install(TARGETS pvbench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY plots/ DESTINATION ${PVB_INSTALL_DATA}/plots)
install(DIRECTORY workloads/load workloads/sweeps workloads/fleets
  DESTINATION ${PVB_INSTALL_DATA}/workloads)
# Sealing the s390x payload (s390x builds install the payload: workloads/s390x).
install(PROGRAMS scripts/se-seal.sh DESTINATION ${PVB_INSTALL_DATA}/scripts)

# Man pages and completion: only where the built binary runs on the build host (a cross
# build, e.g. s390x, leaves them out).
if(NOT CMAKE_CROSSCOMPILING)
  set(PVB_MAN_DIR ${CMAKE_BINARY_DIR}/man)
  set(PVB_COMPLETION ${CMAKE_BINARY_DIR}/completion/pvbench)
  add_custom_command(
    OUTPUT ${PVB_MAN_DIR}/pvbench.1 ${PVB_COMPLETION}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${PVB_MAN_DIR}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PVB_MAN_DIR} ${CMAKE_BINARY_DIR}/completion
    COMMAND pvbench help --man-dir ${PVB_MAN_DIR}
    COMMAND pvbench help --completion ${PVB_COMPLETION}
    DEPENDS pvbench
    COMMENT "Man pages and bash completion from the option tables"
    VERBATIM)
  add_custom_target(pvb_docs ALL DEPENDS ${PVB_MAN_DIR}/pvbench.1 ${PVB_COMPLETION})
  install(DIRECTORY ${PVB_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
    FILES_MATCHING PATTERN "*.1")
  install(FILES ${PVB_COMPLETION}
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
endif()
