#!/usr/bin/env bash
# Kernel counters, thread names and trace markers on the pv-emulated model: vmstat_* columns
# are non-negative integers (or empty for a field meta.json calls absent) and page faults move
# while the new guest populates; with --perf each counter is counted for every thread role
# or skipped with a reason; the threads of a running reboot carry their pvb- names; phase
# boundaries reach tracefs's trace buffer, or the skip is said. Usage: test_counters_cli.sh
# PVBENCH
set -u
PVB=${1:?usage: test_counters_cli.sh PATH/TO/pvbench}
T=$(mktemp -d /tmp/pvbench-counters-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"

# col DIR NAME: the values of column NAME of DIR/iterations.csv, one a line (empty kept)
col() {
	awk -F, -v want="$2" '{ gsub(/"[^"]*"/, "q") } # quoted lists hold commas
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i; next }
		{ print (c ? $c : "MISSING") }' "$1/iterations.csv"
}
all_uint() { ! col "$1" "$2" | grep -qvE '^[0-9]+$'; } # every row a non-negative integer
all_empty() { ! col "$1" "$2" | grep -q .; }
all_pos() { all_uint "$1" "$2" && ! col "$1" "$2" | grep -qE '^0+$'; }

# discard: the model gives a destroyed guest's memory back, so every populate faults it in
printf '[features]\ndiscard = 1\n' >"$T/costs.ini"
Q="--backend pv-emulated --size 16M --mem-limit 4G --pv-costs $T/costs.ini --iterations 2
	--warmup 1 --no-floor --ref-iterations 0 --quiet"

# shellcheck disable=SC2086
"$PVB" reboot $Q --mode sync,async --perf --trace-marker --out "$T/p" >/dev/null 2>"$T/p.err"
rc=$?
check "--perf --trace-marker run: exit 0 ($(tail -c 300 "$T/p.err"))" "[ $rc -eq 0 ]"

# vmstat: every field filled with an integer, or empty in every row and named absent
bad=
for f in pgfault pgmajfault thp_fault_alloc thp_fault_fallback compact_stall compact_success \
	allocstall pgscan_direct pgsteal_direct pgfree numa_hit numa_miss numa_foreign; do
	if jq -e --arg f "$f" '.vmstat.absent | index($f)' "$T/p/meta.json" >/dev/null; then
		all_empty "$T/p" "vmstat_reboot_$f" && all_empty "$T/p" "vmstat_cleanup_$f" ||
			bad="$bad $f(absent but filled)"
	else
		all_uint "$T/p" "vmstat_reboot_$f" && all_uint "$T/p" "vmstat_cleanup_$f" &&
			all_uint "$T/p" "vmstat_crit_$f" || bad="$bad $f"
	fi
done
check "vmstat_reboot_*, vmstat_cleanup_*, vmstat_crit_*: integers or absent${bad:+ (not:$bad)}" \
	"[ -z '$bad' ]"
check "vmstat_reboot_pgfault > 0 in every row (the populate faults)" \
	"all_pos '$T/p' vmstat_reboot_pgfault"

# vmstat_crit_ (request, or a floor's create, to alive): in the floors' rows too; report's
# table of the counters that moved names counters or says none, per point
# shellcheck disable=SC2086
"$PVB" reboot ${Q/--no-floor/} --mode sync,async --iterations 1 --floor-gap 0 --out "$T/f" \
	>/dev/null 2>&1
check "vmstat_crit_pgfault, vmstat_crit_pgfree: integers in every row, floors included" \
	"[ \$(grep -c ',floor' '$T/f/iterations.csv') -ge 2 ] &&
	 all_uint '$T/f' vmstat_crit_pgfault && all_uint '$T/f' vmstat_crit_pgfree"
"$PVB" report "$T/f" --format md -o "$T/f.md" 2>/dev/null
"$PVB" report "$T/f" --format json -o "$T/f.json" 2>/dev/null
check "report: the counters that moved, a row per point (counters or 'none')" \
	"grep -A6 'kernel counters that moved' '$T/f.md' |
	 grep -qE '^. 16M . ([a-z_]+ [-+][0-9.]+[kM]?(, |  *.)|none  *.)'"
check "report json: where.floor and where.sync_cleanup carry the vmstat medians" \
	"jq -e '.points[0].where | (.floor.vmstat_crit_pgfault | numbers) and
	 (.async.vmstat_crit_pgfree | numbers) and (.sync_cleanup.vmstat_cleanup_pgfree | numbers)' \
	 '$T/f.json' >/dev/null"

