# make bench: the player's performance figures (tests/bench/); not part of
# make check. BENCH_RUNS=N and BENCH_RENDERERS="opengl software" tune it.
.PHONY: bench
bench: all $(CHECK_DEPS)
	@VMPLAY=$(abspath $(BUILD)/vmplay) BUILD=$(abspath $(BUILD)) \
		tests/bench/player_bench.sh
