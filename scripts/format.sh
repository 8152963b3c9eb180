#!/bin/sh
# format.sh [--check] SRCDIR: run clang-format over every .c and .h of
# softvisor (include/, the layer folders, tests/).
#   without --check: reformat the files in place (make format);
#   with --check: change nothing, list the files that clang-format would
#   change, exit 1 if there are any (make format-check, run by CI).
# Without clang-format (or $CLANG_FORMAT) it says so and succeeds.
set -eu

check=no
if [ "${1:-}" = --check ]; then
	check=yes
	shift
fi
if [ $# -ne 1 ]; then
	echo "usage: format.sh [--check] SRCDIR" >&2
	exit 2
fi
cd "$1"

cf=${CLANG_FORMAT:-clang-format}
if ! command -v "$cf" >/dev/null 2>&1; then
	echo "format: $cf not found: skipped (install clang-format)"
	exit 0
fi

dirs=
for d in include cpu mmu hv devices frontend tests; do
	[ -d "$d" ] && dirs="$dirs $d"
done
if [ -z "$dirs" ]; then
	echo "format: no sources yet"
	exit 0
fi

# shellcheck disable=SC2086 # $dirs is a list of plain folder names
files=$(find $dirs -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
if [ -z "$files" ]; then
	echo "format: no sources yet"
	exit 0
fi

if [ "$check" = no ]; then
	# shellcheck disable=SC2086 # no spaces in source file names
	"$cf" -i --style=file $files
	echo "format: $(echo "$files" | wc -l | tr -d ' ') files formatted"
	exit 0
fi

bad=
for f in $files; do
	if ! "$cf" --style=file "$f" | cmp -s - "$f"; then
		bad="$bad $f"
	fi
done
if [ -n "$bad" ]; then
	echo "format-check: clang-format ($("$cf" --version | sed 's/.*version \([0-9.]*\).*/\1/')) would change:"
	for f in $bad; do
		echo "  $f"
	done
	echo "format-check: run make format"
	exit 1
fi
echo "format-check: $(echo "$files" | wc -l | tr -d ' ') files clean"
