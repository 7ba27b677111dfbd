/* bpf_object.h: what a clang-built BPF object holds, as the loader needs it: programs, maps, relocations.
 * Parsing is pure (no syscalls); the result points into the caller's buffer, which must outlive it. */
#ifndef TUX_BPF_OBJECT_H
#define TUX_BPF_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "tuxscope_maps.h"

/* struct bpf_object_desc sits inside each command's session on the stack: about 60 KB at these limits. */
#define BPF_OBJ_MAX_PROGS 64
#define BPF_OBJ_MAX_MAPS 64
#define BPF_OBJ_MAX_RELOCS 2048
#define BPF_INSN_SIZE 8 /* sizeof(struct bpf_insn) */

/* Where a map's definition came from. */
enum bpf_obj_map_def_kind {
	BPF_OBJ_MAP_LEGACY = 0, /* a struct tux_map_def in section "maps" (include/tuxscope_maps.h) */
	BPF_OBJ_MAP_BTF,        /* a BTF-defined map in section ".maps" (libbpf's __uint/__type) */
	BPF_OBJ_MAP_DATA,       /* global data: the whole of .data, .rodata, .bss or a .data.* etc. section */
};

struct bpf_obj_map {
	const char *name;      /* the symbol; for global data the section's name (".rodata") */
	struct tux_map_def def;
	uint32_t def_kind;     /* enum bpf_obj_map_def_kind */
	unsigned sec_idx;      /* its ELF section */
	uint64_t sec_offset;   /* where its definition starts in that section (global data: 0) */
	const uint8_t *data;   /* global data: its initial value, value_size bytes (NULL for .bss: zeros) */
};

/* What a relocated instruction must be given at load time (include/uapi/linux/bpf.h's src_reg values). */
enum bpf_obj_reloc_kind {
	BPF_OBJ_RELOC_MAP_FD = 0, /* ld_imm64 of map map_idx: src_reg BPF_PSEUDO_MAP_FD, imm = its fd */
	BPF_OBJ_RELOC_MAP_VALUE,  /* ld_imm64 of byte `offset` of map map_idx's value (global data):
				     src_reg BPF_PSEUDO_MAP_VALUE, imm = fd, the next insn's imm = offset */
	BPF_OBJ_RELOC_CALL,       /* call of the function at insn `offset` of .text: BPF_PSEUDO_CALL */
	BPF_OBJ_RELOC_FUNC_ADDR,  /* ld_imm64 of the address of the function at insn `offset` of .text (a
				     callback, e.g. for bpf_loop): BPF_PSEUDO_FUNC */
	BPF_OBJ_RELOC_EXTERN,     /* ld_imm64 or call of an extern symbol (__kconfig, __ksym, a kfunc): the
				     loader must find it in the kernel */
};

/* The instruction at insn_idx (of its program) refers to a symbol. For MAP_FD, the kind of every relocation
 * of the project's own objects, it is an ld_imm64 that must load the fd of map map_idx. */
struct bpf_obj_reloc {
	uint32_t insn_idx;
	uint32_t map_idx;  /* MAP_FD, MAP_VALUE; else 0 */
	uint32_t kind;     /* enum bpf_obj_reloc_kind */
	uint32_t offset;   /* MAP_VALUE: byte in the value; CALL, FUNC_ADDR: the callee's insn in .text */
	const char *sym;   /* the symbol's name; a section's own symbol (STT_SECTION) gives the section's */
};

struct bpf_obj_prog {
	const char *section;   /* e.g. "kprobe/vfs_read": says how and where it attaches */
	unsigned section_idx;  /* its ELF section, which relocation sections name in sh_info */
	const char *name;      /* the function symbol */
	const uint8_t *insns;  /* insn_cnt * 8 bytes, possibly unaligned: copy before use */
	size_t insn_cnt;
	size_t reloc_first;    /* its relocations: relocs[reloc_first .. reloc_first + reloc_cnt) */
	size_t reloc_cnt;
	int is_subprog;        /* .text: the functions programs call (BPF-to-BPF), not a program itself;
				  its insn_idx and CALL offsets count from the start of .text */
};

struct bpf_object_desc {
	struct bpf_obj_prog progs[BPF_OBJ_MAX_PROGS];
	size_t nprogs;         /* programs, and .text if it holds code */
	struct bpf_obj_map maps[BPF_OBJ_MAX_MAPS];
	size_t nmaps;
	struct bpf_obj_reloc relocs[BPF_OBJ_MAX_RELOCS];
	size_t nrelocs;
	const char *license;   /* "GPL" etc.; NULL if the object has none */
	int has_btf;           /* a .BTF section is present (needed only for BTF-defined maps) */
	size_t btf_size;       /* bytes of .BTF, of .BTF.ext (0: none) */
	size_t btf_ext_size;
	uint32_t core_relo_len; /* bytes of CO-RE relocation records in .BTF.ext (0: none) */
};

/* 0 or a negative errno; on error, err holds one line saying what is wrong with the object. */
int bpf_object_parse(const void *buf, size_t size, struct bpf_object_desc *obj, char *err,
		     size_t errlen);

/* The .text entry (is_subprog: the functions programs call), or NULL if .text holds no code. */
const struct bpf_obj_prog *bpf_object_text(const struct bpf_object_desc *obj);

/* The map index named name, or -1. */
int bpf_object_map_index(const struct bpf_object_desc *obj, const char *name);

#endif
