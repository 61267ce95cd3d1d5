#!/bin/bash
# End-to-end tests of the VM library (issue 9 items 1, 2 and 5; issue 16
# item 11): `vmplay list`, `vmplay NAME` and `vmplay FOLDER` from the
# command line, then the library window under Xvfb with openbox, driven
# with xdotool and read back with ImageMagick and tesseract: the VMs
# sorted with the first selected, Enter playing it (a real QEMU) and the
# entry showing it running, removal refused while it runs, the thumbnail
# saved when it stops, the new-VM wizard (a VM whose disk, memory and
# processors are those typed; an existing name, a bad size and Escape
# leaving the file system as it was), removal to the freedesktop trash and
# restoring from it, the empty library, one library window per user.
set -u
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/player_lib.sh"

export HOME=$TMP/home
# errors on stderr only: a message box would wait for a click (the
# library sets it back to 1 for the players it starts)
export VMPLAY_MESSAGE_BOX=0
unset XDG_STATE_HOME XDG_CACHE_HOME XDG_DATA_HOME XDG_CONFIG_HOME
mkdir -p "$HOME"
VMS=$HOME/.VM
ISO=/usr/lib/grub-rescue/grub-rescue-cdrom.iso

tcg() { sed -i 's/^accel = auto$/accel = tcg/' "$1"; }
for n in zeta Alpha mid; do
	"$VMPLAY" new "$n" --disk 16M --memory 64M >/dev/null 2>&1 ||
		fail "vmplay new $n"
	tcg "$VMS/$n/$n.vmplay"
done
# one VM played from elsewhere, and one remembered file that is gone
"$VMPLAY" new beta --dir "$TMP/elsewhere" --disk 16M --memory 96M \
	--cpus 3 >/dev/null 2>&1 || fail "vmplay new beta"
tcg "$TMP/elsewhere/beta.vmplay"
mkdir -p "$HOME/.local/state/vmplay"
printf '%s\n%s\n' "$TMP/elsewhere/beta.vmplay" "$TMP/gone/gone.vmplay" \
	>"$HOME/.local/state/vmplay/recent-vms"

# --- the command line ----------------------------------------------------------
"$VMPLAY" list >"$TMP/list.out" 2>"$TMP/list.err"
check "vmplay list exits 0" test $? -eq 0
check "  ... the four VMs sorted by name, case-insensitively" \
	test "$(awk 'NR > 1 { print $1 }' "$TMP/list.out" | tr '\n' ' ')" = "Alpha beta mid zeta "
check "  ... state, memory, CPUs, disk and path" \
	grep -qE "^beta +off +96M +3 +16M +$TMP/elsewhere/beta.vmplay\$" "$TMP/list.out"
check "  ... a header" grep -qE '^NAME +STATE +MEMORY +CPUS +DISK +PATH' "$TMP/list.out"
check "  ... a vanished file is noted" grep -q "$TMP/gone/gone.vmplay is gone" "$TMP/list.err"
check "  ... and dropped from the recent list" \
	test "$(cat "$HOME/.local/state/vmplay/recent-vms")" = "$TMP/elsewhere/beta.vmplay"

cd "$TMP" || exit 1
"$VMPLAY" --dry-run Alpha >"$TMP/out" 2>&1
check "vmplay NAME plays ~/.VM/NAME/NAME.vmplay" \
	bash -c "[ $? -eq 0 ] && grep -q 'guest=Alpha' '$TMP/out'"
"$VMPLAY" --dry-run "$VMS/mid" >"$TMP/out" 2>&1
check "vmplay FOLDER plays the one VM file in it" \
	bash -c "[ $? -eq 0 ] && grep -q 'guest=mid' '$TMP/out'"
"$VMPLAY" --dry-run "$VMS/mid/" >"$TMP/out" 2>&1
check "  ... with a trailing slash too" test $? -eq 0
mkdir -p "$TMP/two" && cp "$VMS/mid/mid.vmplay" "$TMP/two/a.vmplay" &&
	cp "$VMS/mid/mid.vmplay" "$TMP/two/b.vmplay"
VMPLAY_MESSAGE_BOX=0 "$VMPLAY" --dry-run "$TMP/two" >"$TMP/out" 2>&1
check "a folder with two VM files is refused (exit 1), naming both" \
	bash -c "[ $? -eq 1 ] && grep -q 'holds 2 VM files' '$TMP/out' && grep -q 'b.vmplay' '$TMP/out'"
mkdir -p "$TMP/none"
VMPLAY_MESSAGE_BOX=0 "$VMPLAY" --dry-run "$TMP/none" >"$TMP/out" 2>&1
check "a folder without a VM file is refused (exit 1)" \
	bash -c "[ $? -eq 1 ] && grep -q 'no VM file' '$TMP/out'"
