#!/bin/bash
# make bench: the whole display path (QEMU's display threads + the viewer +
# the X server) with the test guest under Xvfb, vmplay side by side with
# TigerVNC's viewer on the same QEMU command line, in one run.
#
# Each run plays the guest once per viewer (alternating, so machine noise
# hits both alike):
#   vmplay    `vmplay --trust FILE` (SDL's x11 driver; its own QEMU)
#   tigervnc  QEMU started with the command line `vmplay --dry-run` prints
#             for the same FILE, viewed with `vncviewer -AutoSelect=0
#             -PreferredEncoding=raw` on its unix socket (skipped with a
#             note when vncviewer, Debian's tigervnc-viewer, is missing)
# and measures, with the guest animating full-screen at 1024x768, 1920x1080
# and 2560x1440 (ANIM_S seconds each):
#   frames/s  updates QEMU delivered (its vnc_job_nrects trace event with
#             nrects > 0, one per update sent)
#   QEMU      CPU of QEMU's threads except the vCPU ("CPU 0/TCG"; threads
#             are named through -name debug-threads=on) per delivered frame
#   viewer    CPU of the viewer per delivered frame
#   X         CPU of the X server (Xvfb) per delivered frame
#   sum       the three, and its ratio to TigerVNC's in the same run
# plus, per play: idle CPU of the viewer over IDLE_S seconds of a still
# screen, peak RSS (VmHWM) of the viewer and of QEMU, and for vmplay the
# time to the first guest frame on screen with its parts (vmplay-stats).
# CPU times come from /proc/PID/task/TID/schedstat (nanoseconds).
# Prints medians and min-max over BENCH_RUNS runs (default 3).
# Environment: BENCH_RUNS, BENCH_VIEWERS (default "vmplay tigervnc"),
# IDLE_S (default 5), ANIM_S (default 10), VMPLAY, BUILD; BENCH_BASELINE=
# another vmplay binary adds its rows ("baseline", e.g. a build of main)
# to the same run; BENCH_KEEP=FILE keeps the raw results.
. "$(dirname "$0")/../e2e/lib.sh"

