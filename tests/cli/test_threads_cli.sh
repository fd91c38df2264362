#!/usr/bin/env bash
# Every thread of a reboot at once on the pv-emulated model: several guests (a lane, vCPUs and
# a cleanup thread each), staggered, with the timeline's probe on the sampler, for every
# --cleanup-start point, then SIGINT in the middle. Cheap enough for the ThreadSanitizer build
# (label tsan), where any race report makes pvbench fail. Usage: test_threads_cli.sh PVBENCH
set -u
PVB=${1:?usage: test_threads_cli.sh PATH/TO/pvbench}
T=$(mktemp -d /tmp/pvbench-threads-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"

csv_whole() { # every line of a CSV has the header's field count, and there is a row
	awk -F, '{ gsub(/"[^"]*"/, "q") } NR == 1 { n = NF } NF != n { bad = 1 }
		END { exit bad || NR < 2 }' "$1"
}
rows() { echo $(($(wc -l <"$1/iterations.csv") - 1)); }

G=3
Q="--backend pv-emulated --size 16M --guests $G --stagger 1 --timeline --iterations 3 --warmup 1
	--no-floor --ref-iterations 0 --quiet"

# PREPARE allowed (--mem-limit 4G) for every start point; next-reboot also with it refused.
for cs in aside created alive next-reboot next-reboot/refused; do
	lim="--mem-limit 4G" modes=sync,async want=$((G * 3 * 2))
	case $cs in
	next-reboot*) modes=async want=$((G * 3)) ;;
	esac
	[ "$cs" = next-reboot/refused ] && lim=
	d="$T/${cs%/*}$([ -z "$lim" ] && echo -r)"
	# shellcheck disable=SC2086
	"$PVB" reboot $Q $lim --mode $modes --cleanup-start "${cs%/*}" --out "$d" >/dev/null \
		2>"$d.err"
	rc=$?
	if [ "$rc" -eq 0 ] && csv_whole "$d/iterations.csv" && [ "$(rows "$d")" -eq "$want" ] &&
	   csv_whole "$d/timeline.csv" && jq -e '.status == "complete"' "$d/meta.json" >/dev/null; then
		ok "--guests $G --cleanup-start $cs: $want rows, timeline, complete"
	else
		ko "--guests $G --cleanup-start $cs: rc $rc; $(tail -c 600 "$d.err")"
	fi
done

# SIGINT while every lane and cleanup thread is busy: exit 130, completed rows kept.
"$PVB" reboot $Q --iterations 1000 --mode async --cleanup-start next-reboot --out "$T/int" \
	>/dev/null 2>"$T/int.err" &
signal_after_lines INT $! "$T/int/iterations.csv" 7
rc=$?
if [ "$rc" -eq 130 ] && csv_whole "$T/int/iterations.csv" &&
   jq -e '.status == "interrupted" and .rows >= 6' "$T/int/meta.json" >/dev/null; then
	ok "SIGINT with $G guests: exit 130, $(rows "$T/int") rows kept"
else
	ko "SIGINT with $G guests: rc $rc; $(tail -c 600 "$T/int.err")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
