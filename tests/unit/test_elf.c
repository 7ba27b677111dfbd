/* test_elf.c: elf/elf64.c and elf/bpf_object.c on the real build/fileio.bpf.o (argv[1]): the parse result
 * (every program, every map against the header's sizes), every truncation, single-byte corruptions (all
 * with TUX_UNIT_FULL_FUZZ=1), targeted corruptions; then on the foreign objects of tests/fixtures. */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_object.h"
#include "btf.h"
#include "check.h"
#include "cli.h"
#include "elf64.h"
#include "tuxscope_events.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#define LD_IMM64 0x18    /* BPF_LD | BPF_IMM | BPF_DW */
#define CALL_OPCODE 0x85 /* BPF_JMP | BPF_CALL */
#define PSEUDO_CALL 1    /* the src_reg of a BPF-to-BPF call: BPF_PSEUDO_CALL */
#define R_BPF_64_64 1    /* on an ld_imm64 */
#define R_BPF_64_32 10   /* on a call */

/* The pristine object, in a buffer of exactly its size. */
static uint8_t *obj;
static size_t obj_size;
static Elf64_Ehdr eh;
static struct bpf_object_desc desc; /* large: kept off the stack */

/* ---- the test's own, independent reading of the object (it trusts the clang-built file) ---- */

static Elf64_Shdr shdr(unsigned i)
{
	Elf64_Shdr sh;

	memcpy(&sh, obj + eh.e_shoff + (size_t)i * sizeof(sh), sizeof(sh));
	return sh;
}

static size_t shdr_off(unsigned i)
{
	return eh.e_shoff + (size_t)i * sizeof(Elf64_Shdr);
}

static const char *sec_name(unsigned i)
{
	return (const char *)obj + shdr(eh.e_shstrndx).sh_offset + shdr(i).sh_name;
}

static int sec_by_name(const char *name)
{
	for (unsigned i = 1; i < eh.e_shnum; i++)
		if (strcmp(sec_name(i), name) == 0)
			return (int)i;
	return -1;
}

static int sec_by_type(uint32_t type)
{
	for (unsigned i = 1; i < eh.e_shnum; i++)
		if (shdr(i).sh_type == type)
			return (int)i;
	return -1;
}

/* The SHT_REL section that applies to section target. */
static int rel_for(int target)
{
	for (unsigned i = 1; i < eh.e_shnum; i++)
		if (shdr(i).sh_type == SHT_REL && (int)shdr(i).sh_info == target)
			return (int)i;
	return -1;
}

static size_t nsyms(void)
{
	return shdr((unsigned)sec_by_type(SHT_SYMTAB)).sh_size / sizeof(Elf64_Sym);
}

static size_t sym_off(size_t i)
{
	return shdr((unsigned)sec_by_type(SHT_SYMTAB)).sh_offset + i * sizeof(Elf64_Sym);
}

static Elf64_Sym sym(size_t i)
{
	Elf64_Sym s;

	memcpy(&s, obj + sym_off(i), sizeof(s));
	return s;
}

static const char *sym_name(size_t i)
{
	Elf64_Shdr symtab = shdr((unsigned)sec_by_type(SHT_SYMTAB));

	return (const char *)obj + shdr(symtab.sh_link).sh_offset + sym(i).st_name;
}

static int sym_by_name(const char *name)
{
	for (size_t i = 1; i < nsyms(); i++)
		if (strcmp(sym_name(i), name) == 0)
			return (int)i;
	return -1;
}

/* The function symbol at offset 0 of section sec, or NULL. */
static const char *func_of(int sec)
{
	for (size_t i = 1; i < nsyms(); i++) {
		Elf64_Sym y = sym(i);

		if (y.st_shndx == sec && y.st_value == 0 && ELF64_ST_TYPE(y.st_info) == STT_FUNC)
			return sym_name(i);
	}
	return NULL;
}

/* A program section: code (SHF_EXECINSTR, PROGBITS) that is not empty. */
static int is_prog_section(unsigned i)
{
	Elf64_Shdr sh = shdr(i);

	return sh.sh_type == SHT_PROGBITS && (sh.sh_flags & SHF_EXECINSTR) && sh.sh_size > 0;
}

static Elf64_Rel rel(int relsec, size_t i)
{
	Elf64_Rel r;

	memcpy(&r, obj + shdr((unsigned)relsec).sh_offset + i * sizeof(r), sizeof(r));
	return r;
}

static size_t rel_off(int relsec, size_t i)
{
	return shdr((unsigned)relsec).sh_offset + i * sizeof(Elf64_Rel);
}

static void put16(uint8_t *b, size_t off, uint16_t v) { memcpy(b + off, &v, sizeof(v)); }
static void put32(uint8_t *b, size_t off, uint32_t v) { memcpy(b + off, &v, sizeof(v)); }
static void put64(uint8_t *b, size_t off, uint64_t v) { memcpy(b + off, &v, sizeof(v)); }

#define SH_FIELD(i, f) (shdr_off(i) + offsetof(Elf64_Shdr, f))
#define SYM_FIELD(i, f) (sym_off(i) + offsetof(Elf64_Sym, f))

static int load_object(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!CHECK(f != NULL, "cannot open %s", path))
		return -1;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		obj_size = (size_t)n;
		obj = malloc(obj_size);
		if (obj && fread(obj, 1, obj_size, f) != obj_size) {
			free(obj);
			obj = NULL;
		}
	}
	fclose(f);
	if (!CHECK(obj != NULL, "cannot read %s", path))
		return -1;
	if (!CHECK(obj_size >= sizeof(eh), "%s: %zu bytes", path, obj_size))
		return -1;
	memcpy(&eh, obj, sizeof(eh));
	/* The test's own reader trusts the file: make sure it is a sane ELF64 first. */
	if (!CHECK(memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
			   eh.e_shentsize == sizeof(Elf64_Shdr) && eh.e_shoff < obj_size &&
			   eh.e_shnum * sizeof(Elf64_Shdr) <= obj_size - eh.e_shoff &&
			   eh.e_shstrndx < eh.e_shnum, "%s is not a sane ELF64 object", path))
		return -1;
	if (!CHECK(sec_by_type(SHT_SYMTAB) > 0, "%s has no symbol table", path))
		return -1;
	return 0;
}

/* A malloc'd copy of the first n bytes of the object, so ASan sees any read past n. */
static uint8_t *copy_of(size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	if (c)
		memcpy(c, obj, n);
	return c;
}

/* ---- the parse result of the real object ---- */

static const struct bpf_obj_prog *prog_by_section(const struct bpf_object_desc *d, const char *section)
{
	for (size_t i = 0; i < d->nprogs; i++)
		if (d->progs[i].section && strcmp(d->progs[i].section, section) == 0)
			return &d->progs[i];
	return NULL;
}

static void check_map(const struct bpf_object_desc *d, const char *name, uint32_t type, uint32_t key,
		      uint32_t value, uint32_t max)
{
	int i = bpf_object_map_index(d, name);

	if (!CHECK(i >= 0, "map %s not found", name))
		return;
	const struct tux_map_def *m = &d->maps[i].def;
	CHECK(m->type == type && m->key_size == key && m->value_size == value && m->max_entries == max &&
	      m->flags == 0, "map %s: got (%u, %u, %u, %u, flags %u), want (%u, %u, %u, %u, 0)", name,
	      m->type, m->key_size, m->value_size, m->max_entries, m->flags, type, key, value, max);
}

/* The sections the tests use, found by find_sections(): the entry program kprobe/vfs_read (whose one
 * relocation is its call of on_call in .text), kprobe/vfs_write, the return program kretprobe/vfs_rw (map
 * relocations only), .text (on_call, with map relocations of its own), and their relocation sections. */
static int s_read, s_write, s_ret, s_maps, s_text, s_symtab, s_strtab, s_license, r_read, r_write, r_ret, r_text;

static void find_sections(void)
{
	s_read = sec_by_name("kprobe/vfs_read");
	s_write = sec_by_name("kprobe/vfs_write");
	s_ret = sec_by_name("kretprobe/vfs_rw");
	s_maps = sec_by_name("maps");
	s_text = sec_by_name(".text");
	s_license = sec_by_name("license");
	s_symtab = sec_by_type(SHT_SYMTAB);
	s_strtab = (int)shdr((unsigned)s_symtab).sh_link;
	r_read = s_read > 0 ? rel_for(s_read) : -1;
	r_write = s_write > 0 ? rel_for(s_write) : -1;
	r_ret = s_ret > 0 ? rel_for(s_ret) : -1;
	r_text = s_text > 0 ? rel_for(s_text) : -1;
}

static unsigned src_reg(const uint8_t *insn)
{
	return insn[1] >> 4; /* struct bpf_insn: dst_reg:4, src_reg:4 */
}

static const struct bpf_obj_prog *text_entry(const struct bpf_object_desc *d)
{
	for (size_t i = 0; i < d->nprogs; i++)
		if (d->progs[i].is_subprog)
			return &d->progs[i];
	return NULL;
}

/* What a code section of fileio.bpf.c holds: an entry program only calls on_call (its body, with every map
 * reference, is in .text); a return program, and .text itself, only refer to maps. */
enum shape { CALLS_ONLY, MAPS_ONLY };

/* The parsed entry p of code section sec, against the test's own reading of the section, its relocation
 * section and the instructions each relocation lands on. */
static void check_code(const struct bpf_object_desc *d, const struct bpf_obj_prog *p, int sec, enum shape shape)
{
	const char *section = sec_name((unsigned)sec);
	const struct bpf_obj_prog *text = text_entry(d);
	int ev = bpf_object_map_index(d, "events"), cfg = bpf_object_map_index(d, "config");
	int seen_events = 0, seen_config = 0, relsec;
	size_t ncalls = 0, nmaps = 0, pseudo = 0;

	CHECK(p->section_idx == (unsigned)sec && strcmp(p->section, section) == 0, "%s: section %u (%s)",
	      section, p->section_idx, p->section);
	CHECK(p->insn_cnt > 0 && p->insn_cnt == shdr((unsigned)sec).sh_size / 8,
	      "%s: insn_cnt %zu, section size %llu", section, p->insn_cnt,
	      (unsigned long long)shdr((unsigned)sec).sh_size);
	CHECK(p->insns == obj + shdr((unsigned)sec).sh_offset, "%s: insns do not point at the section",
	      section);
	if (!CHECK(p->reloc_cnt > 0 && p->reloc_first + p->reloc_cnt <= d->nrelocs,
		   "%s: relocations [%zu, +%zu) of %zu", section, p->reloc_first, p->reloc_cnt, d->nrelocs))
		return;

	/* Against the test's own reading of the relocation section: same entries, same order. */
	relsec = rel_for(sec);
	if (!CHECK(relsec > 0, "no relocation section for %s", section))
		return;
	size_t n = shdr((unsigned)relsec).sh_size / sizeof(Elf64_Rel);
	if (!CHECK(n == p->reloc_cnt, "%s: %zu relocations parsed, the section has %zu", section,
		   p->reloc_cnt, n))
		return;
	for (size_t i = 0; i < n; i++) {
		const Elf64_Rel r = rel(relsec, i);
		const struct bpf_obj_reloc *x = &d->relocs[p->reloc_first + i];
		const size_t si = ELF64_R_SYM(r.r_info);
		const Elf64_Sym y = sym(si);
		/* a section's own symbol (the static on_call is called through .text's) has no name */
		const char *name = sym_name(si)[0] ? sym_name(si) : sec_name(y.st_shndx);
		const uint64_t insn = r.r_offset / 8;
		int32_t imm;

		if (!CHECK(r.r_offset % 8 == 0 && insn < p->insn_cnt && x->insn_idx == insn && x->sym &&
			   strcmp(x->sym, name) == 0, "%s: reloc %zu is (insn %u, %s), want (insn %llu, %s)",
			   section, i, x->insn_idx, x->sym ? x->sym : "(null)", (unsigned long long)insn, name))
			continue;
		const uint8_t *in = p->insns + insn * 8;
		memcpy(&imm, in + 4, sizeof(imm));
		if (ELF64_R_TYPE(r.r_info) == R_BPF_64_32) {
			/* libbpf: the callee is st_value / 8 + imm + 1 in .text; on_call, .text's only
			 * function, is at its insn 0 */
			const int64_t callee = (int64_t)(y.st_value / 8) + imm + 1;
			ncalls++;
			CHECK(in[0] == CALL_OPCODE && src_reg(in) == PSEUDO_CALL &&
			      x->kind == BPF_OBJ_RELOC_CALL && x->map_idx == 0 && (int)y.st_shndx == s_text &&
			      callee == 0 && x->offset == 0 && text && x->offset < text->insn_cnt,
			      "%s: reloc %zu at insn %u: opcode %#x src_reg %u, kind %u, callee %u (want %lld, "
			      "insn 0 of .text)", section, i, x->insn_idx, in[0], src_reg(in), x->kind, x->offset,
			      (long long)callee);
		} else {
			const int want = bpf_object_map_index(d, name);
			nmaps++;
			CHECK(ELF64_R_TYPE(r.r_info) == R_BPF_64_64 && in[0] == LD_IMM64 && insn + 1 < p->insn_cnt &&
			      x->kind == BPF_OBJ_RELOC_MAP_FD && want >= 0 && (int)x->map_idx == want &&
			      x->offset == 0 && d->maps[want].sec_offset == y.st_value,
			      "%s: reloc %zu at insn %u: type %llu on opcode %#x, kind %u map %u, want map %d %s",
			      section, i, x->insn_idx, (unsigned long long)ELF64_R_TYPE(r.r_info), in[0],
			      x->kind, x->map_idx, want, name);
			seen_events |= want == ev;
			seen_config |= want == cfg;
		}
	}
	/* Every BPF-to-BPF call the code makes has its relocation: the loader patches no other call. */
	for (size_t i = 0; i < p->insn_cnt; i++) {
		const uint8_t *in = p->insns + i * 8;

		if (in[0] == LD_IMM64)
			i++; /* its second half is not an instruction of its own */
		else
			pseudo += in[0] == CALL_OPCODE && src_reg(in) == PSEUDO_CALL;
	}
	CHECK(pseudo == ncalls, "%s: %zu BPF-to-BPF call instructions, %zu call relocations", section, pseudo,
	      ncalls);
	if (shape == CALLS_ONLY)
		CHECK(ncalls >= 1 && nmaps == 0, "%s: %zu calls and %zu map references, want calls of on_call only",
		      section, ncalls, nmaps);
	else
		CHECK(ncalls == 0 && nmaps > 0 && seen_events && seen_config,
		      "%s: %zu calls and %zu map references (events %d, config %d), want maps only, events "
		      "and config among them", section, ncalls, nmaps, seen_events, seen_config);
}