RUNS=${BENCH_RUNS:-3}
VIEWERS=${BENCH_VIEWERS:-vmplay tigervnc}
[ -n "${BENCH_BASELINE:-}" ] && VIEWERS="baseline $VIEWERS"
IDLE_S=${IDLE_S:-5}
ANIM_S=${ANIM_S:-10}
# key on the guest -> mode (tests/guest/README.md)
SIZES="3:1024x768 5:1920x1080 7:2560x1440"
KERNEL=$(guest_kernel)
[ -f "$KERNEL" ] || { echo "bench: $KERNEL missing: run make" >&2; exit 2; }
for t in Xvfb; do command -v $t >/dev/null || { echo "bench: $t missing" >&2; exit 2; }; done
if [[ " $VIEWERS " == *" tigervnc "* ]] && ! command -v vncviewer >/dev/null; then
	echo "bench: vncviewer missing (Debian package tigervnc-viewer;" \
		"make bench-deps): the TigerVNC rows are skipped" >&2
	VIEWERS=${VIEWERS//tigervnc/}
fi
start_xvfb 2560x1600x24 || exit 2
export SDL_VIDEODRIVER=x11

# cpu_ns PID [COMM_REGEX_TO_SKIP]: CPU time of a process's threads, in ns
cpu_ns() {
	local pid=$1 skip=${2:-^$} sum=0 t comm ns
	for t in /proc/"$pid"/task/*; do
		comm=$(cat "$t/comm" 2>/dev/null) || continue
		[[ $comm =~ $skip ]] && continue
		read -r ns _ <"$t/schedstat" 2>/dev/null || continue
		sum=$((sum + ns))
	done
	echo "$sum"
}
frames_sent() { grep -c 'nrects=[1-9]' "$TRACE" 2>/dev/null || echo 0; }
peak_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
now_ns() { date +%s%N; }

# sample: "t_ns qemu_ns viewer_ns x_ns frames"
sample() {
	echo "$(now_ns) $(cpu_ns "$QEMU_PID" '^CPU ') $(cpu_ns "$VIEWER_PID")" \
		"$(cpu_ns "$XVFB_PID") $(frames_sent)"
}

# measure SECONDS: "secs frames qemu_ms viewer_ms x_ms" over the period
measure() {
	local a b
	a=$(sample)
	sleep "$1"
	b=$(sample)
	awk -v a="$a" -v b="$b" 'BEGIN {
		split(a, x); split(b, y)
		printf "%.3f %d %.1f %.1f %.1f\n", (y[1] - x[1]) / 1e9, y[5] - x[5],
			(y[2] - x[2]) / 1e6, (y[3] - x[3]) / 1e6, (y[4] - x[4]) / 1e6
	}'
}

# The VM file both viewers' QEMU lines come from: the test guest with our
# QMP socket, the serial log, named threads and the frame trace.
write_vm_file() {
	guest_vm_text bench "-qmp unix:$QMP,server=on,wait=off -serial file:$SERIAL -name debug-threads=on -trace enable=vnc_job_nrects,file=$TRACE" \
		>"$TMP/bench.vmplay"
}

# start_vmplay [BINARY]: VIEWER_PID, QEMU_PID; the stats line has the
# start-up times
start_vmplay() {
	LOG=$TMP/$viewer-$run.log
	"${1:-$VMPLAY}" --trust "$TMP/bench.vmplay" </dev/null >"$LOG" 2>&1 &
	VIEWER_PID=$!
	register_pid "$VIEWER_PID"
	wait_for 30 eval 'QEMU_PID=$(pgrep -P $VIEWER_PID qemu-system)' || return 1
	QEMU_PID=$(pgrep -P "$VIEWER_PID" qemu-system)
}

# start_baseline: another vmplay build (BENCH_BASELINE), for before/after
# figures from one run
start_baseline() { start_vmplay "$BENCH_BASELINE"; }

# start_tigervnc: the same QEMU line as vmplay's, its VNC socket in $TMP
start_tigervnc() {
	local line sock=$TMP/tiger-vnc.sock
	LOG=$TMP/tigervnc-$run.log
	line=$("$VMPLAY" --dry-run --trust "$TMP/bench.vmplay") || return 1
	line=$(sed -E "s|-vnc unix:[^ ,]*|-vnc unix:$sock|; s|-qmp unix:[^ ,]*/qmp.sock|-qmp unix:$TMP/tiger-qmp.sock|" <<<"$line")
	rm -f "$sock"
	eval "exec $line" </dev/null >"$TMP/tiger-qemu-$run.log" 2>&1 &
	QEMU_PID=$!
	register_pid "$QEMU_PID"
	wait_socket 30 "$sock" || return 1
	vncviewer -AutoSelect=0 -PreferredEncoding=raw -RemoteResize=0 \
		"$sock" </dev/null >"$LOG" 2>&1 &
	VIEWER_PID=$!
	register_pid "$VIEWER_PID"
}

stop_play() {
	qmp "$QMP" send-key p >/dev/null
	wait_exit "$QEMU_PID" 30 || kill "$QEMU_PID"
	if [ "$viewer" != tigervnc ]; then
		wait_exit "$VIEWER_PID" 30 || kill "$VIEWER_PID"
	else
		# vncviewer shows a "connection closed" box: close it
		kill "$VIEWER_PID" 2>/dev/null
		wait_exit "$VIEWER_PID" 10 || kill -9 "$VIEWER_PID"
	fi
}

one_play() {
	local viewer=$1 run=$2 m idle spec key size
	QMP=$TMP/bench.qmp
	SERIAL=$TMP/serial-$viewer-$run.log
	TRACE=$TMP/trace-$viewer-$run.log
	: >"$SERIAL"
	write_vm_file
	if ! "start_$viewer" || ! wait_line 60 "$SERIAL" '^ready '; then
		echo "bench: $viewer did not start (run $run); log:" >&2
		tail -n 5 "$LOG" >&2
		kill "$VIEWER_PID" "$QEMU_PID" 2>/dev/null
		return 1
	fi
	wait_for 30 eval '[ "$(frames_sent)" -gt 0 ]'
	sleep 3   # QEMU's refresh backs off on a still screen
	read -r secs _ _ m _ <<<"$(measure "$IDLE_S")"
	idle=$(awk -v m="$m" -v s="$secs" 'BEGIN {printf "%.2f", m / s / 10}')
	local animating=0
	for spec in $SIZES; do
		key=${spec%%:*} size=${spec#*:}
		qmp "$QMP" send-key "$key" >/dev/null
		wait_line 30 "$SERIAL" "^mode $size\$" || { echo "bench: no mode $size" >&2; return 1; }
		if [ $animating = 0 ]; then
			qmp "$QMP" send-key a >/dev/null
			wait_line 30 "$SERIAL" '^anim on' || return 1
			animating=1
		fi
		sleep 1
		m=$(measure "$ANIM_S")
		echo "frame $viewer $size $run $m" >>"$RESULTS"
		awk -v v="$viewer" -v s="$size" -v r="$run" '{
			printf "run %d %-8s %-9s %5.1f frames/s  QEMU %.2f  viewer %.2f  X %.2f ms/frame\n",
				r, v, s, $2 / $1, $3 / $2, $4 / $2, $5 / $2 }' <<<"$m"
	done
	local rv rq ff parts=-
	rv=$(peak_kb "$VIEWER_PID") rq=$(peak_kb "$QEMU_PID")
	ff=-
	if [ "$viewer" != tigervnc ]; then
		kill -USR1 "$VIEWER_PID"
		wait_line 5 "$LOG" '^vmplay-stats:'
		ff=$(grep -o 'first_frame_ms=[0-9-]*' "$LOG" | head -n 1 | cut -d= -f2)
		parts=$(grep -o 'startup=[^ ]*' "$LOG" | head -n 1 | cut -d= -f2)
	fi
	stop_play
	echo "play $viewer $run $idle $rv $rq $ff ${parts:--}" >>"$RESULTS"
	echo "run $run $viewer: idle $idle%, peak RSS viewer $((rv / 1024)) MB, QEMU $((rq / 1024)) MB, first frame ${ff} ms ${parts:+($parts)}"
}

RESULTS=$TMP/results
: >"$RESULTS"
for ((run = 1; run <= RUNS; run++)); do
	for viewer in $VIEWERS; do
		one_play "$viewer" "$run"
	done
done
[ -n "${BENCH_KEEP:-}" ] && cp "$RESULTS" "$BENCH_KEEP"

# "median (min-max)" of the numbers on stdin, with printf format $1
spread() {
	sort -g | awk -v f="$1" '{a[NR] = $1} END {
		if (!NR) { print "-"; exit }
		m = a[int((NR + 1) / 2)]
		if (NR == 1) printf f, m
		else printf f " (" f "-" f ")", m, a[1], a[NR]
	}'
}

