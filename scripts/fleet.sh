#!/usr/bin/env bash
# Fleet runs: one sweep (or reboot command) on every host of an Ansible inventory, the results
# merged and reported on this machine (the controller). The playbook and role are in
# scripts/fleet/; README.md, "Fleet runs", says how to use them.
#
#   scripts/fleet.sh --inventory FILE (--sweep FILE | --reboot 'OPTIONS') --out DIR
#                    [--parallel N] [--check] [--pvbench PATH] [--no-deps] [--limit PATTERN]
#
# Exit codes: 0 done, 1 a host or the merge failed (ansible's output says which), 2 bad
# arguments, 4 ansible-playbook is not installed (skipped).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	sed -n '2,12s/^# \{0,1\}//p' "$0" >&2
	exit 2
}
die() {
	echo "fleet: $*" >&2
	exit 2
}

inventory= sweep= reboot= out= parallel=1 check=0 bin= deps=true limit=
while [ $# -gt 0 ]; do
	case $1 in
	--inventory) inventory=${2:-}; shift 2 || usage ;;
	--sweep) sweep=${2:-}; shift 2 || usage ;;
	--reboot) reboot=${2:-}; shift 2 || usage ;;
	--out) out=${2:-}; shift 2 || usage ;;
	--parallel) parallel=${2:-}; shift 2 || usage ;;
	--pvbench) bin=${2:-}; shift 2 || usage ;;
	--limit) limit=${2:-}; shift 2 || usage ;;
	--check) check=1; shift ;;
	--no-deps) deps=false; shift ;;
	-h | --help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see scripts/fleet.sh --help)" ;;
	esac
done
[ -n "$inventory" ] || die "give the hosts: --inventory FILE (see workloads/fleets/inventory.example.ini)"
[ -f "$inventory" ] || die "--inventory $inventory: no such file"
[ -n "$sweep" ] || [ -n "$reboot" ] || die "give what to run: --sweep FILE or --reboot 'OPTIONS'"
[ -z "$sweep" ] || [ -z "$reboot" ] || die "--sweep and --reboot: give one of them"
[ -z "$sweep" ] || [ -f "$sweep" ] || die "--sweep $sweep: no such file"
[ -n "$out" ] || die "give the controller's results directory: --out DIR"
[[ "$parallel" =~ ^[1-9][0-9]*$ ]] || die "--parallel '$parallel': want a number of hosts >= 1"
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
	die "--out $out is not empty: give a new directory"
fi
case $reboot in *--out* | *--host-label*) die "--reboot: leave out --out and --host-label (the fleet sets them)" ;; esac

if ! command -v ansible-playbook >/dev/null; then
	echo "fleet: skipped: ansible-playbook is not installed (apt-get install ansible-core," \
		"dnf install ansible-core, zypper install ansible; or scripts/setup.sh)" >&2
	exit 4
fi
# The controller's pvbench (merge, report): the build tree's, else the one on PATH.
ctl=${PVBENCH:-}
[ -n "$ctl" ] || { [ -x "$ROOT/build/pvbench" ] && ctl=$ROOT/build/pvbench; }
[ -n "$ctl" ] || ctl=$(command -v pvbench) || die "no pvbench on this machine to merge with: build it (scripts/build.sh) or set PVBENCH"

mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
tag=fleet-$(date -u +%Y%m%dT%H%M%SZ)
tar_=
if [ -z "$bin" ]; then
	# The source tree as the hosts build it: no build trees, no git history, no results.
	tar_=$out/source.tar.gz
	tar -C "$ROOT" --exclude=./.git --exclude='./build*' --exclude=./results/runs \
		-czf "$tar_" . || { echo "fleet: packing the source tree failed" >&2; exit 1; }
fi
sweep_abs=
[ -z "$sweep" ] || sweep_abs=$(cd "$(dirname "$sweep")" && pwd)/$(basename "$sweep")
# Variables as JSON: no quoting trouble with paths or reboot options.
jq -n --arg sweep "$sweep_abs" --arg reboot "$reboot" --arg out "$out" --arg tag "$tag" \
	--arg bin "$bin" --arg tar "$tar_" --arg ctl "$ctl" --argjson serial "$parallel" \
	--argjson deps "$deps" \
	'{pvbench_sweep: $sweep, pvbench_reboot_args: $reboot, pvbench_out: $out,
	  pvbench_tag: $tag, pvbench_bin: $bin, pvbench_source_tar: $tar,
	  pvbench_controller_bin: $ctl, pvbench_serial: $serial, pvbench_throttle: $serial,
	  pvbench_install_deps: $deps}' >"$out/fleet-vars.json" || exit 1

args=(-i "$inventory" "$ROOT/scripts/fleet/playbook.yml" -e "@$out/fleet-vars.json")
[ "$check" = 1 ] && args+=(--check --diff)
# the controller's play (merge, report) runs on localhost, whatever the hosts taken
[ -n "$limit" ] && args+=(--limit "$limit,localhost")
echo "fleet: $tag: $(basename "${sweep:-reboot}") on $inventory, $parallel host(s) at a time, into $out" >&2
ANSIBLE_CONFIG=$ROOT/scripts/fleet/ansible.cfg ansible-playbook "${args[@]}"
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "fleet: ansible-playbook failed (exit $rc): see above" >&2
	exit 1
fi
if [ "$check" = 1 ]; then
	echo "fleet: --check: nothing was run" >&2
	exit 0
fi
[ -f "$out/merged/merged.json" ] || { echo "fleet: no host sent results (every host skipped?)" >&2; exit 1; }
echo "fleet: merged set $out/merged, report $out/report.md" >&2
sed -n '1,/^$/p' "$out/report.txt"
