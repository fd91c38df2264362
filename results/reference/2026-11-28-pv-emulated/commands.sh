#!/bin/bash
# How the runs in this directory were made: pvbench at git 44b2034f1d1d (clean checkout, built
# with `scripts/build.sh build -DPVB_WERROR=ON`), run from the repository root, one run at a
# time. The reports and the comparison (the last lines) were made again by the session's final
# binary (plot links relative to each report, the method note naming the bootstrap's rule).
set -euo pipefail
R=results/reference/2026-11-28-pv-emulated
P=build/pvbench
$P info >$R/info.txt
mkdir -p $R/sizes $R/misc-off $R/misc-on
# What each run printed is in its output.txt.
$P reboot --backend pv-emulated --size 1G,4G,8G --mode sync,async --iterations 10 --warmup 1 \
	--plot --out $R/sizes 2>&1 | tee $R/sizes/output.txt
$P reboot --backend pv-emulated --size 4G --mode async --order random --pv-misc off \
	--iterations 10 --warmup 1 --plot --out $R/misc-off 2>&1 | tee $R/misc-off/output.txt
$P reboot --backend pv-emulated --size 4G --mode async --order random --pv-misc on \
	--iterations 10 --warmup 1 --plot --out $R/misc-on 2>&1 | tee $R/misc-on/output.txt
for d in sizes misc-off misc-on; do
	$P report $R/$d --format md -o $R/$d/report.md
done
$P compare $R/misc-off $R/misc-on --format md -o $R/compare.md --plot $R/compare
