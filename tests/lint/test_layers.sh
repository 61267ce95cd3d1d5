#!/bin/bash
# The layers of src/ (docs/architecture.md): base -> vm -> {player, cli}.
# A file may include headers of its own layer and of the layers below it;
# player and cli are siblings and never include each other; main.c may
# include anything. base and vm build without SDL (headless and the
# subcommands need no window), so they may not include SDL's headers.
# Usage: test_layers.sh [SRC_DIR]   (default: the src/ beside tests/)
src=${1:-$(cd "$(dirname "$0")/../../src" && pwd)}
rank() {
	case $1 in
	base) echo 0 ;; vm) echo 1 ;; player | cli) echo 2 ;; *) echo 9 ;;
	esac
}
passed=0 failed=0
complain() { echo "FAIL: $*"; failed=$((failed + 1)); }
for file in "$src"/*/*.[ch]; do
	layer=$(basename "$(dirname "$file")")
	here=$(rank "$layer")
	ok=1
	if [ "$here" = 9 ]; then
		complain "${file#"$src"/}: $layer/ is not a layer (base, vm, player, cli)"
		continue
	fi
	while IFS=: read -r line inc; do
		target=${inc%%/*}
		if [ "$target" = "$inc" ]; then
			complain "${file#"$src"/}:$line: include \"$inc\" names no layer (write \"LAYER/$inc\")"
			ok=0
			continue
		fi
		there=$(rank "$target")
		if [ "$there" -gt "$here" ] ||
			{ [ "$there" = 2 ] && [ "$target" != "$layer" ]; }; then
			complain "${file#"$src"/}:$line: $layer/ may not include \"$inc\" ($layer comes before $target in base -> vm -> {player, cli})"
			ok=0
		fi
	done < <(grep -n '^#include "' "$file" | sed 's/^\([0-9]*\):#include "\([^"]*\)".*/\1:\2/')
	if [ "$here" -le 1 ]; then
		while IFS=: read -r line _; do
			complain "${file#"$src"/}:$line: $layer/ may not use SDL (only player/ and cli/ do)"
			ok=0
		done < <(grep -n '^#include <SDL' "$file")
	fi
	[ $ok = 1 ] && passed=$((passed + 1))
done
# The rule itself: a tree with one wrong include of each kind must fail
# (run only for the real tree, not for the planted ones).
if [ -z "$1" ]; then
	plant=$(mktemp -d)
	mkdir -p "$plant/base" "$plant/vm" "$plant/player" "$plant/cli"
	for bad in 'vm/x.c:#include "player/render.h"' \
		'base/x.c:#include "vm/config.h"' \
		'cli/x.c:#include "player/player.h"' \
		'vm/x.c:#include <SDL2/SDL.h>' \
		'player/x.c:#include "render.h"'; do
		rm -f "$plant"/*/x.c
		printf '%s\n' "${bad#*:}" >"$plant/${bad%%:*}"
		if "$0" "$plant" >/dev/null; then
			complain "the check let through: ${bad%%:*}: ${bad#*:}"
		else
			passed=$((passed + 1))
		fi
	done
	printf '#include "vm/config.h"\n#include <SDL2/SDL.h>\n' >"$plant/player/x.c"
	rm -f "$plant"/{vm,base,cli}/x.c
	if "$0" "$plant" >/dev/null; then passed=$((passed + 1)); else
		complain "the check refused a correct player/ include"
	fi
	rm -rf "$plant"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
