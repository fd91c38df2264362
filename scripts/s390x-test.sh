#!/usr/bin/env bash
# s390x (IBM Z): cross-compile pvbench, run every CTest test under qemu-user, then a short
# end-to-end run of the emulated protected-guest backend. scripts/test.sh calls this at the
# end (PVB_SKIP_S390X=1 skips it); it also runs alone. Installs what it needs on Debian 12 (as
# root, or with sudo), builds into build-s390x/, ends with `s390x: N passed, N failed,
# N skipped` and exits non-zero when anything failed.
#
# Where the s390x libraries come from: the multiarch way (dpkg --add-architecture s390x,
# apt-get install libhwloc-dev:s390x ...) does not work on Debian 12 any more. The
# libraries are Multi-Arch: same, so they would co-install with the amd64 ones, but
# libnuma-dev:s390x needs libc6-dev:s390x, which needs linux-libc-dev:s390x and (through
# libnsl-dev, libtirpc, krb5) libssl3:s390x at exactly the amd64 versions - and
# bookworm-security (Debian LTS) no longer builds s390x, so the amd64 side has newer versions
# than s390x can ever get (here linux-libc-dev 6.1.187 vs 6.1.176, libssl3 3.0.19 vs 3.0.20):
# apt stops with "held broken packages". Rather than downgrade the host's kernel headers and
# libssl, the script fetches the s390x .debs of the libraries (apt-get download, checked
# against the signed archive index) and unpacks them into build-s390x/sysroot; the cross
# toolchain brings libc (/usr/s390x-linux-gnu). dpkg's database only gains the s390x
# architecture. cmake/s390x-linux-gnu.cmake takes that directory as PVB_S390X_SYSROOT (without
# it, it uses the multiarch packages, for hosts where they install).
set -euo pipefail
cd "$(dirname "$0")/.."
B=build-s390x
TRIPLET=s390x-linux-gnu
# Host tools. libc6-dev-s390x-cross is only a Recommends of the cross compiler.
HOST_PKGS=(cmake make pkg-config file jq gcc-s390x-linux-gnu libc6-dev-s390x-cross)
# The s390x libraries pvbench and its tests link, and what they need beyond libc (libhwloc
# needs libudev). Unpacked, not installed: see above.
S390X_DEBS=(libhwloc-dev libhwloc15 libudev1 libnuma-dev libnuma1 libjansson-dev libjansson4
            libinih-dev libinih1 libcmocka-dev libcmocka0 libgsl-dev libgsl27 libgslcblas0)

t0=$(date +%s)
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
ko() { fail=$((fail + 1)); echo "FAIL: $1"; }
sk() { skip=$((skip + 1)); echo "SKIP: $1"; }
summary() { echo "s390x: $pass passed, $fail failed, $skip skipped"; [ "$fail" -eq 0 ]; }
die() { echo "s390x-test: $*" >&2; fail=$((fail + 1)); summary; exit 1; }

# --- install -------------------------------------------------------------------------------
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root (or sudo) to run: $*"
	fi
}
export DEBIAN_FRONTEND=noninteractive
APT=(-qq -o DPkg::Lock::Timeout=300)
updated=0
apt_update() {
	[ "$updated" -eq 1 ] && return 0
	as_root apt-get "${APT[@]}" update >/dev/null || die "apt-get update failed"
	updated=1
}

missing=()
for p in "${HOST_PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v qemu-s390x-static >/dev/null || command -v qemu-s390x >/dev/null ||
	missing+=(qemu-user-static)
if ! dpkg --print-foreign-architectures | grep -qx s390x; then
	echo "s390x-test: dpkg --add-architecture s390x" >&2
	as_root dpkg --add-architecture s390x || die "dpkg --add-architecture s390x failed"
	apt_update
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "s390x-test: installing ${missing[*]}" >&2
	apt_update
	as_root apt-get "${APT[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
fi
QEMU=$(command -v qemu-s390x-static || command -v qemu-s390x)