static void check_prog(const struct bpf_object_desc *d, const char *section, const char *func, enum shape shape)
{
	const struct bpf_obj_prog *p = prog_by_section(d, section);
	int sec = sec_by_name(section);

	if (!CHECK(p != NULL, "no program in section %s", section) ||
	    !CHECK(sec > 0, "the object has no section %s", section))
		return;
	CHECK(!p->is_subprog && p->name && strcmp(p->name, func) == 0, "%s: function %s%s, want %s", section,
	      p->name ? p->name : "(null)", p->is_subprog ? " (a subprogram)" : "", func);
	check_code(d, p, sec, shape);
}

/* .text: on_call, the function the entry programs call; one entry for the whole section, flagged as the
 * functions programs call, with its own map relocations (insn_idx counting from the start of .text). */
static void check_text(const struct bpf_object_desc *d)
{
	const struct bpf_obj_prog *t = text_entry(d);
	size_t subs = 0;

	for (size_t i = 0; i < d->nprogs; i++)
		subs += d->progs[i].is_subprog != 0;
	if (!CHECK(subs == 1 && t && s_text > 0, "%zu subprogram entries, .text is section %d", subs, s_text))
		return;
	/* its functions are not programs: the entry is named after the section */
	CHECK(strcmp(t->section, ".text") == 0 && strcmp(t->name, ".text") == 0, "subprogram %s, named %s",
	      t->section, t->name);
	check_code(d, t, s_text, MAPS_ONLY);
	/* a function symbol in .text, if the object keeps one (the stripped object does not), is on_call: the
	 * only function there, at insn 0, the whole section */
	for (size_t i = 1; i < nsyms(); i++)
		if ((int)sym(i).st_shndx == s_text && ELF64_ST_TYPE(sym(i).st_info) == STT_FUNC)
			CHECK(sym(i).st_value == 0 && sym(i).st_size == shdr((unsigned)s_text).sh_size &&
			      strcmp(sym_name(i), "on_call") == 0, "function %s in .text at %llu, %llu bytes",
			      sym_name(i), (unsigned long long)sym(i).st_value,
			      (unsigned long long)sym(i).st_size);
}

/* What bpf/fileio.bpf.c declares: every program (section, function) and every map. The counts checked
 * below are these tables' lengths, compared with what the object itself holds (the test's own reading). */
static const struct {
	const char *section, *func;
	enum shape shape; /* the entry programs call on_call; the return programs use maps only */
} want_progs[] = {
	{ "kprobe/vfs_read", "trace_vfs_read", CALLS_ONLY },
	{ "kprobe/vfs_write", "trace_vfs_write", CALLS_ONLY },
	{ "kretprobe/vfs_rw", "trace_vfs_rw_ret", MAPS_ONLY },
	{ "fentry/vfs_read", "fentry_vfs_read", CALLS_ONLY },
	{ "fentry/vfs_write", "fentry_vfs_write", CALLS_ONLY },
	{ "fexit/vfs_read", "fexit_vfs_read", MAPS_ONLY },
	{ "fexit/vfs_write", "fexit_vfs_write", MAPS_ONLY },
	{ "tracepoint/syscalls/sys_enter_rw", "sys_enter_rw", CALLS_ONLY },
	{ "tracepoint/syscalls/sys_enter_rwv", "sys_enter_rwv", CALLS_ONLY },
	{ "tracepoint/syscalls/sys_exit_rw", "sys_exit_rw", MAPS_ONLY },
};
#define N_WANT_PROGS (sizeof(want_progs) / sizeof(want_progs[0]))
#define N_WANT_ENTRIES (N_WANT_PROGS + 1) /* desc.progs[]: the programs and .text */

static const struct {
	const char *name;
	uint32_t type, key, value, max;
} want_maps[] = {
	{ "events", 27 /* BPF_MAP_TYPE_RINGBUF */, 0, 0, 1024 * 1024 },
	{ "config", 2 /* BPF_MAP_TYPE_ARRAY */, 4, sizeof(struct tux_config), 1 },
	{ "pids", 1 /* BPF_MAP_TYPE_HASH */, 4, 1, CLI_MAX_PIDS /* --pid's limit is the map's size */ },
	{ "stats", 2 /* BPF_MAP_TYPE_ARRAY */, 4, 8, TUX_STAT_MAX },
	{ "inflight", 9 /* BPF_MAP_TYPE_LRU_HASH */, 4, sizeof(struct fileio_event_named), 10240 },
	{ "totals", 1 /* BPF_MAP_TYPE_HASH */, sizeof(struct top_key), sizeof(struct top_value), 10240 },
};
#define N_WANT_MAPS (sizeof(want_maps) / sizeof(want_maps[0]))

/* The object's map symbols: OBJECT symbols in section "maps". */
static size_t count_map_syms(void)
{
	int maps = sec_by_name("maps");
	size_t n = 0;

	for (size_t i = 1; i < nsyms(); i++)
		if (maps > 0 && sym(i).st_shndx == maps && ELF64_ST_TYPE(sym(i).st_info) == STT_OBJECT)
			n++;
	return n;
}

static void test_parse_real(void)
{
	char err[256] = "";
	int rc;

	check_begin("elf: parse build/fileio.bpf.o");
	rc = bpf_object_parse(obj, obj_size, &desc, err, sizeof(err));
	if (CHECK(rc == 0, "rc %d: %s", rc, err)) {
		/* The programs fileio.bpf.c declares, by section and function name, and .text (on_call)... */
		for (size_t i = 0; i < N_WANT_PROGS; i++)
			check_prog(&desc, want_progs[i].section, want_progs[i].func, want_progs[i].shape);
		check_text(&desc);
		/* ...and every code section the object holds, which must be exactly those. */
		size_t nprog_secs = 0;
		for (unsigned i = 1; i < eh.e_shnum; i++) {
			int known = (int)i == s_text;

			if (!is_prog_section(i))
				continue;
			nprog_secs++;
			for (size_t w = 0; w < N_WANT_PROGS && !known; w++)
				known = strcmp(sec_name(i), want_progs[w].section) == 0 && func_of((int)i) &&
					strcmp(func_of((int)i), want_progs[w].func) == 0;
			CHECK(known, "section %s (function %s): not declared by fileio.bpf.c", sec_name(i),
			      func_of((int)i) ? func_of((int)i) : "none");
		}
		CHECK(desc.nprogs == nprog_secs && nprog_secs == N_WANT_ENTRIES,
		      "%zu entries parsed, the object has %zu code sections, fileio.bpf.c declares %zu "
		      "programs and .text", desc.nprogs, nprog_secs, N_WANT_PROGS);

		/* Maps: the parsed definitions against the header's sizes and against the raw bytes. */
		size_t nmap_syms = count_map_syms();
		CHECK(desc.nmaps == nmap_syms && nmap_syms == N_WANT_MAPS,
		      "%zu maps parsed, the object has %zu map symbols, fileio.bpf.c declares %zu", desc.nmaps,
		      nmap_syms, N_WANT_MAPS);
		for (size_t i = 0; i < N_WANT_MAPS; i++) {
			int ix = bpf_object_map_index(&desc, want_maps[i].name), sx = sym_by_name(want_maps[i].name);
			struct tux_map_def raw;

			check_map(&desc, want_maps[i].name, want_maps[i].type, want_maps[i].key, want_maps[i].value,
				  want_maps[i].max);
			if (ix < 0 || !CHECK(sx > 0, "no symbol %s", want_maps[i].name))
				continue;
			memcpy(&raw, obj + shdr((unsigned)sec_by_name("maps")).sh_offset + sym(sx).st_value,
			       sizeof(raw));
			CHECK(memcmp(&raw, &desc.maps[ix].def, sizeof(raw)) == 0 &&
			      strcmp(desc.maps[ix].name, want_maps[i].name) == 0,
			      "map %s: parsed definition differs from its bytes in the object", want_maps[i].name);
		}
		/* every map is used by some program or .text (a map nobody references is created for nothing);
		 * a call's map_idx is 0 and means nothing */
		for (size_t m = 0; m < desc.nmaps; m++) {
			int used = 0;
			for (size_t r = 0; r < desc.nrelocs; r++)
				used |= desc.relocs[r].kind == BPF_OBJ_RELOC_MAP_FD && desc.relocs[r].map_idx == m;
			CHECK(used, "map %s: no program references it", desc.maps[m].name);
		}
		CHECK(bpf_object_map_index(&desc, "nope") == -1, "map 'nope' found");
		CHECK(desc.license && strcmp(desc.license, "GPL") == 0, "license %s",
		      desc.license ? desc.license : "(null)");
		CHECK(desc.has_btf == (sec_by_name(".BTF") > 0), "has_btf %d", desc.has_btf);
		/* what the loader loads: map fds and calls of .text's insn 0 (on_call), legacy maps only */
		const struct bpf_obj_prog *text = text_entry(&desc);
		for (size_t r = 0; r < desc.nrelocs; r++) {
			const struct bpf_obj_reloc *x = &desc.relocs[r];

			CHECK(x->sym && ((x->kind == BPF_OBJ_RELOC_MAP_FD && x->offset == 0 &&
					  strcmp(x->sym, desc.maps[x->map_idx].name) == 0) ||
					 (x->kind == BPF_OBJ_RELOC_CALL && x->offset == 0 && x->map_idx == 0 &&
					  text && strcmp(x->sym, ".text") == 0)),
			      "relocation %zu: kind %u, symbol %s, offset %u", r, x->kind, x->sym ? x->sym : "(null)",
			      x->offset);
		}
		for (size_t m = 0; m < desc.nmaps; m++)
			CHECK(desc.maps[m].def_kind == BPF_OBJ_MAP_LEGACY && desc.maps[m].data == NULL &&
			      (int)desc.maps[m].sec_idx == sec_by_name("maps") &&
			      desc.maps[m].sec_offset == sym(sym_by_name(desc.maps[m].name)).st_value,
			      "map %s: kind %u, section %u offset %llu", desc.maps[m].name, desc.maps[m].def_kind,
			      desc.maps[m].sec_idx, (unsigned long long)desc.maps[m].sec_offset);
		for (size_t i = 0; i < desc.nprogs; i++)
			CHECK((int)desc.progs[i].section_idx == s_text ? desc.progs[i].is_subprog == 1 :
			      !desc.progs[i].is_subprog, "%s: is_subprog %d", desc.progs[i].section,
			      desc.progs[i].is_subprog);
		/* every relocation is some entry's, in a row of relocs[], and every REL entry of a code section
		 * (the test's own count) is one of them */
		size_t total = 0, nrel = 0, next = 0;
		for (size_t i = 0; i < desc.nprogs; i++) {
			CHECK(desc.progs[i].reloc_first == next, "%s: relocations from %zu, want %zu",
			      desc.progs[i].section, desc.progs[i].reloc_first, next);
			next = desc.progs[i].reloc_first + desc.progs[i].reloc_cnt;
			total += desc.progs[i].reloc_cnt;
		}
		for (unsigned i = 1; i < eh.e_shnum; i++)
			if (shdr(i).sh_type == SHT_REL && (shdr(shdr(i).sh_info).sh_flags & SHF_EXECINSTR))
				nrel += shdr(i).sh_size / sizeof(Elf64_Rel);
		CHECK(total == desc.nrelocs && nrel == total, "programs hold %zu of %zu relocations, the object has "
		      "%zu", total, desc.nrelocs, nrel);
	}
	check_end();

	/* The records and map values are shared with the BPF side, which clang lays out from the same header:
	 * pin the layout the loader's readers and the README's JSON fields rely on. */
	check_begin("elf: the event and map value layouts of include/tuxscope_events.h");
	(void)CHECK(sizeof(struct fileio_event) == 64, "sizeof(struct fileio_event) %zu", sizeof(struct fileio_event));
	(void)CHECK(offsetof(struct fileio_event, timestamp_ns) == 0 && offsetof(struct fileio_event, bytes) == 8 &&
	      offsetof(struct fileio_event, ret) == 16 && offsetof(struct fileio_event, ino) == 24 &&
	      offsetof(struct fileio_event, pid) == 32 && offsetof(struct fileio_event, tid) == 36 &&
	      offsetof(struct fileio_event, mode) == 40 && offsetof(struct fileio_event, op) == 42 &&
	      offsetof(struct fileio_event, flags) == 43 && offsetof(struct fileio_event, pad) == 44 &&
	      offsetof(struct fileio_event, comm) == 48, "struct fileio_event fields moved");
	(void)CHECK(sizeof(struct fileio_event_named) == 64 + TUX_NAME_LEN &&
	      offsetof(struct fileio_event_named, name) == 64 && TUX_NAME_LEN == 128,
	      "sizeof(struct fileio_event_named) %zu, name at %zu", sizeof(struct fileio_event_named),
	      offsetof(struct fileio_event_named, name));
	(void)CHECK(TUX_EV_RET == 1 && TUX_EV_FILE == 2 && TUX_EV_NAME_CUT == 4, "event flags changed");
	(void)CHECK(sizeof(struct top_key) == 16 && offsetof(struct top_key, ino) == 8, "sizeof(struct top_key) %zu",
	      sizeof(struct top_key));
	(void)CHECK(sizeof(struct top_value) % 8 == 0 && offsetof(struct top_value, comm) == 40 &&
	      offsetof(struct top_value, name) == 56 && sizeof(struct top_value) == 56 + TUX_NAME_LEN,
	      "sizeof(struct top_value) %zu", sizeof(struct top_value));
	(void)CHECK(sizeof(struct tux_config) % 4 == 0 && offsetof(struct tux_config, comm) == 16 &&
	      offsetof(struct tux_config, off_sb_dev) == sizeof(struct tux_config) - 4,
	      "sizeof(struct tux_config) %zu", sizeof(struct tux_config));
	check_end();

	/* The parser must not assume any alignment of the buffer (the embedded object may have none). */
	check_begin("elf: parse from an unaligned buffer");
	uint8_t *u = malloc(obj_size + 1);
	if (CHECK(u != NULL, "malloc")) {
		memcpy(u + 1, obj, obj_size);
		rc = bpf_object_parse(u + 1, obj_size, &desc, err, sizeof(err));
		CHECK(rc == 0 && desc.nprogs == N_WANT_ENTRIES && desc.nmaps == N_WANT_MAPS,
		      "rc %d (%s), %zu progs, %zu maps", rc, err, desc.nprogs, desc.nmaps);
		free(u);
	}
	check_end();

	check_begin("elf: parse with no err buffer");
	rc = bpf_object_parse(obj, 10, &desc, NULL, 0);
	CHECK(rc < 0, "rc %d", rc);
	rc = bpf_object_parse(obj, obj_size, &desc, err, 1); /* success leaves err alone; a 1-byte err */
	CHECK(rc == 0, "rc %d", rc);
	check_end();
}

