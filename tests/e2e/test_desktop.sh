#!/bin/bash
# Double-click under Xvfb: vmplay installed into a test prefix that the
# desktop tools are pointed at (XDG_DATA_HOME/XDG_DATA_DIRS, PATH), then
# - xdg-open on a VM file starts the installed vmplay with a window;
# - a second xdg-open (through another name of the file) starts no second
#   QEMU: the first vmplay is asked to raise its window, the second exits 0;
# - a broken VM file, a missing disk and a missing QEMU each give a message
#   window (captured to a picture) as well as the message on stderr.
# xdg-open runs the desktop's opener; GNOME's (gio) is used here because
# the generic one needs File::MimeInfo to know shared-mime-info types.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

if missing=$(have_tools); then :; else
	skip "desktop" "$missing missing"
	finish
fi
command -v gio >/dev/null || { skip "desktop" "gio (libglib2.0-bin) missing"; finish; }
KERNEL=$(guest_kernel)
[ -f "$KERNEL" ] || { fail "test guest built" "$KERNEL missing"; finish; }

PFX=$TMP/prefix
if ! make --no-print-directory -C "$E2E_ROOT" BUILD="$BUILD" install \
	PREFIX="$PFX" >"$TMP/install.log" 2>&1; then
	fail "install into a test prefix" "$(tail -n 3 "$TMP/install.log")"
	finish
fi
export XDG_DATA_HOME=$PFX/share XDG_DATA_DIRS=$PFX/share:/usr/share
export XDG_CONFIG_HOME=$TMP/config HOME=$TMP/home XDG_CURRENT_DESKTOP=GNOME
export PATH=$PFX/bin:$PATH VMPLAY_DEBUG=1 SDL_VIDEODRIVER=x11
mkdir -m 700 -p "$XDG_CONFIG_HOME" "$HOME" "$TMP/run"
export XDG_RUNTIME_DIR=$TMP/run
start_xvfb 1024x768x24 || { fail "Xvfb starts"; finish; }

# The VM lives in the user's VM folder, so its [qemu] args (the test's own
# QMP monitor) are trusted without --trust, which a double-click cannot
# pass.
VMDIR=$HOME/.VM/demo
mkdir -p "$VMDIR"
chmod 755 "$HOME/.VM" "$VMDIR"
guest_vm_text demo "-qmp unix:$TMP/demo.qmp,server=on,wait=off -serial file:$TMP/demo.serial" \
	>"$VMDIR/demo.vmplay"
: >"$TMP/demo.serial"

qemus() { pgrep -c -f 'qemu-system.*guest=demo' || true; }
# vmplay processes running the installed binary (started as "vmplay %f")
vmplays() {
	local p
	for p in $(pgrep -x vmplay); do
		[ "$(readlink "/proc/$p/exe")" = "$PFX/bin/vmplay" ] && echo "$p"
	done
	true
}

xdg-open "$VMDIR/demo.vmplay" >"$TMP/open1.log" 2>&1
if find_window "^demo: running" 90 && wait_line 60 "$TMP/demo.serial" '^ready '; then
	ok "xdg-open of a VM file: a vmplay window plays it"
	VPID=$(vmplays | head -n 1)
	if [ -n "$VPID" ]; then
		ok "it is the installed vmplay (pid $VPID)"
		register_pid "$VPID"
	else
		fail "it is the installed vmplay" "pids: $(vmplays | tr '\n' ' ')"
	fi
	check "one QEMU" test "$(qemus)" = 1
	# the same file through a symbolic link: the lock is on the real path
	ln -s "$VMDIR/demo.vmplay" "$TMP/link.vmplay"
	xdg-open "$TMP/link.vmplay" >"$TMP/open2.log" 2>&1
	check "a second open says it raised the first window" \
		wait_line 30 "$TMP/open2.log" "already open .*raised its window"
	check "the first vmplay was asked to raise its window" \
		wait_line 10 "$TMP/open1.log" "asked to raise the window"
	sleep 2
	check "still one QEMU after the second open" test "$(qemus)" = 1
	check "still one vmplay after the second open" test "$(vmplays | wc -l)" = 1
	# the guest powers off: the window stays, stopped; closing it ends
	# vmplay
	qmp "$TMP/demo.qmp" send-key p >/dev/null
	check "guest power-off: the window says 'demo: stopped'" \
		wait_for 60 title_is "demo: stopped"
	"$XCLOSE" "$WIN" >/dev/null 2>&1
	if [ -n "$VPID" ] && wait_for 30 eval "! alive $VPID"; then
		ok "closing the stopped window ends vmplay"
	else
		fail "closing the stopped window ends vmplay"
	fi
