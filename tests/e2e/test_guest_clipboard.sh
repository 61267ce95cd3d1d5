#!/bin/bash
# The clipboard between the host (Xvfb's CLIPBOARD selection, set and read
# with xclip) and the Linux test guest (its agent on the qemu-vdagent port,
# tests/linux-guest/vdagent.c), real QEMU: UTF-8 text with accents, CJK
# and an emoji passes both ways byte for byte; 1 MiB from the host is
# refused with a note within 2 s (more than QEMU's agent buffer takes) and
# 1 MiB from the guest arrives whole within 2 s of the host being told;
# with [clipboard] enabled = false, and in kiosk mode by default, QEMU gets
# no agent device and nothing passes either way.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

if missing=$(have_tools); then :; else
	skip "guest clipboard" "$missing missing"
	finish
fi
command -v xclip >/dev/null || { skip "guest clipboard" "xclip missing"; finish; }
linux_guest_ready || { fail "Linux test guest built" "run make linux-guest"; finish; }
start_xvfb || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11

hex() { od -An -tx1 | tr -d ' \n'; }
# the guest's shell gets bytes as printf octal escapes: any byte passes
octal() { od -An -to1 -v | tr -s ' \n' ' ' | sed 's/ $//; s/ /\\/g'; }
host_clip() { xclip -selection clipboard -o 2>/dev/null; }
set_host_clip() { xclip -selection clipboard -i; }

# play NAME ARGS...: vmplay on $VMFILE until the guest's programs run
play() {
	local name=$1
	shift
	spawn "$name" "$VMPLAY" --trust --verbose "$@" "$VMFILE"
	VPID=$SPAWNED_PID
	VLOG=$TMP/$name.log
	wait_line 150 "$GUEST_SERIAL" '^kms-mode ' &&
		find_window "^$name: running\$" 30
}

linux_guest_vmfile clip
if play clip && wait_line 30 "$GUEST_SERIAL" '^agent-up '; then
	ok "Linux guest up with its agent, window shown"
else
	fail "Linux guest up with its agent" "$(tail -n 5 "$GUEST_SERIAL" "$VLOG" | tr '\n' ' ')"
	finish
fi
xdotool windowfocus --sync "$WIN" 2>/dev/null

# host -> guest
TEXT='Grüße, héllo wörld: 中文 テキスト 😀 ok'
printf '%s' "$TEXT" | set_host_clip
want="clip-in $(printf '%s' "$TEXT" | wc -c) $(printf '%s' "$TEXT" | hex)"
if wait_line 20 "$GUEST_SERIAL" "^$want\$"; then
	ok "host text (UTF-8: accents, CJK, emoji) arrives in the guest byte for byte"
else
	fail "host text arrives in the guest" "guest saw: $(grep '^clip' "$GUEST_SERIAL" | tr '\n' ' ')"
fi

# guest -> host
GTEXT='Gäst: ½ € 漢字 🎉 tab	end'
guest_run "printf '$(printf '%s' "$GTEXT" | octal)' > /tmp/g; echo set /tmp/g > /run/clip.ctl"
host_has() { [ "$(host_clip | hex)" = "$(printf '%s' "$1" | hex)" ]; }
if wait_for 40 host_has "$GTEXT"; then
	ok "guest text arrives on the host's clipboard byte for byte"
else
	fail "guest text arrives on the host" "host has: $(host_clip | head -c 80)"
fi

# 1 MiB from the host: refused with a note, quickly, and nothing stale
# reaches the guest
before=$(grep -c '^clip-in' "$GUEST_SERIAL")
start=$(date +%s%N)
head -c 1048576 /dev/zero | tr '\0' 'x' | set_host_clip
if wait_line 10 "$VLOG" 'Clipboard: .*(more than the guest takes|no text vmplay can read)'; then
	ms=$((($(date +%s%N) - start) / 1000000))
	if [ "$ms" -le 2000 ]; then
		ok "1 MiB from the host: refused with a note after $ms ms"
	else
		fail "1 MiB from the host refused within 2 s" "took $ms ms"
	fi
