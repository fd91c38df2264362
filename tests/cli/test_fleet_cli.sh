#!/usr/bin/env bash
# scripts/fleet.sh against this machine under two inventory names (lpar-a, lpar-b; connection
# local) with the tiny pv-emulated sweep: both hosts run, the results come back, the merged set
# has the two hosts and its report renders; --check runs nothing; bad arguments exit 2; the
# playbook and role are ansible-lint clean. Skips (77) without ansible-playbook: CI installs
# ansible-core (scripts/setup.sh). Label: fleet (ctest -LE fleet leaves it out).
# Usage: test_fleet_cli.sh PATH/TO/pvbench SOURCE_DIR
set -u
PVB=${1:?usage: test_fleet_cli.sh PATH/TO/pvbench SOURCE_DIR}
SRC=${2:?usage: test_fleet_cli.sh PATH/TO/pvbench SOURCE_DIR}
if ! command -v ansible-playbook >/dev/null; then
	echo "skip: ansible-playbook is not installed (apt-get install ansible-core, or scripts/setup.sh)"
	exit 77
fi
T=$(mktemp -d /tmp/pvbench-fleetcli-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"
PVB=$(cd "$(dirname "$PVB")" && pwd)/$(basename "$PVB")
FLEET=$SRC/scripts/fleet.sh
INV=$SRC/tests/fixtures/fleet/localhost.ini
SWEEP=$SRC/tests/fixtures/fleet/tiny.ini
export PVBENCH=$PVB

# fl CODE PATTERN -- ARGS: fleet.sh exits CODE with stderr matching PATTERN
fl() {
	local code=$1 pat=$2; shift 3
	"$FLEET" "$@" >"$T/out" 2>"$T/err"
	local rc=$?
	if [ "$rc" -eq "$code" ] && grep -qiE -- "$pat" "$T/err"; then
		ok "fleet.sh $* -> $rc"
	else
		ko "fleet.sh $* -> $rc (want $code, stderr matching '$pat'): $(tail -c 400 "$T/err")"
	fi
}

fl 2 "inventory" -- --sweep "$SWEEP" --out "$T/x"
fl 2 "no such file" -- --inventory "$T/none.ini" --sweep "$SWEEP" --out "$T/x"
fl 2 "one of them" -- --inventory "$INV" --sweep "$SWEEP" --reboot "--size 8M" --out "$T/x"
fl 2 "--parallel" -- --inventory "$INV" --sweep "$SWEEP" --out "$T/x" --parallel 0
fl 2 "leave out --out" -- --inventory "$INV" --reboot "--out /tmp/y" --out "$T/x"
fl 2 "unknown argument" -- --inventory "$INV" --sweep "$SWEEP" --out "$T/x" --bogus

# --check: ansible's dry run, nothing run, nothing fetched; the dependencies' task checks this
# family's list against what is installed (setup.sh installed it: nothing to change)
"$FLEET" --inventory "$INV" --sweep "$SWEEP" --out "$T/check" --pvbench "$PVB" \
	--check >"$T/check.log" 2>&1
check "fleet.sh --check exits 0 and runs nothing" \
	"[ $? = 0 ] && [ ! -d $T/check/fetched ] && grep -q 'nothing was run' $T/check.log"
check "--check: the package list of this family is installed" \
	"grep -A2 'Install the build and run dependencies' $T/check.log | grep -q '^ok: \[lpar-a\]'"

# The fleet run: two hosts one after the other, merged and reported.
start=$(date +%s)
"$FLEET" --inventory "$INV" --sweep "$SWEEP" --out "$T/f" --pvbench "$PVB" --no-deps >"$T/f.log" 2>&1
rc=$?
echo "fleet run: $(($(date +%s) - start)) s"
check "fleet.sh on two localhost aliases exits 0" "[ $rc = 0 ]" || tail -30 "$T/f.log"
check "both hosts' results fetched" "[ -f $T/f/fetched/lpar-a.tar.gz ] && [ -f $T/f/fetched/lpar-b.tar.gz ]"
check "the merged set has the two hosts" \
	"[ -f $T/f/merged/lpar-a/merged.json ] && [ -f $T/f/merged/lpar-b/merged.json ] &&
	 [ \"\$(awk -F, 'NR > 1 { print \$NF }' $T/f/merged/iterations.csv | sort -u | tr '\n' ' ')\" = 'lpar-a lpar-b ' ]"
check "the hosts ran one at a time (serial 1: one batch each)" \
	"[ \"\$(grep -c 'PLAY \\[Run pvbench on the fleet\\]' $T/f.log)\" = 2 ] &&
	 [ \"\$(grep -c 'TASK \[pvbench : Run the sweep or the reboot command\]' $T/f.log)\" = 2 ]"
check "the report renders, points keyed by host" \
	"grep -q 'host=lpar-a' $T/f/report.md && grep -q 'host=lpar-b' $T/f/report.txt"
check "fleet.sh prints the report's headline" "grep -q '^pvbench report: 2 points from 2 runs' $T/f.log"
fl 2 "not empty" -- --inventory "$INV" --sweep "$SWEEP" --out "$T/f"

if command -v ansible-lint >/dev/null; then
	(cd "$SRC/scripts/fleet" && ansible-lint --nocolor) >"$T/lint" 2>&1
	check "ansible-lint clean on scripts/fleet" "[ $? = 0 ]" || cat "$T/lint"
else
	sk "ansible-lint is not installed"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
