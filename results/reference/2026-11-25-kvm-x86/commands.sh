#!/bin/bash
cd /tmp/meas
P=/tmp/meas/pvbench
$P reboot --size 512M,1G,2G,4G --mode sync,async --iterations 10 --warmup 1 --out anon-plain --plot > anon-plain.log 2>&1
$P reboot --size 512M,1G,2G,4G --mode sync,async --iterations 10 --warmup 1 --scrub --out anon-scrub --plot > anon-scrub.log 2>&1
$P reboot --size 512M,1G,2G,4G --mode sync,async --iterations 10 --warmup 1 --backing thp --out thp-plain --plot > thp-plain.log 2>&1
$P reboot --size 512M,1G,2G,4G --mode sync,async --iterations 10 --warmup 1 --backing thp --scrub --out thp-scrub --plot > thp-scrub.log 2>&1
$P reboot --size 1G --vcpus 1,2 --mode sync,async --iterations 5 --warmup 1 --out vcpus --plot > vcpus.log 2>&1
echo done > all.done
