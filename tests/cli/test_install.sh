#!/usr/bin/env bash
# `DESTDIR=... cmake --install BUILD`: the binary, its data (plots with plots/lib and
# plots/compare, load profiles, sweeps, fleets), the man pages and the completion land in the
# GNUInstallDirs places, and the installed binary finds its data relative to itself: with the
# source and build trees hidden (an empty tmpfs over each, in a private mount namespace),
# `reboot --plot` on pv-emulated renders the PNGs, and PVBENCH_DATADIR overrides the place.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR. Exits 77 (skipped) without gnuplot.
set -u
BUILD=$(cd "${1:?}" && pwd) SRC=$(cd "${2:?}" && pwd) || exit 1
if ! command -v gnuplot >/dev/null 2>&1; then
	echo "SKIP: gnuplot is not installed (apt-get install gnuplot-nox)"
	exit 77
fi
T=$(mktemp -d /tmp/pvbench-install-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"
unset PVB_PLOTS_DIR PVB_LOAD_DIR PVBENCH_DATADIR

prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")
D=$T/dest
DESTDIR=$D cmake --install "$BUILD" >"$T/install.log" 2>&1
check "DESTDIR=... cmake --install succeeds" "[ $? -eq 0 ]"
P=$D$prefix
PVB=$P/bin/pvbench
check "binary in bin/" "[ -x '$PVB' ]"
for f in share/pvbench/plots/reboot_latency.gp share/pvbench/plots/lib/csv.awk \
	share/pvbench/plots/compare/compare.gp share/pvbench/workloads/load/cpu.conf \
	share/pvbench/workloads/sweeps/quick.ini share/pvbench/workloads/fleets/z16-lpar.ini \
	share/man/man1/pvbench.1 share/man/man1/pvbench-reboot.1 \
	share/bash-completion/completions/pvbench; do
	check "installed $f" "[ -s '$P/$f' ]"
done
check "every plots/ file installed" \
	"[ \$(cd '$SRC/plots' && find . -type f | wc -l) -eq \$(cd '$P/share/pvbench/plots' && find . -type f | wc -l) ]"
check "no build-tree marker installed" "[ -z \"\$(find '$D' -name pvbench-srcdir)\" ]"

# run CMD...: in a mount namespace where the source and the build trees are empty
hidden=0
if unshare -m true 2>/dev/null; then
	hidden=1
	run() {
		unshare -m sh -c 'mount -t tmpfs none "$2" && mount -t tmpfs none "$1" && shift 2 && exec "$@"' \
			_ "$SRC" "$BUILD" "$@"
	}
	run sh -c "[ ! -e '$SRC/plots' ] && [ ! -e '$BUILD/CMakeCache.txt' ]"
	check "source and build trees hidden in the namespace" "[ $? -eq 0 ]"
else
	sk "no mount namespace here (unshare -m): the trees stay visible, no marker is installed"
	run() { "$@"; }
fi

cd "$T" || exit 1
run "$PVB" reboot --backend pv-emulated --size 64M --iterations 2 --plot --out "$T/run" \
	--warmup 0 --no-floor --quiet >"$T/out" 2>"$T/err"
rc=$?
check "installed reboot --plot exits 0 (hidden trees: $hidden): $(head -c 300 "$T/err")" "[ $rc -eq 0 ]"
for n in reboot_latency phases; do
	check "installed binary rendered $n.png" \
		"[ \"\$(head -c 8 '$T/run/$n.png' 2>/dev/null | od -An -tx1 | tr -d ' \n')\" = 89504e470d0a1a0a ]"
done
run "$PVB" reboot --backend pv-emulated --size 64M --iterations 2 --load nosuch \
	--out "$T/run2" >"$T/out" 2>"$T/err"
rc=$?
check "--load nosuch: exit 2 saying where it looked (share/pvbench)" \
	"[ $rc -eq 2 ] && grep -q 'looked in: .*share/pvbench' '$T/err'"
PVBENCH_DATADIR=$T/nowhere run "$PVB" plot "$T/run" >"$T/out" 2>"$T/err"
rc=$?
check "PVBENCH_DATADIR overrides: plot fails naming it" \
	"[ $rc -ne 0 ] && grep -q '$T/nowhere' '$T/err'"
PVBENCH_DATADIR=$P/share/pvbench run "$PVB" plot "$T/run" >"$T/out" 2>"$T/err"
check "PVBENCH_DATADIR pointing at the data: plot works" "[ $? -eq 0 ]"
if command -v man >/dev/null 2>&1; then
	MANPATH=$P/share/man man -w pvbench-reboot >"$T/out" 2>&1
	check "man finds the installed pvbench-reboot(1)" "grep -q '$P/share/man/man1/pvbench-reboot.1' '$T/out'"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
