#!/bin/sh
# Prints the version vmplay is built as. The release number lives in one
# place, the newest entry of debian/changelog; NEWS.md, the AppStream
# release list and the man pages follow it (tests check they agree).
# - In a git checkout: `git describe` when a release tag (v0.1.0) is
#   reachable, e.g. 0.1.0-12-g1a2b3c4; without tags the changelog's number
#   plus the commit, e.g. 0.1.0+g1a2b3c4. "-dirty" marks local changes.
# - Anywhere else (a tarball): the changelog's number.
# The Debian package passes its own version (make VMPLAY_VERSION=...), so
# an installed vmplay names exactly the package it came from.
cd "$(dirname "$0")/.." || exit 1
release=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' debian/changelog 2>/dev/null)
[ -n "$release" ] || release=unknown
if [ -e .git ] && command -v git >/dev/null 2>&1 &&
   git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	if desc=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
		echo "${desc#v}"
		exit 0
	fi
	commit=$(git rev-parse --short HEAD 2>/dev/null)
	dirty=
	git diff-index --quiet HEAD -- 2>/dev/null || dirty=-dirty
	[ -n "$commit" ] && { echo "$release+g$commit$dirty"; exit 0; }
fi
echo "$release"
