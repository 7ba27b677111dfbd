/* fuzz_elf.c: libFuzzer target for elf/elf64.c and elf/bpf_object.c: parses the input as a BPF object and
 * touches every byte of what the parse returned, so ASan sees any pointer the parser let out of the input. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_object.h"
#include "elf64.h"
#include "fuzz_input.h"

#define BPF_LD_IMM64_OPCODE 0x18 /* BPF_LD | BPF_IMM | BPF_DW */
#define BPF_CALL_OPCODE 0x85     /* BPF_JMP | BPF_CALL */

/* The .text entry (BPF-to-BPF callees), or NULL. */
static const struct bpf_obj_prog *text_of(const struct bpf_object_desc *obj)
{
	for (size_t i = 0; i < obj->nprogs; i++)
		if (obj->progs[i].is_subprog)
			return &obj->progs[i];
	return NULL;
}

/* What loader/object.c relies on before it patches a relocated instruction (bpf_object.h's contract). */
static void check_reloc(const struct bpf_object_desc *obj, const struct bpf_obj_prog *prog, size_t p,
			size_t r)
{
	const struct bpf_obj_reloc *rel = &obj->relocs[r];
	const struct bpf_obj_prog *text = text_of(obj);

	FUZZ_ASSERT(rel->insn_idx < prog->insn_cnt, "program %zu: relocation %zu at insn %u of %zu", p, r,
		    rel->insn_idx, prog->insn_cnt);
	uint8_t code = prog->insns[(size_t)rel->insn_idx * BPF_INSN_SIZE];
	/* An ld_imm64 is two instructions, both inside the program. */
	FUZZ_ASSERT(code != BPF_LD_IMM64_OPCODE || (size_t)rel->insn_idx + 1 < prog->insn_cnt,
		    "program %zu: relocation %zu: ld_imm64 at the last insn %u", p, r, rel->insn_idx);
	touch_string(rel->sym, "relocation symbol");
	switch (rel->kind) {
	case BPF_OBJ_RELOC_MAP_FD:
	case BPF_OBJ_RELOC_MAP_VALUE:
		FUZZ_ASSERT(code == BPF_LD_IMM64_OPCODE, "program %zu: map relocation %zu on opcode %#x", p,
			    r, code);
		FUZZ_ASSERT(rel->map_idx < obj->nmaps, "program %zu: relocation %zu: map %u of %zu", p, r,
			    rel->map_idx, obj->nmaps);
		const struct bpf_obj_map *m = &obj->maps[rel->map_idx];
		if (rel->kind == BPF_OBJ_RELOC_MAP_FD)
			FUZZ_ASSERT(m->def_kind != BPF_OBJ_MAP_DATA, "relocation %zu: map fd of global data", r);
		else
			FUZZ_ASSERT(m->def_kind == BPF_OBJ_MAP_DATA && rel->offset < m->def.value_size,
				    "relocation %zu: value offset %u of map %s (kind %u, %u bytes)", r,
				    rel->offset, m->name, m->def_kind, m->def.value_size);
		break;
	case BPF_OBJ_RELOC_CALL:
	case BPF_OBJ_RELOC_FUNC_ADDR:
		FUZZ_ASSERT(code == (rel->kind == BPF_OBJ_RELOC_CALL ? BPF_CALL_OPCODE : BPF_LD_IMM64_OPCODE),
			    "program %zu: relocation %zu of kind %u on opcode %#x", p, r, rel->kind, code);
		FUZZ_ASSERT(text && rel->offset < text->insn_cnt, "relocation %zu: callee insn %u of .text "
			    "(%zu insns)", r, rel->offset, text ? text->insn_cnt : 0);
		break;
	case BPF_OBJ_RELOC_EXTERN:
		FUZZ_ASSERT(code == BPF_LD_IMM64_OPCODE || code == BPF_CALL_OPCODE,
			    "relocation %zu: extern on opcode %#x", r, code);
		FUZZ_ASSERT(rel->sym[0], "relocation %zu: extern without a name", r);
		break;
	default:
		FUZZ_ASSERT(0, "relocation %zu has kind %u", r, rel->kind);
	}
}

