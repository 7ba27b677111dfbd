/* bpf_object.c: finds the programs, maps (legacy, BTF-defined, global data), license and relocations of a
 * BPF ELF object, following libbpf's conventions; every relocation is resolved to what it must become. */
#include "bpf_object.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "btf.h"
#include "elf64.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#define R_BPF_64_64 1            /* ld_imm64 against a symbol: a map, global data, a function's address */
#define R_BPF_64_32 10           /* call against a symbol: a BPF-to-BPF call or a kfunc */
#define BPF_LD_IMM64_OPCODE 0x18 /* BPF_LD | BPF_IMM | BPF_DW */
#define BPF_CALL_OPCODE 0x85     /* BPF_JMP | BPF_CALL */
#define BTF_EXT_MAGIC 0xeB9F

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

static int add_map(struct bpf_object_desc *obj, const char *name, unsigned sec_idx, uint64_t sec_offset,
		   struct bpf_obj_map **out, char *err, size_t errlen)
{
	if (obj->nmaps == BPF_OBJ_MAX_MAPS)
		return fail(err, errlen, -E2BIG, "more than %d %s", BPF_OBJ_MAX_MAPS, "maps");
	if (name[0] == 0 || bpf_object_map_index(obj, name) >= 0)
		return fail(err, errlen, -EINVAL, "map '%s': empty or duplicate name", name);
	*out = &obj->maps[obj->nmaps++];
	memset(*out, 0, sizeof(**out));
	(*out)->name = name;
	(*out)->sec_idx = sec_idx;
	(*out)->sec_offset = sec_offset;
	return 0;
}

/* The fields of a BTF-defined map (libbpf's parse_btf_map_def): the first five in struct tux_map_def's
 * order; key and value give a type rather than a size; the rest say where the map lives or what it
 * starts with, not its shape. */
static const char map_fields[] = "type\0key_size\0value_size\0max_entries\0map_flags\0key\0value\0"
				 "numa_node\0pinning\0map_extra\0values\0inner_map\0";

/* One map's struct, each field a pointer (bpf_helpers.h): __uint(name, N) is `int (*name)[N]`, the
 * value N the array's element count; __type(name, T) is `T *name`, the value T's size. */
static int btf_map_def(const struct btf *btf, uint32_t var_type, const char *name, struct tux_map_def *def,
		       char *err, size_t errlen)
{
	struct btf_type t, ptr, arr;
	const uint8_t *extra, *arr_extra;

	if (btf_type(btf, btf_resolve(btf, var_type), &t, &extra) || BTF_INFO_KIND(t.info) != BTF_KIND_STRUCT)
		return fail(err, errlen, -EINVAL, "map %s: not a struct in .BTF", name);
	for (unsigned i = 0; i < BTF_INFO_VLEN(t.info); i++) {
		struct btf_member m;
		struct btf_array a;
		const char *f, *known = map_fields;
		unsigned k = 0;
		long v = -1;

		memcpy(&m, extra + i * sizeof(m), sizeof(m)); /* inside the type section: btf_open checked */
		f = btf_name(btf, m.name_off);
		while (f && *known && strcmp(f, known) != 0) {
			known += strlen(known) + 1;
			k++;
		}
		if (f && *known && k >= 7)
			continue;
		if (f && *known && btf_type(btf, btf_resolve(btf, m.type), &ptr, NULL) == 0 &&
		    BTF_INFO_KIND(ptr.info) == BTF_KIND_PTR) {
			if (k >= 5) /* key, value */
				v = btf_type_size(btf, ptr.type);
			else if (btf_type(btf, ptr.type, &arr, &arr_extra) == 0 &&
				 BTF_INFO_KIND(arr.info) == BTF_KIND_ARRAY) {
				memcpy(&a, arr_extra, sizeof(a));
				v = a.nelems;
			}
		}
		uint32_t *field = (uint32_t *)def + (k >= 5 ? k - 4 : k);
		/* key and key_size may both be given; libbpf requires them to agree */
		if (v < 0 || (*field && *field != (uint32_t)v))
			return fail(err, errlen, -EINVAL, "map %s: field %s is unknown or malformed", name,
				    f ? f : "?");
		*field = (uint32_t)v;
	}
	return 0;
}

