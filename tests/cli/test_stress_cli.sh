#!/usr/bin/env bash
# `pvbench stress` on the pv-emulated model: a short clean run exits 0 with valid events.csv
# and stress.json; each --plant is caught by its own check (exit 3); bad input exits 2; SIGINT
# exits 130 within 1 s with valid partial files. Usage: test_stress_cli.sh PATH/TO/pvbench
set -u
PVB=${1:?usage: test_stress_cli.sh PATH/TO/pvbench}
T=$(mktemp -d /tmp/pvbench-stress-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"

Q="--backend pv-emulated --size 64M --quiet"

# Cross-built, pvbench runs under qemu-user: the model is 10-50 times slower there and the
# workers are /proc/self/exe children of the emulator; this test is for native builds.
ARCH=$("$PVB" info --json 2>/dev/null | jq -r '.kernel.machine // empty')
if [ "${ARCH:-$(uname -m)}" != "$(uname -m)" ]; then
	sk "pvbench stress under an emulator ($ARCH on $(uname -m))"
	echo "$pass passed, $fail failed, $skip skipped"
	exit 0
fi

# Every row of an events.csv has its 8 fields (python's csv reader: quotes and all).
events_ok() {
	python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[0][:5] == ["t_mono_ns", "t_wall_utc", "elapsed_s", "worker", "kind"], rows[0]
assert all(len(r) == 8 for r in rows), "a row without 8 fields"
assert all(r[4] in ("reboot", "fault", "check", "worker") for r in rows[1:])' "$1"
}

# Bad input: exit 2 before anything runs.
expect 2 "unknown fault 'bogus'.*perform-interrupt" -- stress $Q --faults kill,bogus --out "$T/b"
expect 2 "duration" -- stress $Q --duration 0 --out "$T/b"
expect 2 "duration" -- stress $Q --duration 5x --out "$T/b"
expect 2 "not both" -- stress $Q --duration 5s --reboots 3 --out "$T/b"
expect 2 "unknown backend 'nope'" -- stress --backend nope --out "$T/b"
expect 2 "plant" -- stress $Q --plant nothing --out "$T/b"
expect 2 "unexpected argument" -- stress $Q extra --out "$T/b"
check "bad input leaves no directory" '[ ! -e "$T/b" ]'

# A clean run: exit 0, every check passed, the files valid.
"$PVB" stress $Q --reboots 12 --guests 2 --seed 5 --out "$T/c" >"$T/c.out" 2>"$T/c.err"
rc=$?
check "clean run exits 0 (got $rc: $(tail -c 300 "$T/c.err"))" '[ "$rc" -eq 0 ]'
check "stress.json: reboots >= 12, 0 violations, complete" \
	'jq -e ".reboots >= 12 and .violations == 0 and .status == \"complete\"
		and (.checks | length) == 8 and (.faults | length) == 7
		and .checks[\"rows\"] >= 1 and .checks[\"model\"] >= 1" "$T/c/stress.json" >/dev/null'
check "events.csv: one row per reboot at least, every row whole" \
	'events_ok "$T/c/events.csv" && [ "$(grep -c ",reboot,row," "$T/c/events.csv")" -ge 12 ]'
check "the final table has a verdict" 'grep -q "^verdict: pass (0 violations)" "$T/c.out"'
# (the same seed drawing the same workers: tests/unit/test_stress.c)

# Kills aimed at phases: a kill-only run lands SIGKILLs in create, populate, cleanup and
# PERFORM (round-robin targets, polled through the worker's phase file), each confirmed by
# the phase its slot held at death; memory back after each, rows intact, no violation.
"$PVB" stress $Q --faults kill --reboots 36 --seed 3 --out "$T/k" >"$T/k.out" 2>"$T/k.err"
rc=$?
check "kill run exits 0 (got $rc: $(tail -c 300 "$T/k.err"))" '[ "$rc" -eq 0 ]'
check "kills landed in create, populate, cleanup and perform: $(jq -c .kills_by_phase "$T/k/stress.json")" \
	'jq -e "[\"create\", \"populate\", \"cleanup\", \"perform\"] | all(. as \$p |
		(\$j.kills_by_phase[\$p] // 0) >= 1 and (\$j.kills.at_death[\$p] // 0) >= 1)" \
		--argjson j "$(cat "$T/k/stress.json")" -n >/dev/null'
check "every kill: memory back within the bound, its rows checked" \
	'jq -e ".kills.memory_back_ms.n == .faults.kill and .kills.memory_back_ms.over_bound == 0
		and .kills.memory_back_ms.max <= 2000 and .violations == 0" "$T/k/stress.json" >/dev/null &&
	 [ "$(grep -c ",check,rows,pass," "$T/k/events.csv")" -ge "$(jq .workers "$T/k/stress.json")" ]'
check "events.csv: each kill names its phase, and where it landed" \
	'events_ok "$T/k/events.csv" &&
	 [ "$(grep -c ",fault,kill,injected,\"\?phase=" "$T/k/events.csv")" -eq "$(jq .faults.kill "$T/k/stress.json")" ] &&
	 [ "$(grep -c ",fault,kill,landed," "$T/k/events.csv")" -eq "$(jq .faults.kill "$T/k/stress.json")" ]'
check "no phase file left behind" '[ -z "$(ls "$T/k/workers" | grep "\.phase$")" ]'

# Each planted defect is caught by its own check: exit 3.
plant() { # KIND CHECK REBOOTS
	local kind=$1 want=$2 rc
	"$PVB" stress $Q --faults kill --plant "$kind" --reboots "$3" --mem-bound 300 \
		--out "$T/p-$kind" \
		>"$T/p.out" 2>"$T/p.err"
	rc=$?
	check "--plant $kind: exit 3 (got $rc), $want violated: $(grep -m1 VIOLATION "$T/p.err")" \
		'[ "$rc" -eq 3 ] && jq -e ".violated[\"$want\"] >= 1" "$T/p-$kind/stress.json" >/dev/null'
}
plant stale-data old-data 1
plant leak-fd drift 12
plant corrupt-row rows 3
plant skip-release memory-back 20

# SIGINT: exit 130 within 1 s, stress.json and events.csv valid and saying so.
"$PVB" stress $Q --duration 1m --out "$T/i" >"$T/i.out" 2>"$T/i.err" &
pid=$!
for _ in $(seq 300); do
	[ "$(grep -c ",reboot,row," "$T/i/events.csv" 2>/dev/null)" -ge 2 ] && break
	sleep 0.1
done
t0=$(date +%s%N)
kill -INT "$pid"
wait "$pid"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
check "SIGINT: exit 130 (got $rc) in $ms ms (<= 1000)" '[ "$rc" -eq 130 ] && [ "$ms" -le 1000 ]'
check "SIGINT: stress.json says interrupted, events.csv whole" \
	'jq -e ".status == \"interrupted\" and .reboots >= 2" "$T/i/stress.json" >/dev/null &&
	 events_ok "$T/i/events.csv"'

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
