# Cross-compile pvbench for s390x (IBM Z) with Debian's gcc-s390x-linux-gnu; CTest runs the
# tests through qemu-user.
#
#   cmake -S . -B build-s390x -DCMAKE_TOOLCHAIN_FILE=cmake/s390x-linux-gnu.cmake \
#         [-DPVB_S390X_SYSROOT=DIR]
#
# The s390x hwloc, numa, jansson, inih and cmocka come from one of two places:
#  - multiarch packages (apt-get install libhwloc-dev:s390x ...): .pc files in
#    /usr/lib/s390x-linux-gnu/pkgconfig. The default.
#  - PVB_S390X_SYSROOT (or the environment variable of that name): a directory the s390x .debs
#    were unpacked into (DIR/usr/include, DIR/usr/lib/s390x-linux-gnu). scripts/s390x-test.sh
#    does this, because on Debian 12 LTS the multiarch packages no longer co-install (see there).
# Either way pkg-config sees only s390x .pc files, never the host's. libc and the kernel
# headers are the cross toolchain's own (/usr/s390x-linux-gnu).

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(PVB_S390X_TRIPLET s390x-linux-gnu)

set(CMAKE_C_COMPILER ${PVB_S390X_TRIPLET}-gcc)
set(CMAKE_ASM_COMPILER ${PVB_S390X_TRIPLET}-gcc)

if(NOT PVB_S390X_SYSROOT AND DEFINED ENV{PVB_S390X_SYSROOT})
  set(PVB_S390X_SYSROOT "$ENV{PVB_S390X_SYSROOT}")
endif()
# The toolchain file is read again for every try_compile project: hand the setting on.
if(NOT "PVB_S390X_SYSROOT" IN_LIST CMAKE_TRY_COMPILE_PLATFORM_VARIABLES)
  list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PVB_S390X_SYSROOT)
endif()

set(CMAKE_FIND_ROOT_PATH /usr/${PVB_S390X_TRIPLET} ${PVB_S390X_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER) # build tools are the host's
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)  # no host CMake package configs

# pkg-config: only the s390x .pc files. PKG_CONFIG_PATH would add host directories in front.
set(ENV{PKG_CONFIG_PATH} "")
set(_pvb_ldflags "")
if(PVB_S390X_SYSROOT)
  set(_pvb_lib ${PVB_S390X_SYSROOT}/usr/lib/${PVB_S390X_TRIPLET})
  set(ENV{PKG_CONFIG_LIBDIR} "${_pvb_lib}/pkgconfig:${PVB_S390X_SYSROOT}/usr/share/pkgconfig")
  set(ENV{PKG_CONFIG_SYSROOT_DIR} "${PVB_S390X_SYSROOT}")
  # Headers Debian puts in the multiarch include directory (hwloc/autogen/config.h), which the
  # .pc files leave to the compiler's default search path; and the libraries' own
  # dependencies (libhwloc needs libudev) for the linker. The executables find the libraries
  # at run time through their build RPATH (DT_RPATH, not RUNPATH, which would not serve the
  # libraries' own dependencies).
  set(CMAKE_C_STANDARD_INCLUDE_DIRECTORIES ${PVB_S390X_SYSROOT}/usr/include/${PVB_S390X_TRIPLET})
  string(APPEND _pvb_ldflags " -Wl,-rpath-link,${_pvb_lib} -Wl,--disable-new-dtags")
else()
  set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${PVB_S390X_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
  unset(ENV{PKG_CONFIG_SYSROOT_DIR})
endif()

# A process that creates KVM guests on s390 needs page tables with PGSTEs: the kernel gives
# them to binaries marked with --s390-pgste (an s390 ld option), or with vm.allocate_pgste.
execute_process(COMMAND ${PVB_S390X_TRIPLET}-ld --help
  OUTPUT_VARIABLE _pvb_ld_help ERROR_QUIET RESULT_VARIABLE _pvb_ld_rc)
if(_pvb_ld_rc EQUAL 0 AND _pvb_ld_help MATCHES "--s390-pgste")
  set(CMAKE_EXE_LINKER_FLAGS_INIT "${_pvb_ldflags} -Wl,--s390-pgste")
else()
  set(CMAKE_EXE_LINKER_FLAGS_INIT "${_pvb_ldflags}")
endif()
set(CMAKE_SHARED_LINKER_FLAGS_INIT "${_pvb_ldflags}")

# Run the tests (and everything else CMake runs from the build) under qemu-user, with the
# cross toolchain's libc as the root for the dynamic loader.
find_program(PVB_QEMU_S390X NAMES qemu-s390x-static qemu-s390x)
if(PVB_QEMU_S390X)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${PVB_QEMU_S390X} -L /usr/${PVB_S390X_TRIPLET})
else()
  message(WARNING "qemu-s390x not found (apt-get install qemu-user-static): the tests cannot run")
endif()
