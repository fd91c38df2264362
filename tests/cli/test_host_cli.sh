#!/usr/bin/env bash
# The host side from the command line: a CPU or NUMA node this host does not have is bad
# input (exit 2, and no results directory), a placement the topology cannot satisfy for its
# structure stays a skip (4), and a synthetic --topology is capped to a size hwloc loads
# quickly. Usage: test_host_cli.sh PATH/TO/pvbench
set -u
PVB=${1:?usage: test_host_cli.sh PATH/TO/pvbench}
T=$(mktemp -d /tmp/pvbench-hostcli-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"

R=(reboot --backend pv-emulated --size 8M --mode sync --iterations 1 --warmup 0 --no-floor
	--ref-iterations 0 --out "$T/r")

# The highest numbers each parser takes, so that no host has them.
expect 2 "CPU 65535 is not in this topology" -- "${R[@]}" --placement 65535
expect 2 "CPUs? .*65535 (is|are) not in this topology" -- "${R[@]}" --placement 0,65535
expect 2 "no NUMA node P#65535" -- "${R[@]}" --placement node:65535
# Where the kernel has no NUMA policy support (or under qemu-user) no node can be checked:
# every NUMA policy is then a skip with that reason.
if "$PVB" "${R[@]/#$T\/r/$T/probe}" --mem-policy bind:0 2>&1 >/dev/null |
	grep -q "no NUMA policy support"; then
	expect 4 "no NUMA policy support" -- "${R[@]}" --mem-policy bind:4095
else
	expect 2 "no NUMA node 4095" -- "${R[@]}" --mem-policy bind:4095
	expect 2 "no NUMA node 4095" -- "${R[@]}" --mem-policy preferred:4095
fi
# A structural gap stays a skip: IBM Z drawers are Groups other machines do not have.
if ! "$PVB" topo --json | jq -e '.topology.groups.Drawer' >/dev/null; then
	expect 4 "skipped: other-group:Drawer" -- "${R[@]}" --placement other-group:Drawer
fi
[ ! -e "$T/r" ] && ok "no results directory for refused runs" || ko "a refused run left $T/r"

# The synthetic topology cap: 4096 PUs load at once, more is refused before hwloc sees it.
expect 2 "more than 4096 PUs" -- topo --topology "pack:100 core:100 pu:10"
expect 2 "more than 4096 PUs" -- topo --topology "pack:64 [numa(memory=1000000)] core:32 pu:3"
expect 2 "more than 4096 PUs" -- topo --topology "99999999999999999999 2"
if "$PVB" topo --topology "pack:64 core:32 pu:2" --json >"$T/big.json" 2>"$T/big.err"; then
	check "topo: a synthetic topology of 4096 PUs loads" \
		"jq -e '.topology.pus == 4096' $T/big.json >/dev/null"
else
	ko "topo: a synthetic topology of 4096 PUs: $(head -c 400 "$T/big.err")"
fi
# the topo table lists node:N only for the nodes there are: none is refused
check "topo: every listed policy resolves or is skipped" \
	"\"\$PVB\" topo --topology 'pack:2 [numa] core:2 pu:2' >/dev/null"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
