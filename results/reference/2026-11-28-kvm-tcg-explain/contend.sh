#!/bin/bash
# Does the lane block while the old guest's cleanup runs beside the create (aside), or is it
# only slowed? --perf's context switches of the lane over the critical path, async with
# aside against async with alive, THP and 4 KiB at 1G. Like commands.sh, after large.sh, alone.
set -u
R=results/reference/2026-11-28-kvm-tcg-explain
P=build-vmtest/explainbin/pvbench
if [ "${PVB_VMTEST:-}" != tcg ]; then
	scripts/vmtest.sh --smp 2 --tcg-thread single --mem 6G --timeout 1800 \
		env CONTEND_PINNED=${CONTEND_PINNED:-0} bash $R/contend.sh
	for d in $R/contend-*/; do
		[ -f $d/meta.json ] && $P report $d --format md -o $d/report.md
	done
	exit 0
fi
run() { # NAME ARGS...: one reboot run, what it printed in NAME/output.txt
	local n=$1; shift
	rm -rf "$R/$n"; mkdir -p "$R/$n"
	$P reboot "$@" --out "$R/$n" >"$R/$n.log" 2>&1
	echo "$n: exit $?" >>"$R/$n.log"
	mv "$R/$n.log" "$R/$n/output.txt"
}
W="--mode async --perf --no-floor --no-floor-loaded --iterations 6 --warmup 1 --ref-iterations 0"
if [ "${CONTEND_PINNED:-0}" != 1 ]; then
run contend-thp-aside --size 1G --backing thp --cleanup-start aside $W
run contend-thp-alive --size 1G --backing thp --cleanup-start alive $W
run contend-anon-aside --size 1G --cleanup-start aside $W
run contend-anon-alive --size 1G --cleanup-start alive $W
fi
# CONTEND_PINNED=1 (run after the above): the 4 KiB pair again with the cleanup thread pinned to
# the other emulated CPU (vCPU 0 on CPU 0), so that the lane never waits behind it on one run
# queue
if [ "${CONTEND_PINNED:-0}" = 1 ]; then
run contend-anon-aside-pinned --size 1G --cleanup-start aside --cleanup-cpu 1 $W
run contend-anon-alive-pinned --size 1G --cleanup-start alive --cleanup-cpu 1 $W
fi
