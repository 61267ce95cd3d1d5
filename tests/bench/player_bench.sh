#!/bin/bash
# make bench: how the player window performs with the test guest under Xvfb
# (SDL's x11 driver, real QEMU, TCG). For each renderer and run:
#   first frame  ms from starting vmplay to the first guest frame presented
#   idle CPU     vmplay's CPU use over IDLE_S seconds of a still guest screen
#   per frame    vmplay CPU ms per presented frame while the guest animates
#                full-screen, at 1024x768 and at 1920x1080
#   fps          frames presented per second, and VNC updates QEMU sent
#   peak RSS     VmHWM of vmplay at the end
# and prints a table of medians, and whether SDL drew through X11's MIT-SHM
# (a System V shared memory segment mapped in vmplay; without it every
# frame also goes through the X socket). Environment: BENCH_RUNS (default
# 5), BENCH_RENDERERS (default "opengl software"), IDLE_S and ANIM_S
# (default 10), VMPLAY, BUILD.
. "$(dirname "$0")/../e2e/lib.sh"

RUNS=${BENCH_RUNS:-5}
RENDERERS=${BENCH_RENDERERS:-opengl software}
IDLE_S=${IDLE_S:-10}
ANIM_S=${ANIM_S:-10}
KERNEL=$(guest_kernel)
[ -f "$KERNEL" ] || { echo "bench: $KERNEL missing: run make" >&2; exit 2; }
for t in Xvfb; do command -v $t >/dev/null || { echo "bench: $t missing" >&2; exit 2; }; done
start_xvfb 2560x1600x24 || exit 2
export SDL_VIDEODRIVER=x11
HZ=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# stats PID: the counters vmplay prints on SIGUSR1 ("updates frames")
stats() {
	local before
	before=$(grep -c '^vmplay-stats:' "$LOG")
	kill -USR1 "$1"
	wait_for 5 eval "[ \$(grep -c '^vmplay-stats:' '$LOG') -gt $before ]"
	grep '^vmplay-stats:' "$LOG" | tail -n 1 |
		sed 's/.*updates=\([0-9]*\) frames=\([0-9]*\).*/\1 \2/'
}
# guest_frame: the guest's animation frame counter (mod 256)
guest_frame() {
	qmp "$QMP" screendump "$TMP/s.ppm" >/dev/null &&
		json_get "$(ppm status "$TMP/s.ppm")" frame
}
# measure PID SECONDS: prints "cpu_ms frames updates guest_frames" over the
# period, sampling the guest's frame counter every 2 s (it wraps at 256).
measure() {
	local pid=$1 secs=$2 c0 c1 s0 s1 g gprev gsum=0 t
	read -r u0 f0 <<<"$(stats "$pid")"
	c0=$(cpu_ticks "$pid")
	gprev=$(guest_frame)
	for ((t = 0; t < secs; t += 2)); do
		sleep 2
		g=$(guest_frame)
		gsum=$((gsum + (g - gprev + 256) % 256))
		gprev=$g
	done
	c1=$(cpu_ticks "$pid")
	read -r u1 f1 <<<"$(stats "$pid")"
	echo "$(((c1 - c0) * 1000 / HZ)) $((f1 - f0)) $((u1 - u0)) $gsum $t"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}'; }