else
	fail "xdg-open of a VM file: a vmplay window plays it" "$(tail -n 5 "$TMP/open1.log")"
fi

# message_window NAME TITLE-REGEX FILE STDERR-REGEX: opens FILE with
# xdg-open (or runs "$@" after the fourth argument), expects a window with
# that title, captures it, checks the message on stderr, closes the window
# with Enter and expects vmplay to exit.
message_window() {
	local name=$1 title=$2 file=$3 regex=$4
	shift 4
	if [ $# -gt 0 ]; then
		"$@" "$file" >"$TMP/$name.log" 2>&1 &
		register_pid $!
	else
		xdg-open "$file" >"$TMP/$name.log" 2>&1
	fi
	if find_window "$title" 30; then
		sleep 0.5
		capture "$TMP/$name.png"
		# Text drawn: pixels outside the two commonest colours (the
		# background and the button's face) are glyphs and borders; a
		# box with an empty message has a few hundred (the OK button).
		ink=$(convert "$TMP/$name.png" -format %c histogram:info:- 2>/dev/null |
			sort -rn | awk 'NR > 2 { n += $1 } END { print n + 0 }')
		if [ "${ink:-0}" -gt 1200 ]; then
			ok "$name: a message window with text, captured ($ink ink pixels in $name.png)"
		else
			fail "$name: a message window with text" "${ink:-no} ink pixels"
		fi
		cp "$TMP/$name.png" "${SAVE_SHOTS:-$TMP}/" 2>/dev/null
		check "$name: the message is on stderr too" wait_line 5 "$TMP/$name.log" "$regex"
		xdotool windowfocus --sync "$WIN" 2>/dev/null
		xdotool key Return
		if wait_for 15 eval "! window_by_title '$title' >/dev/null"; then
			ok "$name: Enter closes it"
		else
			fail "$name: Enter closes it"
		fi
	else
		fail "$name: a message window" "$(tail -n 3 "$TMP/$name.log")"
	fi
}

printf '[vm]\nmemory = lots\n' >"$TMP/broken.vmplay"
message_window broken "^vmplay: cannot play broken.vmplay" "$TMP/broken.vmplay" \
	"broken.vmplay:2: memory: 'lots' is not a size"

mkdir -p "$HOME/.VM/nodisk"
printf '[vm]\nname = nodisk\n[disk.system]\nfile = gone.qcow2\nformat = qcow2\n' \
	>"$HOME/.VM/nodisk/nodisk.vmplay"
message_window missing-disk "^vmplay: cannot play nodisk" "$HOME/.VM/nodisk/nodisk.vmplay" \
	"gone.qcow2"

# QEMU missing: the file is fine, the program is not there
printf '[vm]\nname = noqemu\nmemory = 64M\n[boot]\nkernel = %s\n' "$KERNEL" \
	>"$HOME/.VM/noqemu.vmplay"
message_window no-qemu "^vmplay: cannot play noqemu" "$HOME/.VM/noqemu.vmplay" \
	"QEMU .* is not installed" env VMPLAY_QEMU=/nonexistent/qemu-system-x86_64 "$PFX/bin/vmplay"

check "no QEMU left" wait_for 15 eval "[ \"\$(qemus)\" = 0 ]"
finish
