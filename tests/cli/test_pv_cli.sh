#!/usr/bin/env bash
# The protected-guest backends from the command line: pv-emulated end to end (the files say
# emulated, the fallback is counted, PERFORM runs when PREPARE is allowed), the real pv
# backend skipping here with the reason, bad input exiting 2, and calibrate recovering a
# known cost from a model run. Usage: test_pv_cli.sh PATH/TO/pvbench
set -u
PVB=${1:?usage: test_pv_cli.sh PATH/TO/pvbench}
T=$(mktemp -d /tmp/pvbench-pvcli-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"

# column NAME of FILE, as lines (no header); rows of mode MODE only if given
col() {
	awk -F, -v c="$2" -v m="${3:-}" '{ gsub(/"[^"]*"/, "q") }
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i
		for (i = 1; i <= NF; i++) if ($i == "mode") mc = i; next }
		m == "" || $mc == m { print $k }' "$1"
}

Q="--iterations 2 --warmup 0 --floor-gap 0 --ref-iterations 1 --quiet"

# Every diagnostic of a model run says so.
"$PVB" reboot --backend pv-emulated --size 8M --mode sync --iterations 1 --warmup 0 --no-floor \
	--ref-iterations 0 --out "$T/r0" >/dev/null 2>"$T/r0.err"
check "every stderr line of a pv-emulated run says MODEL" \
	"[ -s $T/r0.err ] && ! grep -v 'pv-emulated MODEL' $T/r0.err"

expect 2 "4 KiB anonymous" -- reboot --backend pv-emulated --size 64M --backing thp --out "$T/a"
expect 2 "multiple of 1 MiB" -- reboot --backend pv-emulated --size 3000K --out "$T/a"
expect 2 "--mem-limit: '3'" -- reboot --backend pv-emulated --mem-limit 3
expect 2 "--pv-misc: 'maybe'" -- reboot --backend pv-emulated --pv-misc maybe
expect 2 "--se-image: '/nonexistent'" -- reboot --backend pv-emulated --se-image /nonexistent
expect 2 "cleanup-threads must be 1" -- reboot --backend pv-emulated --size 64M --cleanup-threads 2 --out "$T/a"
expect 2 "se-seal.sh" -- reboot --backend pv --size 64M --out "$T/a"
# The binary's architecture, not the shell's: cross-built, pvbench runs under qemu-user.
ARCH=$("$PVB" info --json 2>/dev/null | jq -r '.kernel.machine // empty')
# A payload and a bare SE header that parse (a header version the Ultravisor would judge).
head -c 4096 /dev/zero >"$T/payload"
{ printf 'IBMSecEx\0\0\2\0\0\0\0\040'; head -c 16 /dev/zero; } >"$T/hdr"
if [ "${ARCH:-$(uname -m)}" != s390x ]; then
	expect 4 "s390x" -- reboot --backend pv --size 64M --payload "$T/payload" --se-header "$T/hdr" \
		--out "$T/a"
fi
# Every input file is checked before any work starts: bad ones exit 2 and leave no directory.
head -c 100000 /dev/urandom >"$T/garbage"
expect 2 "--se-image: .*not a Secure Execution image" -- reboot --backend pv-emulated --size 64M \
	--se-image "$T/garbage" --out "$T/a"
expect 2 "--pv-costs: " -- reboot --backend pv-emulated --size 64M --pv-costs "$T/garbage" --out "$T/a"
expect 2 "--se-header: .*not an SE header" -- reboot --backend pv-emulated --size 64M \
	--payload "$T/payload" --se-header "$T/garbage" --out "$T/a"
printf '[costs]\nimport_ns = soon\n' >"$T/bad.ini"
expect 2 "import_ns" -- reboot --backend pv-emulated --size 64M --pv-costs "$T/bad.ini" --out "$T/a"
[ ! -e "$T/a" ] && ok "no results directory for refused runs" || ko "a refused run left $T/a"

