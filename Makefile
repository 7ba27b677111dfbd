# Makefile: builds the BPF object with clang, embeds it, links build/tuxscope statically with musl;
# `make check` runs every test (unit, host, qemu kernel matrix), `make bench` the benchmarks.

ARCH ?= x86_64
BUILD := build
.DEFAULT_GOAL := all
V ?= 0

ifeq ($(ARCH),x86_64)
  CC := musl-gcc
  BPF_ARCH := x86
  ASM_INCLUDE := /usr/include/x86_64-linux-gnu/asm
else
  $(error ARCH=$(ARCH) is not supported yet)
endif

# musl-gcc searches only musl's headers; the kernel's uapi headers come in through these links.
KHDR := $(BUILD)/kernel-headers
CFLAGS_COMMON := -std=gnu11 -Wall -Wextra -Werror -Iinclude -Ielf -Iloader
CFLAGS ?= -Os -g0
LDFLAGS ?= -static -s -Wl,--gc-sections -Wl,-z,max-page-size=4096
TARGET_CFLAGS := $(CFLAGS_COMMON) -ffunction-sections -fdata-sections -isystem $(KHDR)

BPF_CLANG ?= clang
BPF_CFLAGS := -target bpf -O2 -g0 -Wall -Werror -D__TARGET_ARCH_$(BPF_ARCH) \
	-I/usr/include/$(shell gcc -print-multiarch) -Iinclude -Ibpf

LOADER_SRCS := $(wildcard loader/*.c)
ELF_SRCS := $(wildcard elf/*.c)
HEADERS := $(wildcard include/*.h loader/*.h elf/*.h bpf/*.h)
BPF_OBJ := $(BUILD)/fileio.bpf.o

# Test workloads: static, so the same binary runs on the host and in the VMs' initramfs.
$(BUILD)/rwload: tests/tools/rwload.c $(KHDR)/.stamp
	$(CC) -std=gnu11 -Wall -Wextra -Werror -Os -static -s $< -o $@

.PHONY: all check test-unit test-host test-vm bench clean deps
all: $(BUILD)/tuxscope

$(KHDR)/.stamp:
	@mkdir -p $(KHDR)
	ln -sfn /usr/include/linux $(KHDR)/linux
	ln -sfn $(ASM_INCLUDE) $(KHDR)/asm
	ln -sfn /usr/include/asm-generic $(KHDR)/asm-generic
	@touch $@

# Local symbols (clang's branch labels) and the address-significance table mean nothing to the loader:
# stripped, the embedded object is about 15% smaller.
$(BUILD)/%.bpf.o: bpf/%.bpf.c $(wildcard include/*.h bpf/*.h)
	@mkdir -p $(BUILD)
	$(BPF_CLANG) $(BPF_CFLAGS) -c $< -o $@.full
	llvm-strip --strip-unneeded -R .llvm_addrsig -o $@ $@.full

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

test-vm: $(BUILD)/tuxscope $(BUILD)/rwload
	sh tests/vm/run-matrix.sh $(BUILD)/tuxscope

# The whole suite, as CI runs it; ends with "N passed, M failed".
check: $(BUILD)/tuxscope $(BUILD)/unit_tests $(BUILD)/rwload
	sh tests/run-all.sh

# Installs what the build and the tests need on a Debian machine (as root).
deps:
	sh tests/install-deps.sh

clean:
	rm -rf $(BUILD)
