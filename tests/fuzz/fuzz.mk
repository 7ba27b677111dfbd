# tests/fuzz/fuzz.mk: the libFuzzer targets for the ELF/BPF object and BTF readers (clang, ASan, UBSan),
# `make fuzz` (a bounded run, FUZZ_SECONDS per target) and `make fuzz-merge`; included by the Makefile.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 120
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SAN := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_BINS := $(FUZZ_DIR)/fuzz_elf $(FUZZ_DIR)/fuzz_btf

# Every elf/ source, whichever the target calls: they are pure, and a new file there needs no edit here.
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_input.h $(ELF_SRCS) $(HEADERS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CFLAGS_COMMON) -g -O1 $(FUZZ_SAN) $< $(ELF_SRCS) -o $@

# Small seeds, so that mutants stay small and fast: seed_elf.o has every kind of map and relocation the
# object reader resolves (DWARF stripped, .BTF kept), seed_elf_nobtf.o the same less the BTF-defined map in
# 2.4 KB; seed_btf.o's .BTF every kind clang emits and the kernel shapes the loader looks into.
FUZZ_SEEDS := $(FUZZ_DIR)/seed_elf.o $(FUZZ_DIR)/seed_elf_nobtf.o $(FUZZ_DIR)/seed_btf.o
SEED_CFLAGS := -target bpf -O2 -Wall -Werror -Iinclude -I$(BPF_SYSINC)
$(FUZZ_DIR)/seed_elf.o: tests/fuzz/seed_elf.c include/tuxscope_maps.h
	@mkdir -p $(@D)
	$(BPF_CLANG) $(SEED_CFLAGS) -g -c $< -o $@.full
	llvm-strip --strip-debug -R .llvm_addrsig -o $@ $@.full
$(FUZZ_DIR)/seed_elf_nobtf.o: tests/fuzz/seed_elf.c include/tuxscope_maps.h
	@mkdir -p $(@D)
	$(BPF_CLANG) $(SEED_CFLAGS) -g0 -DSEED_NO_BTF -c $< -o $@.full
	llvm-strip --strip-unneeded -R .llvm_addrsig -o $@ $@.full
$(FUZZ_DIR)/seed_btf.o: tests/fuzz/seed_btf.c
	@mkdir -p $(@D)
	$(BPF_CLANG) $(SEED_CFLAGS) -g -c $< -o $@

# The corpus regression (tests/fuzz/regress.sh, run by tests/run-all.sh) needs only the binaries.
CHECK_DEPS += $(FUZZ_BINS)

.PHONY: fuzz fuzz-bins fuzz-merge
fuzz-bins: $(FUZZ_BINS)

# Seeds: the project's object, stripped and whole, the small seeds above, and the fixtures: whatever
# tests/fixtures/fixtures.mk adds to CHECK_DEPS under $(BUILD)/fixtures/, built first (CHECK_DEPS is
# complete by the time a recipe runs, not yet when this rule is read).
fuzz: $(FUZZ_BINS) $(BPF_OBJ) $(FUZZ_SEEDS)
	$(if $(filter $(BUILD)/fixtures/%,$(CHECK_DEPS)),$(MAKE) --no-print-directory \
		$(filter $(BUILD)/fixtures/%,$(CHECK_DEPS)))
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_DIR) $(BPF_OBJ) $(BPF_OBJ).full \
		$(FUZZ_SEEDS) $$(ls $(BUILD)/fixtures/*.o 2>/dev/null)

# Folds what `make fuzz` found into the committed corpus: only inputs that reach new edges, smallest first
# (edges only, -use_counters=0: counting hits too would keep hundreds of near-copies).
fuzz-merge: $(FUZZ_BINS)
	for t in elf btf; do \
		$(FUZZ_DIR)/fuzz_$$t -merge=1 -use_counters=0 -max_len=1048576 tests/fuzz/corpus/$$t \
			$$(ls -d $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/seeds/$$t 2>/dev/null) || exit 1; \
	done
	du -sh tests/fuzz/corpus/elf tests/fuzz/corpus/btf