static void test_elf64_api(void)
{
	struct elf_file ef;
	struct elf_section s;
	struct elf_symbol y;
	int rc;

	check_begin("elf: elf_open, elf_section, elf_find_section, elf_symbol");
	rc = elf_open(&ef, obj, obj_size, EM_BPF);
	if (CHECK(rc == 0, "elf_open: %d", rc)) {
		CHECK(ef.shnum == eh.e_shnum && ef.symtab_idx == sec_by_type(SHT_SYMTAB) &&
		      ef.nsyms == nsyms(), "shnum %u symtab %d nsyms %zu", ef.shnum, ef.symtab_idx, ef.nsyms);
		rc = elf_find_section(&ef, "maps", &s);
		CHECK(rc == 0 && (int)s.idx == sec_by_name("maps") && s.size == count_map_syms() * sizeof(struct tux_map_def) &&
		      s.data == obj + shdr(s.idx).sh_offset && strcmp(s.name, "maps") == 0,
		      "maps: rc %d idx %u size %zu", rc, s.idx, s.size);
		CHECK(elf_find_section(&ef, "nope", &s) == -ENOENT, "found 'nope'");
		CHECK(elf_section(&ef, ef.shnum, &s) == -EINVAL, "section shnum accepted");
		CHECK(elf_section(&ef, 0xffffffffu, &s) == -EINVAL, "section 0xffffffff accepted");
		CHECK(elf_section(&ef, 0, &s) == 0 && s.name && s.name[0] == 0, "section 0");
		CHECK(elf_symbol(&ef, ef.nsyms, &y) == -EINVAL, "symbol nsyms accepted");
		CHECK(elf_symbol(&ef, (size_t)-1, &y) == -EINVAL, "symbol SIZE_MAX accepted");
		int ix = sym_by_name("trace_vfs_read");
		rc = elf_symbol(&ef, (size_t)ix, &y);
		CHECK(ix > 0 && rc == 0 && strcmp(y.name, "trace_vfs_read") == 0 &&
		      ELF64_ST_TYPE(y.sym.st_info) == STT_FUNC, "symbol %d: rc %d", ix, rc);
	}
	CHECK(elf_open(&ef, obj, obj_size, 0) == 0, "machine 0 (any) refused");
	CHECK(elf_open(&ef, obj, obj_size, EM_X86_64) == -ENOTSUP, "EM_X86_64 accepted");
	CHECK(elf_open(&ef, obj, sizeof(Elf64_Ehdr) - 1, 0) == -ENOTSUP, "short header accepted");
	check_end();

	check_begin("elf: elf_string bounds");
	static const uint8_t t[] = { 'a', 'b', 0, 'c', 'd' }; /* "cd" is not NUL-terminated */
	const char *p;
	p = elf_string(t, sizeof(t), 0);
	CHECK(p == (const char *)t, "offset 0: %p", (const void *)p);
	p = elf_string(t, sizeof(t), 1);
	CHECK(p == (const char *)t + 1, "offset 1: %p", (const void *)p);
	p = elf_string(t, sizeof(t), 2);
	CHECK(p == (const char *)t + 2, "offset 2 (empty string): %p", (const void *)p);
	CHECK(elf_string(t, sizeof(t), 3) == NULL, "unterminated string accepted");
	CHECK(elf_string(t, sizeof(t), 4) == NULL, "unterminated string accepted");
	CHECK(elf_string(t, sizeof(t), sizeof(t)) == NULL, "offset == size accepted");
	CHECK(elf_string(t, sizeof(t), sizeof(t) + 1) == NULL, "offset > size accepted");
	CHECK(elf_string(t, sizeof(t), (size_t)-1) == NULL, "offset SIZE_MAX accepted");
	CHECK(elf_string(t, 0, 0) == NULL, "empty table accepted");
	CHECK(elf_string(NULL, 10, 0) == NULL, "NULL table accepted");
	uint8_t *heap = malloc(3); /* exactly sized: ASan catches a memchr past the table */
	if (CHECK(heap != NULL, "malloc")) {
		memcpy(heap, "xyz", 3);
		CHECK(elf_string(heap, 3, 0) == NULL && elf_string(heap, 3, 2) == NULL,
		      "unterminated heap table accepted");
		free(heap);
	}
	check_end();
}

/* ---- truncations and single-byte corruptions ---- */

static int within(const void *p, size_t n, const uint8_t *buf, size_t size)
{
	const uint8_t *q = p;

	return q >= buf && q <= buf + size && n <= (size_t)(buf + size - q);
}

static int str_within(const char *s, const uint8_t *buf, size_t size)
{
	return s && within(s, 1, buf, size) &&
	       memchr(s, 0, (size_t)(buf + size - (const uint8_t *)s)) != NULL;
}

/* NULL if a successful parse result is internally consistent, else what is wrong. */
static const char *inconsistency(const struct bpf_object_desc *d, const uint8_t *buf, size_t size)
{
	const struct bpf_obj_prog *text = NULL;
	size_t total = 0;

	if (d->nprogs == 0 || d->nprogs > BPF_OBJ_MAX_PROGS || d->nmaps > BPF_OBJ_MAX_MAPS ||
	    d->nrelocs > BPF_OBJ_MAX_RELOCS)
		return "counts out of range";
	if (d->btf_size > size || d->btf_ext_size > size || d->core_relo_len > d->btf_ext_size)
		return "BTF sizes past the buffer";
	for (size_t i = 0; i < d->nprogs; i++)
		if (d->progs[i].is_subprog) {
			if (text)
				return "two subprogram sections";
			text = &d->progs[i];
			if (!str_within(text->section, buf, size) || strcmp(text->section, ".text") != 0)
				return "a subprogram section not named .text";
		}
	if (d->nprogs == (text ? 1u : 0u))
		return "no programs, only .text";
	for (size_t i = 0; i < d->nprogs; i++) {
		const struct bpf_obj_prog *p = &d->progs[i];

		if (!str_within(p->section, buf, size) || !str_within(p->name, buf, size))
			return "program name or section not a string inside the buffer";
		if (!p->insns || p->insn_cnt == 0 || !within(p->insns, p->insn_cnt * 8, buf, size))
			return "program instructions outside the buffer";
		if (p->reloc_first > d->nrelocs || p->reloc_cnt > d->nrelocs - p->reloc_first)
			return "program relocation range outside relocs[]";
		total += p->reloc_cnt;
		for (size_t r = p->reloc_first; r < p->reloc_first + p->reloc_cnt; r++) {
			const struct bpf_obj_reloc *x = &d->relocs[r];
			uint8_t code;

			if (x->insn_idx >= p->insn_cnt)
				return "relocation past its program";
			code = p->insns[x->insn_idx * 8];
			if (code == LD_IMM64 && (size_t)x->insn_idx + 1 >= p->insn_cnt)
				return "ld_imm64 relocation on the last instruction";
			if (!str_within(x->sym, buf, size))
				return "relocation symbol not a string inside the buffer";
			switch (x->kind) {
			case BPF_OBJ_RELOC_MAP_FD:
			case BPF_OBJ_RELOC_MAP_VALUE:
				if (code != LD_IMM64)
					return "map relocation not on an ld_imm64";
				if (x->map_idx >= d->nmaps)
					return "relocation map_idx >= nmaps";
				if ((d->maps[x->map_idx].def_kind == BPF_OBJ_MAP_DATA) !=
				    (x->kind == BPF_OBJ_RELOC_MAP_VALUE))
					return "map fd of global data, or a value of a declared map";
				if (x->kind == BPF_OBJ_RELOC_MAP_VALUE &&
				    x->offset >= d->maps[x->map_idx].def.value_size)
					return "value offset past the global data";
				break;
			case BPF_OBJ_RELOC_CALL:
			case BPF_OBJ_RELOC_FUNC_ADDR:
				if (code != (x->kind == BPF_OBJ_RELOC_CALL ? CALL_OPCODE : LD_IMM64))
					return "call or function address on the wrong opcode";
				/* the loader keeps src_reg: a call of .text must already say so */
				if (x->kind == BPF_OBJ_RELOC_CALL &&
				    src_reg(p->insns + (size_t)x->insn_idx * 8) != PSEUDO_CALL)
					return "call relocation on a call that is not BPF_PSEUDO_CALL";
				if (!text || x->offset >= text->insn_cnt)
					return "callee outside .text";
				break;
			case BPF_OBJ_RELOC_EXTERN:
				if ((code != LD_IMM64 && code != 0x85) || !x->sym[0])
					return "extern on the wrong opcode or without a name";
				break;
			default:
				return "unknown relocation kind";
			}
		}
	}
	if (total != d->nrelocs)
		return "relocations not all owned by programs";
	for (size_t i = 0; i < d->nmaps; i++) {
		const struct bpf_obj_map *m = &d->maps[i];

		if (!str_within(m->name, buf, size) || !m->name[0])
			return "map name not a non-empty string inside the buffer";
		if (m->def_kind > BPF_OBJ_MAP_DATA ||
		    (m->data && !within(m->data, m->def.value_size, buf, size)))
			return "map kind unknown, or its data outside the buffer";
	}
	if (d->license && !str_within(d->license, buf, size))
		return "license not a string inside the buffer";
	return NULL;
}

static void test_truncations(void)
{
	char err[256], bad_err[256] = "";
	size_t bad_len = (size_t)-1;
	int bad_rc = 0;

	check_begin("elf: every truncation is an error");
	for (size_t n = 0; n < obj_size; n++) {
		uint8_t *c = copy_of(n);
		int rc;

		if (!CHECK(c != NULL, "malloc"))
			break;
		err[0] = 0;
		rc = bpf_object_parse(c, n, &desc, err, sizeof(err));
		if (!(rc < 0 && rc > -4096 && err[0]) && bad_len == (size_t)-1) {
			bad_len = n;
			bad_rc = rc;
			memcpy(bad_err, err, sizeof(err));
		}
		free(c);
	}
	CHECK(bad_len == (size_t)-1, "length %zu of %zu: rc %d, err '%s'", bad_len, obj_size, bad_rc,
	      bad_err);
	check_end();
}

