#!/usr/bin/env bash
# Build the DEB and the RPM (CPack, cmake/package.cmake) from a built tree: $1 (default build).
# They land in BUILD/packages/; checks their files and dependencies, prints their paths. Needs dpkg-dev (dpkg-shlibdeps) and rpm
# (rpmbuild), which scripts/setup.sh installs on Debian. --spec also builds the RPM the
# RHEL 9 / SLES 15 way, from a source tarball through BUILD/pvbench.spec (rpmbuild --nodeps:
# here the build dependencies are Debian's).
set -euo pipefail
cd "$(dirname "$0")/.."
spec=0
if [ "${1:-}" = --spec ]; then spec=1; shift; fi
dir=${1:-build}
[ -f "$dir/CPackConfig.cmake" ] || { echo "package: $dir is not a configured build tree (scripts/build.sh $dir)" >&2; exit 2; }
for tool in dpkg-shlibdeps rpmbuild; do
	command -v "$tool" >/dev/null || { echo "package: $tool not found (scripts/setup.sh installs it)" >&2; exit 2; }
done
cmake --build "$dir" -j "$(nproc)" >/dev/null
rm -rf "$dir/packages"
(cd "$dir" && cpack --config CPackConfig.cmake >cpack.log 2>&1) || {
	echo "package: cpack failed; the end of $dir/cpack.log:" >&2
	tail -20 "$dir/cpack.log" >&2
	exit 1
}
deb=$(find "$dir/packages" -maxdepth 1 -name '*.deb')
rpm=$(find "$dir/packages" -maxdepth 1 -name '*.rpm')
[ -n "$deb" ] && [ -n "$rpm" ] || { echo "package: cpack made no DEB or no RPM (see $dir/cpack.log)" >&2; exit 1; }
# What the packages must hold and declare (cmake/package.cmake, cmake/install.cmake).
check() { grep -q -- "$2" <<<"$3" || { echo "package: $1 lacks $2" >&2; exit 1; }; }
files=$(dpkg-deb -c "$deb")
for f in ./usr/bin/pvbench ./usr/share/pvbench/plots/lib/csv.awk ./usr/share/pvbench/workloads/load/cpu.conf \
	./usr/share/man/man1/pvbench-reboot.1 ./usr/share/bash-completion/completions/pvbench; do
	check "$deb" "$f" "$files"
done
depends=$(dpkg-deb -f "$deb" Depends)
for d in libhwloc15 libnuma1 libjansson4 libinih1 libgsl27 'gnuplot-nox | gnuplot'; do
	check "$deb (Depends)" "$d" "$depends"
done
check "$deb (Recommends)" stress-ng "$(dpkg-deb -f "$deb" Recommends)"
requires=$(rpm -qpR "$rpm" 2>/dev/null)
for d in hwloc-libs numactl-libs jansson inih gsl gnuplot; do
	check "$rpm (Requires)" "^$d\$" "$requires"
done
check "$rpm (Recommends)" stress-ng "$(rpm -qp --recommends "$rpm" 2>/dev/null)"
check "$rpm (files)" /usr/share/pvbench/plots/reboot_latency.gp "$(rpm -qpl "$rpm" 2>/dev/null)"
echo "$deb"
echo "$rpm"
if [ "$spec" = 1 ]; then
	top=$(cd "$dir" && pwd)/rpmbuild
	version=$(sed -n 's/^Version: *//p' "$dir/pvbench.spec")
	mkdir -p "$top/SOURCES"
	git archive --prefix="pvbench-$version/" -o "$top/SOURCES/pvbench-$version.tar.gz" HEAD
	rpmbuild --define "_topdir $top" --nodeps -bb "$dir/pvbench.spec" >"$dir/rpmbuild.log" 2>&1 || {
		echo "package: rpmbuild from the spec failed; the end of $dir/rpmbuild.log:" >&2
		tail -20 "$dir/rpmbuild.log" >&2
		exit 1
	}
	find "$top/RPMS" -name '*.rpm'
fi
