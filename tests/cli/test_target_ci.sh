#!/usr/bin/env bash
# --target-ci PCT on the pv-emulated model: a loose target stops every point (and its floor)
# between 6 reboots and the --iterations ceiling, and meta.json's target_ci says so with the
# counts iterations.csv holds; a tiny target runs to the ceiling, says "not reached" and warns;
# several guests stop together; the timeline is that of each point's last reboot; bad values
# exit 2; a sweep takes target-ci in [options]. Usage: test_target_ci.sh PATH/TO/pvbench
set -u
PVB=${1:?usage: test_target_ci.sh PATH/TO/pvbench}
T=$(mktemp -d /tmp/pvbench-targetci-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"

Q="--backend pv-emulated --warmup 0 --floor-gap 0 --ref-iterations 0"

# rows of iterations.csv per "size mode guest", one line each, sorted
rows_per() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		{ n[$h["size_bytes"] " " $h["mode"] " " $h["guest"]]++ }
		END { for (k in n) print k, n[k] }' "$1/iterations.csv" | sort
}
# what meta.json's target_ci says the rows should be: "size mode guest iterations"
rows_meta() {
	jq -r --argjson g "$2" '.target_ci[] | . as $p |
		range(if (.mode | startswith("floor")) then 1 else $g end) |
		"\($p.size_bytes) \($p.mode) \(.) \($p.iterations)"' "$1/meta.json" | sort
}

# Bad values: exit 2, naming the option, before anything runs.
for v in 0 -5 100.5 abc 5% "" nan inf 1e3; do
	expect 2 "--target-ci: '$v' is not a percentage" -- reboot $Q --size 64M --target-ci "$v" \
		--out "$T/bad"
done
expect 2 "--target-ci needs room for 6" -- reboot $Q --size 64M --target-ci 5 --iterations 5 \
	--out "$T/bad"
expect 2 "--iterations 2 with --guests 2 gives 4" -- reboot $Q --size 64M --target-ci 5 \
	--iterations 2 --guests 2 --out "$T/bad"
[ ! -e "$T/bad" ] && ok "no results directory for refused runs" || ko "a refused run left $T/bad"
check "--help lists --target-ci" "'$PVB' reboot --help | grep -q -- '--target-ci PCT'"