one_run() {
	local renderer=$1 run=$2 pid ff
	QMP=$TMP/bench.qmp
	SERIAL=$TMP/serial.log
	LOG=$TMP/vmplay-$renderer-$run.log
	: >"$SERIAL"
	guest_vm_text bench "-qmp unix:$QMP,server=on,wait=off -serial file:$SERIAL" \
		>"$TMP/bench.vmplay"
	SDL_RENDER_DRIVER=$renderer "$VMPLAY" --trust "$TMP/bench.vmplay" \
		</dev/null >"$LOG" 2>&1 &
	pid=$!
	register_pid "$pid"
	if ! wait_line 60 "$SERIAL" '^ready ' || ! wait_for 30 eval "stats $pid | grep -qv '^0 '"; then
		echo "bench: run $run did not start; log:" >&2
		tail -n 5 "$LOG" >&2
		kill "$pid"
		return 1
	fi
	ff=$(grep -o 'first_frame_ms=[0-9-]*' "$LOG" | head -n 1 | cut -d= -f2)
	sleep 3   # let QEMU's refresh back off: a still screen
	read -r idle_ms _ <<<"$(measure "$pid" "$IDLE_S")"
	qmp "$QMP" send-key 3 >/dev/null
	wait_line 30 "$SERIAL" '^mode 1024x768'
	qmp "$QMP" send-key a >/dev/null
	wait_line 30 "$SERIAL" '^anim on'
	sleep 1
	read -r c1 f1 u1 g1 t1 <<<"$(measure "$pid" "$ANIM_S")"
	qmp "$QMP" send-key 5 >/dev/null
	wait_line 30 "$SERIAL" '^mode 1920x1080'
	sleep 1
	read -r c2 f2 u2 g2 t2 <<<"$(measure "$pid" "$ANIM_S")"
	rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
	if grep -q ' /SYSV' "/proc/$pid/maps"; then
		echo "$renderer yes" >>"$TMP/shm"
	else
		echo "$renderer no" >>"$TMP/shm"
	fi
	qmp "$QMP" send-key p >/dev/null
	wait_exit "$pid" 60 || kill "$pid"
	awk -v r="$renderer" -v ff="$ff" -v idle="$idle_ms" -v is="$IDLE_S" \
		-v c1="$c1" -v f1="$f1" -v u1="$u1" -v g1="$g1" -v t1="$t1" \
		-v c2="$c2" -v f2="$f2" -v u2="$u2" -v g2="$g2" -v t2="$t2" -v rss="$rss" 'BEGIN {
		printf "%s %s %.2f %.2f %.1f %.1f %.1f %.2f %.1f %.1f %.1f %.1f\n", r, ff,
			idle / (is * 10.0),
			f1 ? c1 / f1 : 0, f1 / t1, u1 / t1, g1 / t1,
			f2 ? c2 / f2 : 0, f2 / t2, u2 / t2, g2 / t2, rss / 1024.0
	}' >>"$TMP/results"
	tail -n 1 "$TMP/results" | sed "s/^/run $run: /"
}

: >"$TMP/results"
: >"$TMP/shm"
for renderer in $RENDERERS; do
	for ((run = 1; run <= RUNS; run++)); do
		one_run "$renderer" "$run"
	done
done

echo
echo "vmplay player benchmark: medians of $RUNS runs (test guest, QEMU TCG, Xvfb, $(nproc) CPUs)"
printf '%-9s %8s %7s | %-31s | %-31s | %7s\n' "" "first" "idle" \
	"1024x768 animation" "1920x1080 animation" "peak"
printf '%-9s %8s %7s | %7s %7s %7s %7s | %7s %7s %7s %7s | %7s\n' renderer \
	"frame ms" "CPU %" "ms/frm" "shown/s" "sent/s" "guest/s" \
	"ms/frm" "shown/s" "sent/s" "guest/s" "RSS MB"
for renderer in $RENDERERS; do
	row=$renderer
	for col in 2 3 4 5 6 7 8 9 10 11 12; do
		row="$row $(awk -v r="$renderer" -v c=$col '$1 == r {print $c}' "$TMP/results" | median)"
	done
	# shellcheck disable=SC2086
	printf '%-9s %8s %7s | %7s %7s %7s %7s | %7s %7s %7s %7s | %7s\n' $row
done
echo "(ms/frm: vmplay CPU per presented frame; shown: frames presented;"
echo " sent: VNC updates QEMU sent; guest: frames the guest drew)"
for renderer in $RENDERERS; do
	echo "$renderer: X11 MIT-SHM shared memory mapped in" \
		"$(grep -c "^$renderer yes" "$TMP/shm") of" \
		"$(grep -c "^$renderer " "$TMP/shm") runs"
done
