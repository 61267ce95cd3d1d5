#!/bin/bash
# How a played VM ends (GRUB rescue CD, Xvfb, real QEMU): closing the window
# asks the guest to power down and says so on screen, a second close stops
# QEMU; SIGTERM does the same with the powerdown timeout; QEMU killed or
# failing to start shows QEMU's message in the window and on stderr, and
# vmplay exits non-zero once the window is closed; vmplay killed outright
# takes QEMU with it. No QEMU is left after any of them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

if missing=$(have_tools); then :; else
	skip "player lifecycle" "$missing missing"
	finish
fi
[ -f "$GRUB_ISO" ] || { skip "player lifecycle" "$GRUB_ISO missing (grub-rescue-pc)"; finish; }
start_xvfb 1280x1024x24 || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11

# play NAME [EXTRA QEMU ARGS]: starts vmplay on a GRUB VM; VPID, QMP, WIN.
play() {
	QMP=$TMP/$1.qmp
	grub_vm "$TMP/$1.vmplay" "$1" "$QMP" "$2"
	spawn "$1" "$VMPLAY" --trust "$TMP/$1.vmplay"
	VPID=$SPAWNED_PID
	find_window "^$1: " 60
}

gone() { [ -n "$1" ] && wait_for 15 eval "! alive $1"; }

# 1. close, then close again
if play closing && wait_for 60 title_is "closing: running" &&
	wait_for 60 vga_has "$QMP" "GNU GRUB"; then
	QPID=$(qemu_of "$VPID")
	"$XCLOSE" "$WIN"
	check "close: title says shutting down" wait_for 10 title_is "closing: shutting down"
	check "close: the log says the guest was asked" wait_line 10 "$TMP/closing.log" "shutting down closing"
	# the note is drawn over the guest: the window no longer equals the guest
	if capture "$TMP/note.ppm" && qmp "$QMP" screendump "$TMP/guest.ppm" &&
		! ppm compare "$TMP/note.ppm" "$TMP/guest.ppm" >/dev/null; then
		ok "close: a note is drawn over the guest"
	else
		fail "close: a note is drawn over the guest"
	fi
	check "close: QEMU still runs (GRUB ignores ACPI)" alive "$QPID"
	"$XCLOSE" "$WIN"
	if wait_exit "$VPID" 30 && [ "$EXIT_STATUS" = 0 ]; then
		ok "second close stops QEMU, vmplay exits 0"
	else
		fail "second close stops QEMU, vmplay exits 0" "status ${EXIT_STATUS:-running}"
	fi
	check "close: no QEMU left" gone "$QPID"
else
	fail "close: VM starts" "$(tail -n 3 "$TMP/closing.log")"
fi

# 2. SIGTERM: like closing; the guest ignores ACPI, so the timeout stops it
export VMPLAY_POWERDOWN_TIMEOUT=2
if play sigterm && wait_for 60 title_is "sigterm: running"; then
	QPID=$(qemu_of "$VPID")
	kill -TERM "$VPID"
	check "SIGTERM: title says shutting down" wait_for 10 title_is "sigterm: shutting down"
	if wait_exit "$VPID" 40 && [ "$EXIT_STATUS" = 0 ]; then
		ok "SIGTERM: QEMU stopped after the powerdown timeout, exit 0"
	else
		fail "SIGTERM: QEMU stopped after the powerdown timeout, exit 0" "status ${EXIT_STATUS:-running}"
	fi
	check "SIGTERM: no QEMU left" gone "$QPID"
else
	fail "SIGTERM: VM starts" "$(tail -n 3 "$TMP/sigterm.log")"
fi
unset VMPLAY_POWERDOWN_TIMEOUT

# 3. QEMU killed: its end is shown and vmplay exits non-zero when closed
if play killed && wait_for 60 title_is "killed: running"; then
	QPID=$(qemu_of "$VPID")
	kill -KILL "$QPID"
	check "QEMU killed: title says stopped" wait_for 20 title_is "killed: stopped"
	check "QEMU killed: stderr says so" wait_line 10 "$TMP/killed.log" "signal 9|SIGKILL|[Kk]illed"
	check "QEMU killed: the window stays open" alive "$VPID"
	"$XCLOSE" "$WIN"
	if wait_exit "$VPID" 20 && [ "$EXIT_STATUS" != 0 ]; then
		ok "QEMU killed: vmplay exits non-zero ($EXIT_STATUS)"
	else
		fail "QEMU killed: vmplay exits non-zero" "status ${EXIT_STATUS:-running}"
	fi
else
	fail "QEMU killed: VM starts" "$(tail -n 3 "$TMP/killed.log")"
fi

# 4. QEMU fails to start: its own message in the window and on stderr
if play broken "-device vmplay-no-such-device"; then
	check "QEMU fails: title says stopped" wait_for 30 title_is "broken: stopped"
	check "QEMU fails: its message on stderr" wait_line 10 "$TMP/broken.log" "vmplay-no-such-device"
	capture "$TMP/broken.ppm"
	if python3 - "$TMP/broken.ppm" <<'PY'
import sys
sys.path.insert(0, sys.argv[0].rsplit("/", 1)[0])
d = open(sys.argv[1], "rb").read()
# P6 header: 4 tokens; any bright pixel means text was drawn
body = d.split(b"\n", 3)[3]
sys.exit(0 if max(body) > 200 else 1)
PY
	then
		ok "QEMU fails: the message is drawn in the window"
	else
		fail "QEMU fails: the message is drawn in the window"
	fi
	"$XCLOSE" "$WIN"
	if wait_exit "$VPID" 20 && [ "$EXIT_STATUS" != 0 ]; then
		ok "QEMU fails: vmplay exits non-zero ($EXIT_STATUS)"
	else
		fail "QEMU fails: vmplay exits non-zero" "status ${EXIT_STATUS:-running}"
	fi
else
	fail "QEMU fails: a window appears" "$(tail -n 3 "$TMP/broken.log")"
fi

# 5. vmplay killed outright: QEMU follows (parent-death signal)
if play orphan && wait_for 60 title_is "orphan: running"; then
	QPID=$(qemu_of "$VPID")
	kill -KILL "$VPID"
	check "vmplay killed: QEMU goes too" gone "$QPID"
else
	fail "vmplay killed: VM starts" "$(tail -n 3 "$TMP/orphan.log")"
fi
finish
