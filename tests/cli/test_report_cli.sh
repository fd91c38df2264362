#!/usr/bin/env bash
# `pvbench report` and `pvbench compare` as a user meets them, on the committed fixture runs:
# every format renders (txt within 72 columns, html self-contained, json parseable), -o writes
# the file, compare's verdicts and exit 5, and bad input exiting 2 with a clear message.
# Usage: test_report_cli.sh PATH/TO/pvbench PATH/TO/tests/fixtures/runs
set -u
PVB=${1:?usage: test_report_cli.sh PATH/TO/pvbench FIXTURE_RUNS}
R=${2:?usage: test_report_cli.sh PATH/TO/pvbench FIXTURE_RUNS}
T=$(mktemp -d /tmp/pvbench-reportcli-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"

# run NAME ARGS...: pvbench ARGS, stdout in $T/NAME, the exit code in $T/NAME.rc
run() {
	local name=$1
	shift
	"$PVB" "$@" >"$T/$name" 2>"$T/$name.err"
	echo $? >"$T/$name.rc"
}

for fmt in md txt html json; do
	run "r.$fmt" report "$R/emu-base" "$R/emu-sweep" --format "$fmt"
	check "report --format $fmt exits 0 with output" \
		"[ \"\$(cat $T/r.$fmt.rc)\" = 0 ] && [ -s $T/r.$fmt ]"
done
check "report txt: no line over 72 columns" "[ \"\$(awk 'length(\$0) > 72' $T/r.txt | wc -l)\" = 0 ]"
check "report txt: speedup table and warnings" \
	"grep -q 'sync/async' $T/r.txt && grep -q 'pv-emulated is a MODEL' $T/r.txt"
check "report html: inline svg, no http reference" \
	"grep -q '<svg' $T/r.html && ! grep -qi 'http' $T/r.html"
check "report md: tables and methodology" \
	"grep -q '^| point |' $T/r.md && grep -q '^## Methodology' $T/r.md"
check "report json: 3 points (64M unpinned pooled) with the fields tools need" \
	"jq -e '.points | length == 3 and all(.[]; has(\"size_bytes\") and has(\"backend\") and
		has(\"sync_reboot_median_ns\") and has(\"async_reboot_median_ns\") and
		has(\"speedup\") and has(\"speedup_ci95_lo\") and has(\"speedup_ci95_hi\"))' \
		$T/r.json >/dev/null"
run o report "$R/emu-base" --format json -o "$T/out.json"
check "report -o writes the file, nothing on stdout" \
	"[ \"\$(cat $T/o.rc)\" = 0 ] && [ ! -s $T/o ] && jq -e .points $T/out.json >/dev/null"

# compare: itself, the doubled costs, the threshold, exit 5 in the slower direction only
run self compare "$R/emu-base" "$R/emu-base" --format json --fail-on-regression
check "compare a run with itself: every verdict same, exit 0" \
	"[ \"\$(cat $T/self.rc)\" = 0 ] &&
	jq -e '(.rows | length > 0) and all(.rows[]; .verdict == \"same\")' $T/self >/dev/null"
run slow compare "$R/emu-base" "$R/emu-slow" --metric reboot --format json --fail-on-regression
check "compare with doubled costs: slower, p < 0.01, CI above 1, exit 5" \
	"[ \"\$(cat $T/slow.rc)\" = 5 ] &&
	jq -e '[.rows[] | select(.mode == \"sync\")][0] | .verdict == \"slower\" and
		.p_value < 0.01 and .ci95_lo > 1' $T/slow >/dev/null"
check "compare lists what matched nothing" "jq -e '.base_only | length == 1' $T/slow >/dev/null"
run fast compare "$R/emu-slow" "$R/emu-base" --metric reboot --format json --fail-on-regression
check "compare the other way: faster, exit 0" \
	"[ \"\$(cat $T/fast.rc)\" = 0 ] && jq -e 'all(.rows[]; .verdict == \"faster\")' $T/fast >/dev/null"
run fasttxt compare "$R/emu-slow" "$R/emu-base" --metric reboot
check "compare txt: the table and what matched nothing" \
	"grep -q 'new/base' $T/fasttxt && grep -q 'Only in NEW' $T/fasttxt"
run noflag compare "$R/emu-base" "$R/emu-slow" --metric reboot --format md
check "compare without --fail-on-regression exits 0" \
	"[ \"\$(cat $T/noflag.rc)\" = 0 ] && grep -q '| slower |' $T/noflag"

# compare --plot: the CSV, the PNG and SVG with a panel per metric; stdout stays the report
if command -v gnuplot >/dev/null; then
	run cplot compare "$R/emu-base" "$R/emu-slow" --format json --plot "$T/pdir"
	check "compare --plot exits 0 and writes compare.csv, .png and .svg" \
		"[ \"\$(cat $T/cplot.rc)\" = 0 ] && [ -s $T/pdir/compare.csv ] && [ -s $T/pdir/compare.png ] &&
		[ -s $T/pdir/compare.svg ]"
	check "compare --plot: stdout is still the json report, the files named on stderr" \
		"jq -e '.rows | length > 0' $T/cplot >/dev/null && grep -q 'compare.svg' $T/cplot.err"
	check "compare.csv: the header and a row per json row, with ratio, CI, p and verdict" \
		"head -1 $T/pdir/compare.csv | grep -q '^label,.*,ratio,ci95_lo,ci95_hi,p_value,.*verdict' &&
		[ \"\$(( \$(wc -l <$T/pdir/compare.csv) - 1 ))\" = \"\$(jq '.rows | length' $T/cplot)\" ] &&
		grep -q '^64M,67108864,sync,reboot,.*,slower,' $T/pdir/compare.csv"
	check "compare.svg: a panel title per metric and the verdict key" \
		"[ \"\$(grep -oE '>(reboot|cleanup|cleanup_cpu|memory_back|populate) \(lower is better\)<' \
			$T/pdir/compare.svg | sort -u | wc -l)\" = 5 ] &&
		grep -q '>slower<' $T/pdir/compare.svg && grep -q '>same<' $T/pdir/compare.svg"
else
	sk "compare --plot: gnuplot not installed"
fi
mkdir -p "$T/nognuplot"
PATH="$T/nognuplot" "$PVB" compare "$R/emu-base" "$R/emu-base" --plot "$T/plot2" \
	>"$T/ngp" 2>"$T/ngp.err"
echo $? >"$T/ngp.rc"
check "compare --plot without gnuplot: a visible skip, the CSV only, exit 0" \
	"[ \"\$(cat $T/ngp.rc)\" = 0 ] && grep -q 'gnuplot not found' $T/ngp.err && [ -s $T/plot2/compare.csv ] &&
	[ ! -e $T/plot2/compare.png ]"
mkdir -p "$T/mdout"
run mdplot compare "$R/emu-base" "$R/emu-slow" --metric reboot --format md -o "$T/mdout/c.md" \
	--plot "$T/pdir3"
check "compare md -o with --plot links the PNG relative to the md file" \
	"[ \"\$(cat $T/mdplot.rc)\" = 0 ] && grep -qF '](../pdir3/compare.png)' $T/mdout/c.md"
: >"$T/afile"
expect 2 "--plot .*afile: not a directory" -- compare "$R/emu-base" "$R/emu-base" --plot "$T/afile"
expect 2 "afile/sub" -- compare "$R/emu-base" "$R/emu-base" --plot "$T/afile/sub"

# bad input
mkdir -p "$T/empty" "$T/other"
sed 's/^pv-emulated,67108864,/pv-emulated,134217728,/; s/^pv-emulated,2415919104,/pv-emulated,134217728,/' \
	"$R/emu-base/iterations.csv" >"$T/other/iterations.csv"
cp "$R/emu-base/meta.json" "$T/other/"
expect 2 "not a pvbench results directory" -- report "$T/empty"
expect 2 "no such file" -- report "$T/nonexistent"
expect 2 "report: unknown format 'pdf' \\(md, html, txt or json\\)" -- \
	report "$R/emu-base" --format pdf
expect 2 "report: unrecognized option '--bogus'" -- report "$R/emu-base" --bogus
expect 2 "report: option requires an argument -- 'o'" -- report "$R/emu-base" -o
expect 2 "at least one results directory" -- report
expect 2 "no point in common" -- compare "$R/emu-slow" "$T/other"
expect 2 "unknown metric 'nonsense'" -- compare "$R/emu-base" "$R/emu-base" --metric nonsense
expect 2 "threshold" -- compare "$R/emu-base" "$R/emu-base" --threshold -3
expect 2 "threshold" -- compare "$R/emu-base" "$R/emu-base" --threshold 5x
expect 2 "alpha" -- compare "$R/emu-base" "$R/emu-base" --alpha 2
expect 2 "compare: unknown format 'html' \\(txt, md or json\\)" -- \
	compare "$R/emu-base" "$R/emu-base" --format html
expect 2 "compare: option '--alpha' requires an argument" -- \
	compare "$R/emu-base" "$R/emu-base" --alpha
expect 2 "two results directories" -- compare "$R/emu-base"
expect 2 "not a pvbench results directory" -- compare "$R/emu-base" "$T/empty"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