/* The maps of section sec, one per symbol there. Legacy (section "maps", btf NULL): each a struct
 * tux_map_def. BTF-defined (section ".maps"): each a variable of DATASEC ".maps" in btf, whose type
 * describes the map; clang leaves the DATASEC's offsets 0 (libbpf fixes them from the symbols), so the
 * symbol gives the offset. */
static int parse_maps(const struct elf_file *elf, const struct elf_section *sec, const struct btf *btf,
		      struct bpf_object_desc *obj, char *err, size_t errlen)
{
	struct btf_type ds = { 0 };
	const uint8_t *vars = NULL;
	long ds_id = btf ? btf_find(btf, ".maps", BTF_KIND_DATASEC) : 0;
	int rc;

	if (ds_id < 0 || (btf && btf_type(btf, (uint32_t)ds_id, &ds, &vars)))
		return fail(err, errlen, -EINVAL, ".maps needs a readable .BTF (build with -g)");
	for (size_t i = 1; i < elf->nsyms; i++) {
		struct elf_symbol s;
		struct bpf_obj_map *m;
		uint32_t var_type = 0;

		/* every symbol was checked at the start */
		if (elf_symbol(elf, i, &s) || s.sym.st_shndx != sec->idx ||
		    ELF64_ST_TYPE(s.sym.st_info) == STT_SECTION)
			continue;
		for (unsigned v = 0; v < BTF_INFO_VLEN(ds.info) && !var_type; v++) {
			struct btf_var_secinfo vi;
			struct btf_type var;

			memcpy(&vi, vars + v * sizeof(vi), sizeof(vi)); /* inside the type section */
			if (btf_type(btf, vi.type, &var, NULL) == 0 &&
			    BTF_INFO_KIND(var.info) == BTF_KIND_VAR &&
			    strcmp(btf_name(btf, var.name_off), s.name) == 0)
				var_type = var.type;
		}
		if (s.sym.st_value > sec->size || s.sym.st_size > sec->size - s.sym.st_value ||
		    (btf ? !var_type : s.sym.st_size != sizeof(struct tux_map_def) ||
				       s.sym.st_value % sizeof(uint32_t)))
			return fail(err, errlen, -EINVAL, "map %s: not %s", s.name,
				    btf ? "a variable of .maps in .BTF" : "a struct tux_map_def");
		if (!btf && !sec->data)
			return fail(err, errlen, -EINVAL, "map %s: section maps has no data", s.name);
		if ((rc = add_map(obj, s.name, sec->idx, s.sym.st_value, &m, err, errlen)))
			return rc;
		if (!btf) {
			memcpy(&m->def, sec->data + s.sym.st_value, sizeof(m->def));
			continue;
		}
		m->def_kind = BPF_OBJ_MAP_BTF;
		if ((rc = btf_map_def(btf, var_type, s.name, &m->def, err, errlen)))
			return rc;
	}
	return 0;
}

static int parse_btf_maps(const struct elf_file *elf, const struct elf_section *sec,
			  const struct elf_section *btf_sec, struct bpf_object_desc *obj, char *err,
			  size_t errlen)
{
	struct btf btf;
	int rc;

	/* no .BTF (built without -g), or one this reader cannot read */
	if (!btf_sec || !btf_sec->data || btf_open(&btf, btf_sec->data, btf_sec->size))
		return fail(err, errlen, -ENOTSUP, ".maps needs a readable .BTF (build with -g)");
	rc = parse_maps(elf, sec, &btf, obj, err, errlen);
	btf_close(&btf);
	return rc;
}

/* libbpf's global data sections: .data, .rodata, .bss and their .data.NAME etc. variants (clang puts string
 * literals in .rodata.str1.1). Each is one map, as libbpf makes it: an ARRAY of one value, the section. */