VMPLAY_MESSAGE_BOX=0 "$VMPLAY" --dry-run nosuchvm >"$TMP/out" 2>&1
check "an unknown name is still an error (exit 1)" \
	bash -c "[ $? -eq 1 ] && grep -q 'nosuchvm' '$TMP/out'"
touch "$TMP/Alpha"   # a file of that name wins over the library
VMPLAY_MESSAGE_BOX=0 "$VMPLAY" --dry-run Alpha >"$TMP/out" 2>&1
check "a file named like a VM is read as a file" test $? -ne 0
rm -f "$TMP/Alpha"

(unset DISPLAY WAYLAND_DISPLAY SDL_VIDEODRIVER; exec "$VMPLAY") >"$TMP/out" 2>&1
check "without a display, vmplay without a file prints its usage (exit 2)" \
	bash -c "[ $? -eq 2 ] && grep -q 'no display for the library window' '$TMP/out' && grep -q '^Usage:' '$TMP/out'"

# --- the window -------------------------------------------------------------------
missing=$(have_tools) || { skip "library window" "no $missing"; finish; }
command -v tesseract >/dev/null || { skip "library window" "no tesseract"; finish; }
check "Xvfb starts" start_xvfb 1280x1024x24 || finish
start_wm
case $? in
0) ok "openbox manages the display" ;;
2) skip "library window" "no openbox"; finish ;;
*) fail "openbox manages the display"; finish ;;
esac

# ocr PNG: the text tesseract reads, from a grey, enlarged, inverted and
# thresholded copy (light text on dark rows, the selected one blue).
ocr() {
	convert "$1" -colorspace gray -resize 300% -negate -threshold 60% \
		"$TMP/ocr.png" && tesseract "$TMP/ocr.png" - 2>/dev/null
}
shot() { [ -n "$WIN" ] && capture_window "$WIN" "$TMP/$1.png"; }
# sees NAME REGEX: a capture of the window now, saved as NAME.png, whose
# text matches (lines joined with spaces).
sees() { shot "$1" && ocr "$TMP/$1.png" | tr '\n' ' ' | grep -qE -- "$2"; }
pixel() { convert "$TMP/$1.png" -format "%[pixel:p{$2,$3}]" info:; }
# Keys go to the focused window (X sends synthetic events to others,
# which SDL ignores): the library is activated first.
focus() { xdotool windowactivate --sync "$WIN" 2>/dev/null; }
keys() { focus; xdotool key --delay 60 "$@"; sleep 0.4; }
typed() { focus; xdotool type --delay 40 "$1"; sleep 0.4; }
# tree: every file and folder under ~/.VM and the trash, with size and
# time, to prove the wizard's refusals changed nothing.
tree() { find "$VMS" "$HOME/.local/share" -printf '%p %s %T@\n' 2>/dev/null | sort; }

spawn library "$VMPLAY"
LIB_PID=$SPAWNED_PID
check "vmplay without a file opens the library window" \
	find_window '^vmplay: library$' 20 || finish
xdotool windowactivate --sync "$WIN" 2>/dev/null
sleep 1
shot list
ocr "$TMP/list.png" >"$TMP/list.txt"
names=$(grep -oE '^(Alpha|beta|mid|zeta) ' "$TMP/list.txt" | tr -d ' ' | tr '\n' ' ')
check "the window shows all four names, sorted (OCR: '$names')" \
	test "$names" = "Alpha beta mid zeta "
check "  ... with memory, CPUs and disk" grep -q '96M memory . 3 CPUs . 16M disk' "$TMP/list.txt"
# the selection colour is on the first row, not the second
first=$(pixel list 700 60) second=$(pixel list 700 134)
check "  ... the first VM is selected ($first vs $second)" \
	test "$first" = "srgb(52,90,150)" -a "$second" != "$first"

keys Return
# Alpha's QEMU, by its UUID (the disks may reach QEMU as descriptors)
ALPHA_UUID=$(sed -n 's/^uuid = //p' "$VMS/Alpha/Alpha.vmplay")
alpha_qemu() { pgrep -f "qemu-system.* -uuid $ALPHA_UUID"; }
check "Enter starts QEMU for the first VM" wait_for 30 alpha_qemu
ALPHA_PLAYER=$(pgrep -f -- "vmplay -- $VMS/Alpha/Alpha.vmplay" | head -n 1)
[ -n "$ALPHA_PLAYER" ] && register_pid "$ALPHA_PLAYER"
alpha_running() { "$VMPLAY" list | grep -qE '^Alpha +running '; }
check "  ... vmplay list says it runs" wait_for 10 alpha_running
check "  ... the played VM is remembered for the library" \
	grep -qx "$VMS/Alpha/Alpha.vmplay" "$HOME/.local/state/vmplay/recent-vms"
