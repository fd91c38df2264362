#!/usr/bin/env bash
# The plots users read, drawn from real pv-emulated runs: a reboot (2 sizes x sync,async, with
# floor rows) and a tiny sweep varying placement and guests. Every expected PNG and SVG is
# written and non-trivial, each SVG holds its titles and one panel title per configuration
# (nothing dropped), the speedup plot marks points without a CI, and a plot with nothing to
# draw says so and writes no file.
# Usage: test_plots.sh PATH/TO/pvbench SOURCE_DIR. Exits 77 (skipped) without gnuplot.
set -u
PVB=${1:?}; SRC=${2:?}
if ! command -v gnuplot >/dev/null 2>&1; then
	echo "SKIP: gnuplot is not installed (apt-get install gnuplot-nox)"
	exit 77
fi
T=$(mktemp -d /tmp/pvbench-plots-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"
export PVB_PLOTS_DIR="$SRC/plots"

# A PNG (its signature) of more than 8 KiB and an SVG of more than 4 KiB.
drawn() {
	local d=$1 n=$2
	[ "$(head -c 8 "$d/$n.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
		[ "$(stat -c %s "$d/$n.png")" -gt 8192 ] && [ "$(stat -c %s "$d/$n.svg")" -gt 4096 ] &&
		grep -q '</svg>' "$d/$n.svg"
}
# has FILE TEXT...: every TEXT is in FILE (SVG text is escaped, so no & < > in TEXT)
has() {
	local f=$1 t
	shift
	for t in "$@"; do
		grep -qF -- "$t" "$f" || { echo "  missing in $(basename "$f"): $t"; return 1; }
	done
}
# count FILE TEXT: how many times TEXT occurs in FILE
count() { grep -oF -- "$2" "$1" | wc -l; }

# --- a reboot: 64M and 128M, sync and async, 6 iterations (enough for a 95 % CI), floor
R=$T/reboot
"$PVB" reboot --backend pv-emulated --size 64M,128M --mode sync,async --iterations 6 \
	--warmup 0 --ref-iterations 0 --floor-gap 0 --out "$R" --quiet >"$T/out" 2>"$T/err"
rc=$?
check "reboot (pv-emulated, 2 sizes x sync,async) exits 0 (got $rc)" "[ $rc -eq 0 ]"
"$PVB" plot "$R" >"$T/plot.out" 2>"$T/plot.err"
rc=$?
check "pvbench plot on the reboot exits 0 (got $rc)" "[ $rc -eq 0 ]"
for n in reboot_latency reboot_cdf phases pv_commands parts; do
	check "reboot: $n.png and $n.svg drawn" "drawn '$R' $n"
done
check "parts: the create's and the cleanup's parts in the keys, floor_loaded on the axis" \
	"has '$R/parts.svg' '>mmap<' '>memslot<' '>load<' '>release<' '>scrub<' \
	'>floor_loaded<' 'EMULATED MODEL'"
check "reboot_cdf: a panel per size, a line per mode with its n" \
	"has '$R/reboot_cdf.svg' 'empirical CDF' '64M guest' '128M guest' 'sync: n = 6' \
	'async: n = 6' 'floor: n = ' 'floor_loaded: n = ' 'log scale'"
check "reboot_cdf: one panel title per size" \
	"[ \$(count '$R/reboot_cdf.svg' '64M guest') -eq 1 ] && [ \$(count '$R/reboot_cdf.svg' '128M guest') -eq 1 ]"
check "reboot_latency: the modes in the key, the configuration under the title" \
	"has '$R/reboot_latency.svg' '>sync<' '>async<' '>floor<' '>floor_loaded<' 'EMULATED MODEL' \
	'1 vCPU' '64M' '128M'"
check "phases: log scales, critical path and cleanup panels, every phase in the key" \
	"has '$R/phases.svg' 'log scale' 'critical path' 'cleanup (in the background' '>stop<' \
	'>teardown<' '>create<' '>start<' '>reboot<' '>populate<'"
check "a heatmap with a single placement is skipped, said on stderr, no file" \
	"grep -q 'heatmap_reboot: skipped: a single placement' '$T/plot.err' && [ ! -e '$R/heatmap_reboot.png' ]"
if [ -e "$R/speedup.csv" ]; then
	check "speedup.csv present: speedup.png and .svg drawn" "drawn '$R' speedup"
	check "speedup: title and CI method" \
		"has '$R/speedup.svg' 'Speedup of async destroy' '95 % percentile-bootstrap CI'"
else
	check "no speedup.csv: the speedup plot is skipped, said on stderr, no file" \
		"grep -q 'speedup: skipped: no speedup.csv' '$T/plot.err' && [ ! -e '$R/speedup.png' ]"
fi

# --- the speedup plot on a speedup.csv written here: two backings, one point without a CI
S=$T/speedup
mkdir -p "$S"
cat >"$S/speedup.csv" <<'EOF'
backend,size_bytes,vcpus,backing,scrub,touch,placement,cleanup_threads,guests,load,mem_policy,n_sync,n_async,sync_median_ns,async_median_ns,speedup,speedup_ci95_lo,speedup_ci95_hi,resamples,seed
kvm,67108864,1,anonymous,0,1,unpinned,1,1,none,none,5,5,100000000,30000000,3.3333,,,2000,9
kvm,268435456,1,anonymous,0,1,unpinned,1,1,none,none,10,10,300000000,110000000,2.7273,2.1000,3.4000,2000,9
kvm,268435456,1,thp,0,1,unpinned,1,1,none,none,10,10,300000000,60000000,5.0000,4.0000,5.6000,2000,9
EOF
for fmt in png svg; do
	gnuplot -c "$SRC/plots/speedup.gp" "$S" $fmt >"$T/sp.out" 2>"$T/sp.err"
	rc=$?
	check "speedup.gp $fmt on a hand-written speedup.csv exits 0 (got $rc)" "[ $rc -eq 0 ]"
done
check "speedup: drawn" "drawn '$S' speedup"
check "speedup: a line per backing, the point without a CI said in the key, 1 marked" \
	"has '$S/speedup.svg' 'anonymous memory' 'thp memory' 'no 95 % CI' '1 = no speedup' \
	'2000 resamples, seed 9' '64M' '256M'"
rm -f "$S/speedup.csv" "$S/speedup.png" "$S/speedup.svg"
printf 'backend,size_bytes,speedup\n' >"$S/speedup.csv"
gnuplot -c "$SRC/plots/speedup.gp" "$S" png >"$T/sp.out" 2>"$T/sp.err"
rc=$?
check "speedup.gp without a point: exit 0, says why, no file" \
	"[ $rc -eq 0 ] && grep -q 'speedup: skipped: no point' '$T/sp.err' && [ ! -e '$S/speedup.png' ]"

# --- cleanup_threads on a hand-written summary.csv: threads 1, 2 x placement x two sizes;
# every configuration is a labelled line, none is dropped
C=$T/threads
mkdir -p "$C"
{
	echo "backend,size_bytes,mode,metric,n,median_ns,p5_ns,p95_ns,vcpus,backing,scrub,touch,unit,placement,cleanup_threads,guests,load,mem_policy"
	for pl in unpinned same-pu; do
		for th in 1 2; do
			for sz in 67108864 134217728; do
				med=$((sz / th / (${#pl} / 4)))
				echo "kvm,$sz,async,cleanup,6,$med,$((med * 9 / 10)),$((med * 11 / 10)),1,thp,0,1,ns,$pl,$th,1,none,none"
				echo "kvm,$sz,sync,reboot,6,$med,$med,$med,1,thp,0,1,ns,$pl,$th,1,none,none"
			done
		done
	done
} >"$C/summary.csv"
gnuplot -c "$SRC/plots/cleanup_threads.gp" "$C" svg >"$T/ct.out" 2>"$T/ct.err"
rc=$?
check "cleanup_threads.gp on threads x placement exits 0 (got $rc)" "[ $rc -eq 0 ]"
for l in "64M, placement unpinned" "128M, placement unpinned" "64M, placement same-pu" \
	"128M, placement same-pu"; do
	check "cleanup_threads: one line '$l'" "[ \$(count '$C/cleanup_threads.svg' '>$l<') -eq 1 ]"
done
check "cleanup_threads: nothing said to be left out, the common columns under the title" \
	"! grep -q 'not shown' '$C/cleanup_threads.svg' && has '$C/cleanup_threads.svg' 'thp memory'"

# --- a tiny sweep: placement x guests, one size, sync and async
W=$T/sweep
cat >"$T/tiny.ini" <<'EOF'
[sweep]
name = plots-test
backend = pv-emulated
size = 64M
mode = sync, async
placement = unpinned, same-pu
guests = 1, 2
iterations = 2
warmup = 0

[options]
no-floor = true
ref-iterations = 0
EOF
"$PVB" sweep "$T/tiny.ini" --out "$W" --quiet >"$T/sw.out" 2>"$T/sw.err"
rc=$?
check "tiny sweep (placement x guests) exits 0 (got $rc)" "[ $rc -eq 0 ]"
"$PVB" plot "$W" >"$T/plotw.out" 2>"$T/plotw.err"
rc=$?
check "pvbench plot on the sweep exits 0 (got $rc)" "[ $rc -eq 0 ]"
for n in reboot_latency reboot_cdf phases heatmap_reboot pv_commands; do
	check "sweep: $n.png and $n.svg drawn" "drawn '$W' $n"
done
for f in "placement same-pu, 1 guest" "placement same-pu, 2 guests" \
	"placement unpinned, 1 guest" "placement unpinned, 2 guests"; do
	check "reboot_latency: one panel '$f'" "[ \$(count '$W/reboot_latency.svg' '>$f<') -eq 1 ]"
	check "reboot_cdf: one panel '64M guest, $f'" \
		"[ \$(count '$W/reboot_cdf.svg' '>64M guest, $f<') -eq 1 ]"
	check "phases: a panel pair '$f'" "[ \$(count '$W/phases.svg' '>$f<') -eq 2 ]"
	check "pv_commands: one panel '$f'" "[ \$(count '$W/pv_commands.svg' '>$f<') -eq 1 ]"
done
check "heatmap_reboot: a panel per guests value, placements on the axis" \
	"[ \$(count '$W/heatmap_reboot.svg' '>1 guest<') -eq 1 ] && \
	[ \$(count '$W/heatmap_reboot.svg' '>2 guests<') -eq 1 ] && \
	has '$W/heatmap_reboot.svg' '>unpinned<' '>same-pu<'"
check "sweep plots: nothing said to be left out" \
	"! grep -q 'not shown' '$W/reboot_latency.svg' '$W/phases.svg' '$W/heatmap_reboot.svg'"

# --- a run whose bars are all missing in one panel (async, cleanup started at the next
# reboot: its cleanup median is 0): gnuplot 5.4 crashed on the empty labels of phases
N=$T/next-reboot
cp -r "$SRC/results/reference/2026-11-25-pv-emulated/next-reboot" "$N"
"$PVB" plot "$N" >"$T/plotn.out" 2>"$T/plotn.err"
rc=$?
check "plot of an async run without cleanup medians exits 0 (got $rc: $(grep -m1 error "$T/plotn.err"))" \
	"[ $rc -eq 0 ] && drawn '$N' phases"

# --- a gnuplot that fails after it began to write: the picture from before stays, whole, and
# no temporary file is left
mkdir -p "$T/badplots"
cat >"$T/badplots/reboot_latency.gp" <<'EOF'
set terminal pngcairo size 400,300
set output ARG3
plot x
set output
exit status 1
EOF
echo "the picture from before" >"$N/reboot_latency.png"
PVB_PLOTS_DIR="$T/badplots" "$PVB" plot "$N" >/dev/null 2>"$T/bad.err"
rc=$?
check "a failing plot script: exit 1, the old picture untouched, no temporary file left" \
	"[ $rc -eq 1 ] && [ \"\$(cat '$N/reboot_latency.png')\" = 'the picture from before' ] &&
	 [ -z \"\$(find '$N' -name '*.tmp')\" ] && grep -q 'reboot_latency.gp.*status 1' '$T/bad.err'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