# The s390x libraries, unpacked into $B/sysroot; again only when the archive has other versions.
SYSROOT=$PWD/$B/sysroot
wanted() {
	apt-cache show --no-all-versions "${S390X_DEBS[@]/%/:s390x}" 2>/dev/null |
		awk '/^Package:/ { p = $2 } /^Version:/ { print p "=" $2 }' | sort
}
want=$(wanted || true)
if [ "$(grep -c . <<<"$want")" -ne ${#S390X_DEBS[@]} ]; then
	apt_update
	want=$(wanted || true)
	[ "$(grep -c . <<<"$want")" -eq ${#S390X_DEBS[@]} ] ||
		die "the archive lacks some of: ${S390X_DEBS[*]} (s390x)"
fi
if [ "$(cat "$SYSROOT/.debs" 2>/dev/null)" != "$want" ]; then
	echo "s390x-test: unpacking the s390x ${S390X_DEBS[*]} into $B/sysroot" >&2
	dl=$(mktemp -d /tmp/pvbench-s390x-debs-XXXXXX)
	(cd "$dl" && apt-get -q -o APT::Sandbox::User=root download \
		$(sed 's/=/:s390x=/' <<<"$want") >/dev/null) || { rm -rf "$dl"; die "apt-get download failed"; }
	rm -rf "$SYSROOT"
	mkdir -p "$SYSROOT"
	for d in "$dl"/*.deb; do dpkg-deb -x "$d" "$SYSROOT"; done
	rm -rf "$dl"
	echo "$want" >"$SYSROOT/.debs"
fi
t1=$(date +%s)

# --- build ---------------------------------------------------------------------------------
log=$B/build.log
mkdir -p "$B"
if ! { cmake -S . -B "$B" -DCMAKE_TOOLCHAIN_FILE=cmake/$TRIPLET.cmake \
	-DPVB_S390X_SYSROOT="$SYSROOT" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPVB_WERROR=ON &&
	cmake --build "$B" -j "$(nproc)"; } >"$log" 2>&1; then
	grep -E -A3 'error|Error' "$log" | head -40 >&2
	die "the s390x build failed (whole log: $log)"
fi
t2=$(date +%s)
desc=$(file -b "$B/pvbench")
echo "file $B/pvbench: $desc"
if [[ $desc == *"ELF 64-bit MSB"*"IBM S/390"* ]]; then
	ok "$B/pvbench is a 64-bit big-endian IBM S/390 executable"
else
	ko "$B/pvbench is not an s390x executable"
fi

# --- tests under qemu-user -----------------------------------------------------------------
# CTest runs the test executables through CMAKE_CROSSCOMPILING_EMULATOR (qemu-user, from the
# toolchain file) and the shell tests through tests/pvbench-run, which does the same for
# pvbench. Tests that need a KVM guest exit 77: CTest reports them as skipped.
ctest_out=$B/ctest.log
(cd "$B" && ctest --output-on-failure) 2>&1 | tee "$ctest_out" || true
total=$(sed -nE 's/.* tests? failed out of ([0-9]+).*/\1/p' "$ctest_out")
failed=$(sed -nE 's/.* ([0-9]+) tests? failed out of .*/\1/p' "$ctest_out")
skipped=$(grep -cE '^[[:space:]]+[0-9]+ - .* \(Skipped\)$' "$ctest_out" || true)
if [ -z "$total" ] || [ "$total" -eq 0 ]; then
	ko "ctest ran no tests"
else
	pass=$((pass + total - failed - skipped))
	fail=$((fail + failed))
	skip=$((skip + skipped))
	# Why each skipped test skipped (CTest keeps that output to itself).
	grep -E '^[[:space:]]+[0-9]+ - .* \(Skipped\)$' "$ctest_out" | awk '{ print $3 }' |
	while read -r t; do
		why=$(awk -v t="$t" '$0 ~ "^[0-9]+/[0-9]+ Test: " t "$" { on = 1; next }
			on && /^<end of output>/ { print (w != "" ? w : last); exit }
			on && !/^(Output:|Directory:|Command:|-+$|".*time:)/ { last = $0; if (tolower($0) ~ /skip/) w = $0 }' \
			"$B/Testing/Temporary/LastTest.log" || true)
		echo "  skipped $t: ${why:-(no reason printed)}"
	done
fi
t3=$(date +%s)

# --- the emulated protected-guest backend, end to end, under qemu-user --------------------
run() { "$QEMU" -L /usr/$TRIPLET "$B/pvbench" "$@"; }
help=$(run reboot --help 2>&1 || true)
if [[ $help != *pv-emulated* ]]; then
	sk "pv-emulated backend not built yet"
else
	out=$(mktemp -d /tmp/pvbench-s390x-XXXXXX)
	rc=0
	timeout 300 "$QEMU" -L /usr/$TRIPLET "$B/pvbench" reboot --backend pv-emulated \
		--size 64M,256M --mode sync,async --iterations 3 --warmup 1 --out "$out/run" \
		>"$out/stdout" 2>"$out/stderr" || rc=$?
	# every size has its 3 sync and 3 async rows (besides the floor and host reference
	# rows), all from pv-emulated
	rows=$(awk -F, '{ gsub(/"[^"]*"/, "q") } NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["mode"] ~ /^(sync|async)$/ { n[$c["size_bytes"] "/" $c["mode"]]++ }
		$c["backend"] != "pv-emulated" { bad++ }
		END { for (k in n) printf "%s:%d ", k, n[k]; if (bad) printf "other-backend:%d", bad }' \
		"$out/run/iterations.csv" 2>/dev/null | tr ' ' '\n' | sort | xargs || true)
	want_rows="268435456/async:3 268435456/sync:3 67108864/async:3 67108864/sync:3"
	if [ "$rc" -ne 0 ]; then
		ko "pv-emulated reboot under qemu-user exited $rc: $(tail -5 "$out/stderr")"
	elif [ "$rows" != "$want_rows" ]; then
		ko "pv-emulated iterations.csv rows per size/mode: '$rows', want '$want_rows'"
	elif ! jq -e '.emulated == true' "$out/run/meta.json" >/dev/null 2>&1; then
		ko "pv-emulated meta.json does not say emulated"
	else
		ok "pv-emulated reboot under qemu-user: 3 sync and 3 async rows per size, meta.json emulated"
	fi
	rm -rf "$out"
fi
t4=$(date +%s)

echo "s390x timings: install $((t1 - t0))s, build $((t2 - t1))s, ctest $((t3 - t2))s," \
	"end to end $((t4 - t3))s"
summary
