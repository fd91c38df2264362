#!/usr/bin/env bash
# The test command: installs dependencies, checks the style (scripts/check-format.sh),
# builds with warnings as errors (plain and with ASan/UBSan) and runs every test with CTest,
# then the threaded tests under ThreadSanitizer and every libFuzzer target for 15 s.
# Tests that need /dev/kvm (label kvm) are reported as skipped without it, then run again
# inside a software-emulated VM that has it (scripts/vmtest.sh; PVB_SKIP_VMTEST=1 leaves
# that out).
# Then the s390x (IBM Z) cross build, its tests under qemu-user (scripts/s390x-test.sh);
# PVB_SKIP_S390X=1 leaves that out.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/check-format.sh
scripts/build.sh build -DPVB_WERROR=ON
scripts/package.sh build # the DEB and the RPM (CPack) from the plain build
(cd build && ctest --output-on-failure)
if [ -c /dev/kvm ] || [ "${PVB_SKIP_VMTEST:-0}" = 1 ]; then
	echo "vmtest: not needed (/dev/kvm here) or skipped (PVB_SKIP_VMTEST=1)"
else
	# One emulated CPU: with two, the emulator's nested SVM has hung the VM (both CPUs stuck).
	rc=0
	scripts/vmtest.sh --smp 1 --mem 4G --timeout 1800 \
		bash -c 'cd build && ctest -L kvm --output-on-failure' || rc=$?
	case $rc in
	0) ;;
	4) echo "vmtest: SKIPPED, no VM with /dev/kvm can run here (see above)" ;;
	*) exit "$rc" ;;
	esac
fi
scripts/build.sh build-asan -DPVB_SANITIZE=ON -DPVB_WERROR=ON
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure)
# ThreadSanitizer on the threaded tests (label tsan): any report fails the test.
scripts/build.sh build-tsan -DPVB_TSAN=ON -DPVB_WERROR=ON
(cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	ctest -L tsan --output-on-failure)
scripts/fuzz.sh 15 # every libFuzzer target for 15 s (tests/fuzz)
if [ "${PVB_SKIP_S390X:-0}" = 1 ]; then
	echo "s390x: skipped (PVB_SKIP_S390X=1)"
else
	scripts/s390x-test.sh
fi