xdotool windowactivate --sync "$WIN" 2>/dev/null
xdotool windowraise "$WIN" 2>/dev/null
check "  ... its entry shows it running" wait_for 10 sees running 'Alpha.{0,3}running'

keys Return
check "Enter on a running VM raises its window instead of starting it twice" \
	wait_line 10 "$TMP/library.log" 'Alpha is already open .*raised its window'
check "  ... still one QEMU" test "$(alpha_qemu | wc -l)" -eq 1
xdotool windowactivate --sync "$WIN" 2>/dev/null
keys Delete
check "a running VM cannot be removed" \
	wait_line 5 "$TMP/library.log" 'Alpha is running; it cannot be removed'
check "  ... its folder stays" test -f "$VMS/Alpha/Alpha.vmplay"

# stop it: the first SIGTERM asks the guest (no OS: no answer), the second
# stops QEMU; the player saves the last screen as the thumbnail
kill -TERM "$ALPHA_PLAYER"; sleep 1; kill -TERM "$ALPHA_PLAYER"
check "the VM stops" wait_for 20 eval '! alpha_qemu'
check "  ... its thumbnail is saved in the XDG cache" \
	wait_for 10 eval 'ls "$HOME"/.cache/vmplay/thumbnails/*.png'
check "  ... a PNG" bash -c 'file "$HOME"/.cache/vmplay/thumbnails/*.png | grep -q "PNG image"'

# --- the wizard -------------------------------------------------------------------
xdotool windowactivate --sync "$WIN" 2>/dev/null
before=$(tree)
keys ctrl+n
check "Ctrl+N opens the wizard" sees wizard 'New virtual machine'

keys ctrl+u; typed web
keys Down Right Down                        # windows preset, then the ISO
typed /usr/lib/grub-rescue/grub-rescue-cd
keys Tab                                    # completes the ISO's name
keys Down ctrl+u; typed 512M
keys Down ctrl+u; typed 3
keys Down ctrl+u; typed 1G
keys Down Right                             # raw
shot wizard-filled
keys Return
check "the wizard creates the VM" wait_file 20 "$VMS/web/web.vmplay"
check "  ... and offers to play it" wait_for 5 sees wizard-done 'web is ready'

check "  ... a raw disk of 1G (qemu-img info)" \
	test "$(img_field "$VMS/web/web.raw" format) $(img_field "$VMS/web/web.raw" virtual-size)" = "raw $((1 << 30))"
check "  ... memory 512M, 3 CPUs, windows preset" \
	test "$(grep -E '^(memory|cpus|interface) =' "$VMS/web/web.vmplay" | tr '\n' ' ')" = "memory = 512M cpus = 3 interface = sata "
check "  ... the ISO completed with Tab in the CD drive" grep -qx "file = $ISO" "$VMS/web/web.vmplay"
"$VMPLAY" --dry-run "$VMS/web/web.vmplay" >"$TMP/out" 2>&1
check "  ... the VM file loads" bash -c "[ $? -eq 0 ] && grep -q -- '-m 512M' '$TMP/out' && grep -q -- '-smp 3' '$TMP/out'"
keys Escape                                 # back to the library

before=$(tree)
keys ctrl+n ctrl+u; typed mid
check "an existing name is refused as typed" \
	sees wizard-exists 'mid.vmplay already exists'
keys Return
keys Escape
check "  ... and the file system is as it was" test "$(tree)" = "$before"

keys ctrl+n ctrl+u; typed bad
keys Down Down Down Down Down ctrl+u; typed 10X
check "a bad size is refused with the reader's message" \
	sees wizard-badsize "'10X' is not a size"
keys Return
keys Escape
check "  ... and the file system is as it was" test "$(tree)" = "$before"

keys ctrl+n ctrl+u; typed gone
keys Escape
check "a cancelled wizard leaves the file system as it was" test "$(tree)" = "$before"
check "  ... and the library is back" sees back 'Virtual machines'


# --- duplicate ------------------------------------------------------------------------
typed mid
keys ctrl+d
check "Ctrl+D offers a duplicate under a new name" sees duplicate 'Duplicate mid.*Full copy'
keys Return
check "a full copy is made" wait_file 20 "$VMS/mid-copy/mid-copy.vmplay"
check "  ... named mid-copy, with its own disk" \
	test "$(grep -E '^(name|file) =' "$VMS/mid-copy/mid-copy.vmplay" | tr '\n' ' ')" = "name = mid-copy file = mid-copy.qcow2 file = "
