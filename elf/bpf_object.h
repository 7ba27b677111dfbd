/* bpf_object.h: what a clang-built BPF object holds, as the loader needs it: programs, maps, relocations.
 * Parsing is pure (no syscalls); the result points into the caller's buffer, which must outlive it. */
#ifndef TUX_BPF_OBJECT_H
#define TUX_BPF_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "tuxscope_maps.h"

#define BPF_OBJ_MAX_PROGS 32
#define BPF_OBJ_MAX_MAPS 32
#define BPF_OBJ_MAX_RELOCS 512
#define BPF_INSN_SIZE 8 /* sizeof(struct bpf_insn) */

struct bpf_obj_map {
	const char *name;
	struct tux_map_def def;
};

/* An ld_imm64 at insn_idx (of its program) that must load the fd of map map_idx. */
struct bpf_obj_reloc {
	uint32_t insn_idx;
	uint32_t map_idx;
};

struct bpf_obj_prog {
	const char *section;   /* e.g. "kprobe/vfs_read": says how and where it attaches */
	unsigned section_idx;  /* its ELF section, which relocation sections name in sh_info */
	const char *name;      /* the function symbol */
	const uint8_t *insns;  /* insn_cnt * 8 bytes, possibly unaligned: copy before use */
	size_t insn_cnt;
	size_t reloc_first;    /* its relocations: relocs[reloc_first .. reloc_first + reloc_cnt) */
	size_t reloc_cnt;
};

struct bpf_object_desc {
	struct bpf_obj_prog progs[BPF_OBJ_MAX_PROGS];
	size_t nprogs;
	struct bpf_obj_map maps[BPF_OBJ_MAX_MAPS];
	size_t nmaps;
	struct bpf_obj_reloc relocs[BPF_OBJ_MAX_RELOCS];
	size_t nrelocs;
	const char *license;   /* "GPL" etc.; NULL if the object has none */
	int has_btf;           /* a .BTF section is present (not needed to load) */
};

/* 0 or a negative errno; on error, err holds one line saying what is wrong with the object. */
int bpf_object_parse(const void *buf, size_t size, struct bpf_object_desc *obj, char *err,
		     size_t errlen);

/* The map index named name, or -1. */
int bpf_object_map_index(const struct bpf_object_desc *obj, const char *name);

#endif
