#!/usr/bin/env bash
# Install what pvbench needs to build, test and plot on Debian 12 (as root, or with sudo).
# Does nothing when everything is already there.
set -euo pipefail
PKGS=(build-essential cmake pkg-config git jq procps
      libhwloc-dev hwloc libnuma-dev numactl libjansson-dev libinih-dev libcmocka-dev libgsl-dev
      gnuplot-nox stress-ng clang-format)
# The libFuzzer targets (scripts/fuzz.sh): clang and its runtimes (libFuzzer, ASan, UBSan),
# which clang only recommends.
PKGS+=(clang libclang-rt-14-dev)
# Fleet runs (scripts/fleet.sh) and their lint in CI.
PKGS+=(ansible-core ansible-lint)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 2; }
	SUDO=sudo
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
