# Makefile: builds the BPF object with clang, embeds it, links build/tuxscope statically with musl;
# `make check` runs every test (unit, host, qemu kernel matrix), `make bench` the benchmarks.

# ARCH=x86_64 (default) or ARCH=arm64 (cross-built, into build/arm64/). One tree, one Makefile: the
# per-architecture part of the sources is bpf/tux_arch.h; here it is the compiler and the uapi headers.
ARCH ?= x86_64
.DEFAULT_GOAL := all

ifeq ($(ARCH),x86_64)
  BUILD := build
  CC := musl-gcc
  BPF_ARCH := x86
  ASM_INCLUDE := /usr/include/x86_64-linux-gnu/asm
  BPF_SYSINC := /usr/include/x86_64-linux-gnu
else ifeq ($(ARCH),arm64)
  BUILD := build/arm64
  # Debian's aarch64 cross gcc with musl's arm64 libc (musl-dev:arm64) through musl's specs file
  CC := aarch64-linux-gnu-gcc -specs /usr/lib/aarch64-linux-musl/musl-gcc.specs
  BPF_ARCH := arm64
  ASM_INCLUDE := /usr/aarch64-linux-gnu/include/asm
  BPF_SYSINC := /usr/aarch64-linux-gnu/include
else
  $(error ARCH=$(ARCH): use x86_64 or arm64)
endif

# musl-gcc searches only musl's headers; the kernel's uapi headers come in through these links.
KHDR := $(BUILD)/kernel-headers
CFLAGS_COMMON := -std=gnu11 -Wall -Wextra -Werror -Iinclude -Ielf -Iloader
# Size is a target (150 KB stripped, issue 6): no unwind tables (nothing here unwinds: 6 KB on arm64),
# and one read-only segment without RELRO's page padding (4-8 KB of zeros in a static binary).
CFLAGS ?= -Os -g0 -fno-asynchronous-unwind-tables -fno-unwind-tables
LDFLAGS ?= -static -s -Wl,--gc-sections -Wl,-z,max-page-size=4096 -Wl,-z,noseparate-code -Wl,-z,norelro
TARGET_CFLAGS := $(CFLAGS_COMMON) -ffunction-sections -fdata-sections -isystem $(KHDR)

BPF_CLANG ?= clang
BPF_CFLAGS := -target bpf -O2 -g0 -Wall -Werror -D__TARGET_ARCH_$(BPF_ARCH) \
	-I$(BPF_SYSINC) -Iinclude -Ibpf

LOADER_SRCS := $(wildcard loader/*.c)
ELF_SRCS := $(wildcard elf/*.c)
HEADERS := $(wildcard include/*.h loader/*.h elf/*.h bpf/*.h)
BPF_OBJ := $(BUILD)/fileio.bpf.o

# Test workloads: static, so the same binary runs on the host and in the VMs' initramfs.
$(BUILD)/rwload: tests/tools/rwload.c $(KHDR)/.stamp
	$(CC) -isystem $(KHDR) -std=gnu11 -Wall -Wextra -Werror -Os -static -s $< -o $@

.PHONY: all check test-unit test-host test-vm clean deps
all: $(BUILD)/tuxscope

$(KHDR)/.stamp:
	@mkdir -p $(KHDR)
	ln -sfn /usr/include/linux $(KHDR)/linux
	ln -sfn $(ASM_INCLUDE) $(KHDR)/asm
	ln -sfn /usr/include/asm-generic $(KHDR)/asm-generic
	@touch $@

# Local symbols (clang's branch labels) and the address-significance table mean nothing to the loader:
# stripped, the embedded object is about 15% smaller. on_call, the function in .text, keeps its name for
# inspect and --explain (32 bytes).
$(BUILD)/%.bpf.o: bpf/%.bpf.c $(wildcard include/*.h bpf/*.h)
	@mkdir -p $(BUILD)
	$(BPF_CLANG) $(BPF_CFLAGS) -c $< -o $@.full
	llvm-strip --strip-unneeded -R .llvm_addrsig --keep-symbol=on_call -o $@ $@.full

$(BUILD)/tuxscope: $(LOADER_SRCS) $(ELF_SRCS) loader/embed.S $(BPF_OBJ) $(HEADERS) $(KHDR)/.stamp
	$(CC) $(TARGET_CFLAGS) $(CFLAGS) -DTUX_BPF_OBJ='"$(BPF_OBJ)"' $(LOADER_SRCS) $(ELF_SRCS) \
		loader/embed.S $(LDFLAGS) -o $@

# Unit tests: no root, no kernel; built with the host compiler under ASan and UBSan.
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_LIB := elf/elf64.c elf/bpf_object.c elf/btf.c loader/output.c loader/cli.c loader/ringbuf.c \
	loader/errnames.c
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
$(BUILD)/unit_tests: $(UNIT_SRCS) $(UNIT_LIB) $(HEADERS) $(BPF_OBJ)
	gcc $(CFLAGS_COMMON) -g -O1 $(SAN) -Itests/unit $(UNIT_SRCS) $(UNIT_LIB) -o $@

test-unit: $(BUILD)/unit_tests
	$(BUILD)/unit_tests $(BPF_OBJ)

test-host: $(BUILD)/tuxscope $(BUILD)/rwload
	sh tests/host/run.sh $(BUILD)/tuxscope

# The matrix's arm64 pass boots the aarch64 builds: a recursive make, so they are built (and kept up to date)
# with ARCH=arm64's compiler whatever ARCH this make has.
ARM64_VM_BINS := build/arm64/tuxscope build/arm64/rwload
.PHONY: arm64-vm-bins
arm64-vm-bins:
	$(MAKE) ARCH=arm64 $(ARM64_VM_BINS)

# Both passes, x86_64 then arm64; fails if either does.
test-vm: $(BUILD)/tuxscope $(BUILD)/rwload arm64-vm-bins
	sh tests/vm/run-matrix.sh $(BUILD)/tuxscope; s=$$?; \
		sh tests/vm/run-matrix.sh --arch arm64 $(ARM64_VM_BINS) && exit $$s

# Fuzzing (tests/fuzz), the foreign test objects (tests/fixtures) and the benchmarks (bench) each keep
# their rules in a fragment of their own; what `make check` needs from them they add to CHECK_DEPS.
CHECK_DEPS :=
-include tests/fuzz/fuzz.mk tests/fixtures/fixtures.mk bench/bench.mk

# The whole suite, as CI runs it; ends with "N passed, M failed".
check: $(BUILD)/tuxscope $(BUILD)/unit_tests $(BUILD)/rwload arm64-vm-bins $(CHECK_DEPS)
	sh tests/run-all.sh

# Installs what the build and the tests need on a Debian machine (as root).
deps:
	sh tests/install-deps.sh

clean:
	rm -rf $(BUILD)