echo
echo "Display path benchmark: medians (min-max) of $RUNS runs; test guest animating"
echo "full-screen, QEMU $(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p') TCG," \
	"Xvfb, $(nproc) CPUs; CPU in ms per delivered frame"
for spec in $SIZES; do
	size=${spec#*:}
	echo
	printf '%-9s %-9s | %-17s | %-21s | %-19s | %-17s | %-21s | %-17s\n' "$size" viewer \
		"frames/s" "QEMU non-vCPU" "viewer" "X server" "sum" "sum / TigerVNC"
	for viewer in $VIEWERS; do
		row() { awk -v v="$viewer" -v s="$size" "\$1 == \"frame\" && \$2 == v && \$3 == s && \$6 > 0 {print $1}" "$RESULTS" | spread "$2"; }
		ratio=$(awk -v v="$viewer" -v s="$size" '$1 == "frame" && $3 == s && $6 > 0 {
				sum[$2 " " $4] = ($7 + $8 + $9) / $6 }
			END { for (k in sum) { split(k, p, " ")
				if (p[1] == v && (("tigervnc " p[2]) in sum))
					print sum[k] / sum["tigervnc " p[2]] } }' "$RESULTS" | spread '%.2f')
		printf '%-9s %-9s | %-17s | %-21s | %-19s | %-17s | %-21s | %-17s\n' "" "$viewer" \
			"$(row '$6 / $5' '%.1f')" "$(row '$7 / $6' '%.2f')" \
			"$(row '$8 / $6' '%.2f')" "$(row '$9 / $6' '%.2f')" \
			"$(row '($7 + $8 + $9) / $6' '%.2f')" "$ratio"
	done
done
echo
printf '%-9s | %-17s | %-17s | %-17s | %-17s\n' viewer "idle CPU %" \
	"peak RSS viewer" "peak RSS QEMU" "first frame ms"
for viewer in $VIEWERS; do
	col() { awk -v v="$viewer" "\$1 == \"play\" && \$2 == v && \$$1 != \"-\" {print \$$1}" "$RESULTS" | spread "$2"; }
	printf '%-9s | %-17s | %-17s | %-17s | %-17s\n' "$viewer" "$(col 4 '%.2f')" \
		"$(awk -v v="$viewer" '$1 == "play" && $2 == v {print $5 / 1024}' "$RESULTS" | spread '%.0f') MB" \
		"$(awk -v v="$viewer" '$1 == "play" && $2 == v {print $6 / 1024}' "$RESULTS" | spread '%.0f') MB" \
		"$(col 7 '%.0f')"
done
for viewer in $VIEWERS; do
	grep -q "^play $viewer .* [a-z_]*:[0-9]" "$RESULTS" || continue
	echo
	echo "$viewer start-up: when each step was done, ms from the player's start (medians):"
	awk -v v="$viewer" '$1 == "play" && $2 == v && $8 != "-" {print $8}' "$RESULTS" |
		tr ',' '\n' | awk -F: '{v[$1] = v[$1] " " $2; if (!($1 in o)) o[$1] = n++}
			function isort(a, n,  i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t } }
			END { for (k in o) { c = split(v[k], a, " "); isort(a, c)
				printf "%d %s %d\n", o[k], k, a[int((c + 1) / 2)] } }' |
		sort -n | awk '{printf "  %-16s %6d\n", $2, $3}'
done
[[ " $VIEWERS " == *" tigervnc "* ]] ||
	echo "(TigerVNC rows skipped: vncviewer not installed; Debian package tigervnc-viewer)"
