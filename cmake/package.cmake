# Packages with CPack (scripts/package.sh runs it on a build tree): a DEB for Debian 12 and an
# RPM whose dependencies are RHEL 9's names. The RPM built on Debian links Debian's libraries;
# for RHEL 9 or SLES 15 (s390x) build on the target from scripts/rpm/pvbench.spec.in (README,
# "Packages"). Included by the top-level CMakeLists.txt.

set(PVB_PACKAGE_LICENSE "GPL-2.0-only" CACHE STRING "License the packages declare")
set(PVB_PACKAGE_MAINTAINER
  "pvbench maintainers <maintainers@users.noreply.r-seed-150a21af.example>"
  CACHE STRING "Maintainer the packages name")

set(CPACK_PACKAGE_NAME pvbench)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "pvbench")
set(CPACK_PACKAGE_CONTACT "${PVB_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "benchmark and stress suite for KVM guest teardown (sync vs async destroy)")
set(CPACK_PACKAGE_DESCRIPTION
  "pvbench reboots KVM guests in a loop and times their destruction, synchronous against
asynchronous, per phase: on x86_64 through /dev/kvm, on s390x for protected (Secure
Execution) guests, or on the pv-emulated model anywhere. It sweeps configurations, renders
gnuplot figures, reports and compares runs with confidence intervals, and plans what a
fleet's reboots cost a host.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR "DEB;RPM")
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)

# Debian 12: the run-time libraries (dpkg-shlibdeps adds their versions and libc), gnuplot for
# the plots, stress-ng for --load.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libhwloc15, libnuma1, libjansson4, libinih1, libgsl27, gnuplot-nox | gnuplot")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "stress-ng")

# RPM: RHEL 9's package names (SLES 15's differ: the spec file picks them).
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "${PVB_PACKAGE_LICENSE}")
set(CPACK_RPM_PACKAGE_GROUP "Development/Tools")
set(CPACK_RPM_PACKAGE_RELEASE 1)
set(CPACK_RPM_PACKAGE_REQUIRES "hwloc-libs, numactl-libs, jansson, inih, gsl, gnuplot")
# A weak dependency for --load (CPack 3.25 has no RECOMMENDS and drops SUGGESTS with rpm 4.18:
# the line goes into the header of the spec it generates).
set(CPACK_RPM_SPEC_MORE_DEFINE "Recommends: stress-ng")
set(CPACK_RPM_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
  /usr/share/man /usr/share/man/man1 /usr/share/bash-completion
  /usr/share/bash-completion/completions)

# The spec file for building on RHEL 9 / SLES 15 from a source tarball: version filled in.
configure_file(${CMAKE_SOURCE_DIR}/scripts/rpm/pvbench.spec.in ${CMAKE_BINARY_DIR}/pvbench.spec
  @ONLY)

include(CPack)
