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