static int data_map(const struct elf_section *sec, struct bpf_object_desc *obj, char *err, size_t errlen)
{
	static const char bases[] = ".rodata\0.data\0.bss";
	struct bpf_obj_map *m;
	int rc;

	for (const char *b = bases; b < bases + sizeof(bases); b += strlen(b) + 1) {
		size_t n = strlen(b);

		if (strncmp(sec->name, b, n) != 0 || (sec->name[n] && sec->name[n] != '.'))
			continue;
		if (sec->size > UINT32_MAX)
			return fail(err, errlen, -E2BIG, "%s: too large", sec->name);
		if ((rc = add_map(obj, sec->name, sec->idx, 0, &m, err, errlen)))
			return rc;
		m->def = (struct tux_map_def){ .type = BPF_MAP_TYPE_ARRAY, .key_size = sizeof(uint32_t),
					       .value_size = (uint32_t)sec->size, .max_entries = 1,
					       .flags = b == bases ? BPF_F_RDONLY_PROG : 0 };
		m->def_kind = BPF_OBJ_MAP_DATA;
		m->data = sec->data;
		break;
	}
	return 0;
}

/* The bytes of CO-RE relocation records in .BTF.ext, from libbpf's struct btf_ext_header: magic, version,
 * flags, hdr_len, then offset and length of func_info, line_info and (a header of 32 bytes or more)
 * core_relo. */
static uint32_t core_relo_len(const uint8_t *d, size_t size)
{
	uint32_t h[8];

	if (!d || size < sizeof(h))
		return 0;
	memcpy(h, d, sizeof(h));
	/* the records must lie inside the section, after the header */
	return (h[0] & 0xffff) == BTF_EXT_MAGIC && h[1] >= sizeof(h) && h[1] <= size &&
	       (uint64_t)h[6] + h[7] <= size - h[1] ? h[7] : 0;
}

static struct bpf_obj_prog *new_prog(struct bpf_object_desc *obj, const struct elf_section *sec,
				     char *err, size_t errlen)
{
	if (obj->nprogs == BPF_OBJ_MAX_PROGS) {
		fail(err, errlen, -E2BIG, "more than %d %s", BPF_OBJ_MAX_PROGS, "programs");
		return NULL;
	}
	struct bpf_obj_prog *p = &obj->progs[obj->nprogs++];
	memset(p, 0, sizeof(*p));
	p->section = sec->name;
	p->section_idx = sec->idx;
	p->name = sec->name;
	p->insns = sec->data;
	p->insn_cnt = sec->size / BPF_INSN_SIZE;
	return p;
}

const struct bpf_obj_prog *bpf_object_text(const struct bpf_object_desc *obj)
{
	for (size_t i = 0; i < obj->nprogs; i++)
		if (obj->progs[i].is_subprog)
			return &obj->progs[i];
	return NULL;
}

/* Each function symbol in a program section is a program (libbpf splits a section that holds several);
 * a section without one (a stripped object) is one program, named after the section. .text holds the
 * functions programs call: one entry for the whole section, flagged as such. */
static int add_programs(const struct elf_file *elf, const struct elf_section *sec,
			struct bpf_object_desc *obj, char *err, size_t errlen)
{
	size_t first = obj->nprogs;
	struct bpf_obj_prog *p;

	if (sec->size % BPF_INSN_SIZE || !sec->data)
		return fail(err, errlen, -EINVAL, "%s: size %zu is not whole instructions", sec->name,
			    sec->size);
	if (strcmp(sec->name, ".text") == 0 && bpf_object_text(obj))
		return fail(err, errlen, -EINVAL, ".text: a second section of that name");
	for (size_t i = 1; i < elf->nsyms && strcmp(sec->name, ".text"); i++) {
		struct elf_symbol s;

		if (elf_symbol(elf, i, &s) || s.sym.st_shndx != sec->idx ||
		    ELF64_ST_TYPE(s.sym.st_info) != STT_FUNC)
			continue;
		if (s.sym.st_value % BPF_INSN_SIZE || s.sym.st_size % BPF_INSN_SIZE || !s.sym.st_size ||
		    s.sym.st_value > sec->size || s.sym.st_size > sec->size - s.sym.st_value)
			return fail(err, errlen, -EINVAL, "%s: function %s is not whole instructions",
				    sec->name, s.name);
		if (!(p = new_prog(obj, sec, err, errlen)))
			return -E2BIG;
		if (s.name[0])
			p->name = s.name;
		p->insns += s.sym.st_value;
		p->insn_cnt = s.sym.st_size / BPF_INSN_SIZE;
	}
	if (obj->nprogs == first) {
		if (!(p = new_prog(obj, sec, err, errlen)))
			return -E2BIG;
		p->is_subprog = strcmp(sec->name, ".text") == 0;
	}
	return 0;
}


