# bench.mk: `make bench` (included by the Makefile; not part of `make check`): builds the benchmark tools
# into build/bench/ and runs bench/bench.sh, which prints the figures table (see bench/README.md).

BENCH_DIR := build/bench
BENCH_HOST_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2
# fmt_bench links the real formatter and ring buffer consumer as they are, built as the shipped binary is
# (musl, TARGET_CFLAGS and CFLAGS: -Os), and fmt_bench_O2 again with -O2 to show what that would be worth.
BENCH_FMT_SRCS := bench/fmt_bench.c loader/output.c loader/ringbuf.c loader/errnames.c
BENCH_TOOLS := $(BENCH_DIR)/rusage $(BENCH_DIR)/first_event $(BENCH_DIR)/fmt_bench $(BENCH_DIR)/fmt_bench_O2

.PHONY: bench bench-tools
ifeq ($(ARCH),x86_64)
# The benchmarks run here, on the x86_64 binary (build/arm64/tuxscope, if built, is measured for size).
# The arm64 binary is brought up to date too when its cross compiler is there, so its size is current.
bench: $(BUILD)/tuxscope $(BENCH_TOOLS)
	if command -v aarch64-linux-gnu-gcc >/dev/null; then $(MAKE) ARCH=arm64 build/arm64/tuxscope; fi
	BENCH_CFLAGS='$(CFLAGS)' sh bench/bench.sh $(BUILD)/tuxscope $(BENCH_DIR)
else
bench:
	@echo "make bench: the benchmarks run on this machine: run it without ARCH=$(ARCH)"; exit 2
endif

bench-tools: $(BENCH_TOOLS)

$(BENCH_DIR)/rusage: bench/rusage.c
	@mkdir -p $(BENCH_DIR)
	gcc $(BENCH_HOST_CFLAGS) $< -o $@

$(BENCH_DIR)/first_event: bench/first_event.c
	@mkdir -p $(BENCH_DIR)
	gcc $(BENCH_HOST_CFLAGS) $< -o $@

$(BENCH_DIR)/fmt_bench: $(BENCH_FMT_SRCS) $(HEADERS) $(KHDR)/.stamp
	@mkdir -p $(BENCH_DIR)
	$(CC) $(TARGET_CFLAGS) $(CFLAGS) $(BENCH_FMT_SRCS) -static -Wl,--gc-sections -o $@

$(BENCH_DIR)/fmt_bench_O2: $(BENCH_FMT_SRCS) $(HEADERS) $(KHDR)/.stamp
	@mkdir -p $(BENCH_DIR)
	$(CC) $(TARGET_CFLAGS) -O2 -g0 $(BENCH_FMT_SRCS) -static -Wl,--gc-sections -o $@