static void walk_object(const struct bpf_object_desc *obj, size_t size)
{
	const struct bpf_obj_prog *text = text_of(obj);

	FUZZ_ASSERT(obj->nprogs >= (text ? 2u : 1u) && obj->nprogs <= BPF_OBJ_MAX_PROGS, "nprogs %zu",
		    obj->nprogs);
	FUZZ_ASSERT(obj->nmaps <= BPF_OBJ_MAX_MAPS, "nmaps %zu", obj->nmaps);
	FUZZ_ASSERT(obj->nrelocs <= BPF_OBJ_MAX_RELOCS, "nrelocs %zu", obj->nrelocs);
	FUZZ_ASSERT(obj->btf_size <= size && obj->btf_ext_size <= size, "BTF sizes %zu, %zu of %zu",
		    obj->btf_size, obj->btf_ext_size, size);
	FUZZ_ASSERT(obj->core_relo_len <= obj->btf_ext_size, "%u bytes of CO-RE records in %zu of .BTF.ext",
		    obj->core_relo_len, obj->btf_ext_size);
	if (obj->license)
		touch_string(obj->license, "license");

	for (size_t i = 0; i < obj->nmaps; i++) {
		const struct bpf_obj_map *m = &obj->maps[i];

		touch_string(m->name, "map name");
		FUZZ_ASSERT(m->def_kind <= BPF_OBJ_MAP_DATA, "map %zu: def_kind %u", i, m->def_kind);
		if (m->data)
			touch(m->data, m->def.value_size, "global data");
		/* Names are unique, so the lookup finds this very map. */
		FUZZ_ASSERT(bpf_object_map_index(obj, m->name) == (int)i, "map %zu: index lookup", i);
	}
	FUZZ_ASSERT(bpf_object_map_index(obj, "\x01no such map") == -1, "lookup of a missing map");

	for (size_t p = 0; p < obj->nprogs; p++) {
		const struct bpf_obj_prog *prog = &obj->progs[p];

		touch_string(prog->section, "program section");
		touch_string(prog->name, "program name");
		/* One .text entry at most, the one text_of() found: relocations count from its start. */
		FUZZ_ASSERT(!prog->is_subprog || (prog == text && strcmp(prog->section, ".text") == 0),
			    "program %zu (%s) is a second or misnamed subprogram entry", p, prog->section);
		FUZZ_ASSERT(prog->insn_cnt > 0, "program %zu has no instructions", p);
		FUZZ_ASSERT(prog->insn_cnt <= SIZE_MAX / BPF_INSN_SIZE, "insn_cnt %zu", prog->insn_cnt);
		touch(prog->insns, prog->insn_cnt * BPF_INSN_SIZE, "program instructions");
		FUZZ_ASSERT(prog->reloc_first <= obj->nrelocs &&
			    prog->reloc_cnt <= obj->nrelocs - prog->reloc_first,
			    "program %zu: relocations [%zu, +%zu) of %zu", p, prog->reloc_first,
			    prog->reloc_cnt, obj->nrelocs);
		for (size_t r = prog->reloc_first; r < prog->reloc_first + prog->reloc_cnt; r++)
			check_reloc(obj, prog, p, r);
	}
}

/* The ELF layer on its own, with no machine check: every section and symbol it accepts. */
static void walk_elf(const uint8_t *data, size_t size)
{
	struct elf_file elf;
	struct elf_section sec;
	struct elf_symbol sym;

	if (elf_open(&elf, data, size, 0))
		return;
	touch(elf.shstrtab, elf.shstrtab_size, "shstrtab");
	if (elf.symtab_idx >= 0)
		touch(elf.strtab, elf.strtab_size, "strtab");
	for (unsigned i = 0; i < elf.shnum; i++) {
		if (elf_section(&elf, i, &sec))
			continue;
		touch_string(sec.name, "section name");
		if (sec.data)
			touch(sec.data, sec.size, "section data");
	}
	/* Past the ends too: those must be refused, not read. */
	FUZZ_ASSERT(elf_section(&elf, elf.shnum, &sec) != 0, "section %u past shnum accepted", elf.shnum);
	for (size_t i = 0; i < elf.nsyms; i++)
		if (elf_symbol(&elf, i, &sym) == 0)
			touch_string(sym.name, "symbol name");
	FUZZ_ASSERT(elf_symbol(&elf, elf.nsyms, &sym) != 0, "symbol %zu past nsyms accepted", elf.nsyms);
	if (elf_find_section(&elf, "maps", &sec) == 0 && sec.data)
		touch(sec.data, sec.size, "maps section");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct bpf_object_desc obj; /* large: kept off the stack */
	char err[256];
	uint8_t *buf = fuzz_input_copy(data, size);

	if (!buf)
		return 0;

	err[0] = 0;
	int rc = bpf_object_parse(buf, size, &obj, err, sizeof(err));
	if (rc == 0) {
		walk_object(&obj, size);
	} else {
		FUZZ_ASSERT(rc < 0, "bpf_object_parse returned %d", rc);
		FUZZ_ASSERT(memchr(err, 0, sizeof(err)) && err[0], "error %d without a message", rc);
	}
	walk_elf(buf, size);
	free(buf);
	return 0;
}
