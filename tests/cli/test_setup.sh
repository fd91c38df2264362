#!/usr/bin/env bash
# scripts/setup.sh beyond Debian, with no real package manager touched: a fake os-release
# (PVB_OS_RELEASE) per distribution and fake apt-get, dpkg-query, dnf, zypper, rpm,
# subscription-manager and sudo first on PATH, each recording its arguments. Checks the family
# detection (ID, ID_LIKE), the commands each family runs (CRB on RHEL-likes only when needed,
# none on Fedora), that a host with everything installed runs no package manager,
# --print-packages, and the message for an unknown distribution.
# Usage: test_setup.sh SOURCE_DIR
set -u
SRC=${1:?}
T=$(mktemp -d /tmp/pvbench-setup-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"
SETUP=$SRC/scripts/setup.sh
LOG=$T/log

# The fakes: each appends "NAME ARGS" to $LOG. rpm -q and dpkg-query -W say "installed" for the
# packages in $T/have (one a line), as the real ones print it.
mkdir -p "$T/bin"
for tool in apt-get dnf zypper subscription-manager; do
	printf '#!/bin/sh\necho "%s $*" >>"%s"\n' "$tool" "$LOG" >"$T/bin/$tool"
done
cat >"$T/bin/rpm" <<FAKE
#!/bin/sh
printf "%s\\n" "rpm \$*" >>"$LOG"
[ "\$1" = -q ] || exit 1
shift 3 # -q --qf FMT
for p; do grep -qx "\$p" "$T/have" && echo "\$p" || echo "package \$p is not installed"; done
FAKE
cat >"$T/bin/dpkg-query" <<FAKE
#!/bin/sh
printf "%s\\n" "dpkg-query \$*" >>"$LOG"
shift 2 # -W -f=FMT
for p; do grep -qx "\$p" "$T/have" && echo "\$p install ok installed"; done
exit 0
FAKE
printf '#!/bin/sh\nexec "$@"\n' >"$T/bin/sudo"
chmod +x "$T"/bin/*
export PATH="$T/bin:$PATH"

# osr ID [ID_LIKE]: a fake os-release
osr() {
	printf 'NAME="test"\nID=%s\n' "$1" >"$T/os-release"
	[ -n "${2:-}" ] && printf 'ID_LIKE="%s"\n' "$2" >>"$T/os-release"
	return 0
}
# run_setup: setup.sh on the fake os-release, fresh log; its exit code in rc
run_setup() {
	: >"$LOG"
	PVB_OS_RELEASE=$T/os-release "$SETUP" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}
logged() { grep -qE -- "$1" "$LOG"; }

for fam in debian rhel suse; do
	"$SETUP" --print-packages "$fam" >"$T/$fam.list"
	check "--print-packages $fam lists packages ($(wc -l <"$T/$fam.list"))" "[ \$(wc -l <'$T/$fam.list') -ge 15 ]"
done
check "--print-packages debian keeps the Debian names" "grep -qx libhwloc-dev '$T/debian.list' && grep -qx gnuplot-nox '$T/debian.list'"
check "--print-packages rhel has RHEL names" "grep -qx numactl-devel '$T/rhel.list' && grep -qx inih-devel '$T/rhel.list'"
check "--print-packages suse has SUSE names" "grep -qx libnuma-devel '$T/suse.list' && grep -qx libjansson-devel '$T/suse.list'"
osr rocky "rhel centos fedora"
run_setup --print-packages
check "--print-packages with no family: this host's (rocky -> rhel)" "diff -q '$T/out' '$T/rhel.list' >/dev/null"
run_setup --print-packages gentoo
check "--print-packages gentoo: exit 2" "[ $rc -eq 2 ] && grep -q \"unknown family 'gentoo'\" '$T/err'"

# Nothing installed: each family's commands.
: >"$T/have"
osr rhel "fedora"
run_setup
check "RHEL: CRB through subscription-manager, then dnf install" \
	"[ $rc -eq 0 ] && logged '^subscription-manager repos --enable codeready-builder-for-rhel-9-' && logged '^dnf install -y -q .*inih-devel' && ! logged '^(apt-get|zypper)'"
check "RHEL: checked with rpm -q" "logged '^rpm -q --qf .* gsl-devel'"
osr almalinux "rhel centos fedora"
run_setup
check "Alma (ID_LIKE rhel): dnf config-manager --set-enabled crb, then dnf install" \
	"[ $rc -eq 0 ] && logged '^dnf config-manager --set-enabled crb' && logged '^dnf install -y -q .*gnuplot' && ! logged subscription-manager"
osr fedora
run_setup
check "Fedora: dnf install, no CRB" "[ $rc -eq 0 ] && logged '^dnf install -y -q ' && ! logged config-manager && ! logged subscription-manager"
osr sles
run_setup
check "SLES: zypper --non-interactive install" \
	"[ $rc -eq 0 ] && logged '^zypper --non-interactive install --no-recommends .*libnuma-devel' && ! logged '^(dnf|apt-get)'"
osr opensuse-leap "suse opensuse"
run_setup
check "openSUSE Leap (ID_LIKE suse): zypper" "[ $rc -eq 0 ] && logged '^zypper '"
osr ubuntu debian
run_setup
check "Ubuntu: apt-get update, then apt-get install (the Debian commands)" \
	"[ $rc -eq 0 ] && [ \"\$(grep -c '^apt-get' '$LOG')\" -eq 2 ] && logged '^apt-get update -qq' && logged '^apt-get install -y -qq --no-install-recommends build-essential'"

# Some installed: only the rest is asked for.
"$SETUP" --print-packages rhel | grep -v '^gnuplot$' >"$T/have"
osr rhel
run_setup
check "RHEL with all but gnuplot: dnf install gnuplot alone, no CRB" \
	"[ $rc -eq 0 ] && logged '^dnf install -y -q gnuplot\$' && ! logged subscription-manager"
# Everything installed: no package manager.
for fam in rhel suse debian; do
	"$SETUP" --print-packages "$fam" >"$T/have"
	case $fam in rhel) osr centos "rhel fedora" ;; suse) osr sles ;; debian) osr debian ;; esac
	run_setup
	check "$fam with everything installed: exit 0, no package manager" \
		"[ $rc -eq 0 ] && ! logged '^(dnf|zypper|apt-get|subscription-manager) '"
done

# Unknown distribution: a clear message with the lists.
: >"$T/have"
osr gentoo
run_setup
check "unknown distribution: exit 2, names it and lists every family" \
	"[ $rc -eq 2 ] && grep -q 'unknown distribution (gentoo)' '$T/err' && grep -q 'rhel family: .*inih-devel' '$T/err' && [ ! -s '$LOG' ]"
PVB_OS_RELEASE=$T/none "$SETUP" >"$T/out" 2>"$T/err"
check "no os-release: exit 2 saying what to install" "[ $? -eq 2 ] && grep -q 'cannot read $T/none' '$T/err'"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