check "  ... a new UUID" test "$(grep '^uuid' "$VMS/mid-copy/mid-copy.vmplay")" != "$(grep '^uuid' "$VMS/mid/mid.vmplay")"
check "  ... the same disk size" \
	test "$(img_field "$VMS/mid-copy/mid-copy.qcow2" virtual-size)" = "$(img_field "$VMS/mid/mid.qcow2" virtual-size)"
keys ctrl+d ctrl+u
typed midlink
keys Down Right                             # linked clone
check "  ... the linked clone option" sees duplicate-linked 'Linked clone'
keys Return
check "a linked clone is made" wait_file 20 "$VMS/midlink/midlink.vmplay"
check "  ... its disk is a qcow2 backed by the original's" \
	bash -c "qemu-img info -U '$VMS/midlink/midlink.qcow2' | grep -q 'backing file: $VMS/mid'"
"$VMPLAY" --dry-run midlink >"$TMP/out" 2>&1
check "  ... and it loads" test $? -eq 0
keys Escape                                 # clear the filter

keys ctrl+o ctrl+u
typed "$TMP/nothing-here.vmplay"
keys Return
check "Ctrl+O with a path that is no VM file says so" \
	wait_line 5 "$TMP/library.log" "nothing-here.vmplay: no such VM file"
keys Escape

# --- remove to the trash ------------------------------------------------------------
typed zeta
keys Delete
check "Delete asks first, naming what goes" \
	sees remove "Remove zeta.*/home/.VM/zeta .*zeta.qcow2.*trash"
keys Return                                 # Cancel is the default
check "  ... Enter on the default (Cancel) keeps it" test -d "$VMS/zeta"
keys Delete Left Return
T=$HOME/.local/share/Trash
check "the removed VM's folder is in the trash" test -f "$T/files/zeta/zeta.vmplay"
check "  ... and gone from ~/.VM" test ! -e "$VMS/zeta"
check "  ... with a valid .trashinfo" python3 - "$T/info/zeta.trashinfo" "$VMS/zeta" <<'PY'
import configparser, datetime, sys, urllib.parse
c = configparser.ConfigParser(interpolation=None)
c.optionxform = str
c.read(sys.argv[1])
info = c["Trash Info"]
assert urllib.parse.unquote(info["Path"]) == sys.argv[2], info["Path"]
datetime.datetime.strptime(info["DeletionDate"], "%Y-%m-%dT%H:%M:%S")
PY
"$VMPLAY" list >"$TMP/out" 2>&1
check "  ... and from vmplay list" bash -c "! grep -q '^zeta ' '$TMP/out'"
mv "$T/files/zeta" "$VMS/zeta" && rm "$T/info/zeta.trashinfo"
"$VMPLAY" list >"$TMP/out" 2>&1
check "moving it back restores it" grep -qE "^zeta +off" "$TMP/out"
"$VMPLAY" --dry-run zeta >/dev/null 2>&1
check "  ... and it plays by name" test $? -eq 0

# --- one library per user ---------------------------------------------------------
"$VMPLAY" >"$TMP/second.log" 2>&1
check "a second vmplay without a file raises the first library and exits 0" \
	bash -c "[ $? -eq 0 ] && grep -q 'raised its window' '$TMP/second.log'"
check "  ... the first stays" alive "$LIB_PID"
keys ctrl+q
wait_exit "$LIB_PID" 10
check "Ctrl+Q closes the library with status 0" test "${EXIT_STATUS:-none}" = 0

# --- the empty library --------------------------------------------------------------
export HOME=$TMP/empty
mkdir -p "$HOME"
alive "$LIB_PID" && kill "$LIB_PID"
# as the desktop entry starts it: its Exec with no file for %f
exec_line=$(sed -n 's/^Exec=//p' "$E2E_ROOT/assets/vmplay.desktop" | sed -E 's/ *%[fFuU]//g')
read -r -a exec_argv <<<"$exec_line"
check "the desktop entry's Exec is vmplay (%f optional)" test "${exec_argv[0]}" = vmplay
exec_argv[0]=$VMPLAY
spawn empty "${exec_argv[@]}"
check "an empty library opens from the desktop entry's command" \
	find_window '^vmplay: library$' 20
sleep 1
check "  ... and says what to do" sees empty 'No virtual machines.*wizard.*Open file'
WIN=$(window_by_title '^vmplay: library$')
keys Return
check "  ... where Enter opens the wizard" sees empty-enter 'New virtual machine'

finish