else
	fail "1 MiB from the host: refused with a note" "$(grep -i clipboard "$VLOG" | tail -n 3 | tr '\n' ' ')"
fi
sleep 1
[ "$(grep -c '^clip-in' "$GUEST_SERIAL")" = "$before" ] &&
	ok "the guest got nothing of it" ||
	fail "the guest got nothing of it" "$(grep '^clip-in' "$GUEST_SERIAL" | tail -n 1 | head -c 80)"
vmplay_alive() { alive "$VPID"; }
check "vmplay still runs (QEMU did not drop the display)" vmplay_alive

# 1 MiB from the guest: passes whole
# (made in blocks: a line-by-line writer is slow under TCG)
guest_run "head -c 1048576 /dev/zero | tr '\\0' 'g' > /tmp/big; echo set /tmp/big > /run/clip.ctl"
big_sum=$(head -c 1048576 /dev/zero | tr '\0' 'g' | sha256sum)
if wait_line 60 "$GUEST_SERIAL" '^clip-set 1048576$'; then
	start=$(date +%s%N)
	big_arrived() { [ "$(host_clip | sha256sum)" = "$big_sum" ]; }
	if wait_for 20 big_arrived; then
		ms=$((($(date +%s%N) - start) / 1000000))
		if [ "$ms" -le 2000 ]; then
			ok "1 MiB from the guest arrives whole on the host after $ms ms"
		else
			fail "1 MiB from the guest arrives within 2 s" "took $ms ms"
		fi
	else
		fail "1 MiB from the guest arrives whole" "host has $(host_clip | wc -c) bytes"
	fi
else
	fail "the guest offers 1 MiB" "$(tail -n 2 "$GUEST_SERIAL")"
fi
check "vmplay still runs" vmplay_alive
kill -TERM "$VPID"; sleep 0.5; kill -TERM "$VPID" 2>/dev/null
wait_exit "$VPID" 30

# nothing_passes NAME: the guest has no agent port, and text set on either
# side stays there
nothing_passes() {
	local name=$1
	wait_line 10 "$GUEST_SERIAL" '^no-agent-port$' &&
		ok "$name: QEMU has no agent device" ||
		fail "$name: QEMU has no agent device" "$(head -n 4 "$GUEST_SERIAL" | tr '\n' ' ')"
	grep -q qemu-vdagent "/proc/$(pgrep -P "$VPID" -f qemu-system | head -n 1)/cmdline" 2>/dev/null &&
		fail "$name: no qemu-vdagent on QEMU's command line" ||
		ok "$name: no qemu-vdagent on QEMU's command line"
	printf '%s' "host secret $name" | set_host_clip
	guest_run "printf 'guest secret' > /tmp/s; echo set /tmp/s > /run/clip.ctl 2>/dev/null"
	sleep 2
	if grep -q '^clip-in' "$GUEST_SERIAL" || [ "$(host_clip)" != "host secret $name" ]; then
		fail "$name: nothing passes either way" "guest: $(grep '^clip' "$GUEST_SERIAL" | tr '\n' ' ') host: $(host_clip)"
	else
		ok "$name: nothing passes either way"
	fi
}

linux_guest_vmfile clipoff "" "
[clipboard]
enabled = false"
if play clipoff; then
	nothing_passes "enabled = false"
else
	fail "clipboard off: guest up" "$(tail -n 3 "$VLOG" | tr '\n' ' ')"
fi
kill -TERM "$VPID"; sleep 0.5; kill -TERM "$VPID" 2>/dev/null
wait_exit "$VPID" 30

linux_guest_vmfile kiosk
if play kiosk --kiosk; then
	nothing_passes "kiosk"
else
	fail "kiosk: guest up" "$(tail -n 3 "$VLOG" | tr '\n' ' ')"
fi
finish