# --backend auto without a usable /dev/kvm (and no SE image): the model, saying why not the others.
if PVB_KVM_DEVICE=/nonexistent/kvm "$PVB" reboot --backend auto --size 8M --mode sync --iterations 1 \
	--warmup 0 --no-floor --ref-iterations 0 --out "$T/auto" >/dev/null 2>"$T/auto.err"; then
	check "--backend auto falls back to pv-emulated and says why" \
		"jq -e '.backend_used == \"pv-emulated\"' $T/auto/meta.json >/dev/null &&
		grep -q 'backend auto: not pv:' $T/auto.err"
else
	ko "--backend auto: $(tail -c 400 "$T/auto.err")"
fi

# Default memory limit (the RAM size, as QEMU): PREPARE refused, every async reboot falls back.
if "$PVB" reboot --backend pv-emulated --size 32M,64M --mode sync,async $Q --out "$T/r1" \
	>"$T/r1.out" 2>"$T/r1.err"; then
	ok "pv-emulated reboot (limit = RAM)"
	check "every row says pv-emulated" \
		"[ \"\$(col $T/r1/iterations.csv backend | sort -u)\" = pv-emulated ]"
	check "meta.json: emulated, the model's costs and where they came from" \
		"jq -e '.emulated == true and .backend.emulated == true and
			(.backend.model.source | test(\"assumed\")) and .backend.model.costs.import_ns > 0' \
			$T/r1/meta.json >/dev/null"
	check "summary says MODEL" "grep -q 'MODEL' $T/r1.out"
	check "async rows all fell back (limit <= 2 GiB)" \
		"[ \"\$(col $T/r1/iterations.csv fallback async | sort -u)\" = 1 ]"
	check "sync rows have DISABLE times" \
		"col $T/r1/iterations.csv disable_ns sync | awk '\$1 <= 0 { bad = 1 } END { exit bad || NR != 4 }'"
	for m in sync async floor; do
		check "ENABLE..VERIFY timed on every $m row" \
			"col $T/r1/iterations.csv enable_ns $m | awk '\$1 <= 0 { bad = 1 } END { exit bad || NR != 4 }'"
	done
else
	ko "pv-emulated reboot (limit = RAM): $(tail -c 400 "$T/r1.err")"
fi

# A limit above 2 GiB: PREPARE accepted, PERFORM on the cleanup thread.
if "$PVB" reboot --backend pv-emulated --size 64M --mode async --mem-limit 4G $Q --out "$T/r2" \
	>/dev/null 2>"$T/r2.err"; then
	check "no fallback with --mem-limit 4G" \
		"[ \"\$(col $T/r2/iterations.csv fallback async | sort -u)\" = 0 ]"
	check "PERFORM timed" \
		"col $T/r2/iterations.csv perform_ns async | awk '\$1 <= 0 { bad = 1 } END { exit bad || NR != 2 }'"
else
	ko "pv-emulated --mem-limit 4G: $(tail -c 400 "$T/r2.err")"
fi

# PERFORM not started before the next reboot: every other PREPARE is refused.
if "$PVB" reboot --backend pv-emulated --size 64M --mode async --mem-limit 4G \
	--cleanup-start next-reboot --iterations 4 --warmup 0 --no-floor --ref-iterations 0 \
	--quiet --out "$T/r3" >/dev/null 2>"$T/r3.err"; then
	check "next-reboot: fallbacks alternate (0 1 0 1)" \
		"[ \"\$(col $T/r3/iterations.csv fallback async | tr '\n' ' ')\" = '0 1 0 1 ' ]"
else
	ko "pv-emulated --cleanup-start next-reboot: $(tail -c 400 "$T/r3.err")"
fi

# calibrate recovers a known destroy cost. Exactly, from a model run whose DISABLE times are
# rewritten to 0.5 ms + pages x (20000 ns + the host's memset per page, set to 100 ns): the
# fit itself. Then from the live run as it is: the model spends its costs as wall time on a
# busy CPU, and a preempted spin, a busy host or qemu-user only make pages look dearer, so
# the live fit must be at least the cost (less 25 %) and, against unit slips, under 4 times.
printf '[costs]\ndestroy_page_ns = 20000\n' >"$T/costs.ini"
fit_of() { # fit_of DIR: calibrate DIR, print the fitted destroy_page_ns
	"$PVB" calibrate "$1" --from-model --out "$1.fit.ini" >"$1.cal" 2>&1 || return 1
	awk -F' = ' '$1 == "destroy_page_ns" { print $2 }' "$1.fit.ini"
}
exact_rows() { # exact_rows IN OUT: the rewrite above, columns found by name; quoted fields
	# (with commas) are set aside as @N and put back
	awk -F, -v OFS=, '{ n = 0
		while (match($0, /"[^"]*"/)) {
			q[++n] = substr($0, RSTART, RLENGTH)
			$0 = substr($0, 1, RSTART - 1) "@" n substr($0, RSTART + RLENGTH)
		} }
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
		NR > 1 { p = $c["populated_bytes"] / 4096
			if ($c["mode"] == "host" && $c["host_memset_ns"] != "")
				$c["host_memset_ns"] = p * 100
			if ($c["mode"] == "sync" && $c["disable_ns"] != "")
				$c["disable_ns"] = 500000 + p * 20100 }
		{ for (i = 1; i <= NF; i++) if ($i ~ /^@[0-9]+$/) $i = q[substr($i, 2) + 0]
		print }' "$1" >"$2"
}
if "$PVB" reboot --backend pv-emulated --size 16M,32M,64M --mode sync \
	--pv-costs "$T/costs.ini" --iterations 3 --warmup 0 --floor-gap 0 \
	--ref-iterations 1 --quiet --out "$T/r4" >/dev/null 2>"$T/r4.err" && v=$(fit_of "$T/r4"); then
	expect 2 "give --from-model" -- calibrate "$T/r4"
	mkdir -p "$T/r4x" && cp "$T/r4/meta.json" "$T/r4x/" &&
		exact_rows "$T/r4/iterations.csv" "$T/r4x/iterations.csv"
	x=$(fit_of "$T/r4x")
	check "calibrate: destroy_page_ns of exact rows ($x) is 20000 within 1 %" \
		"[ '${x:-0}' -ge 19800 ] && [ '${x:-0}' -le 20200 ]"
	if [ -n "${PVB_TEST_NO_TIMING:-}" ]; then # instrumented build (TSan): times are skewed
		sk "calibrate: live destroy_page_ns ($v): PVB_TEST_NO_TIMING set"
	else
		check "calibrate: live destroy_page_ns ($v) at least 20000 - 25 %, under 4 x" \
			"[ '${v:-0}' -ge 15000 ] && [ '${v:-0}' -lt 80000 ]"
	fi
	check "the fitted file loads" \
		"\"$PVB\" reboot --backend pv-emulated --size 8M --mode sync --iterations 1 \
		--warmup 0 --no-floor --ref-iterations 0 --quiet --pv-costs $T/r4.fit.ini \
		--out $T/r5 >/dev/null 2>&1"
else
	ko "pv-emulated run and calibrate: $(tail -c 400 "$T/r4.err" "$T/r4.cal" 2>/dev/null)"
fi
expect 2 "no readable iterations.csv" -- calibrate "$T/nothing"

# The same through a sweep: the model's sweep says emulated.
printf '[sweep]\nbackend = pv-emulated\nsize = 16M, 32M\nmode = sync, async\niterations = 1\nwarmup = 0\n[options]\nmem-limit = 4G\nref-iterations = 0\nno-floor = true\n' >"$T/pv.ini"
if "$PVB" sweep "$T/pv.ini" --out "$T/sw" >/dev/null 2>"$T/sw.err"; then
	check "pv-emulated sweep: 4 points complete, sweep.json says emulated" \
		"jq -e '.emulated == true' $T/sw/sweep.json >/dev/null &&
		[ \"\$(col $T/sw/points.csv status | grep -c complete)\" = 4 ]"
else
	ko "pv-emulated sweep: $(tail -c 400 "$T/sw.err")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