/* Parses c with byte off set to each of the values; checks no crash and, on success, consistency. */
static void corrupt_byte(uint8_t *c, size_t off, const uint8_t *vals, int nvals, size_t *parsed,
			 size_t *refused)
{
	char err[256];
	const uint8_t orig = obj[off];

	for (int v = 0; v < nvals; v++) {
		int rc;

		c[off] = vals[v];
		err[0] = 0;
		rc = bpf_object_parse(c, obj_size, &desc, err, sizeof(err));
		if (rc == 0) {
			const char *why = inconsistency(&desc, c, obj_size);
			(*parsed)++;
			CHECK(why == NULL, "byte %zu = 0x%02x: parsed, but %s", off, vals[v], why);
		} else {
			(*refused)++;
			CHECK(rc < 0 && rc > -4096 && err[0], "byte %zu = 0x%02x: rc %d, err '%s'", off, vals[v],
			      rc, err);
		}
	}
	c[off] = orig;
}

static void corrupt_range(uint8_t *c, size_t from, size_t len, int nvals, size_t *parsed, size_t *refused)
{
	for (size_t off = from; off < from + len && off < obj_size; off++) {
		const uint8_t b = obj[off];
		/* 0x00, 0xff, the top bit flipped, one more (an off-by-one in a size or an offset) */
		const uint8_t all[4] = { 0x00, 0xff, (uint8_t)(b ^ 0x80), (uint8_t)(b + 1) };
		/* two of them, alternating: a field's low byte (even offset) gets +1 and 0xff */
		const uint8_t two[2] = { off % 2 ? 0x00 : (uint8_t)(b + 1), off % 2 ? (uint8_t)(b ^ 0x80) : 0xff };

		if (nvals == 4)
			corrupt_byte(c, off, all, 4, parsed, refused);
		else if (nvals == 2)
			corrupt_byte(c, off, two, 2, parsed, refused);
		else
			corrupt_byte(c, off, &all[off % 4], 1, parsed, refused);
	}
}

/* Every offset with four values costs one parse each (~0.4 ms under ASan for the 14-program object):
 * too slow for every run. By default: every byte of the ELF header and of the headers, symbols and
 * relocations the parser relies on, then a stride through the whole file. TUX_UNIT_FULL_FUZZ=1: all. */
static void test_byte_corruptions(void)
{
	uint8_t *c = copy_of(obj_size);
	size_t parsed = 0, refused = 0;
	const char *full = getenv("TUX_UNIT_FULL_FUZZ");

	check_begin(full && *full == '1' ? "elf: every single-byte corruption (all offsets, 4 values): "
					   "no crash, an error or a consistent result"
					 : "elf: single-byte corruptions of the headers, symbols, relocations and "
					   "a stride of the file: no crash, an error or a consistent result");
	if (!CHECK(c != NULL, "malloc")) {
		check_end();
		return;
	}
	if (full && *full == '1') {
		corrupt_range(c, 0, obj_size, 4, &parsed, &refused);
	} else {
		/* kprobe/vfs_read: an entry program, its one relocation a call of .text; kretprobe/vfs_rw: a
		 * return program, map relocations only; .text: on_call, map relocations of its own */
		const int secs[] = { 0, eh.e_shstrndx, s_text, r_text, s_read, r_read, s_ret, r_ret,
				     s_license, s_maps, s_symtab, s_strtab };
		const char *syms[] = { "events", "config", "pids", "stats", "inflight", "totals",
				       "trace_vfs_read", "trace_vfs_rw_ret", "LICENSE" };
		const int rels[] = { r_read, r_ret, r_text };

		corrupt_range(c, 0, sizeof(Elf64_Ehdr), 4, &parsed, &refused);
		for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
			if (secs[i] >= 0 && (i == 0 || secs[i] > 0))
				corrupt_range(c, shdr_off((unsigned)secs[i]), sizeof(Elf64_Shdr), 2, &parsed,
					      &refused);
		corrupt_range(c, sym_off(0), sizeof(Elf64_Sym), 2, &parsed, &refused);
		for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
			if (sym_by_name(syms[i]) > 0)
				corrupt_range(c, sym_off((size_t)sym_by_name(syms[i])), sizeof(Elf64_Sym), 2,
					      &parsed, &refused);
		for (size_t i = 0; i < sizeof(rels) / sizeof(rels[0]); i++)
			if (rels[i] > 0)
				corrupt_range(c, shdr((unsigned)rels[i]).sh_offset, shdr((unsigned)rels[i]).sh_size,
					      2, &parsed, &refused);
		/* the call of on_call and the symbol it names (.text's own), every byte with four values: the
		 * callee moves inside .text or out of it, the call becomes another instruction */
		if (r_read > 0 && s_text > 0) {
			corrupt_range(c, shdr((unsigned)s_read).sh_offset + rel(r_read, 0).r_offset, 8, 4, &parsed,
				      &refused);
			corrupt_range(c, sym_off(ELF64_R_SYM(rel(r_read, 0).r_info)), sizeof(Elf64_Sym), 4, &parsed,
				      &refused);
		}
		if (sec_by_name("license") > 0)
			corrupt_range(c, shdr(sec_by_name("license")).sh_offset,
				      shdr(sec_by_name("license")).sh_size, 4, &parsed, &refused);
		if (sec_by_name("maps") > 0)
			corrupt_range(c, shdr(sec_by_name("maps")).sh_offset, shdr(sec_by_name("maps")).sh_size,
				      1, &parsed, &refused);
		/* the names the parser looks for, with their terminators */
		const char *names[] = { "license", "maps", ".text", "kprobe/vfs_read" };
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			int sx = sec_by_name(names[i]);
			if (sx > 0)
				corrupt_range(c, shdr(eh.e_shstrndx).sh_offset + shdr(sx).sh_name,
					      strlen(names[i]) + 1, 2, &parsed, &refused);
		}
		/* a stride through everything, 23 being prime to every field size */
		for (size_t off = 7; off < obj_size; off += 23)
			corrupt_range(c, off, 1, 1, &parsed, &refused);
	}
	CHECK(refused > 0 && parsed > 0, "%zu parsed, %zu refused", parsed, refused);
	free(c);
	check_end();
}

/* ---- targeted corruptions ---- */

/* The code section whose relocation 0 (an ld_imm64 of a map) the relocation corruptions below damage, and
 * its relocation section: kretprobe/vfs_rw, a program; for the cases marked BOTH, .text (the subprogram)
 * next. The call corruptions damage kprobe/vfs_read's one relocation, its call of on_call. */
static int s_ld, r_ld;

static size_t ld_insn(void) { return shdr((unsigned)s_ld).sh_offset + rel(r_ld, 0).r_offset; }
static size_t call_insn(void) { return shdr((unsigned)s_read).sh_offset + rel(r_read, 0).r_offset; }
static size_t call_sym(void) { return ELF64_R_SYM(rel(r_read, 0).r_info); } /* .text's own symbol */
static size_t ld_sym(void) { return ELF64_R_SYM(rel(r_ld, 0).r_info); }
/* relocation 0 of r_ld, or the call's, made one of type `type` against symbol si */
static void ld_rel(uint8_t *c, size_t si, unsigned type) { put64(c, rel_off(r_ld, 0) + 8, ELF64_R_INFO(si, type)); }
static void call_rel(uint8_t *c, size_t si, unsigned type) { put64(c, rel_off(r_read, 0) + 8, ELF64_R_INFO(si, type)); }
static uint32_t text_insns(void) { return (uint32_t)(shdr((unsigned)s_text).sh_size / 8); }

static void p_magic(uint8_t *c) { c[EI_MAG1] = 'X'; }
static void p_class32(uint8_t *c) { c[EI_CLASS] = ELFCLASS32; }
static void p_bigendian(uint8_t *c) { c[EI_DATA] = ELFDATA2MSB; }
static void p_machine(uint8_t *c) { put16(c, offsetof(Elf64_Ehdr, e_machine), EM_X86_64); }
static void p_exec(uint8_t *c) { put16(c, offsetof(Elf64_Ehdr, e_type), ET_EXEC); }
static void p_shentsize(uint8_t *c) { put16(c, offsetof(Elf64_Ehdr, e_shentsize), 40); }
static void p_shnum0(uint8_t *c) { put16(c, offsetof(Elf64_Ehdr, e_shnum), 0); }
static void p_shnum_big(uint8_t *c) { put16(c, offsetof(Elf64_Ehdr, e_shnum), (uint16_t)(eh.e_shnum + 1)); }
static void p_shoff_end(uint8_t *c) { put64(c, offsetof(Elf64_Ehdr, e_shoff), obj_size); }
static void p_shoff_far(uint8_t *c) { put64(c, offsetof(Elf64_Ehdr, e_shoff), obj_size + 4096); }
static void p_shoff_wrap(uint8_t *c) { put64(c, offsetof(Elf64_Ehdr, e_shoff), 0xffffffffffffff00ull); }
static void p_shstrndx(uint8_t *c) { put16(c, offsetof(Elf64_Ehdr, e_shstrndx), eh.e_shnum); }
static void p_shstrndx0(uint8_t *c) { put16(c, offsetof(Elf64_Ehdr, e_shstrndx), 0); }
static void p_maps_off(uint8_t *c) { put64(c, SH_FIELD(s_maps, sh_offset), obj_size + 8); }
static void p_prog_off(uint8_t *c) { put64(c, SH_FIELD(s_read, sh_offset), obj_size - 8); }
static void p_symtab_off(uint8_t *c) { put64(c, SH_FIELD(s_symtab, sh_offset), obj_size); }
static void p_maps_size(uint8_t *c) { put64(c, SH_FIELD(s_maps, sh_size), 0xfffffffffffffff0ull); }
static void p_strtab_size(uint8_t *c) { put64(c, SH_FIELD(s_strtab, sh_size), (uint64_t)-1); }
static void p_name_end(uint8_t *c) { put32(c, SH_FIELD(s_maps, sh_name), (uint32_t)shdr(eh.e_shstrndx).sh_size); }
static void p_name_far(uint8_t *c) { put32(c, SH_FIELD(s_maps, sh_name), 0xffffffffu); }
static void p_symtab_entsize(uint8_t *c) { put64(c, SH_FIELD(s_symtab, sh_entsize), 16); }
static void p_symtab_size(uint8_t *c) { put64(c, SH_FIELD(s_symtab, sh_size), shdr(s_symtab).sh_size - 1); }
static void p_symtab_link(uint8_t *c) { put32(c, SH_FIELD(s_symtab, sh_link), (uint32_t)s_maps); }
static void p_symtab_link_far(uint8_t *c) { put32(c, SH_FIELD(s_symtab, sh_link), 0xffffu); }
static void p_no_symtab(uint8_t *c) { put32(c, SH_FIELD(s_symtab, sh_type), SHT_PROGBITS); }
static void p_two_symtabs(uint8_t *c) { put32(c, SH_FIELD(s_license, sh_type), SHT_SYMTAB); }
/* relocation 0 of r_ld, an ld_imm64 of a map: moved, retyped, pointed at other symbols */
static void p_rel_past(uint8_t *c) { put64(c, rel_off(r_ld, 0), shdr((unsigned)s_ld).sh_size); }
static void p_rel_last(uint8_t *c) { put64(c, rel_off(r_ld, 0), shdr((unsigned)s_ld).sh_size - 8); }
/* the last instruction made an ld_imm64, whose second half would lie past the end, and the relocation moved there */
static void p_rel_last_ldimm64(uint8_t *c)
{
	p_rel_last(c);
	c[shdr((unsigned)s_ld).sh_offset + shdr((unsigned)s_ld).sh_size - 8] = LD_IMM64;
}
static void p_rel_unaligned(uint8_t *c) { put64(c, rel_off(r_ld, 0), rel(r_ld, 0).r_offset + 1); }
static void p_rel_huge(uint8_t *c) { put64(c, rel_off(r_ld, 0), 0xfffffffffffffff8ull); }
static void p_rel_type(uint8_t *c) { ld_rel(c, ld_sym(), R_BPF_64_32); }
static void p_rel_type7(uint8_t *c) { ld_rel(c, ld_sym(), 7); }
static void p_rel_type2(uint8_t *c) { ld_rel(c, ld_sym(), 2); }
/* symbol 0 (STN_UNDEF) and an undefined symbol made local: neither is an extern the kernel provides */
static void p_rel_sym0(uint8_t *c) { ld_rel(c, 0, R_BPF_64_64); }
static void p_rel_sym_undef_local(uint8_t *c)
{
	size_t x = (size_t)sym_by_name("config");

	put16(c, SYM_FIELD(x, st_shndx), SHN_UNDEF);
	c[SYM_FIELD(x, st_info)] = ELF64_ST_INFO(STB_LOCAL, STT_NOTYPE);
}
/* The write program's relocation section is pointed at the read program too. */
static void p_rel_twice(uint8_t *c) { put32(c, SH_FIELD(r_write, sh_info), (uint32_t)s_read); }
/* A program's relocation section is pointed at .text, which has its own. */
static void p_rel_twice_text(uint8_t *c) { put32(c, SH_FIELD(r_ret, sh_info), (uint32_t)s_text); }
static void p_rel_sym_past(uint8_t *c) { ld_rel(c, nsyms(), R_BPF_64_64); }
static void p_rel_sym_huge(uint8_t *c) { ld_rel(c, 0xffffffffu, R_BPF_64_64); }
static void p_rel_sym_license(uint8_t *c) { ld_rel(c, (size_t)sym_by_name("LICENSE"), R_BPF_64_64); }
static void p_rel_sym_func(uint8_t *c) { ld_rel(c, (size_t)sym_by_name("trace_vfs_write"), R_BPF_64_64); }
static void p_rel_entsize(uint8_t *c) { put64(c, SH_FIELD(r_ld, sh_entsize), 24); }
static void p_rel_size(uint8_t *c) { put64(c, SH_FIELD(r_ld, sh_size), shdr((unsigned)r_ld).sh_size - 1); }
static void p_rel_link(uint8_t *c) { put32(c, SH_FIELD(r_ld, sh_link), (uint32_t)s_strtab); }
static void p_rel_info(uint8_t *c) { put32(c, SH_FIELD(r_ld, sh_info), 0xffffu); }
static void p_rela(uint8_t *c) { put32(c, SH_FIELD(r_ld, sh_type), SHT_RELA); }
/* The relocation's instruction is made something other than ld_imm64 (the relocation is untouched). */
static void p_rel_not_ldimm64(uint8_t *c) { c[ld_insn()] = 0xb7; /* mov64 imm */ }
/* The relocation is moved onto instruction 0, which is not an ld_imm64 in this object. */
static void p_rel_insn0(uint8_t *c) { put64(c, rel_off(r_ld, 0), 0); }

