# make fuzz: the libFuzzer harnesses of tests/fuzz (clang, with
# AddressSanitizer and UndefinedBehaviorSanitizer), each run for
# FUZZ_SECONDS (default 60) from its seed corpus tests/fuzz/corpus/NAME;
# what they find new is kept in $(BUILD)/fuzz/corpus/NAME, a crash in
# $(BUILD)/fuzz/crash-* (and the target fails). Not part of make check;
# CI runs it. Needs clang and libclang-rt-14-dev (deps/debian-test-packages.txt).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 $(FUZZ_SAN) -Isrc $(PKG_CFLAGS) \
	-MMD -MP
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_NAMES))
FUZZ_OBJS := $(patsubst src/%.c,$(BUILD)/fuzz/obj/%.o,$(SRCS))
# Inputs larger than this are not tried (the VM file limit is 1 MiB, but
# small inputs find the same paths much faster).
FUZZ_MAX_LEN ?= 65536

$(BUILD)/fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) \
		$(PKG_LIBS) -lm -lpthread

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@status=0; for name in $(FUZZ_NAMES); do \
		mkdir -p $(BUILD)/fuzz/corpus/$$name; \
		echo "== fuzz_$$name for $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/fuzz_$$name -max_total_time=$(FUZZ_SECONDS) \
			-max_len=$(FUZZ_MAX_LEN) -timeout=20 -rss_limit_mb=4096 \
			-print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/ \
			$(BUILD)/fuzz/corpus/$$name tests/fuzz/corpus/$$name \
			>$(BUILD)/fuzz/$$name.log 2>&1; \
		rc=$$?; \
		grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' \
			$(BUILD)/fuzz/$$name.log | tr '\n' ' '; echo; \
		if [ $$rc -ne 0 ]; then \
			echo "fuzz_$$name FAILED (exit $$rc): see $(BUILD)/fuzz/$$name.log"; \
			grep -E 'ERROR|SUMMARY|runtime error' $(BUILD)/fuzz/$$name.log | head -n 5; \
			status=1; \
		fi; \
	done; exit $$status

-include $(FUZZ_OBJS:.o=.d) $(FUZZ_BINS:=.d)
