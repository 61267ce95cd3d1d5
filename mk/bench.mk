# make bench: the display path's performance, vmplay side by side with
# TigerVNC's viewer (tests/bench/player_bench.sh); not part of make check.
# BENCH_RUNS=N, BENCH_VIEWERS="vmplay tigervnc", IDLE_S and ANIM_S tune it.
# Its extra packages (deps/bench-packages.txt) are installed by
# make bench-deps, which make bench runs first.
.PHONY: bench bench-deps
bench-deps:
	@tests/install-deps.sh deps/bench-packages.txt

bench: all bench-deps $(CHECK_DEPS)
	@VMPLAY=$(abspath $(BUILD)/vmplay) BUILD=$(abspath $(BUILD)) \
		tests/bench/player_bench.sh
