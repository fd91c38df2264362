#!/usr/bin/env bash
# `pvbench plan` as a user meets it, on the committed pv-emulated runs and fleet files: the
# txt and json answers, --check's checks, -o, and bad input exiting 2 with a clear message
# (a fleet file with an unknown key, a size the models cannot reach, a directory that is not
# a run, no --fleet).
# Usage: test_plan_cli.sh PATH/TO/pvbench PATH/TO/tests/fixtures PATH/TO/workloads/fleets
set -u
PVB=${1:?usage: test_plan_cli.sh PATH/TO/pvbench FIXTURES FLEETS}
F=${2:?usage: test_plan_cli.sh PATH/TO/pvbench FIXTURES FLEETS}
W=${3:?usage: test_plan_cli.sh PATH/TO/pvbench FIXTURES FLEETS}
T=$(mktemp -d /tmp/pvbench-plancli-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"
M="$F/runs/plan-model"

"$PVB" plan --model "$M" --fleet "$F/fleets/small.ini" >"$T/txt" 2>"$T/txt.err"
check "plan txt exits 0: models, classes, storm, fit, extrapolated inputs" \
	"[ \$? = 0 ] && grep -q '^Models: pv-emulated' $T/txt && grep -q '^web ' $T/txt &&
	 grep -q '^Storm: 4 guests of class web' $T/txt && grep -q '^The host fits' $T/txt &&
	 grep -q 'class db: async reboot_ns at 512M extrapolated' $T/txt"
"$PVB" plan --model "$M" --fleet "$F/fleets/small.ini" --check "$F/runs/plan-g2" \
	--format json -o "$T/plan.json" >"$T/o" 2>"$T/o.err"
check "plan json -o: the file, nothing on stdout" "[ \$? = 0 ] && [ ! -s $T/o ] && [ -s $T/plan.json ]"
check "plan json: classes, storm, memory, cpu, fits, extrapolated" \
	"jq -e '.fleet | (.classes | length == 2) and (.storm.drain_ns > 0) and
		(.memory.fits == true) and (.cpu.fits == true) and (.fits == true) and
		(.extrapolated | length >= 4)' $T/plan.json >/dev/null"
check "plan json: checks with figure, predicted, measured, rel_error" \
	"jq -e '.checks | length == 4 and all(.[]; has(\"figure\") and has(\"predicted\") and
		has(\"measured\") and has(\"rel_error\"))' $T/plan.json >/dev/null"
"$PVB" plan --model "$M" --check "$F/runs/plan-g4" >"$T/ck" 2>"$T/ck.err"
check "plan --check without a fleet: the check table" \
	"[ \$? = 0 ] && grep -q '128M async guests=4    cleanup_cpu_ns' $T/ck"

expect 2 "unknown-key.ini:8: unknown key 'reboot_per_hour' in \[class web\]" -- \
	plan --model "$M" --fleet "$F/fleets/unknown-key.ini"
expect 2 "class big: size 16G is beyond what the models reach.*at most 4x" -- \
	plan --model "$M" --fleet "$F/fleets/unreachable.ini"
expect 2 "no single-guest point with cleanup_threads = 1 and placement same-package" -- \
	plan --model "$M" --fleet "$W/z16-lpar.ini" --format json
expect 2 "not a pvbench results directory" -- plan --model "$F/fleets" --fleet "$F/fleets/small.ini"
expect 2 "not a pvbench results directory" -- plan --model "$M" --check "$F/fleets"
expect 2 "no sync or async rows with guests > 1" -- plan --model "$M" --check "$M"
expect 2 "give --model DIR and --fleet FILE" -- plan --model "$M"
expect 2 "give --model DIR and --fleet FILE" -- plan --fleet "$F/fleets/small.ini"
expect 2 "no-such.ini" -- plan --model "$M" --fleet "$T/no-such.ini"
expect 2 "unknown format 'md' \\(txt or json\\)" -- \
	plan --model "$M" --fleet "$F/fleets/small.ini" --format md
expect 2 "plan: unrecognized option '--bogus'" -- plan --model "$M" --bogus
"$PVB" plan --help >"$T/help" 2>&1
check "plan --help exits 0 and documents --fleet" "[ \$? = 0 ] && grep -q -- '--fleet FILE' $T/help"

echo "test_plan_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
