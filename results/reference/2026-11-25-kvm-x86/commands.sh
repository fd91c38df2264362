#!/bin/bash
cd /tmp/meas
P=/tmp/meas/pvbench
$P reboot --size 512M,1G,2G,4G --mode sync,async --iterations 10 --warmup 1 --out anon-plain --plot > anon-plain.log 2>&1
$P reboot --size 512M,1G,2G,4G --mode sync,async --iterations 10 --warmup 1 --scrub --out anon-scrub --plot > anon-scrub.log 2>&1
$P reboot --size 512M,1G,2G,4G --mode sync,async --iterations 10 --warmup 1 --backing thp --out thp-plain --plot > thp-plain.log 2>&1
$P reboot --size 512M,1G,2G,4G --mode sync,async --iterations 10 --warmup 1 --backing thp --scrub --out thp-scrub --plot > thp-scrub.log 2>&1
$P reboot --size 1G --vcpus 1,2 --mode sync,async --iterations 5 --warmup 1 --out vcpus --plot > vcpus.log 2>&1
echo done > all.done

# 2026-11-28: derived again from the unchanged iterations.csv (no new measurement), from the
# repository root with the session's binary:
#   for d in anon-plain anon-scrub thp-plain thp-scrub vcpus envelope interference memback threads; do
#     build/pvbench summarize $R/$d; build/pvbench plot $R/$d
#     build/pvbench report $R/$d --format md -o $R/$d/report.md
#   done
#   build/pvbench compare $R/thp-plain $R/anon-plain --metric reboot,cleanup,cleanup_cpu \
#     --format md -o $R/compare-thp-anon.md --plot $R/compare-thp-anon
# with R=results/reference/2026-11-25-kvm-x86