/* What the relocated instruction at insn of prog refers to, as libbpf's bpf_program__record_reloc and
 * bpf_object__reloc_code decide it: an extern, a BPF-to-BPF call, a function's address, a map, data. */
static int resolve(const struct elf_file *elf, const struct bpf_object_desc *obj,
		   const struct bpf_obj_prog *prog, const char *where, size_t i, const Elf64_Rel *r,
		   uint64_t insn, struct bpf_obj_reloc *out, char *err, size_t errlen)
{
	const uint8_t *ins = prog->insns + insn * BPF_INSN_SIZE;
	const uint8_t code = ins[0], src_reg = ins[1] >> 4; /* struct bpf_insn: dst_reg:4, src_reg:4 */
	const uint64_t type = ELF64_R_TYPE(r->r_info);
	const struct bpf_obj_prog *text = bpf_object_text(obj);
	struct elf_symbol s;
	struct elf_section sec;
	int32_t imm;

	memcpy(&imm, ins + 4, sizeof(imm));
	if (!(code == BPF_LD_IMM64_OPCODE && type == R_BPF_64_64) &&
	    !(code == BPF_CALL_OPCODE && type == R_BPF_64_32))
		return fail(err, errlen, code == BPF_LD_IMM64_OPCODE || code == BPF_CALL_OPCODE ? -ENOTSUP :
			    -EINVAL, "%s: relocation %zu: type %llu on opcode %#x (R_BPF_64_64 goes on "
			    "ld_imm64, _32 on call)", where, i, (unsigned long long)type, code);
	if (code == BPF_LD_IMM64_OPCODE && insn + 1 >= prog->insn_cnt)
		return fail(err, errlen, -EINVAL, "%s: relocation %zu at offset %llu is outside the program",
			    where, i, (unsigned long long)r->r_offset);
	if (elf_symbol(elf, ELF64_R_SYM(r->r_info), &s))
		return fail(err, errlen, -EINVAL, "%s: relocation %zu names a bad symbol", where, i);
	const unsigned shndx = s.sym.st_shndx;
	const int have_sec = shndx && shndx < SHN_LORESERVE && elf_section(elf, shndx, &sec) == 0;
	memset(out, 0, sizeof(*out));
	out->insn_idx = (uint32_t)insn;
	out->sym = s.name[0] || !have_sec ? s.name : sec.name; /* a section's own symbol has no name */

	if (shndx == SHN_UNDEF && ELF64_ST_BIND(s.sym.st_info) != STB_LOCAL && s.name[0]) {
		out->kind = BPF_OBJ_RELOC_EXTERN;
		return 0;
	}
	/* A call's callee is st_value / 8 + imm + 1 in .text: a global function's symbol with imm -1, or
	 * the section's symbol with the pc-relative imm a static function had; clang marks the call with
	 * src_reg BPF_PSEUDO_CALL. A function's address (an ld_imm64 the loader marks BPF_PSEUDO_FUNC, not
	 * clang) is (st_value + imm) / 8: there imm counts bytes. Unsigned sums: a negative one wraps to a
	 * huge index, which the bounds check refuses, and none overflows. */
	const uint64_t rel_imm = (uint64_t)(int64_t)imm;
	uint64_t at = code == BPF_CALL_OPCODE ? s.sym.st_value / BPF_INSN_SIZE + rel_imm + 1 :
						s.sym.st_value + rel_imm;
	if (code == BPF_CALL_OPCODE || (text && shndx == text->section_idx)) {
		out->kind = code == BPF_CALL_OPCODE ? BPF_OBJ_RELOC_CALL : BPF_OBJ_RELOC_FUNC_ADDR;
		if (code != BPF_CALL_OPCODE && at % BPF_INSN_SIZE == 0)
			at /= BPF_INSN_SIZE;
		else if (code != BPF_CALL_OPCODE || src_reg != BPF_PSEUDO_CALL)
			at = UINT64_MAX; /* not whole instructions, or a call that is not BPF-to-BPF */
		if (!text || shndx != text->section_idx || s.sym.st_value % BPF_INSN_SIZE ||
		    at >= text->insn_cnt)
			return fail(err, errlen, -EINVAL,
				    "%s: relocation %zu: %s %s: not a function in .text", where, i,
				    code == BPF_CALL_OPCODE ? "call of" : "address of", out->sym);
		out->offset = (uint32_t)at;
		return 0;
	}
	if (!have_sec)
		return fail(err, errlen, -ENOTSUP, "%s: relocation %zu: %s is in special section %#x", where,
			    i, out->sym, shndx);
	int is_map_sec = 0;
	for (size_t m = 0; m < obj->nmaps; m++) {
		const struct bpf_obj_map *map = &obj->maps[m];

		if (map->sec_idx != shndx)
			continue;
		out->map_idx = (uint32_t)m;
		if (map->def_kind == BPF_OBJ_MAP_DATA) {
			/* global data: the variable's offset, plus imm for a section's symbol (strings) */
			at = s.sym.st_value + rel_imm;
			if (at >= map->def.value_size)
				return fail(err, errlen, -EINVAL,
					    "%s: relocation %zu: offset %lld is outside %s", where, i,
					    (long long)at, map->name);
			out->kind = BPF_OBJ_RELOC_MAP_VALUE;
			out->offset = (uint32_t)at;
			return 0;
		}
		is_map_sec = 1;
		if (map->sec_offset == s.sym.st_value)
			return 0; /* BPF_OBJ_RELOC_MAP_FD */
	}
	if (is_map_sec)
		return fail(err, errlen, -EINVAL, "%s: relocation %zu: no map at offset %llu", where, i,
			    (unsigned long long)s.sym.st_value);
	return fail(err, errlen, -ENOTSUP, "%s: relocation %zu refers to %s in %s: not to a map, global "
		    "data or code", where, i, out->sym, sec.name);
}