/* kprobe/vfs_read's call of on_call (.text's own symbol, st_value 0, imm -1: insn 0 of .text) */
static void p_call_imm(uint8_t *c, int32_t imm) { put32(c, call_insn() + 4, (uint32_t)imm); }
/* the callee one past .text's last instruction, at -1, far past the end */
static void p_call_past_end(uint8_t *c) { p_call_imm(c, (int32_t)text_insns() - 1); }
static void p_call_before(uint8_t *c) { p_call_imm(c, -2); }
static void p_call_huge(uint8_t *c) { p_call_imm(c, 0x7fffffff); }
static void p_call_not_call(uint8_t *c) { c[call_insn()] = 0xb7; /* mov64 imm: not a call */ }
static void p_call_exit(uint8_t *c) { c[call_insn()] = 0x95; /* exit */ }
/* src_reg 0: a helper call, 2: a kfunc call (BPF_PSEUDO_KFUNC_CALL); neither is a call of .text */
static void p_call_helper(uint8_t *c) { c[call_insn() + 1] = 0x00; }
static void p_call_kfunc(uint8_t *c) { c[call_insn() + 1] = 0x20; }
static void p_call_type64(uint8_t *c) { call_rel(c, call_sym(), R_BPF_64_64); }
static void p_call_sym_map(uint8_t *c) { call_rel(c, (size_t)sym_by_name("config"), R_BPF_64_32); }
static void p_call_sym_prog(uint8_t *c) { call_rel(c, (size_t)sym_by_name("trace_vfs_write"), R_BPF_64_32); }
static void p_call_sym_license(uint8_t *c) { call_rel(c, (size_t)sym_by_name("LICENSE"), R_BPF_64_32); }
static void p_call_sym0(uint8_t *c) { call_rel(c, 0, R_BPF_64_32); }
/* .text's symbol not on an instruction boundary (the callee would still be insn 0) */
static void p_call_sym_unaligned(uint8_t *c) { put64(c, SYM_FIELD(call_sym(), st_value), 4); }
static void p_call_past_prog(uint8_t *c) { put64(c, rel_off(r_read, 0), shdr((unsigned)s_read).sh_size); }
/* .text without code: empty (the shape before on_call moved there), or not executable */
static void p_call_text_empty(uint8_t *c) { put64(c, SH_FIELD(s_text, sh_size), 0); }
static void p_call_text_data(uint8_t *c)
{
	put64(c, SH_FIELD(s_text, sh_flags), shdr((unsigned)s_text).sh_flags & ~(uint64_t)SHF_EXECINSTR);
}
static void p_text_partial(uint8_t *c) { put64(c, SH_FIELD(s_text, sh_size), shdr((unsigned)s_text).sh_size - 4); }

static void p_map_size24(uint8_t *c) { put64(c, SYM_FIELD(sym_by_name("config"), st_size), 24); }
static void p_map_size16(uint8_t *c) { put64(c, SYM_FIELD(sym_by_name("pids"), st_size), 16); }
static void p_map_past(uint8_t *c) { put64(c, SYM_FIELD(sym_by_name("stats"), st_value), shdr(s_maps).sh_size); }
static void p_map_unaligned(uint8_t *c) { put64(c, SYM_FIELD(sym_by_name("stats"), st_value), 2); }
static void p_map_dup(uint8_t *c) { put32(c, SYM_FIELD(sym_by_name("pids"), st_name), sym(sym_by_name("config")).st_name); }
static void p_sym_name(uint8_t *c) { put32(c, SYM_FIELD(sym_by_name("pids"), st_name), (uint32_t)shdr(s_strtab).sh_size); }
static void p_license_unterminated(uint8_t *c) { put64(c, SH_FIELD(s_license, sh_size), 3); }
static void p_license_nobits(uint8_t *c) { put32(c, SH_FIELD(s_license, sh_type), SHT_NOBITS); }
static void p_maps_nobits(uint8_t *c) { put32(c, SH_FIELD(s_maps, sh_type), SHT_NOBITS); }
static void p_prog_partial(uint8_t *c) { put64(c, SH_FIELD(s_write, sh_size), shdr(s_write).sh_size - 4); }
static void p_no_progs(uint8_t *c)
{
	for (unsigned i = 1; i < eh.e_shnum; i++)
		if (shdr(i).sh_flags & SHF_EXECINSTR)
			put64(c, SH_FIELD(i, sh_flags), shdr(i).sh_flags & ~(uint64_t)SHF_EXECINSTR);
}
/* only .text keeps its code: functions, but no program to call them */
static void p_only_text(uint8_t *c)
{
	p_no_progs(c);
	put64(c, SH_FIELD(s_text, sh_flags), shdr((unsigned)s_text).sh_flags);
}
struct corruption {
	const char *name;
	void (*patch)(uint8_t *c);
	int rc;           /* the exact errno expected, or 0: any negative errno */
	const char *word; /* must appear in err, or NULL */
};

static const struct corruption corruptions[] = {
	{ "bad magic", p_magic, -ENOTSUP, "ELF" },
	{ "ELFCLASS32", p_class32, -ENOTSUP, "64-bit" },
	{ "big-endian", p_bigendian, -ENOTSUP, "little-endian" },
	{ "e_machine EM_X86_64, not EM_BPF", p_machine, -ENOTSUP, "BPF" },
	{ "e_type ET_EXEC", p_exec, -ENOTSUP, "relocatable" },
	{ "e_shentsize 40", p_shentsize, -EINVAL, "section table" },
	{ "e_shnum 0", p_shnum0, -EINVAL, "section table" },
	{ "e_shnum one past the table", p_shnum_big, -EINVAL, "section table" },
	{ "e_shoff at the end of the file", p_shoff_end, -EINVAL, "section table" },
	{ "e_shoff past the end", p_shoff_far, -EINVAL, "section table" },
	{ "e_shoff + shnum*64 overflows", p_shoff_wrap, -EINVAL, "section table" },
	{ "e_shstrndx >= shnum", p_shstrndx, -EINVAL, "section table" },
	{ "e_shstrndx 0 (SHT_NULL)", p_shstrndx0, -EINVAL, "section table" },
	{ "maps sh_offset past the end", p_maps_off, -EINVAL, "section" },
	{ "program sh_offset + sh_size past the end", p_prog_off, -EINVAL, "section" },
	{ "symtab sh_offset at the end", p_symtab_off, -EINVAL, "section" },
	{ "maps sh_size huge (offset + size overflows)", p_maps_size, -EINVAL, "section" },
	{ "strtab sh_size huge", p_strtab_size, -EINVAL, "section" },
	{ "sh_name at the end of .strtab", p_name_end, -EINVAL, "section" },
	{ "sh_name 0xffffffff", p_name_far, -EINVAL, "section" },
	{ "symtab sh_entsize 16", p_symtab_entsize, -EINVAL, "section table" },
	{ "symtab size not whole symbols", p_symtab_size, -EINVAL, "section table" },
	{ "symtab sh_link to a non-strtab", p_symtab_link, -EINVAL, "section table" },
	{ "symtab sh_link past the table", p_symtab_link_far, -EINVAL, "section table" },
	{ "no symbol table", p_no_symtab, -EINVAL, "symbol table" },
	{ "two symbol tables", p_two_symtabs, -EINVAL, NULL },
	{ "reloc against an undefined local symbol", p_rel_sym_undef_local, -ENOTSUP, "special section" },
	{ "two relocation sections for one program", p_rel_twice, -EINVAL, "second relocation section" },
	{ "a second relocation section for .text", p_rel_twice_text, -EINVAL, "second relocation section" },
	{ "call of .text's insn n (one past its end)", p_call_past_end, -EINVAL, "not a function in .text" },
	{ "call of .text's insn -1 (before its start)", p_call_before, -EINVAL, "not a function in .text" },
	{ "call with imm 0x7fffffff", p_call_huge, -EINVAL, "not a function in .text" },
	{ "call relocation on a mov, not a call", p_call_not_call, -EINVAL, "_32 on call" },
	{ "call relocation on an exit", p_call_exit, -EINVAL, "_32 on call" },
	{ "call relocation on a helper call (src_reg 0)", p_call_helper, -EINVAL, "not a function in .text" },
	{ "call relocation on a kfunc call (src_reg 2)", p_call_kfunc, -EINVAL, "not a function in .text" },
	{ "call relocation of type R_BPF_64_64 (for ld_imm64)", p_call_type64, -ENOTSUP,
	  "R_BPF_64_64 goes on ld_imm64" },
	{ "call relocation against a map", p_call_sym_map, -EINVAL, "call of config: not a function in .text" },
	{ "call relocation against another program's function", p_call_sym_prog, -EINVAL,
	  "call of trace_vfs_write: not a function in .text" },
	{ "call relocation against LICENSE (data)", p_call_sym_license, -EINVAL, "call of LICENSE" },
	{ "call relocation against the null symbol", p_call_sym0, -EINVAL, "not a function in .text" },
	{ "call relocation against .text's symbol at byte 4", p_call_sym_unaligned, -EINVAL,
	  "not a function in .text" },
	{ "call relocation at the program's end", p_call_past_prog, -EINVAL, "outside" },
	{ "call relocation but .text is empty", p_call_text_empty, -EINVAL, "call of .text: not a function in .text" },
	{ "call relocation but .text is not code (no SHF_EXECINSTR)", p_call_text_data, -EINVAL,
	  "call of .text: not a function in .text" },
	{ ".text size not whole instructions", p_text_partial, -EINVAL, ".text: size" },
	{ "map symbol st_size 24", p_map_size24, -EINVAL, "tux_map_def" },
	{ "map symbol st_size 16", p_map_size16, -EINVAL, "tux_map_def" },
	{ "map symbol at the end of maps", p_map_past, -EINVAL, "tux_map_def" },
	{ "map symbol misaligned", p_map_unaligned, -EINVAL, "tux_map_def" },
	{ "two maps with one name", p_map_dup, -EINVAL, "duplicate" },
	{ "symbol name at the end of .strtab", p_sym_name, -EINVAL, "symbol" },
	{ "license not NUL-terminated", p_license_unterminated, -EINVAL, "license" },
	{ "license SHT_NOBITS", p_license_nobits, -EINVAL, "license" },
	{ "maps SHT_NOBITS", p_maps_nobits, -EINVAL, "maps" },
	{ "program size not whole instructions", p_prog_partial, -EINVAL, "instructions" },
	{ "no programs", p_no_progs, -ENOENT, "no programs" },
	{ "only .text holds code", p_only_text, -ENOENT, "no programs" },
};

/* Damage to relocation 0 of r_ld, an ld_imm64 of a map, or to r_ld itself: run on a program's (kretprobe/vfs_rw),
 * then on .text's. */
