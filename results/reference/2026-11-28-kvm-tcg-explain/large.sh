#!/bin/bash
# THP at 8G, the largest this host holds (an old and a new 8 GiB guest at once in a 20 GiB
# VM, on a 24 GiB host): sync, async with QEMU's order (aside) and the floors, then async with
# alive. Like commands.sh: the kvm backend inside scripts/vmtest.sh (2 emulated CPUs on one
# host thread), from the repository root, after commands.sh, with nothing else running.
set -u
R=results/reference/2026-11-28-kvm-tcg-explain
P=build-vmtest/explainbin/pvbench
if [ "${PVB_VMTEST:-}" != tcg ]; then
	scripts/vmtest.sh --smp 2 --tcg-thread single --mem 20G --timeout 4800 bash $R/large.sh
	for d in $R/thp-8g-*/; do
		[ -f $d/meta.json ] && $P report $d --format md -o $d/report.md
	done
	exit 0
fi
run() { # NAME ARGS...: one reboot run, what it printed in NAME/output.txt
	local n=$1; shift
	rm -rf "$R/$n"; mkdir -p "$R/$n"
	$P reboot "$@" --plot --out "$R/$n" >"$R/$n.log" 2>&1
	echo "$n: exit $?" >>"$R/$n.log"
	mv "$R/$n.log" "$R/$n/output.txt"
}
W="--iterations 6 --warmup 1"
run thp-8g-aside --size 8G --backing thp --mode sync,async $W
run thp-8g-alive --size 8G --backing thp --mode async --cleanup-start alive --no-floor-loaded $W
