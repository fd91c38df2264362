#!/bin/bash
# pvbench at git 36bc29922b73, built from a clean checkout; run from the repository root.
R=results/reference/2026-11-25-pv-emulated
P=build/pvbench
$P reboot --backend pv-emulated --size 1G,4G,8G --mode sync,async --iterations 5 --warmup 1 --plot --out $R/sizes
$P reboot --backend pv-emulated --size 4G --mode async --cleanup-start next-reboot --iterations 6 --warmup 1 --no-floor --out $R/next-reboot
$P reboot --backend pv-emulated --size 4G --mode async --order random --pv-misc off --iterations 5 --warmup 1 --no-floor --out $R/misc-off
$P reboot --backend pv-emulated --size 4G --mode async --order random --pv-misc on --iterations 5 --warmup 1 --no-floor --out $R/misc-on
