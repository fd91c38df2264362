#!/usr/bin/env bash
# The default job: install, build, describe the host, then a short reboot sweep on the
# best backend this host offers, with the summary table and plots. Extra arguments go to
# `pvbench reboot` (e.g. --size 512M,1G,2G --iterations 10).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build
build/pvbench info
# --backend auto: kvm where /dev/kvm works, else the pv-emulated model (it says why).
exec build/pvbench reboot --backend auto --size 256M,512M,1G --mode sync,async --iterations 6 \
	--warmup 1 --plot "$@"
