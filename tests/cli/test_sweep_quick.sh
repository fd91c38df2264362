#!/usr/bin/env bash
# workloads/sweeps/quick.ini end to end, interrupted with SIGINT and resumed: every point
# complete once, no duplicated and no missing rows, summary and plots written.
# Usage: test_sweep_quick.sh PATH/TO/pvbench SOURCE_DIR. Exits 77 (skipped) without KVM.
set -u
PVB=${1:?}; SRC=${2:?}
T=$(mktemp -d /tmp/pvbench-sweep-XXXXXX)
trap 'rm -rf "$T"' EXIT
if ! "$PVB" reboot --size 2M --iterations 1 --warmup 0 --no-floor --ref-iterations 0 \
	--mode sync --out "$T/probe" --quiet >/dev/null 2>&1; then
	echo "SKIP: no KVM guest can run here"
	exit 77
fi
D=$T/sweep
"$PVB" sweep "$SRC/workloads/sweeps/quick.ini" --out "$D" --quiet >"$T/out1" 2>"$T/err1" &
pid=$!
# interrupt once at least two points are complete
for _ in $(seq 600); do
	[ "$(grep -c ',complete,' "$D/points.csv" 2>/dev/null || echo 0)" -ge 2 ] && break
	sleep 0.1
done
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || { echo "FAIL: interrupted sweep exited $rc"; cat "$T/err1"; exit 1; }
done_before=$(grep -c ',complete,' "$D/points.csv")
"$PVB" sweep --resume "$D" --quiet >"$T/out2" 2>"$T/err2" || {
	echo "FAIL: resume exited $?"; tail -5 "$T/err2"; exit 1; }
points=$(awk -F, 'NR > 1' "$D/points.csv" | wc -l)
complete=$(grep -c ',complete,' "$D/points.csv")
# rows per point: exactly iterations (2) for every point
bad=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "point") c = i; next }
	{ n[$c]++ } END { for (p in n) if (n[p] != 2) print p; print length(n) }' "$D/iterations.csv")
if [ "$points" -eq 8 ] && [ "$complete" -eq 8 ] && [ "$bad" = "8" ] &&
   [ -s "$D/summary.csv" ] && [ -s "$D/reboot_latency.png" ] && [ -s "$D/heatmap_reboot.png" ]; then
	echo "ok: quick sweep interrupted after $done_before points (exit 130), resumed: 8 points, 2 rows each"
	echo "1 passed, 0 failed"
	exit 0
fi
echo "FAIL: points $points complete $complete rows-per-point check '$bad'"
ls "$D"; exit 1
