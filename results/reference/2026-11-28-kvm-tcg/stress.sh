#!/bin/bash
# pvbench stress on the kvm backend inside scripts/vmtest.sh (one emulated CPU, 4 GiB):
# 10 minutes (STRESS_HOUR=1: then one hour), every fault that applies to kvm, default sizes
# (64M..512M). Ran beside the reference runs of commands.sh (their VM on one host thread,
# this one on the other).
set -u
R=results/reference/2026-11-28-kvm-tcg
S=build-vmtest/stress
rm -rf $S; mkdir -p $S

# build-vmtest/soakbin: a copy of the binary (made before this script ran), so that rebuilding
# build/ while the hour runs changes nothing
cat >$S/run.sh <<EOS
build-vmtest/soakbin/pvbench stress --backend kvm --duration 10m --seed 11 --out $S/10m >$S/10m.txt 2>&1; echo "10m: exit \$?" >>$S/10m.txt
[ "${STRESS_HOUR:-0}" = 1 ] && build-vmtest/soakbin/pvbench stress --backend kvm --duration 1h --seed 12 --out $S/1h >$S/1h.txt 2>&1; echo "1h: exit \$?" >>$S/1h.txt
EOS
scripts/vmtest.sh --smp 1 --mem 4G --timeout 5400 bash $S/run.sh
for d in 10m 1h; do
	[ -f $S/$d/stress.json ] || continue
	mkdir -p $R/stress-$d
	cp $S/$d/stress.json $R/stress-$d/
	gzip -c $S/$d/events.csv >$R/stress-$d/events.csv.gz
	grep -v '^pvbench stress: [0-9]* s elapsed' $S/$d.txt >$R/stress-$d/output.txt
done