static const struct corruption reloc_corruptions[] = {
	{ "reloc r_offset at the program's end", p_rel_past, -EINVAL, "outside" },
	{ "reloc r_offset on the last insn (an exit, not an ld_imm64)", p_rel_last, -EINVAL, "ld_imm64" },
	{ "reloc on an ld_imm64 in the last insn (its second half past the end)", p_rel_last_ldimm64, -EINVAL,
	  "outside the program" },
	{ "reloc r_offset unaligned", p_rel_unaligned, -EINVAL, "outside" },
	{ "reloc r_offset huge", p_rel_huge, -EINVAL, "outside" },
	{ "reloc type 10 (R_BPF_64_32, for calls) on an ld_imm64", p_rel_type, -ENOTSUP, "R_BPF_64_64" },
	{ "reloc type 7, neither R_BPF_64_64 nor R_BPF_64_32", p_rel_type7, -ENOTSUP, "R_BPF_64_64" },
	{ "reloc type 2 (R_BPF_64_ABS64, for data) on an ld_imm64", p_rel_type2, -ENOTSUP, "R_BPF_64_64" },
	{ "reloc against the null symbol", p_rel_sym0, -ENOTSUP, "special section" },
	{ "reloc on a non-ld_imm64 insn", p_rel_not_ldimm64, -EINVAL, "ld_imm64" },
	{ "reloc moved to insn 0 (not ld_imm64)", p_rel_insn0, -EINVAL, "ld_imm64" },
	{ "reloc symbol index == nsyms", p_rel_sym_past, -EINVAL, "symbol" },
	{ "reloc symbol index 0xffffffff", p_rel_sym_huge, -EINVAL, "symbol" },
	{ "reloc against LICENSE (global data)", p_rel_sym_license, -ENOTSUP, "global data" },
	{ "reloc against a function", p_rel_sym_func, -ENOTSUP, "not to a map" },
	{ "reloc section sh_entsize 24", p_rel_entsize, -EINVAL, "relocation section" },
	{ "reloc section size not whole entries", p_rel_size, -EINVAL, "relocation section" },
	{ "reloc section not linked to the symtab", p_rel_link, -EINVAL, "symbol table" },
	{ "reloc section sh_info past the table", p_rel_info, -EINVAL, "bad section" },
	{ "RELA relocation section", p_rela, -ENOTSUP, "RELA" },
};

/* The premises of the patches above: each names the instruction or symbol it damages. */
static int corruption_premises(void)
{
	const int ld[2] = { s_ret, s_text }, ldrel[2] = { r_ret, r_text };
	int ok = CHECK(s_read > 0 && s_write > 0 && s_ret > 0 && s_maps > 0 && s_text > 0 && s_license > 0 &&
		       s_strtab > 0 && r_read > 0 && r_write > 0 && r_ret > 0 && r_text > 0 &&
		       shdr((unsigned)s_text).sh_size >= 16 && sym_by_name("LICENSE") > 0 &&
		       sym_by_name("config") > 0 && sym_by_name("pids") > 0 && sym_by_name("stats") > 0 &&
		       sym_by_name("trace_vfs_write") > 0,
		       "read %d write %d ret %d maps %d text %d license %d strtab %d rel %d %d %d %d", s_read,
		       s_write, s_ret, s_maps, s_text, s_license, s_strtab, r_read, r_write, r_ret, r_text);
	if (!ok)
		return 0;
	/* kprobe/vfs_read's relocation 0: R_BPF_64_32 on a BPF-to-BPF call, against .text's own symbol at 0
	 * with imm -1: insn 0 of .text */
	const uint8_t *call = obj + call_insn();
	int32_t imm;
	memcpy(&imm, call + 4, sizeof(imm));
	ok &= CHECK(ELF64_R_TYPE(rel(r_read, 0).r_info) == R_BPF_64_32 && call[0] == CALL_OPCODE &&
		    src_reg(call) == PSEUDO_CALL && imm == -1 && (int)sym(call_sym()).st_shndx == s_text &&
		    sym(call_sym()).st_value == 0 && ELF64_ST_TYPE(sym(call_sym()).st_info) == STT_SECTION,
		    "kprobe/vfs_read's relocation is not a call of .text's insn 0");
	/* in both sections of s_ld: relocation 0 an ld_imm64 of a map, insn 0 no ld_imm64, the last an exit */
	for (int i = 0; i < 2; i++) {
		const uint8_t *code = obj + shdr((unsigned)ld[i]).sh_offset;
		const size_t last = shdr((unsigned)ld[i]).sh_size - 8;

		ok &= CHECK(ELF64_R_TYPE(rel(ldrel[i], 0).r_info) == R_BPF_64_64 &&
			    code[rel(ldrel[i], 0).r_offset] == LD_IMM64 && code[0] != LD_IMM64 &&
			    code[last] == 0x95 /* exit */ &&
			    (int)sym(ELF64_R_SYM(rel(ldrel[i], 0).r_info)).st_shndx == s_maps,
			    "%s: relocation 0 is not an ld_imm64 of a map, or insn 0 is one, or the last is no exit",
			    sec_name((unsigned)ld[i]));
	}
	return ok;
}

/* err starts with "SECTION: " or "RELSECTION: ", RELSECTION being the name of sec's relocation section. */
static int starts_with_section(const char *err, int sec)
{
	const char *n = sec_name((unsigned)sec), *r = sec_name((unsigned)rel_for(sec));
	size_t ln = strlen(n), lr = strlen(r);

	return (strncmp(err, n, ln) == 0 && strncmp(err + ln, ": ", 2) == 0) ||
	       (strncmp(err, r, lr) == 0 && strncmp(err + lr, ": ", 2) == 0);
}

/* Returns 1 if the premises held, so the tests that damage the same sections can run. */
static int test_corruptions(void)
{
	char name[160], err[256];

	check_begin("elf: the test finds the sections it corrupts");
	int found = corruption_premises();
	check_end();
	if (!found)
		return 0;

	const size_t nplain = sizeof(corruptions) / sizeof(corruptions[0]);
	const size_t nrel = sizeof(reloc_corruptions) / sizeof(reloc_corruptions[0]);
	/* each of corruptions[] once, then each of reloc_corruptions[] in a program's relocations and in .text's */
	for (size_t i = 0; i < nplain + 2 * nrel; i++) {
		const int is_rel = i >= nplain, in_text = i >= nplain + nrel;
		const struct corruption *k = is_rel ? &reloc_corruptions[(i - nplain) % nrel] : &corruptions[i];
		uint8_t *c = copy_of(obj_size);
		int rc;

		s_ld = in_text ? s_text : s_ret;
		r_ld = in_text ? r_text : r_ret;
		if (is_rel)
			snprintf(name, sizeof(name), "elf: corrupt: %s (in %s)", k->name, sec_name((unsigned)s_ld));
		else
			snprintf(name, sizeof(name), "elf: corrupt: %s", k->name);
		check_begin(name);
		if (CHECK(c != NULL, "malloc")) {
			k->patch(c);
			err[0] = 0;
			rc = bpf_object_parse(c, obj_size, &desc, err, sizeof(err));
			if (k->rc)
				CHECK(rc == k->rc, "rc %d, want %d (err '%s')", rc, k->rc, err);
			else
				CHECK(rc < 0, "rc %d (err '%s')", rc, err);
			CHECK(err[0] != 0, "empty err (rc %d)", rc);
			if (k->word)
				CHECK(strstr(err, k->word) != NULL, "err '%s' lacks '%s'", err, k->word);
			/* the error names the damaged section, or its relocation section (".rel" and its name) */
			if (is_rel)
				CHECK(starts_with_section(err, s_ld), "err '%s' is not about %s", err,
				      sec_name((unsigned)s_ld));
			free(c);
		}
		check_end();
	}
	s_ld = s_ret;
	r_ld = r_ret;
	return 1;
}

/* Relocation sections name their program section by index (sh_info). Two program sections that share a
 * name (legal ELF: sh_name may point at the same string) must still each get their own relocations. Here
 * section b (function fb) is made a second copy of section a (same name, same bytes) without relocations:
 * for the entry programs, a's one relocation is its call of .text; for the return programs, its maps. */
static void test_shared_section_name(int a, int b, const char *fb)
{
	uint8_t *c = copy_of(obj_size);
	int r_a = rel_for(a), r_b = rel_for(b);
	char err[256] = "", name[200];

	snprintf(name, sizeof(name), "elf: relocations go to the program of their sh_info section, not to a "
		 "same-named one (%s)", sec_name((unsigned)a));
	check_begin(name);
	if (CHECK(c != NULL && r_a > 0 && r_b > 0 && sym_by_name(fb) > 0, "setup")) {
		put32(c, SH_FIELD(b, sh_name), shdr((unsigned)a).sh_name);
		put64(c, SH_FIELD(b, sh_offset), shdr((unsigned)a).sh_offset);
		put64(c, SH_FIELD(b, sh_size), shdr((unsigned)a).sh_size);
		/* its function symbol must still fit its section, now of a's size */
		put64(c, SYM_FIELD(sym_by_name(fb), st_size), shdr((unsigned)a).sh_size);
		put32(c, SH_FIELD(r_b, sh_type), SHT_PROGBITS); /* no longer a relocation section */
		int rc = bpf_object_parse(c, obj_size, &desc, err, sizeof(err));
		if (rc == 0) {
			/* pass 1 takes program sections in order: the first of the two is section a */
			const struct bpf_obj_prog *first = NULL, *second = NULL;
			for (size_t i = 0; i < desc.nprogs; i++) {
				if (desc.progs[i].insns != c + shdr((unsigned)a).sh_offset)
					continue;
				if (!first)
					first = &desc.progs[i];
				else if (!second)
					second = &desc.progs[i];
			}
			size_t want = shdr((unsigned)r_a).sh_size / sizeof(Elf64_Rel);
			const char *why = inconsistency(&desc, c, obj_size);
			CHECK(first && second && (int)first->section_idx == a && (int)second->section_idx == b &&
			      first->reloc_cnt == want && second->reloc_cnt == 0 && !why,
			      "section %d's program has %zu relocations, the same-named section %d's %zu; want %zu "
			      "and 0 (bpf_object.c matches the REL section's target by name pointer?); %s", a,
			      first ? first->reloc_cnt : 0, b, second ? second->reloc_cnt : 0, want,
			      why ? why : "consistent");
		} else {
			CHECK(rc < 0 && err[0], "rc %d, err '%s'", rc, err); /* refusing it is fine too */
		}
	}
	free(c);
	check_end();
}

/* .text is one subprogram entry for the whole section, whatever function symbols it holds: functions
 * there are what programs call, never programs. The stripped object keeps no symbol for on_call; here
 * LICENSE's symbol becomes a global function of .text's insns 2 and 3, which must not split .text nor
 * become a program. */
static void test_text_symbols(void)
{
	uint8_t *c = copy_of(obj_size);
	char err[256] = "";
	size_t lic = (size_t)sym_by_name("LICENSE"), want_calls = 0;

	for (size_t w = 0; w < N_WANT_PROGS; w++)
		want_calls += want_progs[w].shape == CALLS_ONLY; /* one call of on_call each */
	check_begin("elf: a function symbol inside .text does not split it or make a program of it");
	if (CHECK(c != NULL, "malloc")) {
		put16(c, SYM_FIELD(lic, st_shndx), (uint16_t)s_text);
		c[SYM_FIELD(lic, st_info)] = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
		put64(c, SYM_FIELD(lic, st_value), 16);
		put64(c, SYM_FIELD(lic, st_size), 16);
		int rc = bpf_object_parse(c, obj_size, &desc, err, sizeof(err));
		const char *why = rc == 0 ? inconsistency(&desc, c, obj_size) : NULL;
		const struct bpf_obj_prog *t = rc == 0 ? text_entry(&desc) : NULL;
		size_t calls = 0, named = 0;
		for (size_t r = 0; rc == 0 && r < desc.nrelocs; r++)
			calls += desc.relocs[r].kind == BPF_OBJ_RELOC_CALL && desc.relocs[r].offset == 0;
		for (size_t i = 0; rc == 0 && i < desc.nprogs; i++)
			named += strcmp(desc.progs[i].name, "LICENSE") == 0;
		CHECK(rc == 0 && !why && desc.nprogs == N_WANT_ENTRIES && named == 0 && t &&
		      t->insn_cnt == text_insns() && t->insns == c + shdr((unsigned)s_text).sh_offset &&
		      strcmp(t->name, ".text") == 0 &&
		      t->reloc_cnt == shdr((unsigned)r_text).sh_size / sizeof(Elf64_Rel) && calls == want_calls,
		      "rc %d (%s), %s, %zu entries (%zu named LICENSE), .text %zu insns, %zu calls of its insn 0",
		      rc, err, why ? why : "consistent", desc.nprogs, named, t ? t->insn_cnt : 0, calls);
		free(c);
	}
	check_end();
}

/* A second code section named .text (a program section renamed): one subprogram section, or an error. */
static void test_second_text(void)
{
	uint8_t *c = copy_of(obj_size);
	char err[256] = "";

	check_begin("elf: a second code section named .text: refused, or still one subprogram section");
	if (CHECK(c != NULL, "malloc")) {
		put32(c, SH_FIELD(s_write, sh_name), shdr((unsigned)s_text).sh_name);
		int rc = bpf_object_parse(c, obj_size, &desc, err, sizeof(err));
		const char *why = rc == 0 ? inconsistency(&desc, c, obj_size) : NULL;
		CHECK(rc < 0 ? err[0] != 0 : !why, "rc %d (%s), %s", rc, err, why ? why : "consistent");
		free(c);
	}
	check_end();
}

