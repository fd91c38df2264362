#!/usr/bin/env bash
# The man pages and the bash completion the build generates from the option tables: every
# page renders with no groff/man warning, each subcommand's page documents exactly the
# options its --help lists, pvbench.1 lists every subcommand, and the completion completes
# subcommands, options, ENUM values and directories.
# Usage: test_docs.sh PATH/TO/pvbench BUILD_DIR. Without man, the pages are not rendered.
set -u
PVB=${1:?}; BUILD=${2:?}
T=$(mktemp -d /tmp/pvbench-docs-XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/cli_lib.sh"
MAN=$BUILD/man
COMPLETION=$BUILD/completion/pvbench

cmds=$("$PVB" --help | awk '/^  [a-z]/ && $1 != "help" { print $1 }')
check "pvbench --help lists commands" "[ -n '$cmds' ]"

if command -v man >/dev/null 2>&1; then
	for page in "$MAN"/pvbench.1 "$MAN"/pvbench-*.1; do
		w=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		check "man renders $(basename "$page") without warnings${w:+: $w}" "[ -z \"\$w\" ]"
	done
	check "pvbench.1 renders its sections" \
		"MANWIDTH=80 man -l '$MAN/pvbench.1' | grep -q '^EXIT STATUS'"
else
	sk "man is not installed (apt-get install man-db): pages not rendered"
fi

# The options of a --help: the label of each entry line ("  -o, --out FILE  help").
help_opts() { "$PVB" "$1" --help | awk -F'  ' '/^  -/ { print $2 }' | grep -oE -- '--[a-z0-9-]+' | sort -u; }
# The options of a page: the bold label after each .TP.
man_opts() { grep -A1 '^\.TP' "$1" | grep '^\\fB' | sed 's/\\-/-/g' | grep -oE -- '--[a-z0-9-]+' | sort -u; }
for c in $cmds; do
	page=$MAN/pvbench-$c.1
	check "pvbench-$c.1 exists" "[ -s '$page' ]"
	help_opts "$c" >"$T/help"
	man_opts "$page" >"$T/man"
	check "pvbench-$c.1 has the options of '$c --help' ($(wc -l <"$T/help"))" \
		"diff '$T/help' '$T/man' >/dev/null"
	check "pvbench.1 lists $c" "grep -q '^\\.B $c\$' '$MAN/pvbench.1'"
	check "pvbench-$c.1 has SYNOPSIS, OPTIONS, EXIT STATUS" \
		"grep -q '^\\.SH SYNOPSIS' '$page' && grep -q '^\\.SH OPTIONS' '$page' && grep -q '^\\.SH EXIT STATUS' '$page'"
done
# reboot's page is the largest: its backend options are there under their own heading
check "pvbench-reboot.1 has the backends' options (--pv-costs)" "grep -q 'pv\\\\-costs' '$MAN/pvbench-reboot.1'"
expect 2 "unknown command 'nosuch'" -- help --man nosuch
expect 2 "usage: pvbench help" -- help --bogus
"$PVB" help reboot >"$T/out" 2>&1
check "pvbench help reboot is reboot --help" "grep -q '^usage: pvbench reboot' '$T/out'"

# complete WORDS...: COMPREPLY for the last word as typed
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pvbench; [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$COMPLETION" "$@"
}
check "completion script is valid bash" "bash -n '$COMPLETION'"
complete_words pvbench re >"$T/c"
check "completes subcommands (re -> reboot report)" "[ \"\$(sort '$T/c' | tr '\n' ' ')\" = 'reboot report ' ]"
complete_words pvbench reboot --it >"$T/c"
check "completes options (--it -> --iterations)" "[ \"\$(cat '$T/c')\" = --iterations ]"
complete_words pvbench reboot --backend pv >"$T/c"
check "completes --backend values (pv -> pv pv-emulated)" "[ \"\$(sort '$T/c' | tr '\n' ' ')\" = 'pv pv-emulated ' ]"
complete_words pvbench reboot --backing h >"$T/c"
check "completes ENUM values (--backing h -> hugetlb)" "[ \"\$(cat '$T/c')\" = hugetlb ]"
complete_words pvbench report --format "" >"$T/c"
check "completes report --format (4 formats)" "[ \$(wc -l <'$T/c') -eq 4 ]"
mkdir -p "$T/dirA" && : >"$T/fileA"
complete_words pvbench reboot --out "$T/" >"$T/c"
check "completes --out with directories only" "grep -qx '$T/dirA' '$T/c' && ! grep -q fileA '$T/c'"
complete_words pvbench reboot --iterations "" >"$T/c"
check "a number completes to nothing" "[ ! -s '$T/c' ]"
for c in $cmds; do
	complete_words pvbench "$c" -- >"$T/c"
	check "completes $c's options (--help among them)" "grep -qx -- --help '$T/c'"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