/* The instruction of prog at byte r_offset of section target, or -1 if it is not one of prog's. */
static int64_t insn_in(const struct bpf_obj_prog *prog, const struct elf_section *target, uint64_t r_offset)
{
	if (prog->section_idx != target->idx)
		return -1;
	uint64_t start = (uint64_t)(prog->insns - target->data); /* where prog starts in the section */
	if (r_offset % BPF_INSN_SIZE || r_offset < start ||
	    (r_offset - start) / BPF_INSN_SIZE >= prog->insn_cnt)
		return -1;
	return (int64_t)((r_offset - start) / BPF_INSN_SIZE);
}

/* The SHT_REL section rel (section rel_idx) applies to the code section target: each entry must land
 * inside one of its programs, and is resolved for each program it lands in. */
static int parse_relocs(const struct elf_file *elf, const struct elf_section *rel, unsigned rel_idx,
			const struct elf_section *target, struct bpf_object_desc *obj, char *err,
			size_t errlen)
{
	const char *where = target->name;
	size_t n = rel->size / sizeof(Elf64_Rel);
	struct elf_section other;
	Elf64_Rel r;
	int rc;

	if (rel->hdr.sh_entsize != sizeof(Elf64_Rel) || rel->size % sizeof(Elf64_Rel) || !rel->data)
		return fail(err, errlen, -EINVAL, "%s: malformed relocation section", rel->name);
	if ((int)rel->hdr.sh_link != elf->symtab_idx)
		return fail(err, errlen, -EINVAL, "%s: not linked to the symbol table", rel->name);
	for (unsigned j = 1; j < rel_idx; j++)
		if (elf_section(elf, j, &other) == 0 && other.hdr.sh_type == SHT_REL &&
		    other.hdr.sh_info == target->idx)
			return fail(err, errlen, -EINVAL, "%s: second relocation section", where);
	size_t placed = 0; /* entries that landed in a program: all of them, unless one lies outside */
	for (size_t p = 0; p < obj->nprogs; p++) {
		struct bpf_obj_prog *prog = &obj->progs[p];

		if (prog->section_idx != target->idx)
			continue;
		prog->reloc_first = obj->nrelocs; /* its relocations, in a row of relocs[] */
		for (size_t i = 0; i < n; i++) {
			memcpy(&r, rel->data + i * sizeof(r), sizeof(r));
			int64_t insn = insn_in(prog, target, r.r_offset);
			if (insn < 0)
				continue;
			if (obj->nrelocs == BPF_OBJ_MAX_RELOCS)
				return fail(err, errlen, -E2BIG, "more than %d %s", BPF_OBJ_MAX_RELOCS,
					    "relocations");
			if ((rc = resolve(elf, obj, prog, where, i, &r, (uint64_t)insn,
					  &obj->relocs[obj->nrelocs], err, errlen)))
				return rc;
			obj->nrelocs++;
			prog->reloc_cnt++;
			placed++;
		}
	}
	if (placed != n)
		return fail(err, errlen, -EINVAL, "%s: a relocation lies outside the program", where);
	return 0;
}

