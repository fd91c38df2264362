#!/usr/bin/env bash
# Build the libFuzzer targets (tests/fuzz) with clang into build-fuzz/ and run each for SECONDS
# (default 20), or only the TARGETs named. Each starts from its seed corpus
# tests/fuzz/corpus/TARGET (read only); what it finds goes to build-fuzz/corpus/TARGET.
# Prints executions and crashes per target; a crashing input is kept in
# build-fuzz/crashes/ (add it to the seed corpus once the parser is fixed) and the script
# exits 1. Reproduce one with: build-fuzz/tests/fuzz/TARGET FILE
#
#   scripts/fuzz.sh [SECONDS [TARGET...]]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
shift || true
case $secs in '' | *[!0-9]*) echo "fuzz: SECONDS must be a whole number, not '$secs'" >&2; exit 2 ;; esac
all=(fuzz_seimg fuzz_ipl fuzz_sweep fuzz_parse fuzz_csv fuzz_pvem)
targets=("${all[@]}")
[ $# -eq 0 ] || targets=("$@")
command -v clang >/dev/null || { echo "fuzz: clang not found (scripts/setup.sh installs it)" >&2; exit 2; }

dir=build-fuzz
CC=clang cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPVB_FUZZ=ON \
	-DBUILD_TESTING=OFF >/dev/null
if ! cmake --build "$dir" -j "$(nproc)" --target "${targets[@]}" >"$dir/build.log" 2>&1; then
	grep -E 'error|Error' "$dir/build.log" >&2 || tail -20 "$dir/build.log" >&2
	exit 2
fi
mkdir -p "$dir/crashes"

# Leaks are crashes too; UBSan stops at the first report (-fno-sanitize-recover).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0 total=0
printf '%-12s %12s %8s %8s  %s\n' target executions exec/s crashes corpus
for t in "${targets[@]}"; do
	bin=$dir/tests/fuzz/$t
	seeds=tests/fuzz/corpus/$t
	[ -x "$bin" ] || { echo "fuzz: $bin was not built" >&2; exit 2; }
	[ -d "$seeds" ] || { echo "fuzz: no seed corpus $seeds" >&2; exit 2; }
	mkdir -p "$dir/corpus/$t"
	log=$dir/$t.log
	rc=0
	touch "$log.start"
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$dir/crashes/$t-" "$dir/corpus/$t" "$seeds" >"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	crashes=$(find "$dir/crashes" -name "$t-*" -newer "$log.start" 2>/dev/null | wc -l)
	[ "$rc" = 0 ] || [ "$crashes" -gt 0 ] || crashes=1
	ncorp=$(find "$dir/corpus/$t" -type f | wc -l)
	printf '%-12s %12s %8s %8s  %s\n' "$t" "${execs:-?}" "${speed:-?}" "$crashes" "$ncorp files"
	total=$((total + ${execs:-0}))
	if [ "$rc" != 0 ]; then
		failed=1
		echo "fuzz: $t failed (exit $rc); its log: $log; kept:" >&2
		find "$dir/crashes" -name "$t-*" -newer "$log.start" >&2
		grep -E 'ERROR|SUMMARY|fuzz: check failed|runtime error' "$log" | head -5 >&2 || true
	fi
done
echo "fuzz: ${#targets[@]} targets, $secs s each, $total executions in total: $([ $failed = 0 ] && echo no crash || echo CRASHED)"
exit $failed
