#!/usr/bin/env bash
# The style check CI runs: every tracked C file against .clang-format (kernel style, 100
# columns), and .editorconfig's basics (no trailing white space, a final newline) for the
# other tracked text files. Prints each offending file; exits 1 if there is any.
# Fix C files with: clang-format -i FILE   (scripts/check-format.sh --fix does all of them)
set -euo pipefail
cd "$(dirname "$0")/.."
CF=${CLANG_FORMAT:-clang-format}
command -v "$CF" >/dev/null || { echo "check-format: $CF not found (scripts/setup.sh installs it)" >&2; exit 2; }
mapfile -t cfiles < <(git ls-files '*.c' '*.h')
if [ "${1:-}" = --fix ]; then
	"$CF" -i "${cfiles[@]}"
	exit 0
fi
bad=0
for f in "${cfiles[@]}"; do
	if ! "$CF" --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "check-format: $f is not formatted (clang-format -i $f)"
		bad=1
	fi
done
# Other text files: what .editorconfig asks (Markdown may end lines with two spaces).
mapfile -t tfiles < <(git ls-files '*.sh' '*.gp' '*.ini' '*.conf' '*.cmake' '*.S' '*.ld' \
	'CMakeLists.txt' '*/CMakeLists.txt' '.ci/*' '.clang-format' '.editorconfig')
for f in "${tfiles[@]}"; do
	[ -s "$f" ] || continue
	if grep -nE '[[:blank:]]+$' "$f" >/dev/null; then
		echo "check-format: $f has trailing white space (line $(grep -nE '[[:blank:]]+$' "$f" | head -1 | cut -d: -f1))"
		bad=1
	fi
	if [ "$(tail -c1 "$f" | od -An -tx1 | tr -d ' ')" != 0a ]; then
		echo "check-format: $f does not end with a newline"
		bad=1
	fi
done
echo "check-format: ${#cfiles[@]} C files, ${#tfiles[@]} other files: $([ $bad = 0 ] && echo clean || echo NOT clean)"
exit $bad