/* ---- foreign objects: the sources in tests/fixtures, built by tests/fixtures/fixtures.mk into the directory
 * "fixtures" beside the embedded object (build/fixtures), or $TUX_FIXTURES ---- */

#define ANY UINT32_MAX /* a size the compiler may lay out as it likes: not compared */

struct fixture {
	const char *file;
	size_t nprogs; /* programs, .text not counted */
	int text;      /* .text holds the functions programs call */
	struct {
		const char *section, *func;
	} progs[14];
	size_t nmaps;
	struct {
		const char *name;
		uint32_t def_kind, type, key, value, max, flags;
	} maps[8];
	unsigned kinds;    /* 1 << each enum bpf_obj_reloc_kind that must appear */
	size_t min_relocs;
	int core;          /* .BTF.ext holds CO-RE relocations */
};

#define K(kind) (1u << BPF_OBJ_RELOC_##kind)
static const struct fixture fixtures[] = {
	{ "tux_style.bpf.o", 4, 0,
	  { { "kprobe/do_sys_openat2", "open_entry" }, { "kretprobe/do_sys_openat2", "open_return" },
	    { "tracepoint/syscalls/sys_enter_close", "close_enter" },
	    { "raw_tracepoint/sched_process_exit", "exit_clean" } },
	  4,
	  { { "opens", BPF_OBJ_MAP_LEGACY, 1 /* HASH */, 4, 8, 4096, 0 },
	    { "latency", BPF_OBJ_MAP_LEGACY, 6 /* PERCPU_ARRAY */, 4, 8, 32, 0 },
	    { "inflight", BPF_OBJ_MAP_LEGACY, 9 /* LRU_HASH */, 8, 8, 10240, 0 },
	    { "ring", BPF_OBJ_MAP_LEGACY, 27 /* RINGBUF */, 0, 0, 64 * 1024, 0 } },
	  K(MAP_FD), 9, 0 },
	{ "libbpf_style.bpf.o", 12, 0,
	  { { "kprobe/vfs_read", "kprobe_vfs_read" }, { "kretprobe/vfs_read", "kretprobe_vfs_read" },
	    { "fentry/vfs_write", "fentry_vfs_write" }, { "fexit/vfs_write", "fexit_vfs_write" },
	    { "tracepoint/syscalls/sys_enter_openat", "tp_openat" },
	    { "raw_tp/sched_process_exit", "raw_tp_exit" }, { "xdp", "xdp_pass" }, { "xdp", "xdp_drop_odd" },
	    { "tc", "tc_ingress" }, { "socket", "socket_filter" }, { "perf_event", "on_sample" },
	    { "lsm/file_open", "lsm_file_open" } },
	  8,
	  { { "start", BPF_OBJ_MAP_BTF, 1 /* HASH */, 4, 16, 8192, 0 },
	    { "events", BPF_OBJ_MAP_BTF, 27 /* RINGBUF */, 0, 0, 256 * 1024, 0 },
	    { "bytes_by_cookie", BPF_OBJ_MAP_BTF, 9 /* LRU_HASH */, 8, 8, 10240, 2 /* NO_COMMON_LRU */ },
	    { "op_counts", BPF_OBJ_MAP_BTF, 6 /* PERCPU_ARRAY */, 4, 8, 4, 0 },
	    { "template", BPF_OBJ_MAP_BTF, 2 /* ARRAY */, 4, 72 /* struct event */, 1, 0x80 /* RDONLY_PROG */ },
	    { ".rodata", BPF_OBJ_MAP_DATA, 2, 4, 16, 1, 0x80 },
	    { ".bss", BPF_OBJ_MAP_DATA, 2, 4, 16, 1, 0 },
	    { ".data", BPF_OBJ_MAP_DATA, 2, 4, 4, 1, 0 } },
	  K(MAP_FD) | K(MAP_VALUE), 19, 1 },
	{ "relocs.bpf.o", 4, 1,
	  { { "kprobe/unrolled", "unrolled_lookups" }, { "kprobe/unrolled_hist", "unrolled_hist" },
	    { "tracepoint/fixture/calls", "calls_and_data" }, { "raw_tracepoint/fixture", "strings" } },
	  7,
	  { { "slots", BPF_OBJ_MAP_BTF, 2 /* ARRAY */, 4, 8, 64, 0 },
	    { "hist", BPF_OBJ_MAP_BTF, 5 /* PERCPU_HASH */, 8, 16 /* __u32[4] */, 1024, 0 },
	    { "shadow", BPF_OBJ_MAP_BTF, 2, 4, 8, 64, 0 },
	    { ".data", BPF_OBJ_MAP_DATA, 2, 4, 8, 1, 0 },
	    { ".bss", BPF_OBJ_MAP_DATA, 2, 4, 512, 1, 0 },
	    { ".rodata", BPF_OBJ_MAP_DATA, 2, 4, ANY, 1, 0x80 },
	    { ".rodata.str1.1", BPF_OBJ_MAP_DATA, 2, 4, ANY, 1, 0x80 } },
	  K(MAP_FD) | K(MAP_VALUE) | K(CALL) | K(FUNC_ADDR) | K(EXTERN), 250, 0 },
};

/* A function symbol of section sec starts at instruction insn. */
static int func_starts(int sec, uint64_t insn)
{
	for (size_t i = 1; i < nsyms(); i++)
		if (sym(i).st_shndx == sec && ELF64_ST_TYPE(sym(i).st_info) == STT_FUNC &&
		    sym(i).st_value == insn * 8)
			return 1;
	return 0;
}

/* Each relocation against the test's own reading of its REL entry: the kind, the map, the callee. */
static void check_fixture_reloc(const struct bpf_obj_prog *p, const struct bpf_obj_reloc *x, unsigned *kinds)
{
	int sec = (int)p->section_idx, relsec = rel_for(sec), text = sec_by_name(".text");
	uint64_t at = (uint64_t)(p->insns - (obj + shdr((unsigned)sec).sh_offset)) + (uint64_t)x->insn_idx * 8;
	size_t n = relsec > 0 ? shdr((unsigned)relsec).sh_size / sizeof(Elf64_Rel) : 0, i;
	int32_t imm;

	for (i = 0; i < n && rel(relsec, i).r_offset != at; i++)
		;
	if (!CHECK(i < n, "%s: relocation at insn %u has no REL entry", p->name, x->insn_idx))
		return;
	Elf64_Sym y = sym(ELF64_R_SYM(rel(relsec, i).r_info));
	const char *name = sym_name(ELF64_R_SYM(rel(relsec, i).r_info));
	uint8_t code = obj[shdr((unsigned)sec).sh_offset + at];
	memcpy(&imm, obj + shdr((unsigned)sec).sh_offset + at + 4, sizeof(imm));
	*kinds |= 1u << x->kind;

	if (y.st_shndx == SHN_UNDEF) {
		CHECK(x->kind == BPF_OBJ_RELOC_EXTERN && strcmp(x->sym, name) == 0, "%s insn %u: %s: kind %u",
		      p->name, x->insn_idx, name, x->kind);
	} else if (code == 0x85) {
		/* libbpf: the callee is st_value / 8 + imm + 1 */
		int64_t callee = (int64_t)(y.st_value / 8) + imm + 1;
		CHECK(x->kind == BPF_OBJ_RELOC_CALL && y.st_shndx == text && x->offset == callee &&
		      func_starts(text, x->offset), "%s insn %u: call %s%+d: kind %u callee %u, want %lld",
		      p->name, x->insn_idx, name, imm, x->kind, x->offset, (long long)callee);
	} else if (y.st_shndx == text) {
		CHECK(x->kind == BPF_OBJ_RELOC_FUNC_ADDR &&
		      x->offset == (y.st_value + (uint64_t)(int64_t)imm) / 8 && func_starts(text, x->offset),
		      "%s insn %u: address of %s + %d: kind %u, insn %u", p->name, x->insn_idx, name, imm,
		      x->kind, x->offset);
	} else if (strcmp(sec_name(y.st_shndx), "maps") == 0 || strcmp(sec_name(y.st_shndx), ".maps") == 0) {
		CHECK(x->kind == BPF_OBJ_RELOC_MAP_FD && x->map_idx < desc.nmaps &&
		      strcmp(desc.maps[x->map_idx].name, name) == 0 &&
		      desc.maps[x->map_idx].sec_offset == y.st_value, "%s insn %u: map %s: kind %u map %s",
		      p->name, x->insn_idx, name, x->kind,
		      x->map_idx < desc.nmaps ? desc.maps[x->map_idx].name : "?");
	} else {
		/* global data: the map is the section, the offset the symbol's plus imm */
		CHECK(x->kind == BPF_OBJ_RELOC_MAP_VALUE && x->map_idx < desc.nmaps &&
		      strcmp(desc.maps[x->map_idx].name, sec_name(y.st_shndx)) == 0 &&
		      x->offset == y.st_value + (uint64_t)(int64_t)imm,
		      "%s insn %u: %s + %d in %s: kind %u offset %u", p->name, x->insn_idx, name, imm,
		      sec_name(y.st_shndx), x->kind, x->offset);
	}
}

/* A global data relocation whose value, at its offset, starts with the string s. */
static int value_points_at(const char *map, const char *s)
{
	for (size_t r = 0; r < desc.nrelocs; r++) {
		const struct bpf_obj_reloc *x = &desc.relocs[r];
		const struct bpf_obj_map *m = &desc.maps[x->map_idx];

		if (x->kind == BPF_OBJ_RELOC_MAP_VALUE && strcmp(m->name, map) == 0 && m->data &&
		    m->def.value_size - x->offset >= strlen(s) + 1 &&
		    memcmp(m->data + x->offset, s, strlen(s) + 1) == 0)
			return 1;
	}
	return 0;
}

static void test_fixture_parse(const struct fixture *f)
{
	char name[160], err[256] = "";
	unsigned kinds = 0;
	size_t nprogs = 0, nrel = 0, nsub = 0;

	snprintf(name, sizeof(name), "elf: fixture %s: programs, maps and every relocation", f->file);
	check_begin(name);
	int rc = bpf_object_parse(obj, obj_size, &desc, err, sizeof(err));
	if (!CHECK(rc == 0, "rc %d: %s", rc, err)) {
		check_end();
		return;
	}
	const char *why = inconsistency(&desc, obj, obj_size);
	CHECK(why == NULL, "%s", why);
	for (size_t i = 0; i < desc.nprogs; i++) {
		const struct bpf_obj_prog *p = &desc.progs[i];

		nprogs += !p->is_subprog;
		nsub += p->is_subprog;
		for (size_t r = p->reloc_first; r < p->reloc_first + p->reloc_cnt; r++)
			check_fixture_reloc(p, &desc.relocs[r], &kinds);
	}
	CHECK(nprogs == f->nprogs && nsub == (size_t)f->text, "%zu programs and %zu .text, want %zu and %d",
	      nprogs, nsub, f->nprogs, f->text);
	for (size_t w = 0; w < f->nprogs; w++) {
		int found = 0;
		for (size_t i = 0; i < desc.nprogs; i++) {
			const struct bpf_obj_prog *p = &desc.progs[i];
			int sec = sec_by_name(f->progs[w].section), sx = sym_by_name(f->progs[w].func);

			if (strcmp(p->section, f->progs[w].section) || strcmp(p->name, f->progs[w].func))
				continue;
			found = 1;
			/* the function's own instructions, even when its section holds others */
			CHECK(sec > 0 && sx > 0 &&
			      p->insns == obj + shdr((unsigned)sec).sh_offset + sym(sx).st_value &&
			      p->insn_cnt == sym(sx).st_size / 8, "%s: %zu insns at the wrong place", p->name,
			      p->insn_cnt);
		}
		CHECK(found, "no program %s in section %s", f->progs[w].func, f->progs[w].section);
	}
	if (f->text) {
		int text = sec_by_name(".text");
		for (size_t i = 0; i < desc.nprogs; i++)
			if (desc.progs[i].is_subprog)
				CHECK(text > 0 && desc.progs[i].insns == obj + shdr((unsigned)text).sh_offset &&
				      desc.progs[i].insn_cnt == shdr((unsigned)text).sh_size / 8,
				      ".text: %zu insns", desc.progs[i].insn_cnt);
	}
	CHECK(desc.nmaps == f->nmaps, "%zu maps, want %zu", desc.nmaps, f->nmaps);
	for (size_t w = 0; w < f->nmaps; w++) {
		int ix = bpf_object_map_index(&desc, f->maps[w].name);
		if (!CHECK(ix >= 0, "no map %s", f->maps[w].name))
			continue;
		const struct bpf_obj_map *m = &desc.maps[ix];
		CHECK(m->def_kind == f->maps[w].def_kind && m->def.type == f->maps[w].type &&
		      m->def.key_size == f->maps[w].key && m->def.max_entries == f->maps[w].max &&
		      m->def.flags == f->maps[w].flags &&
		      (f->maps[w].value == ANY || m->def.value_size == f->maps[w].value),
		      "map %s: kind %u (%u, %u, %u, %u, flags %#x), want %u (%u, %u, %u, %u, %#x)", m->name,
		      m->def_kind, m->def.type, m->def.key_size, m->def.value_size, m->def.max_entries,
		      m->def.flags,
		      f->maps[w].def_kind, f->maps[w].type, f->maps[w].key, f->maps[w].value, f->maps[w].max,
		      f->maps[w].flags);
		if (m->def_kind == BPF_OBJ_MAP_DATA) {
			int sx = sec_by_name(m->name);
			CHECK(sx > 0 && (int)m->sec_idx == sx &&
			      m->def.value_size == shdr((unsigned)sx).sh_size &&
			      (shdr((unsigned)sx).sh_type == SHT_NOBITS ? m->data == NULL :
			       m->data == obj + shdr((unsigned)sx).sh_offset),
			      "map %s: not its section's bytes", m->name);
		}
	}
	/* every relocation of every code section, against the test's count of their REL entries */
	for (unsigned i = 1; i < eh.e_shnum; i++)
		if (shdr(i).sh_type == SHT_REL && (shdr(shdr(i).sh_info).sh_flags & SHF_EXECINSTR))
			nrel += shdr(i).sh_size / sizeof(Elf64_Rel);
	CHECK(desc.nrelocs == nrel && nrel >= f->min_relocs, "%zu relocations, the object has %zu, want >= %zu",
	      desc.nrelocs, nrel, f->min_relocs);
	CHECK((kinds & f->kinds) == f->kinds, "relocation kinds %#x, want %#x", kinds, f->kinds);
	CHECK(desc.has_btf && desc.btf_size == shdr((unsigned)sec_by_name(".BTF")).sh_size &&
	      desc.btf_ext_size == shdr((unsigned)sec_by_name(".BTF.ext")).sh_size &&
	      (desc.core_relo_len > 0) == f->core, "BTF %d: %zu, ext %zu, CO-RE %u bytes", desc.has_btf,
	      desc.btf_size, desc.btf_ext_size, desc.core_relo_len);
	if (strcmp(f->file, "relocs.bpf.o") == 0)
		/* a section symbol with the string's offset in imm; clang's mergeable strings */
		CHECK(value_points_at(".rodata", "fixture %d") &&
		      value_points_at(".rodata.str1.1", "value %llu\n"),
		      "no relocation reaches the format strings");
	check_end();
}

