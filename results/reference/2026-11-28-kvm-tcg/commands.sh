#!/bin/bash
# How the runs in this directory were made: the kvm backend inside scripts/vmtest.sh (QEMU
# 7.2 TCG, -cpu max with nested SVM, 2 emulated CPUs on one host thread (--tcg-thread single), 12 GiB; Debian's 6.1 kernel with
# kvm-amd) on a host without /dev/kvm, one run per VM boot, one at a time, from the
# repository root. pvbench: the git revision in each meta.json.
set -u
R=results/reference/2026-11-28-kvm-tcg
VM="scripts/vmtest.sh --smp 2 --tcg-thread single --mem 12G --timeout 1200"
P=build/pvbench
run() { # NAME ARGS...: one reboot run, what it printed in NAME/output.txt
	local n=$1; shift
	local rc try
	for try in 1 2; do # with two emulated CPUs QEMU's nested SVM has hung the VM: once more
		rm -rf "$R/$n"
		$VM $P reboot "$@" --plot --out "$R/$n" >"$R/$n.log" 2>&1
		rc=$?
		echo "$n: exit $rc (try $try)"
		[ $rc = 124 ] || break
	done
	mkdir -p "$R/$n" && grep -v '^\[ *[0-9.]*\] ' "$R/$n.log" >"$R/$n/output.txt"; rm -f "$R/$n.log"
}
$VM $P info >$R/info.txt 2>&1
A="--mode sync,async --iterations 6 --warmup 1 --no-floor-loaded"
run anon-plain --size 256M,1G $A
run thp-plain --size 256M,1G $A --backing thp
# plan --check: several guests rebooting together, async, THP
G="--mode async --iterations 6 --warmup 1 --no-floor --no-floor-loaded --backing thp"
run guests-2 --size 256M,1G --guests 2 $G
run guests-4 --size 256M --guests 4 $G
run anon-scrub --size 256M,1G $A --scrub
run thp-scrub --size 256M,1G $A --backing thp --scrub
for d in anon-plain anon-scrub thp-plain thp-scrub guests-2 guests-4; do
	$P report $R/$d --format md -o $R/$d/report.md
done
$P compare $R/anon-plain $R/thp-plain --metric reboot,cleanup,cleanup_cpu \
	--format md -o $R/compare-thp-anon.md --plot $R/compare-thp-anon
$P compare $R/anon-plain $R/anon-plain --format txt >$R/compare-self.txt
for g in 2 4; do
	$P plan --model $R/thp-plain --check $R/guests-$g >$R/plan-check-guests-$g.txt
done
# The largest THP sizes this VM holds (an old and a new 4 GiB guest at once), after the rest:
run thp-large --size 2G,4G $A --backing thp
$P report $R/thp-large --format md -o $R/thp-large/report.md
