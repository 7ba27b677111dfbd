/* bpf_object.c: finds the programs, map definitions, license and relocations of a BPF ELF object.
 * Every relocation is checked to point at an ld_imm64 inside its program and at a known map. */
#include "bpf_object.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "elf64.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#define R_BPF_64_64 1          /* ld_imm64 against a symbol: how clang references a map */
#define BPF_LD_IMM64_OPCODE 0x18 /* BPF_LD | BPF_IMM | BPF_DW */

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

int bpf_object_map_index(const struct bpf_object_desc *obj, const char *name)
{
	for (size_t i = 0; i < obj->nmaps; i++)
		if (strcmp(obj->maps[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Map definitions are the symbols in section "maps", each a struct tux_map_def. */
static int parse_maps(const struct elf_file *elf, const struct elf_section *sec,
		      struct bpf_object_desc *obj, char *err, size_t errlen)
{
	for (size_t i = 1; i < elf->nsyms; i++) {
		struct elf_symbol s;

		if (elf_symbol(elf, i, &s))
			return fail(err, errlen, -EINVAL, "symbol %zu is malformed", i);
		if (s.sym.st_shndx != sec->idx || ELF64_ST_TYPE(s.sym.st_info) == STT_SECTION)
			continue;
		if (s.sym.st_size != sizeof(struct tux_map_def) || s.sym.st_value > sec->size ||
		    sec->size - s.sym.st_value < sizeof(struct tux_map_def) ||
		    s.sym.st_value % sizeof(uint32_t))
			return fail(err, errlen, -EINVAL,
				    "map %s: not a struct tux_map_def (size %llu at offset %llu)", s.name,
				    (unsigned long long)s.sym.st_size, (unsigned long long)s.sym.st_value);
		if (!sec->data)
			return fail(err, errlen, -EINVAL, "map %s: section maps has no data", s.name);
		if (obj->nmaps == BPF_OBJ_MAX_MAPS)
			return fail(err, errlen, -E2BIG, "more than %d maps", BPF_OBJ_MAX_MAPS);
		if (s.name[0] == 0 || bpf_object_map_index(obj, s.name) >= 0)
			return fail(err, errlen, -EINVAL, "map symbol %zu: empty or duplicate name", i);
		struct bpf_obj_map *m = &obj->maps[obj->nmaps++];
		m->name = s.name;
		memcpy(&m->def, sec->data + s.sym.st_value, sizeof(m->def));
	}
	return 0;
}

static int map_at_offset(const struct elf_file *elf, const struct bpf_object_desc *obj,
			 unsigned maps_idx, uint64_t value)
{
	for (size_t i = 1; i < elf->nsyms; i++) {
		struct elf_symbol s;

		if (elf_symbol(elf, i, &s) == 0 && s.sym.st_shndx == maps_idx &&
		    s.sym.st_value == value && ELF64_ST_TYPE(s.sym.st_info) != STT_SECTION)
			return bpf_object_map_index(obj, s.name);
	}
	return -1;
}

/* One SHT_REL section that applies to program prog: each entry must name a map and land on the first
 * half of an ld_imm64 of that program. */
static int parse_relocs(const struct elf_file *elf, const struct elf_section *rel, unsigned maps_idx,
			struct bpf_object_desc *obj, struct bpf_obj_prog *prog, char *err,
			size_t errlen)
{
	if (rel->hdr.sh_entsize != sizeof(Elf64_Rel) || rel->size % sizeof(Elf64_Rel) || !rel->data)
		return fail(err, errlen, -EINVAL, "%s: malformed relocation section", rel->name);
	if ((int)rel->hdr.sh_link != elf->symtab_idx)
		return fail(err, errlen, -EINVAL, "%s: not linked to the symbol table", rel->name);
	if (prog->reloc_cnt)
		return fail(err, errlen, -EINVAL, "%s: second relocation section", prog->section);
	prog->reloc_first = obj->nrelocs;

	for (size_t i = 0; i < rel->size / sizeof(Elf64_Rel); i++) {
		Elf64_Rel r;
		struct elf_symbol s;
		struct elf_section target;

		memcpy(&r, rel->data + i * sizeof(r), sizeof(r));
		uint64_t insn = r.r_offset / BPF_INSN_SIZE;
		size_t symi = ELF64_R_SYM(r.r_info);

		if (ELF64_R_TYPE(r.r_info) != R_BPF_64_64)
			return fail(err, errlen, -ENOTSUP,
				    "%s: relocation %zu has type %llu (only map references, R_BPF_64_64, "
				    "are supported: no BPF-to-BPF calls or global data)",
				    prog->section, i, (unsigned long long)ELF64_R_TYPE(r.r_info));
		if (r.r_offset % BPF_INSN_SIZE || insn + 1 >= prog->insn_cnt)
			return fail(err, errlen, -EINVAL, "%s: relocation %zu at offset %llu is outside "
				    "the program", prog->section, i, (unsigned long long)r.r_offset);
		if (prog->insns[insn * BPF_INSN_SIZE] != BPF_LD_IMM64_OPCODE)
			return fail(err, errlen, -EINVAL, "%s: relocation %zu is not on an ld_imm64",
				    prog->section, i);
		if (elf_symbol(elf, symi, &s))
			return fail(err, errlen, -EINVAL, "%s: relocation %zu names a bad symbol",
				    prog->section, i);
		if (s.sym.st_shndx != maps_idx) {
			const char *where = elf_section(elf, s.sym.st_shndx, &target) ? "?" : target.name;
			return fail(err, errlen, -ENOTSUP,
				    "%s: relocation %zu refers to %s in section %s, not to a map "
				    "(global data is not supported)", prog->section, i,
				    s.name[0] ? s.name : "(section)", where);
		}
		int map = map_at_offset(elf, obj, maps_idx, s.sym.st_value);
		if (map < 0)
			return fail(err, errlen, -EINVAL, "%s: relocation %zu: no map at offset %llu",
				    prog->section, i, (unsigned long long)s.sym.st_value);
		if (obj->nrelocs == BPF_OBJ_MAX_RELOCS)
			return fail(err, errlen, -E2BIG, "more than %d relocations", BPF_OBJ_MAX_RELOCS);
		obj->relocs[obj->nrelocs++] = (struct bpf_obj_reloc){ (uint32_t)insn, (uint32_t)map };
		prog->reloc_cnt++;
	}
	return 0;
}

/* The global function symbol at offset 0 of section idx names the program. */
static const char *prog_symbol(const struct elf_file *elf, unsigned idx)
{
	for (size_t i = 1; i < elf->nsyms; i++) {
		struct elf_symbol s;

		if (elf_symbol(elf, i, &s) == 0 && s.sym.st_shndx == idx && s.sym.st_value == 0 &&
		    ELF64_ST_TYPE(s.sym.st_info) == STT_FUNC)
			return s.name;
	}
	return NULL;
}

int bpf_object_parse(const void *buf, size_t size, struct bpf_object_desc *obj, char *err,
		     size_t errlen)
{
	struct elf_file elf;
	struct elf_section sec;
	unsigned maps_idx = 0;
	int rc;

	memset(obj, 0, sizeof(*obj));
	rc = elf_open(&elf, buf, size, EM_BPF);
	if (rc == -ENOTSUP)
		return fail(err, errlen, rc, "not a 64-bit little-endian BPF relocatable ELF object");
	if (rc)
		return fail(err, errlen, rc, "malformed ELF headers or section table");
	if (elf.symtab_idx < 0)
		return fail(err, errlen, -EINVAL, "no symbol table");

	/* Pass 1: the license, the maps and the programs. */
	for (unsigned i = 1; i < elf.shnum; i++) {
		if (elf_section(&elf, i, &sec))
			return fail(err, errlen, -EINVAL, "section %u is malformed", i);
		if (strcmp(sec.name, "license") == 0) {
			if (!sec.data || !sec.size || !memchr(sec.data, 0, sec.size))
				return fail(err, errlen, -EINVAL, "license is not a NUL-terminated string");
			obj->license = (const char *)sec.data;
		} else if (strcmp(sec.name, ".BTF") == 0) {
			obj->has_btf = 1;
		} else if (strcmp(sec.name, "maps") == 0) {
			maps_idx = i;
			if ((rc = parse_maps(&elf, &sec, obj, err, errlen)))
				return rc;
		} else if (sec.hdr.sh_type == SHT_PROGBITS && (sec.hdr.sh_flags & SHF_EXECINSTR) &&
			   sec.size) {
			if (strcmp(sec.name, ".text") == 0)
				return fail(err, errlen, -ENOTSUP, ".text holds code: BPF-to-BPF calls are "
					    "not supported (mark helpers __always_inline)");
			if (sec.size % BPF_INSN_SIZE || !sec.data)
				return fail(err, errlen, -EINVAL, "%s: size %zu is not whole instructions",
					    sec.name, sec.size);
			if (obj->nprogs == BPF_OBJ_MAX_PROGS)
				return fail(err, errlen, -E2BIG, "more than %d programs", BPF_OBJ_MAX_PROGS);
			struct bpf_obj_prog *p = &obj->progs[obj->nprogs++];
			p->section = sec.name;
			p->section_idx = i;
			p->name = prog_symbol(&elf, i);
			if (!p->name)
				p->name = sec.name;
			p->insns = sec.data;
			p->insn_cnt = sec.size / BPF_INSN_SIZE;
		}
	}

	/* Pass 2: relocations, now that every map and program is known. */
	for (unsigned i = 1; i < elf.shnum; i++) {
		if (elf_section(&elf, i, &sec))
			return fail(err, errlen, -EINVAL, "section %u is malformed", i);
		if (sec.hdr.sh_type == SHT_RELA)
			return fail(err, errlen, -ENOTSUP, "%s: RELA relocations are not used by BPF",
				    sec.name);
		if (sec.hdr.sh_type != SHT_REL)
			continue;
		struct elf_section target;
		if (elf_section(&elf, sec.hdr.sh_info, &target))
			return fail(err, errlen, -EINVAL, "%s: applies to a bad section", sec.name);
		struct bpf_obj_prog *prog = NULL;
		for (size_t p = 0; p < obj->nprogs; p++)
			if (obj->progs[p].section_idx == target.idx)
				prog = &obj->progs[p];
		if (!prog)
			continue; /* e.g. relocations of debug sections: not the loader's business */
		if ((rc = parse_relocs(&elf, &sec, maps_idx, obj, prog, err, errlen)))
			return rc;
	}
	if (obj->nprogs == 0)
		return fail(err, errlen, -ENOENT, "no programs");
	return 0;
}