# A loose target: every point (sync, async, floor) stops between 6 and 40, reached. (The
# floor_loaded rows, a few ms each, are as noisy as the floor's on a busy host: left out.)
if "$PVB" reboot $Q --size 32M,64M --mode sync,async --target-ci 50 --iterations 40 \
	--no-floor-loaded \
	--out "$T/r1" >"$T/r1.out" 2>"$T/r1.err"; then
	ok "reboot --target-ci 50 --iterations 40"
	check "meta.json: 6 points (2 sizes x sync, async, floor), each reached in 6..40" \
		"jq -e '[.target_ci[] | select(.reached and .iterations >= 6 and .iterations <= 40
			and .half_width_pct <= 50 and .target_pct == 50)] | length == 6' \
			$T/r1/meta.json >/dev/null"
	check "meta.json: the configuration records target_ci_pct 50 and the ceiling 40" \
		"jq -e '.config.target_ci_pct == 50 and .config.iterations == 40' $T/r1/meta.json \
			>/dev/null"
	check "iterations.csv holds the rows meta.json's target_ci counts" \
		"[ \"\$(rows_per $T/r1)\" = \"\$(rows_meta $T/r1 1)\" ] && [ -n \"\$(rows_per $T/r1)\" ]"
	check "stderr says where each point stopped" \
		"[ \$(grep -c 'target-ci 50: reached after' $T/r1.err) -eq 6 ]"
	check "summary.csv's reboot n matches" \
		"jq -r '.target_ci[] | select(.mode == \"async\" and .size_bytes == 67108864) |
			.iterations' $T/r1/meta.json | grep -qx \"\$(awk -F, 'NR == 1 { for (i = 1;
			i <= NF; i++) h[\$i] = i; next } \$h[\"metric\"] == \"reboot\" &&
			\$h[\"mode\"] == \"async\" && \$h[\"size_bytes\"] == 67108864 { print \$h[\"n\"] }' \
			$T/r1/summary.csv)\""
else
	ko "reboot --target-ci 50: $(tail -c 400 "$T/r1.err")"
fi

# A tiny target: the ceiling, not reached, a warning; the timeline is the last reboot's.
if "$PVB" reboot $Q --size 32M --mode async --no-floor --target-ci 0.001 --iterations 7 \
	--timeline --out "$T/r2" >"$T/r2.out" 2>"$T/r2.err"; then
	ok "reboot --target-ci 0.001 --iterations 7"
	check "meta.json: 7 iterations, not reached, the half width above the target" \
		"jq -e '.target_ci | length == 1 and .[0].iterations == 7 and .[0].reached == false
			and .[0].half_width_pct > 0.001' $T/r2/meta.json >/dev/null"
	check "7 rows" "[ \"\$(rows_per $T/r2)\" = '33554432 async 0 7' ]"
	check "a warning names the point that hit the ceiling" \
		"grep -q 'warning: .*async 32M x1.*target-ci 0.001: not reached after 7' $T/r2.err"
	check "timeline.csv: the last reboot (iteration 6) only" \
		"[ \"\$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if (\$i == \"iteration\") c = i;
			next } { print \$c }' $T/r2/timeline.csv | sort -u)\" = 6 ]"
else
	ko "reboot --target-ci 0.001: $(tail -c 400 "$T/r2.err")"
fi

# Two guests: decided once per round for both, from their pooled reboots; they stop together.
if "$PVB" reboot $Q --size 32M --mode async --no-floor --guests 2 --target-ci 50 \
	--iterations 20 --out "$T/r3" >"$T/r3.out" 2>"$T/r3.err"; then
	check "--guests 2: both lanes ran the iterations meta.json records, reached" \
		"jq -e '.target_ci | length == 1 and .[0].reached and .[0].iterations >= 3 and
			.[0].iterations < 20 and .[0].reboots == 2 * .[0].iterations' \
			$T/r3/meta.json >/dev/null &&
		[ \"\$(rows_per $T/r3)\" = \"\$(rows_meta $T/r3 2)\" ]"
else
	ko "reboot --guests 2 --target-ci 50: $(tail -c 400 "$T/r3.err")"
fi

# A sweep: target-ci in [options] reaches every point; a bad value is refused before running.
cat >"$T/s.ini" <<'EOF'
[sweep]
name = target
backend = pv-emulated
size = 32M
mode = sync, async
iterations = 30
warmup = 0

[options]
target-ci = 50
no-floor = true
ref-iterations = 0
EOF
# every point's json: target_ci reached, with as many iterations as the point has rows
sweep_points_ok() {
	local f p n k=0
	for f in "$1"/points/*.json; do
		p=$(basename "$f" .json)
		n=$(awk -F, -v p="$p" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "point") c = i
			next } $c == p' "$1/iterations.csv" | wc -l)
		jq -e --argjson n "$n" '.config.target_ci_pct == 50 and (.target_ci | length == 1) and
			.target_ci[0].reached and .target_ci[0].iterations == $n and $n >= 6 and $n < 30' \
			"$f" >/dev/null || return 1
		k=$((k + 1))
	done
	[ "$k" -eq 2 ]
}
if "$PVB" sweep "$T/s.ini" --out "$T/s1" --quiet >"$T/s1.out" 2>"$T/s1.err"; then
	check "sweep: every point's json says reached, with its rows in iterations.csv" \
		"sweep_points_ok $T/s1"
else
	ko "sweep with target-ci = 50: $(tail -c 400 "$T/s1.err")"
fi
sed 's/^target-ci = 50/target-ci = 0/' "$T/s.ini" >"$T/s0.ini"
expect 2 "--target-ci: '0' is not a percentage" -- sweep "$T/s0.ini" --out "$T/s0"

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