/* Truncations (every length in the last 4 KB, where the section table is, and a stride before) and
 * single-byte corruptions of the headers, symbols, relocations, BTF and a stride of the file. */
static void test_fixture_damage(const struct fixture *f)
{
	char name[160], err[256];
	size_t parsed = 0, refused = 0, bad_len = (size_t)-1;
	uint8_t *c;

	snprintf(name, sizeof(name), "elf: fixture %s: truncations and corruptions: an error or a consistent "
		 "result", f->file);
	check_begin(name);
	for (size_t n = 0; n < obj_size; n += n + 4096 < obj_size ? 61 : 1) {
		if (!CHECK((c = copy_of(n)) != NULL, "malloc"))
			break;
		err[0] = 0;
		int rc = bpf_object_parse(c, n, &desc, err, sizeof(err));
		if (!(rc < 0 && rc > -4096 && err[0]) && bad_len == (size_t)-1)
			bad_len = n;
		free(c);
	}
	CHECK(bad_len == (size_t)-1, "truncated to %zu of %zu bytes: not an error", bad_len, obj_size);
	if (!CHECK((c = copy_of(obj_size)) != NULL, "malloc")) {
		check_end();
		return;
	}
	/* each region at most 1 KB: a parse of the largest fixture costs about 0.3 ms under ASan */
#define UPTO_1K(n) ((n) < 1024 ? (size_t)(n) : 1024)
	corrupt_range(c, 0, sizeof(Elf64_Ehdr), 4, &parsed, &refused);
	corrupt_range(c, eh.e_shoff, (size_t)eh.e_shnum * sizeof(Elf64_Shdr), 1, &parsed, &refused);
	corrupt_range(c, sym_off(0), UPTO_1K(nsyms() * sizeof(Elf64_Sym)), 1, &parsed, &refused);
	for (unsigned i = 1; i < eh.e_shnum; i++) {
		Elf64_Shdr sh = shdr(i);
		if ((sh.sh_type == SHT_REL && (shdr(sh.sh_info).sh_flags & SHF_EXECINSTR)) ||
		    strcmp(sec_name(i), ".maps") == 0 || strcmp(sec_name(i), "maps") == 0)
			corrupt_range(c, sh.sh_offset, UPTO_1K(sh.sh_size), 2, &parsed, &refused);
		else if (strcmp(sec_name(i), ".BTF") == 0 || strcmp(sec_name(i), ".BTF.ext") == 0)
			corrupt_range(c, sh.sh_offset, UPTO_1K(sh.sh_size), 1, &parsed, &refused);
	}
	for (size_t off = 5; off < obj_size; off += 97)
		corrupt_range(c, off, 1, 1, &parsed, &refused);
	CHECK(parsed > 0 && refused > 0, "%zu parsed, %zu refused", parsed, refused);
	free(c);
	check_end();
}

/* btf_type_size on the types of libbpf_style.bpf.c, whose sizes C fixes. */
static void test_fixture_btf_sizes(void)
{
	struct btf btf;
	int sec = sec_by_name(".BTF");

	check_begin("btf: btf_type_size on libbpf_style.bpf.o's structs, typedefs, pointers and functions");
	if (CHECK(sec > 0 &&
		  btf_open(&btf, obj + shdr((unsigned)sec).sh_offset, shdr((unsigned)sec).sh_size) == 0,
		  "no readable .BTF")) {
		long ev = btf_find(&btf, "sys_enter_args", BTF_KIND_STRUCT);
		long sv = btf_find(&btf, "start_val", BTF_KIND_STRUCT);
		long u64 = btf_find(&btf, "__u64", BTF_KIND_TYPEDEF);
		long fn = btf_find(&btf, "tp_openat", BTF_KIND_FUNC);
		long var = btf_find(&btf, "template", BTF_KIND_VAR), ptr = -1;
		struct btf_type t;

		for (uint32_t id = 1; id <= btf.ntypes && ptr < 0; id++)
			if (btf_type(&btf, id, &t, NULL) == 0 && BTF_INFO_KIND(t.info) == BTF_KIND_PTR)
				ptr = id;
		uint32_t args = 0;
		/* struct sys_enter_args { __u64 unused; long id; unsigned long args[6]; } */
		CHECK(ev > 0 && btf_type_size(&btf, (uint32_t)ev) == 64, "struct sys_enter_args: %ld",
		      ev > 0 ? btf_type_size(&btf, (uint32_t)ev) : ev);
		CHECK(ev > 0 && btf_member_offset(&btf, (uint32_t)ev, "args", &args) == 16 &&
		      btf_type_size(&btf, args) == 6 * 8, "its member args[6]");
		CHECK(sv > 0 && btf_type_size(&btf, (uint32_t)sv) == 16, "struct start_val");
		CHECK(u64 > 0 && btf_type_size(&btf, (uint32_t)u64) == 8, "__u64");
		CHECK(ptr > 0 && btf_type_size(&btf, (uint32_t)ptr) == 8, "a pointer");
		/* template's type: a struct of 5 pointers (type, max_entries, key_size, value_size, flags) */
		CHECK(var > 0 && btf_type_size(&btf, (uint32_t)var) == 5 * 8, "the variable template: %ld",
		      var > 0 ? btf_type_size(&btf, (uint32_t)var) : var);
		CHECK(fn > 0 && btf_type_size(&btf, (uint32_t)fn) == -EINVAL, "a function has a size");
		CHECK(btf_type_size(&btf, 0) == -EINVAL && btf_type_size(&btf, btf.ntypes + 1) == -EINVAL,
		      "void or a type past the last has a size");
		btf_close(&btf);
	}
	check_end();
}

/* The file offset of the first relocated instruction of section secname with opcode code whose symbol
 * is in section symsec (and has no name of its own when anon), or 0. */
static size_t fixture_insn(const char *secname, uint8_t code, const char *symsec, int anon)
{
	int sec = sec_by_name(secname), relsec = sec > 0 ? rel_for(sec) : -1;

	for (size_t i = 0; relsec > 0 && i < shdr((unsigned)relsec).sh_size / sizeof(Elf64_Rel); i++) {
		size_t at = shdr((unsigned)sec).sh_offset + rel(relsec, i).r_offset;
		Elf64_Sym y = sym(ELF64_R_SYM(rel(relsec, i).r_info));

		if (obj[at] == code && y.st_shndx > 0 && y.st_shndx < eh.e_shnum &&
		    strcmp(sec_name(y.st_shndx), symsec) == 0 && (!anon || y.st_name == 0))
			return at;
	}
	return 0;
}

/* Targeted corruptions of relocs.bpf.o: an instruction's imm sends a call, a function's address or a
 * global data reference out of its section; BTF-defined maps lose their .BTF. */
static void test_fixture_targets(void)
{
	static const struct {
		const char *name, *sec, *symsec;
		uint8_t code;
		int32_t imm;
		int rc;
		const char *word;
	} cases[] = {
		{ "a call past the end of .text", "tracepoint/fixture/calls", ".text", 0x85, 0x7fffffff,
		  -EINVAL, "not a function in .text" },
		{ "a call before the start of .text", "tracepoint/fixture/calls", ".text", 0x85, -1000,
		  -EINVAL, "not a function in .text" },
		{ "a function's address between instructions", "tracepoint/fixture/calls", ".text", LD_IMM64,
		  0x171, -EINVAL, "address of" },
		{ "a function's address past .text", "tracepoint/fixture/calls", ".text", LD_IMM64, 0x10000,
		  -EINVAL, "address of" },
		{ "a string past the end of .rodata", "raw_tracepoint/fixture", ".rodata", LD_IMM64, 4096,
		  -EINVAL, "outside .rodata" },
		{ "a string before the start of .rodata", "raw_tracepoint/fixture", ".rodata", LD_IMM64, -1,
		  -EINVAL, "outside .rodata" },
	};
	char name[160], err[256];

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]) + 1; k++) {
		uint8_t *c = copy_of(obj_size);
		int rc;

		snprintf(name, sizeof(name), "elf: fixture relocs.bpf.o: %s",
			 k < sizeof(cases) / sizeof(cases[0]) ? cases[k].name : ".maps without its .BTF");
		check_begin(name);
		if (!CHECK(c != NULL, "malloc")) {
			check_end();
			continue;
		}
		if (k < sizeof(cases) / sizeof(cases[0])) {
			size_t at = fixture_insn(cases[k].sec, cases[k].code, cases[k].symsec, 1);
			if (!CHECK(at > 0, "no such relocation in %s", cases[k].sec)) {
				free(c);
				check_end();
				continue;
			}
			put32(c, at + 4, (uint32_t)cases[k].imm);
		} else {
			put32(c, SH_FIELD((unsigned)sec_by_name(".BTF"), sh_type), SHT_NOBITS);
		}
		err[0] = 0;
		rc = bpf_object_parse(c, obj_size, &desc, err, sizeof(err));
		if (k < sizeof(cases) / sizeof(cases[0]))
			CHECK(rc == cases[k].rc && strstr(err, cases[k].word), "rc %d, err '%s'", rc, err);
		else
			CHECK(rc == -ENOTSUP && strstr(err, ".BTF"), "rc %d, err '%s'", rc, err);
		free(c);
		check_end();
	}
}

static void test_fixtures(const char *obj_path)
{
	char dir[512], path[600];
	const char *env = getenv("TUX_FIXTURES");
	const char *slash = strrchr(obj_path, '/');

	if (env && *env)
		snprintf(dir, sizeof(dir), "%s", env);
	else
		snprintf(dir, sizeof(dir), "%.*sfixtures", slash ? (int)(slash - obj_path + 1) : 0, obj_path);
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		char name[160];

		snprintf(path, sizeof(path), "%s/%s", dir, fixtures[i].file);
		snprintf(name, sizeof(name), "elf: read the fixture %.100s (make fixtures)", path);
		check_begin(name);
		int rc = load_object(path);
		check_end();
		if (rc)
			continue;
		test_fixture_parse(&fixtures[i]);
		test_fixture_damage(&fixtures[i]);
		if (strcmp(fixtures[i].file, "relocs.bpf.o") == 0)
			test_fixture_targets();
		if (strcmp(fixtures[i].file, "libbpf_style.bpf.o") == 0)
			test_fixture_btf_sizes();
		free(obj);
		obj = NULL;
	}
}

void test_elf(const char *obj_path)
{
	check_begin("elf: read the object");
	int rc = load_object(obj_path);
	check_end();
	if (rc)
		return;
	find_sections();
	test_parse_real();
	test_elf64_api();
	test_truncations();
	test_byte_corruptions();
	/* the tests below damage sections whose shape test_corruptions checks first */
	if (test_corruptions()) {
		test_shared_section_name(s_read, s_write, "trace_vfs_write");
		test_shared_section_name(sec_by_name("fexit/vfs_read"), sec_by_name("fexit/vfs_write"),
					 "fexit_vfs_write");
		test_text_symbols();
		test_second_text();
	}
	free(obj);
	obj = NULL;
	test_fixtures(obj_path);
}
