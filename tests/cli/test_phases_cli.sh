#!/usr/bin/env bash
# Sub-phases, floor_loaded, --release and the default --cleanup-start on the pv-emulated model:
# every row's create_<part>_ns sum to its create_ns and cleanup_<part>_ns to its cleanup_ns
# (sync and async, floor and floor_loaded), floor_loaded rows beside the floor unless
# --no-floor-loaded, the VMM's order (aside) recorded by default in meta.json and the rows,
# --release checked and recorded, and report's "where the time goes" on a new run and on an
# old one (not recorded). Usage: test_phases_cli.sh PATH/TO/pvbench PATH/TO/fixtures/runs
set -u
PVB=${1:?usage: test_phases_cli.sh PATH/TO/pvbench FIXTURE_RUNS}
R=${2:?usage: test_phases_cli.sh PATH/TO/pvbench FIXTURE_RUNS}
T=$(mktemp -d /tmp/pvbench-phases-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"

Q="--backend pv-emulated --warmup 0 --floor-gap 0 --quiet"
# awk's first rule: a quoted CSV field ("0,1") made one field, then the header read
UNQUOTE='{ while (match($0, /"[^"]*"/)) { q = substr($0, RSTART + 1, RLENGTH - 2)
	gsub(/,/, ";", q); $0 = substr($0, 1, RSTART - 1) q substr($0, RSTART + RLENGTH) } }
	NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }'