# perf: 7 counters, each available (filled for vcpu, main, cleanup) or skipped with a reason
n=$(jq '(.perf.available | length) + (.perf.skipped | length)' "$T/p/meta.json")
check "meta.json perf: $n counters, available or skipped" "[ '$n' = 7 ]"
bad=
for c in $(jq -r '.perf.available[]' "$T/p/meta.json"); do
	for role in vcpu main cleanup; do
		all_uint "$T/p" "perf_${role}_$c" || bad="$bad perf_${role}_$c"
	done
done
for c in $(jq -r '.perf.skipped | keys[]' "$T/p/meta.json"); do
	jq -e --arg c "$c" '.perf.skipped[$c] | length > 0' "$T/p/meta.json" >/dev/null ||
		bad="$bad $c(no reason)"
	for role in vcpu main cleanup; do
		all_empty "$T/p" "perf_${role}_$c" || bad="$bad perf_${role}_$c(skipped but filled)"
	done
	grep -q -- "--perf: skipped.*$c" "$T/p.err" || bad="$bad $c(not said on stderr)"
done
check "perf_* columns: available ones filled, skipped ones empty with a reason${bad:+ (not:$bad)}" \
	"[ -z '$bad' ]"
if jq -e '.perf.available | index("page_faults")' "$T/p/meta.json" >/dev/null; then
	check "perf_vcpu_page_faults > 0 (populate) and perf_vcpu_task_clock > 0" \
		"all_pos '$T/p' perf_vcpu_page_faults && all_pos '$T/p' perf_vcpu_task_clock"
else
	sk "perf_vcpu_page_faults: page_faults skipped here"
fi

# without --perf: no perf columns, and meta.json says it was off
# shellcheck disable=SC2086
"$PVB" reboot $Q --mode sync --iterations 1 --out "$T/n" >/dev/null 2>"$T/n.err"
check "no --perf: perf columns empty, perf.enabled false" \
	"all_empty '$T/n' perf_main_task_clock && all_empty '$T/n' perf_scaled &&
	 jq -e '.perf.enabled == false' '$T/n/meta.json' >/dev/null &&
	 all_uint '$T/n' vmstat_reboot_pgfault"

# trace markers: in the trace buffer, or skipped with the reason (meta.json and stderr)
if jq -e '.trace_marker.path' "$T/p/meta.json" >/dev/null; then
	tr=$(dirname "$(jq -r '.trace_marker.path' "$T/p/meta.json")")
	if [ "$(cat "$tr/tracing_on" 2>/dev/null)" = 1 ]; then
		check "--trace-marker: the phase boundaries are in $tr/trace" \
			"grep -q 'pvb: g0 it1 create begin' '$tr/trace' &&
			 grep -q 'pvb: g0 cleanup end' '$tr/trace' &&
			 jq -e '.trace_marker.written > 0 and .trace_marker.failed == 0' \
				'$T/p/meta.json' >/dev/null"
	else
		sk "--trace-marker: tracing is off in $tr (the markers were opened, not kept)"
	fi
else
	check "--trace-marker: skipped with a reason (meta.json, stderr)" \
		"jq -e '.trace_marker.skipped | length > 0' '$T/p/meta.json' >/dev/null &&
		 grep -q -- '--trace-marker: skipped' '$T/p.err'"
fi

# thread names: read /proc/PID/task/*/comm of a running reboot, then SIGINT it
# shellcheck disable=SC2086
"$PVB" reboot $Q --mode async --iterations 200 --out "$T/t" >/dev/null 2>"$T/t.err" &
pid=$!
seen=
for _ in $(seq 100); do
	seen=$(cat /proc/$pid/task/*/comm 2>/dev/null | sort -u | tr '\n' ' ')
	case $seen in *pvb-lane0*pvb-vcpu0.0*) break ;; esac
	sleep 0.1
done
kill -INT "$pid"
wait "$pid"
rc=$?
want="pvb-clean0 pvb-lane0 pvb-sampler pvb-vcpu0.0"
miss=
for w in $want; do case " $seen " in *" $w "*) ;; *) miss="$miss $w" ;; esac; done
check "thread names of a running reboot: $want (seen: $seen)" "[ -z '$miss' ]"
check "SIGINT: exit 130, meta.json records the long-lived threads' TIDs" \
	"[ $rc -eq 130 ] && jq -e '[.threads.recorded[].name] | (index(\"pvb-clean0\") and
		index(\"pvb-sampler\") and index(\"pvb-lane0\")) != null' '$T/t/meta.json' >/dev/null &&
	 jq -e '.threads.patterns[\"pvb-vcpu<g>.<i>\"]' '$T/t/meta.json' >/dev/null"

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
