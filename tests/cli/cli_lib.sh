# Shared by the shell tests (sourced): counters and checks. Needs PVB (the pvbench command)
# and T (a scratch directory).
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); echo "ok: $1"; }
ko() { fail=$((fail + 1)); echo "FAIL: $1"; }
sk() { skip=$((skip + 1)); echo "skip: $1"; }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }

# expect CODE PATTERN -- ARGS: exit code CODE and stderr matching PATTERN
expect() {
	local code=$1 pat=$2; shift 3
	"$PVB" "$@" >"$T/out" 2>"$T/err"
	local rc=$?
	if [ "$rc" -eq "$code" ] && grep -qiE -- "$pat" "$T/err"; then
		ok "pvbench $* -> $rc"
	else
		ko "pvbench $* -> $rc (want $code, stderr matching '$pat'): $(head -c 400 "$T/err")"
	fi
}

# signal_after_lines SIG PID FILE N: wait (at most 30 s) until FILE has N lines, then send SIG
# to PID and wait for it; returns its exit status.
signal_after_lines() {
	local sig=$1 pid=$2 file=$3 n=$4
	for _ in $(seq 300); do
		[ "$( (wc -l <"$file") 2>/dev/null || echo 0)" -ge "$n" ] && break
		sleep 0.1
	done
	kill "-$sig" "$pid"
	wait "$pid" 2>/dev/null
}
