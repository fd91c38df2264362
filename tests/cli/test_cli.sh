#!/usr/bin/env bash
# pvbench as a user meets it: bad input gets exit 2 and a message naming the problem,
# missing features exit 4, SIGINT exits 130 and SIGKILL loses nothing but the iteration
# in flight; every file left behind parses. Usage: test_cli.sh PATH/TO/pvbench
set -u
PVB=${1:?usage: test_cli.sh PATH/TO/pvbench}
T=$(mktemp -d /tmp/pvbench-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"

csv_whole() { # every line of a CSV has the header's field count
	awk -F, '{ gsub(/"[^"]*"/, "q") } NR == 1 { n = NF } NF != n { bad = 1 }
		END { exit bad || NR < 2 }' "$1"
}

expect 2 "usage" --
expect 2 "unknown command" -- frobnicate
expect 2 "--size: '0'" -- reboot --size 0
expect 2 "--size: '12Q'" -- reboot --size 12Q
expect 2 "--size: '1,,2'" -- reboot --size 1,,2
expect 2 "--size: '-1G'" -- reboot --size -1G
expect 2 "--mode: 'fast'" -- reboot --mode fast
expect 2 "--backing: 'pmem'" -- reboot --backing pmem
expect 2 "--touch: '1.5'" -- reboot --touch 1.5
expect 2 "--iterations: '0'" -- reboot --iterations 0
expect 2 "unknown backend" -- reboot --backend qemu
expect 2 "unexpected argument" -- reboot stray
expect 2 "unknown or incomplete option" -- reboot --sizes 1G
expect 2 "--placement" -- reboot --placement sideways
expect 2 "--mem-policy: 'bind:x'" -- reboot --mem-policy bind:x
expect 2 "--guests: '0'" -- reboot --guests 0
expect 2 "--cleanup-threads: '65'" -- reboot --cleanup-threads 65
expect 2 "no such profile" -- reboot --size 64M --load nosuchload --out "$T/x"
expect 2 "--cleanup-cpu and --placement" -- reboot --cleanup-cpu 0 --placement same-pu
expect 2 "--size: '1024M' is the same size as '1G'" -- reboot --size 512M,1G,1024M
# --append and --point are the sweep's: not in the help, still accepted
check "reboot --help leaves out --append and --point" \
	"\"\$PVB\" reboot --help | grep -q -- --cleanup-start && ! \"\$PVB\" reboot --help | grep -qE -- '--(append|point)'"
expect 2 "--size: '0'" -- reboot --append --point 1 --size 0
# sweep files: nothing to run, a section header without its ]
printf '[sweep]\nname = empty\n[options]\nscrub = true\n' >"$T/empty.ini"
expect 2 "nothing to run: no axis in \[sweep\]" -- sweep "$T/empty.ini" --out "$T/sw"
printf '[sweep\nsize = 1G\n' >"$T/open.ini"
expect 2 "open.ini:1: section header '\[sweep' has no closing '\]'" -- sweep "$T/open.ini" --out "$T/sw"
printf '[sweep]\nsize = 1G\n[options]\nfrob = 1\n' >"$T/frob.ini"
expect 2 "frob.ini:4: option 'frob': not a pvbench reboot option" -- sweep "$T/frob.ini" --out "$T/sw"
[ ! -e "$T/sw" ] && ok "no results directory for refused sweeps" || ko "a refused sweep left $T/sw"
# The default backend without its device. The binary's architecture decides which that is,
# not the shell's: cross-built, pvbench runs under qemu-user.
ARCH=$("$PVB" info --json 2>/dev/null | jq -r '.kernel.machine // empty')
case ${ARCH:-$(uname -m)} in
x86_64)	PVB_KVM_DEVICE=/nonexistent/kvm expect 2 "load the KVM module" -- reboot --size 64M --out "$T/nokvm" ;;
s390x)	# pv: the image is checked first; without the device: exit 2 as for kvm
	# (a payload and a bare SE header that parse: a header version the Ultravisor judges)
	head -c 4096 /dev/zero >"$T/payload"
	{ printf 'IBMSecEx\0\0\2\0\0\0\0\040'; head -c 16 /dev/zero; } >"$T/hdr"
	PVB_KVM_DEVICE=/nonexistent/kvm expect 2 "load the kvm module" -- reboot --size 64M \
		--payload "$T/payload" --se-header "$T/hdr" --out "$T/nokvm" ;;
*)	sk "default backend without /dev/kvm: no check for ${ARCH:-$(uname -m)}" ;;
esac
[ ! -e "$T/nokvm" ] && ok "no results directory for a refused run" || ko "refused run left $T/nokvm"

