#!/usr/bin/env bash
# `pvbench stress` on the kvm backend: real VMs, every fault that applies (kill, interrupt,
# memory-pressure, cpu-starve, storm), the leftover check on killed workers (no process, no
# kvm-vm file descriptor left), memory back, rows; 0 violations. Exits 77 (skipped) without a
# KVM guest (CI runs it inside scripts/vmtest.sh on hosts without /dev/kvm).
# Usage: test_stress_kvm.sh PATH/TO/pvbench
set -u
PVB=${1:?usage: test_stress_kvm.sh PATH/TO/pvbench}
T=$(mktemp -d /tmp/pvbench-stress-kvm-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"

if ! "$PVB" reboot --size 2M --iterations 1 --warmup 0 --no-floor --no-floor-loaded \
	--ref-iterations 0 --mode sync --out "$T/probe" --quiet >/dev/null 2>&1; then
	echo "SKIP: no KVM guest can run here"
	exit 77
fi

"$PVB" stress --backend kvm --size 16M,32M --guests 2 --reboots 40 --seed 7 --out "$T/s" \
	>"$T/s.out" 2>"$T/s.err"
rc=$?
check "kvm stress exits 0 (got $rc: $(tail -c 300 "$T/s.err"))" '[ "$rc" -eq 0 ]'
J=$T/s/stress.json
check "stress.json: >= 40 reboots, 0 violations, complete: $(jq -c '{reboots, violations, status}' "$J")" \
	'jq -e ".reboots >= 40 and .violations == 0 and .status == \"complete\"" "$J" >/dev/null'
check "faults landed: $(jq -c .faults "$J")" \
	'jq -e "[.faults[]] | add >= 3" "$J" >/dev/null'
check "leftover and memory-back checks ran on killed workers: $(jq -c .checks "$J")" \
	'jq -e ".checks.leftovers >= 1 and .checks[\"memory-back\"] >= 1 and .checks[\"old-data\"] >= 1" "$J" >/dev/null'
check "the verdict line" 'grep -q "^verdict: pass (0 violations)" "$T/s.out"'
grep ",violation," "$T/s/events.csv" | sed 's/^/violation: /'
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
