#!/bin/bash
# Issue 11's kvm figures, as far as an emulated CPU allows: the kvm backend inside
# scripts/vmtest.sh (QEMU 7.2 TCG, -cpu max with nested SVM, 2 emulated CPUs on one host
# thread, 12 GiB; Debian's 6.1 kernel with kvm-amd), all runs in one VM boot, one after the
# other, from the repository root. A second VM (the hour of stress, one emulated CPU) ran
# beside it on the other host CPU. pvbench: a copy of the binary (build-vmtest/explainbin),
# its git revision in each meta.json.
set -u
R=results/reference/2026-11-28-kvm-tcg-explain
P=build-vmtest/explainbin/pvbench
if [ "${PVB_VMTEST:-}" != tcg ]; then # on the host: boot the VM, run this script inside it, then the reports
	scripts/vmtest.sh --smp 2 --tcg-thread single --mem 12G --timeout 7200 bash $R/commands.sh
	for d in $R/*/; do
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
$P info >$R/info.txt 2>&1
W="--iterations 6 --warmup 1"
# THP at 2G and 4G (the largest this VM holds: an old and a new 4 GiB guest at once)
run thp-aside --size 2G,4G --backing thp --mode sync,async $W                       # QEMU's order (default)
run thp-alive --size 2G,4G --backing thp --mode async --cleanup-start alive --no-floor-loaded $W
run thp-slices --size 2G,4G --backing thp --mode sync --release dontneed-slices --no-floor --no-floor-loaded $W
# --perf overhead on the reboot path: the same run without and with it
run perf-off --size 256M --backing thp --mode sync,async --no-floor-loaded --iterations 12 --warmup 1
run perf-on --size 256M --backing thp --mode sync,async --no-floor-loaded --iterations 12 --warmup 1 --perf
# 4 KiB pages at 2G (a 4 KiB populate runs at 0.03-0.05 GiB/s here: about 50 s per reboot)
run anon-aside --size 2G --mode sync,async $W
run anon-alive --size 2G --mode async --cleanup-start alive --no-floor-loaded $W
run anon-slices --size 2G --mode sync --release dontneed-slices --no-floor --no-floor-loaded $W