if ! "$PVB" info >"$T/info" 2>&1; then ko "pvbench info"; else ok "pvbench info"; fi
# (jq 1.6 exits 0 on empty input: check that pvbench printed something first)
if J=$("$PVB" info --json) && [ -n "$J" ] &&
	jq -e '.kvm and .thp and .topology and .memory' <<<"$J" >/dev/null; then
	ok "pvbench info --json"
else
	ko "pvbench info --json"
fi

if ! "$PVB" reboot --size 2M --iterations 1 --warmup 0 --no-floor --ref-iterations 0 \
	--mode sync --out "$T/probe" --quiet >/dev/null 2>"$T/probe.err"; then
	sk "reboot runs: no KVM guest can run here: $(head -c 300 "$T/probe.err")"
else
	expect 2 "multiple of 2 MiB" -- reboot --size 3M --out "$T/x"
	expect 2 "available" -- reboot --size 1G --headroom 1000T --out "$T/x"
	expect 2 "--scrub with --touch" -- reboot --scrub --touch 0.5
	"$PVB" reboot --size 64M --iterations 1 --warmup 0 --no-floor --ref-iterations 0 \
		--mode sync --out "$T/twice" --quiet >/dev/null 2>&1
	expect 2 "already holds a run" -- reboot --size 64M --out "$T/twice"
	free2m=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0)
	if [ "$free2m" -eq 0 ]; then
		expect 4 "skipped: .*hugetlb" -- reboot --size 64M --backing hugetlb --out "$T/x"
	else
		sk "hugetlb skip: this host has a hugetlb pool"
	fi

	# A co-runner load is started, recorded and stopped with the run.
	if command -v stress-ng >/dev/null; then
		"$PVB" reboot --size 32M --iterations 1 --warmup 0 --no-floor --ref-iterations 0 \
			--mode async --load cpu --out "$T/load" --quiet >/dev/null 2>"$T/load.err"
		rc=$?
		if [ "$rc" -eq 0 ] && jq -e '.load.name == "cpu" and (.load.cpus | length > 0)' \
			"$T/load/meta.json" >/dev/null && [ -s "$T"/load/load-cpu*.log ] &&
		   ! pgrep -x stress-ng >/dev/null; then
			ok "--load cpu: recorded, logged, stopped"
		else
			ko "--load cpu: rc $rc $(head -c 300 "$T/load.err")"
		fi
	else
		sk "--load: stress-ng is not installed"
	fi

	# SIGINT in the middle: exit 130, every completed row kept, files valid.
	"$PVB" reboot --size 64M --iterations 1000 --warmup 0 --no-floor --ref-iterations 0 \
		--out "$T/int" --quiet >"$T/int.out" 2>"$T/int.err" &
	signal_after_lines INT $! "$T/int/iterations.csv" 4
	rc=$?
	if [ "$rc" -eq 130 ] && csv_whole "$T/int/iterations.csv" &&
	   jq -e '.status == "interrupted" and .rows >= 3' "$T/int/meta.json" >/dev/null &&
	   csv_whole "$T/int/summary.csv" && grep -q "interrupted" "$T/int.err"; then
		ok "SIGINT: exit 130, $(($(wc -l <"$T/int/iterations.csv") - 1)) rows, meta and summary valid"
	else
		ko "SIGINT: rc $rc; $(tail -3 "$T/int.err")"
	fi

	# SIGKILL: no summary is promised, but no half row and a valid meta.json; the
	# summary can be rebuilt from what was kept.
	"$PVB" reboot --size 64M --iterations 1000 --warmup 0 --no-floor --ref-iterations 0 \
		--mode async --out "$T/kill" --quiet >/dev/null 2>&1 &
	signal_after_lines KILL $! "$T/kill/iterations.csv" 3
	if csv_whole "$T/kill/iterations.csv" && jq -e '.status == "running"' "$T/kill/meta.json" \
		>/dev/null && "$PVB" summarize "$T/kill" >/dev/null && csv_whole "$T/kill/summary.csv" &&
	   ! ls "$T/kill"/*.tmp >/dev/null 2>&1; then
		ok "SIGKILL: whole rows, valid meta.json, summary rebuilt"
	else
		ko "SIGKILL: files damaged"
	fi

	if command -v gnuplot >/dev/null; then
		if "$PVB" plot "$T/int" >/dev/null 2>"$T/plot.err" &&
		   [ -s "$T/int/reboot_latency.png" ] && [ -s "$T/int/reboot_latency.svg" ] &&
		   [ -s "$T/int/phases.png" ] && [ -s "$T/int/phases.svg" ]; then
			ok "pvbench plot: PNG and SVG"
		else
			ko "pvbench plot: $(head -c 400 "$T/plot.err")"
		fi
	else
		sk "pvbench plot: gnuplot is not installed"
	fi
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