# parts_bad DIR: rows whose parts do not sum to their phase, or that lack parts where the phase
# is written (printed, one a line; nothing when all is well)
parts_bad() {
	awk -F, "$UNQUOTE"'
	function sum(pfx, names,   n, a, s, i) {
		n = split(names, a, " ")
		for (i = 1; i <= n; i++) {
			if ($h[pfx "_" a[i] "_ns"] == "")
				return -1
			s += $h[pfx "_" a[i] "_ns"]
		}
		return s
	}
	$h["mode"] == "host" { next }
	{
		c = sum("create", "mmap advise memslot vm load")
		if (c != $h["create_ns"])
			print NR ": " $h["mode"] " create_ns " $h["create_ns"] " parts " c
		if ($h["cleanup_ns"] != "") {
			x = sum("cleanup", "vcpu vm memslot scrub release")
			if (x != $h["cleanup_ns"])
				print NR ": " $h["mode"] " cleanup_ns " $h["cleanup_ns"] " parts " x
		}
	}' "$1/iterations.csv"
}
count() { awk -F, -v m="$2" "$UNQUOTE"'
	$h["mode"] == m { n++ } END { print n + 0 }' "$1/iterations.csv"; }
col_values() { awk -F, -v c="$2" "$UNQUOTE"'
	{ print $h[c] }' "$1/iterations.csv" | sort -u | tr '\n' ' '; }

expect 2 "--release: 'exit' is not a release strategy" -- reboot $Q --release exit --out "$T/bad"
expect 2 "--release: 'dontneed-slices:0' is not" -- reboot $Q --release dontneed-slices:0 \
	--out "$T/bad"
check "--help: --release, --no-floor-loaded, aside the default" \
	"'$PVB' reboot --help | grep -q -- '--release HOW' &&
	'$PVB' reboot --help | grep -q -- '--no-floor-loaded' &&
	'$PVB' reboot --help | grep -q 'default: aside'"

if "$PVB" reboot $Q --size 24M,32M --mode sync,async --iterations 2 --ref-iterations 1 \
	--out "$T/r1" 2>"$T/r1.err" >/dev/null; then
	ok "reboot: sync, async, floor on pv-emulated"
	check "every row's parts sum to its create_ns and cleanup_ns" "[ -z \"\$(parts_bad $T/r1)\" ]"
	[ -z "$(parts_bad "$T/r1")" ] || parts_bad "$T/r1" | head -5
	check "4 sync rows with their cleanup parts" \
		"[ \$(awk -F, \"\$UNQUOTE\"'
		\$h[\"mode\"] == \"sync\" && \$h[\"cleanup_release_ns\"] > 0 { n++ }
		END { print n + 0 }' $T/r1/iterations.csv) -eq 4 ]"
	check "floor and floor_loaded rows: 4 each" \
		"[ \$(count $T/r1 floor) -eq 4 ] && [ \$(count $T/r1 floor_loaded) -eq 4 ]"
	check "meta.json: cleanup_start aside, floor_loaded, release munmap" \
		"jq -e '.config.cleanup_start == \"aside\" and .config.floor_loaded == true and
		.config.release == \"munmap\"' $T/r1/meta.json >/dev/null"
	check "rows: cleanup_start aside on every row; no release column value (pv keeps memory)" \
		"[ \"\$(col_values $T/r1 cleanup_start)\" = 'aside ' ] &&
		[ \"\$(col_values $T/r1 release)\" = ' ' ]"
	check "summary.csv summarises the floor_loaded rows and the parts" \
		"grep -q ',floor_loaded,create,' $T/r1/summary.csv &&
		grep -q ',sync,cleanup_release,' $T/r1/summary.csv"
	"$PVB" report "$T/r1" --format json -o "$T/r1.json" 2>/dev/null
	check "report json: where.async and where.floor_loaded have the create parts" \
		"jq -e '[.points[].where | .async.create_vm_ns, .floor_loaded.create_load_ns,
		.sync_cleanup.cleanup_release_ns, .sync_cleanup.host_munmap_ns] |
		all(. != null and . >= 0)' $T/r1.json >/dev/null"
	check "report txt: where the time goes" \
		"'$PVB' report $T/r1 --format txt 2>/dev/null | grep -q 'Where the time goes, async create'"
else
	ko "reboot on pv-emulated: $(tail -c 400 "$T/r1.err")"
fi

if "$PVB" reboot $Q --size 16M --mode async --iterations 1 --ref-iterations 0 \
	--no-floor-loaded --cleanup-start alive --out "$T/r2" 2>"$T/r2.err" >/dev/null; then
	check "--no-floor-loaded: floor rows only" \
		"[ \$(count $T/r2 floor) -eq 1 ] && [ \$(count $T/r2 floor_loaded) -eq 0 ]"
	check "--cleanup-start alive recorded (meta.json, rows)" \
		"jq -e '.config.cleanup_start == \"alive\" and .config.floor_loaded == false' \
		$T/r2/meta.json >/dev/null && [ \"\$(col_values $T/r2 cleanup_start)\" = 'alive ' ]"
	check "parts sum with --cleanup-start alive" "[ -z \"\$(parts_bad $T/r2)\" ]"
else
	ko "reboot --no-floor-loaded: $(tail -c 400 "$T/r2.err")"
fi

# The committed runs: the one with sub-phases has them, an older one reports them as not
# recorded.
"$PVB" report "$R/emu-phases" --format json -o "$T/ph.json" 2>/dev/null
check "fixture emu-phases: async - floor by part, sync cleanup against munmap" \
	"jq -e '.points | length == 2 and all(.where.async.create_load_ns != null and
	.where.floor.create_load_ns != null and .where.floor_loaded.reboot_ns != null and
	.where.sync_cleanup.host_munmap_ns > 0 and .async_over_floor_loaded > 0)' $T/ph.json \
	>/dev/null"
"$PVB" report "$R/emu-base" --format json -o "$T/base.json" 2>/dev/null
check "fixture emu-base (before sub-phases): parts not recorded (null), reboot still there" \
	"jq -e '.points | all(.where.async.create_vm_ns == null and
	.where.sync_cleanup.cleanup_vcpu_ns == null and .where.async.reboot_ns != null)' \
	$T/base.json >/dev/null"
"$PVB" report "$R/emu-phases" --format md -o "$T/ph.md" 2>/dev/null
# c/(m+vm): the sync cleanup over the bare munmap plus the VM's own teardown, from the json
want=$(jq -r '[.points[].where.sync_cleanup | .cleanup_ns / (.host_munmap_ns + .cleanup_vcpu_ns +
	.cleanup_vm_ns + .cleanup_memslot_ns) * 100 | round / 100 | tostring] | join(" ")' "$T/ph.json")
got=$(grep -A5 'the VM.s own teardown' "$T/ph.md" | awk -F' *[|] *' '/^[|] [0-9]+M /{ printf "%s%g", sep, $7; sep = " " }')
check "report md: c/(m+vm) is cleanup / (munmap + vcpu + vm + memslot) ($got, json: $want)" \
	"[ -n '$want' ] && [ '$got' = '$want' ]"
check "fixture emu-phases (before vmstat_crit_): the counters that moved not recorded ('-')" \
	"grep -A5 'kernel counters that moved' '$T/ph.md' | grep -c '^| [0-9]*M | - | - | - |\$' |
	 grep -qx 2"

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
