#!/bin/bash
# Issue 13 in the window: under LANG=es_ES.UTF-8 (a private locale made
# with localedef, as test_i18n.sh does) on Xvfb with openbox,
#   - the library window is in Spanish: its title, its text (tesseract),
#     its sizes with a decimal comma ("1,5G");
#   - the wizard takes a name typed with accents through xdotool (X key
#     events -> SDL_TEXTINPUT UTF-8), Backspace takes back a whole "ú",
#     and the name arrives intact in the folder, the file name and the
#     VM file's `name` key;
#   - the player's title and its overlay menu are in Spanish.
# Pictures: KEEP_TMP=1 keeps $TMP/*.png to look at.
set -u
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/player_lib.sh"

missing=$(have_tools) || { skip "Spanish window" "no $missing"; finish; }
for tool in localedef tesseract convert; do
	command -v "$tool" >/dev/null ||
		{ skip "Spanish window" "no $tool"; finish; }
done
[ -s "$BUILD/locale/es/LC_MESSAGES/vmplay.mo" ] ||
	{ fail "the Spanish catalogue is built" "run make"; finish; }

mkdir -p "$TMP/locales"
check "the es_ES.UTF-8 locale can be made" \
	localedef -i es_ES -f UTF-8 "$TMP/locales/es_ES.UTF-8" || finish
export LANG=es_ES.UTF-8 LANGUAGE= LC_ALL= LOCPATH=$TMP/locales \
	VMPLAY_LOCALEDIR=$BUILD/locale
export HOME=$TMP/home SDL_VIDEODRIVER=x11 VMPLAY_MESSAGE_BOX=0
unset XDG_STATE_HOME XDG_CACHE_HOME XDG_DATA_HOME XDG_CONFIG_HOME
mkdir -p "$HOME"
VMS=$HOME/.VM

# a VM whose disk is 1.5G: "1,5G" in Spanish
"$VMPLAY" new alfa --disk 1536M --memory 64M >/dev/null 2>&1 ||
	fail "vmplay new alfa"
sed -i 's/^accel = auto$/accel = tcg/' "$VMS/alfa/alfa.vmplay"

check "Xvfb starts" start_xvfb 1280x1024x24 || finish
start_wm
case $? in
0) ok "openbox manages the display" ;;
2) skip "Spanish window" "no openbox"; finish ;;
*) fail "openbox manages the display"; finish ;;
esac

# ocr PNG: the window's text (light on dark: grey, enlarged, inverted);
# sees NAME REGEX: a capture now, kept as NAME.png, whose text matches.
# (ZOOM=400 for the menu's smaller text: a comma, not a point)
ocr() {
	convert "$1" -colorspace gray -resize "${ZOOM:-300}%" -negate \
		-threshold 60% "$TMP/ocr.png" && tesseract "$TMP/ocr.png" - 2>/dev/null
}
shot() { capture_window "$WIN" "$TMP/$1.png"; }
sees() { shot "$1" && ocr "$TMP/$1.png" | tr '\n' ' ' | tee "$TMP/$1.txt" | grep -qE -- "$2"; }
sees_small() { ZOOM=400 sees "$@"; }
focus() { xdotool windowactivate --sync "$WIN" 2>/dev/null; }
keys() { focus; xdotool key --delay 60 "$@"; sleep 0.4; }

# --- the library --------------------------------------------------------------
spawn library "$VMPLAY"
check "the library window's title is Spanish ('vmplay: biblioteca')" \
	find_window '^vmplay: biblioteca$' 20 || finish
focus
sleep 1
check "  ... its heading and buttons are Spanish (OCR)" \
	wait_for 5 sees library 'quinas virtuales.*Reproducir'
check "  ... the VM's facts too, the disk with a decimal comma (1,5G)" \
	grep -qE '64M de memoria . 2 CPU . 1,5G de disco' "$TMP/library.txt"

# --- the wizard: a name with accents -------------------------------------------
keys ctrl+n
check "Ctrl+N opens the wizard, in Spanish" sees wizard 'Nueva m.quina virtual'
keys ctrl+u
focus
# xdotool types what the keyboard map lacks through a spare keycode: X
# key events with keysyms aacute, ntilde, uacute, which SDL turns into
# SDL_TEXTINPUT UTF-8; one ú too many, taken back with BackSpace
xdotool type --delay 80 'Máquina-ñandúú'
sleep 0.4
keys BackSpace
shot wizard-name
keys Down Down Down ctrl+u                  # memory
xdotool type --delay 40 64M
keys Down ctrl+u                            # processors
xdotool type --delay 40 1
keys Down ctrl+u                            # disk size: 1,5G in the menu
xdotool type --delay 40 1536M
shot wizard-filled
keys Return
NEW="$VMS/Máquina-ñandú/Máquina-ñandú.vmplay"
check "the wizard creates .VM/Máquina-ñandú/Máquina-ñandú.vmplay" wait_file 20 "$NEW" ||
	ls -R "$VMS" >&2
check "  ... whose name key is the name as typed" grep -qx 'name = Máquina-ñandú' "$NEW"
check "  ... and its disk Máquina-ñandú.qcow2" test -f "$VMS/Máquina-ñandú/Máquina-ñandú.qcow2"
check "  ... the wizard says so in Spanish" wait_for 5 sees wizard-done 'lista'
keys Escape
sed -i 's/^accel = auto$/accel = tcg/' "$NEW"
# a snapshot for the menu's list (its date as LC_TIME writes it)
qemu-img snapshot -c antes "$VMS/Máquina-ñandú/Máquina-ñandú.qcow2"

# --- the player and its menu -----------------------------------------------------
LIB_WIN=$WIN
spawn player "$VMPLAY" "$NEW"
PLAYER=$SPAWNED_PID
check "the player's title is Spanish ('Máquina-ñandú: en ejecución')" \
	find_window '^Máquina-ñandú: en ejecución$' 40 ||
	{ xwininfo -root -tree | grep -i quina >&2; finish; }
focus
sleep 1
keys ctrl+alt+m
check "the menu opens in Spanish (Pausar, Reiniciar, Forzar el apagado...)" \
	wait_for 5 sees menu 'Pausar.*Reiniciar.*Forzar el apagado'
check "  ... with the state in its status line" grep -q 'en ejecuci.n' "$TMP/menu.txt"
keys End Up Up Return                       # Ajustes
check "  ... its Settings page too" wait_for 5 sees menu-settings 'Ajustes.*Memoria'
keys Escape End Up Up Up Up Up Return       # Discos
check "  ... the Disks page: its size with a decimal comma (1,5G)" \
	wait_for 5 sees_small menu-disks '1,5G.{0,3}ocupa'
keys Escape End Up Up Up Up Up Up Up Return # Instantáneas
check "  ... the Snapshots page lists 'antes' with a Spanish date (dd/mm/yy)" \
	wait_for 5 sees menu-snapshots 'antes.*[0-9]{2}/[0-9]{2}/[0-9]{2}'
keys Escape Escape
kill -TERM "$PLAYER" 2>/dev/null; sleep 1; kill -TERM "$PLAYER" 2>/dev/null
wait_exit "$PLAYER" 20
check "  ... the player stops" test -n "$EXIT_STATUS"
WIN=$LIB_WIN

finish