int bpf_object_parse(const void *buf, size_t size, struct bpf_object_desc *obj, char *err,
		     size_t errlen)
{
	struct elf_file elf;
	struct elf_section sec, btf_sec = { 0 }, btf_maps = { 0 };
	struct elf_symbol s;
	int rc;

	memset(obj, 0, sizeof(*obj));
	rc = elf_open(&elf, buf, size, EM_BPF);
	if (rc == -ENOTSUP)
		return fail(err, errlen, rc, "not a 64-bit little-endian BPF relocatable ELF object");
	if (rc)
		return fail(err, errlen, rc, "malformed ELF headers or section table");
	if (elf.symtab_idx < 0)
		return fail(err, errlen, -EINVAL, "no symbol table");
	for (size_t i = 1; i < elf.nsyms; i++)
		if (elf_symbol(&elf, i, &s))
			return fail(err, errlen, -EINVAL, "symbol %zu is malformed", i);

	/* Pass 1: the license, the maps, the programs, where BTF is. */
	for (unsigned i = 1; i < elf.shnum; i++) {
		if (elf_section(&elf, i, &sec))
			return fail(err, errlen, -EINVAL, "section %u is malformed", i);
		if (strcmp(sec.name, "license") == 0) {
			if (!sec.data || !sec.size || !memchr(sec.data, 0, sec.size))
				return fail(err, errlen, -EINVAL, "license is not a NUL-terminated string");
			obj->license = (const char *)sec.data;
		} else if (strcmp(sec.name, ".BTF") == 0 && sec.data) { /* not SHT_NOBITS: it has bytes */
			obj->has_btf = 1;
			obj->btf_size = sec.size;
			btf_sec = sec;
		} else if (strcmp(sec.name, ".BTF.ext") == 0 && sec.data) {
			obj->btf_ext_size = sec.size;
			obj->core_relo_len = core_relo_len(sec.data, sec.size);
		} else if (strcmp(sec.name, "maps") == 0) {
			rc = parse_maps(&elf, &sec, NULL, obj, err, errlen);
		} else if (strcmp(sec.name, ".maps") == 0) {
			btf_maps = sec;
		} else if (sec.hdr.sh_flags & SHF_EXECINSTR) {
			if (sec.hdr.sh_type == SHT_PROGBITS && sec.size)
				rc = add_programs(&elf, &sec, obj, err, errlen);
		} else if ((sec.hdr.sh_type == SHT_PROGBITS || sec.hdr.sh_type == SHT_NOBITS) && sec.size) {
			rc = data_map(&sec, obj, err, errlen);
		}
		if (rc)
			return rc;
	}
	if (btf_maps.idx && (rc = parse_btf_maps(&elf, &btf_maps, obj->has_btf ? &btf_sec : NULL, obj,
						 err, errlen)))
		return rc;

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
		int is_code = 0;
		for (size_t p = 0; p < obj->nprogs; p++)
			is_code |= obj->progs[p].section_idx == target.idx;
		if (!is_code)
			continue; /* e.g. relocations of debug sections: not the loader's business */
		if ((rc = parse_relocs(&elf, &sec, i, &target, obj, err, errlen)))
			return rc;
	}
	if (obj->nprogs == (bpf_object_text(obj) ? 1u : 0u))
		return fail(err, errlen, -ENOENT, "no programs");
	return 0;
}
