#!/usr/bin/env bash
# Install what pvbench needs to build, test and plot (as root, or with sudo): apt on Debian and
# Ubuntu, dnf on RHEL, Fedora, CentOS Stream, Rocky and Alma, zypper on SLES and openSUSE; the
# family comes from /etc/os-release (ID, then ID_LIKE; PVB_OS_RELEASE names another file).
# Installs only what is missing (dpkg-query / rpm -q): a host that has everything needs no
# package manager at all.
#   scripts/setup.sh                          install what is missing
#   scripts/setup.sh --print-packages [FAMILY] the list of FAMILY (debian, rhel, suse; default:
#                                             this host's), one package a line
set -euo pipefail

# The packages, one list per family (same order: toolchain, tools, libraries, plots and load,
# style, fuzzing, man pages and packaging).
PKGS_debian=(build-essential cmake pkg-config git jq procps
	libhwloc-dev hwloc libnuma-dev numactl libjansson-dev libinih-dev libcmocka-dev libgsl-dev
	gnuplot-nox stress-ng clang-format)
# The libFuzzer targets (scripts/fuzz.sh): clang and its runtimes (libFuzzer, ASan, UBSan),
# which clang only recommends.
PKGS_debian+=(clang libclang-rt-14-dev)
# man renders the generated pages (tests/cli/test_docs.sh); rpm builds the RPM (package.sh).
PKGS_debian+=(man-db rpm)
# Fleet runs (scripts/fleet.sh) and their lint in CI.
PKGS_debian+=(ansible-core ansible-lint)

PKGS_rhel=(gcc make cmake pkgconf-pkg-config git jq procps-ng
	hwloc-devel hwloc numactl-devel numactl jansson-devel inih-devel libcmocka-devel gsl-devel
	gnuplot stress-ng clang-tools-extra
	clang compiler-rt
	man-db rpm-build)
# Not in RHEL 9's BaseOS/AppStream but in CodeReady Builder (CRB: "crb" on CentOS Stream,
# Rocky and Alma): enabled when one of them is missing. EPEL is not needed for this list.
CRB_rhel=(hwloc-devel inih-devel libcmocka-devel gsl-devel)

PKGS_suse=(gcc make cmake pkgconf git jq procps
	hwloc-devel hwloc libnuma-devel numactl libjansson-devel libinih-devel libcmocka-devel
	gsl-devel gnuplot stress-ng clang-tools
	clang
	man rpm-build)
# On SLES 15 hwloc, gnuplot and stress-ng come from SUSE Package Hub (openSUSE has them).
HUB_suse=(hwloc-devel hwloc gnuplot stress-ng)

FAMILIES="debian rhel suse"

die() {
	echo "setup: $*" >&2
	exit 2
}

# The family of an os-release file: debian, rhel, suse, or nothing.
family_of() {
	local ids w
	ids=$(. "$1" && echo "${ID:-} ${ID_LIKE:-}") || return 0
	for w in $ids; do
		case $w in
		debian | ubuntu) echo debian; return ;;
		rhel | fedora | centos | rocky | almalinux | alma | ol) echo rhel; return ;;
		sles | sled | suse | opensuse | opensuse-leap | opensuse-tumbleweed) echo suse; return ;;
		esac
	done
}

# The ID of the os-release file (rhel, fedora, sles, ...).
os_id() { (. "$1" && echo "${ID:-}"); }

packages() {
	local -n list="PKGS_$1"
	printf '%s\n' "${list[@]}"
}

# The packages of family $1 that are not installed, one a line (one query for all).
missing_of() {
	local fam=$1
	mapfile -t want < <(packages "$fam")
	if [ "$fam" = debian ]; then
		local have
		have=$(dpkg-query -W -f='${Package} ${Status}\n' "${want[@]}" 2>/dev/null |
			awk '/ install ok installed$/ { print $1 }')
		for p in "${want[@]}"; do
			grep -qx -- "$p" <<<"$have" || echo "$p"
		done
	else
		rpm -q --qf '%{NAME}\n' "${want[@]}" 2>/dev/null |
			sed -n 's/^package \(.*\) is not installed$/\1/p'
	fi
}

# Is any of the words after the first in the list named by the first?
any_of() {
	local -n set=$1
	local p q
	shift
	for p in "$@"; do
		for q in "${set[@]}"; do [ "$p" = "$q" ] && return 0; done
	done
	return 1
}

OS_RELEASE=${PVB_OS_RELEASE:-/etc/os-release}
if [ "${1:-}" = --print-packages ]; then
	fam=${2:-}
	if [ -z "$fam" ]; then
		[ -r "$OS_RELEASE" ] || die "cannot read $OS_RELEASE: name the family (--print-packages debian|rhel|suse)"
		fam=$(family_of "$OS_RELEASE")
		[ -n "$fam" ] || die "unknown distribution in $OS_RELEASE: name the family (--print-packages debian|rhel|suse)"
	fi
	case " $FAMILIES " in
	*" $fam "*) packages "$fam"; exit 0 ;;
	esac
	die "unknown family '$fam' (debian, rhel or suse)"
fi
[ $# -eq 0 ] || die "usage: scripts/setup.sh [--print-packages [debian|rhel|suse]]"

[ -r "$OS_RELEASE" ] || die "cannot read $OS_RELEASE to tell the distribution; install by hand: $(packages debian | tr '\n' ' ')(Debian names; scripts/setup.sh --print-packages rhel|suse for the others)"
fam=$(family_of "$OS_RELEASE")
if [ -z "$fam" ]; then
	echo "setup: unknown distribution ($(os_id "$OS_RELEASE")) in $OS_RELEASE: install these by hand" >&2
	for f in $FAMILIES; do
		echo "  $f family: $(packages "$f" | tr '\n' ' ')" >&2
	done
	exit 2
fi

mapfile -t missing < <(missing_of "$fam")
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
	SUDO=sudo
fi
echo "setup: installing ${missing[*]}" >&2
case $fam in
debian)
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	;;
rhel)
	command -v dnf >/dev/null || die "dnf not found; install by hand: ${missing[*]}"
	id=$(os_id "$OS_RELEASE")
	if [ "$id" != fedora ] && any_of CRB_rhel "${missing[@]}"; then
		echo "setup: enabling CodeReady Builder for: ${CRB_rhel[*]}" >&2
		if [ "$id" = rhel ]; then
			$SUDO subscription-manager repos --enable "codeready-builder-for-rhel-9-$(uname -m)-rpms"
		else
			$SUDO dnf install -y -q dnf-plugins-core
			$SUDO dnf config-manager --set-enabled crb
		fi
	fi
	$SUDO dnf install -y -q "${missing[@]}"
	;;
suse)
	command -v zypper >/dev/null || die "zypper not found; install by hand: ${missing[*]}"
	if ! $SUDO zypper --non-interactive install --no-recommends "${missing[@]}"; then
		if [ "$(os_id "$OS_RELEASE")" = sles ] && any_of HUB_suse "${missing[@]}"; then
			echo "setup: on SLES, ${HUB_suse[*]} come from SUSE Package Hub:" \
				"SUSEConnect -p PackageHub/<version>/$(uname -m), then run this again" >&2
		fi
		exit 1
	fi
	;;
esac
