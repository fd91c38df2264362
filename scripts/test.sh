#!/usr/bin/env bash
# The test command: installs dependencies, builds (plain and with ASan/UBSan) and runs
# every test with CTest. Tests that need /dev/kvm are reported as skipped without it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build
(cd build && ctest --output-on-failure)
scripts/build.sh build-asan -DPVB_SANITIZE=ON
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure)
