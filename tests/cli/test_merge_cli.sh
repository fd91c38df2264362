#!/usr/bin/env bash
# `pvbench merge` as a user meets it: a fresh run and a sweep under two host labels (the
# pv-emulated model, a second each) and the two-host fixtures merged; report on the merged set
# keys points by host, compare takes OUT/HOST_A OUT/HOST_B; the rows carry run_id and host;
# bad input exits 2 and leaves no OUT.
# Usage: test_merge_cli.sh PATH/TO/pvbench PATH/TO/tests/fixtures
set -u
PVB=${1:?usage: test_merge_cli.sh PATH/TO/pvbench FIXTURES}
F=${2:?usage: test_merge_cli.sh PATH/TO/pvbench FIXTURES}
T=$(mktemp -d /tmp/pvbench-mergecli-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"
R=$F/runs

# A run and a sweep of this build: every row has run_id and host, meta/sweep.json the same.
"$PVB" reboot --backend pv-emulated --size 8M --mode sync,async --iterations 3 --warmup 0 \
	--no-floor --ref-iterations 0 --timeline --host-label lab-1 --out "$T/run" --quiet \
	>/dev/null 2>"$T/run.err"
check "reboot --host-label exits 0" "[ $? = 0 ]"
id=$(sed -n 's/.*"run_id": "\(.*\)".*/\1/p' "$T/run/meta.json" | head -1)
check "meta.json: schema_version, run_id, start, end, duration, cmdline" \
	"grep -q '\"schema_version\": 1' $T/run/meta.json && [ -n '$id' ] &&
	 grep -q '\"ended_utc\": \"20' $T/run/meta.json && grep -q '\"duration_s\": [0-9]' $T/run/meta.json &&
	 grep -q '\"cmdline\"' $T/run/meta.json"
check "every iterations.csv row: run_id $id, host lab-1" \
	"awk -F, 'NR == 1 { if (\$(NF-1) != \"run_id\" || \$NF != \"host\") exit 1; next }
	  \$(NF-1) != \"$id\" || \$NF != \"lab-1\" { exit 1 }' $T/run/iterations.csv"
check "every timeline.csv row: host lab-1" \
	"awk -F, 'NR > 1 && \$NF != \"lab-1\" { exit 1 }' $T/run/timeline.csv"
check "summary.json beside summary.csv" \
	"grep -q '\"speedups\"' $T/run/summary.json && grep -q '\"schema_version\": 1' $T/run/summary.json"
"$PVB" sweep "$F/fleet/tiny.ini" --host-label lab-2 --out "$T/sweep" --quiet >/dev/null 2>&1
sid=$(sed -n 's/.*"run_id": "\(.*\)".*/\1/p' "$T/sweep/sweep.json" | head -1)
check "sweep --host-label: sweep.json's run_id $sid in every row" \
	"[ -n '$sid' ] && awk -F, 'NR > 1 && (\$(NF-1) != \"$sid\" || \$NF != \"lab-2\") { exit 1 }' \
	 $T/sweep/iterations.csv && grep -q '\"host_label\": \"lab-2\"' $T/sweep/points/0.json"
expect 2 "host-label.*not a label" -- reboot --backend pv-emulated --host-label "a/b"
expect 2 "host-label" -- sweep "$F/fleet/tiny.ini" --host-label "-x" --dry-run

# merge: both runs, report keys points by host, compare host against host.
"$PVB" merge "$T/run" "$T/sweep" -o "$T/m" >/dev/null 2>"$T/m.err"
check "merge a run and a sweep exits 0" "[ $? = 0 ] && [ -f $T/m/merged.json ]"
check "merged layout: HOST/RUN_ID copies and per-host merged.json" \
	"[ -f $T/m/lab-1/$id/meta.json ] && [ -f $T/m/lab-1/merged.json ] && [ -f $T/m/lab-2/merged.json ]"
check "merged iterations.csv: both hosts" \
	"[ \"\$(awk -F, 'NR > 1 { print \$NF }' $T/m/iterations.csv | sort -u | tr '\n' ' ')\" = 'lab-1 lab-2 ' ]"
"$PVB" report "$T/m" --format txt >"$T/rep" 2>"$T/rep.err"
check "report MERGED: exits 0, points keyed by host" \
	"[ $? = 0 ] && grep -q 'host=lab-1' $T/rep && grep -q 'host=lab-2' $T/rep"
"$PVB" report "$T/m" --format json >"$T/rep.json" 2>/dev/null
check "report MERGED json: host in every point" "grep -q '\"host\": \"lab-2\"' $T/rep.json"
"$PVB" compare "$T/m/lab-1" "$T/m/lab-2" --format txt >"$T/cmp" 2>"$T/cmp.err"
check "compare MERGED/lab-1 MERGED/lab-2: across host, a matched point" \
	"[ $? = 0 ] && grep -q 'Compared across host: BASE lab-1, NEW lab-2' $T/cmp && grep -q '1 matched point' $T/cmp"

expect 2 "several hosts" -- summarize "$T/m"

# The committed two-host fixtures, and the readers on old runs.
"$PVB" merge "$R/fleet-lpar-a" "$R/fleet-lpar-b" -o "$T/f" >/dev/null 2>&1
check "merge the two-host fixtures" "[ $? = 0 ] && [ -d $T/f/lpar-a ] && [ -d $T/f/lpar-b ]"
"$PVB" report "$R/emu-base" "$R/emu-sweep" --format txt >"$T/old" 2>&1
check "report still reads old runs (no run_id, no host)" "[ $? = 0 ] && ! grep -q 'host=' $T/old"
"$PVB" summarize "$R/emu-base" >/dev/null 2>&1 || true
"$PVB" compare "$R/emu-base" "$R/emu-slow" --format txt >/dev/null 2>&1
check "compare still reads old runs" "[ $? = 0 ]"

# Bad input: exit 2, a clear message, no OUT left.
expect 2 "schema versions differ" -- merge "$R/fleet-lpar-a" "$R/emu-base" -o "$T/x"
expect 2 "given twice.*--skip-duplicates" -- merge "$R/fleet-lpar-a" "$R/fleet-lpar-a" -o "$T/x"
expect 2 "not a pvbench run, sweep or merged set" -- merge "$R" -o "$T/x"
expect 2 "No such file" -- merge "$T/nonexistent" -o "$T/x"
expect 2 "-o OUT" -- merge "$R/fleet-lpar-a"
expect 2 "not empty" -- merge "$R/fleet-lpar-a" -o "$T/m"
check "no OUT left by a refused merge" "[ ! -e $T/x ] && ! ls -d $T/x.partial-* >/dev/null 2>&1"
"$PVB" merge "$R/fleet-lpar-a" "$R/fleet-lpar-a" --skip-duplicates -o "$T/x" >/dev/null 2>"$T/x.err"
check "--skip-duplicates keeps the first" "[ $? = 0 ] && grep -q 'skipped' $T/x.err"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
