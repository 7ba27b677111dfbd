/* inspect.c: `tuxscope inspect FILE.o`: what the loader sees in any BPF ELF object (programs, maps,
 * relocations, license, BTF), as a report on stdout; no kernel and no privileges needed. */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_object.h"
#include "bpfnames.h"
#include "commands.h"
#include "elf64.h"
#include "explain.h"
#include "files.h"
#include "object.h"

#define INSPECT_MAX_SIZE (64u << 20) /* larger than any BPF object: a wrong file, not read whole */

static const char inspect_usage[] =
	"usage: tuxscope inspect FILE.o | --embedded (tuxscope's own): what the loader sees in it\n"
	"  --explain   first tell the steps on stderr (it only reads: no system call of BPF)\n";

/* Section name conventions (SEC("...")) and the program type each implies, in the order libbpf tries them.
 * "name" is exactly name or name/anything (libbpf's "name+"; for its exact names, such as socket, a
 * "socket/x" it would refuse is taken as a socket program too), "name/" is name/anything, "name*" anything
 * that starts with name (the cgroup sections, collapsed: cgroup/sock_create and cgroup/sock_release are
 * CGROUP_SOCK alike). */
#define SEC_TYPES(X) \
	X("socket", SOCKET_FILTER) \
	X("sk_reuseport", SK_REUSEPORT) \
	X("kprobe", KPROBE) \
	X("uprobe", KPROBE) \
	X("uprobe.s", KPROBE) \
	X("kretprobe", KPROBE) \
	X("uretprobe", KPROBE) \
	X("uretprobe.s", KPROBE) \
	X("kprobe.multi", KPROBE) \
	X("kretprobe.multi", KPROBE) \
	X("ksyscall", KPROBE) \
	X("kretsyscall", KPROBE) \
	X("usdt", KPROBE) \
	X("tc", SCHED_CLS) \
	X("tcx/", SCHED_CLS) \
	X("classifier", SCHED_CLS) \
	X("action", SCHED_ACT) \
	X("tracepoint", TRACEPOINT) \
	X("tp", TRACEPOINT) \
	X("raw_tracepoint", RAW_TRACEPOINT) \
	X("raw_tp", RAW_TRACEPOINT) \
	X("raw_tracepoint.w", RAW_TRACEPOINT_WRITABLE) \
	X("raw_tp.w", RAW_TRACEPOINT_WRITABLE) \
	X("tp_btf", TRACING) \
	X("fentry", TRACING) \
	X("fmod_ret", TRACING) \
	X("fexit", TRACING) \
	X("fentry.s", TRACING) \
	X("fmod_ret.s", TRACING) \
	X("fexit.s", TRACING) \
	X("freplace", EXT) \
	X("lsm", LSM) \
	X("lsm.s", LSM) \
	X("lsm_cgroup", LSM) \
	X("iter", TRACING) \
	X("iter.s", TRACING) \
	X("syscall", SYSCALL) \
	X("xdp.frags", XDP) \
	X("xdp", XDP) \
	X("perf_event", PERF_EVENT) \
	X("lwt_in", LWT_IN) \
	X("lwt_out", LWT_OUT) \
	X("lwt_xmit", LWT_XMIT) \
	X("lwt_seg6local", LWT_SEG6LOCAL) \
	X("sockops", SOCK_OPS) \
	X("sk_skb", SK_SKB) \
	X("sk_msg", SK_MSG) \
	X("lirc_mode2", LIRC_MODE2) \
	X("flow_dissector", FLOW_DISSECTOR) \
	X("cgroup_skb/", CGROUP_SKB) \
	X("cgroup/skb", CGROUP_SKB) \
	X("cgroup/sock*", CGROUP_SOCK) \
	X("cgroup/post_bind*", CGROUP_SOCK) \
	X("cgroup/bind*", CGROUP_SOCK_ADDR) \
	X("cgroup/connect*", CGROUP_SOCK_ADDR) \
	X("cgroup/sendmsg*", CGROUP_SOCK_ADDR) \
	X("cgroup/recvmsg*", CGROUP_SOCK_ADDR) \
	X("cgroup/getpeername*", CGROUP_SOCK_ADDR) \
	X("cgroup/getsockname*", CGROUP_SOCK_ADDR) \
	X("cgroup/sysctl", CGROUP_SYSCTL) \
	X("cgroup/getsockopt", CGROUP_SOCKOPT) \
	X("cgroup/setsockopt", CGROUP_SOCKOPT) \
	X("cgroup/dev", CGROUP_DEVICE) \
	X("struct_ops", STRUCT_OPS) \
	X("sk_lookup", SK_LOOKUP)
#define SEC_NAME(name, type) name "\0"
#define SEC_PROG_TYPE(name, type) BPF_PROG_TYPE_##type,
static const char sec_names[] = SEC_TYPES(SEC_NAME); /* one string: no pointer per entry */
static const uint8_t sec_prog_types[] = { SEC_TYPES(SEC_PROG_TYPE) };

/* The convention the section name follows (after libbpf's sec_def_matches) and its index; or NULL. */
static const char *sec_type(const char *name, size_t *idx)
{
	const char *p = sec_names;

	for (*idx = 0; *p; p += strlen(p) + 1, ++*idx) {
		size_t n = strlen(p);
		char last = p[n - 1];

		n -= last == '*';
		if (strncmp(name, p, n) == 0 &&
		    (last == '/' || last == '*' || name[n] == 0 || name[n] == '/'))
			return p;
	}
	return NULL;
}

/* The function of section shndx whose instructions include insn, or NULL. */
static const Elf64_Sym *func_at(const struct elf_file *elf, unsigned shndx, uint64_t insn, const char **name)
{
	static struct elf_symbol s;

	for (size_t i = 1; i < elf->nsyms; i++)
		if (elf_symbol(elf, i, &s) == 0 && s.sym.st_shndx == shndx &&
		    ELF64_ST_TYPE(s.sym.st_info) == STT_FUNC && s.sym.st_value <= insn * BPF_INSN_SIZE &&
		    insn * BPF_INSN_SIZE - s.sym.st_value < s.sym.st_size) {
			*name = s.name;
			return &s.sym;
		}
	*name = "?";
	return NULL;
}

static int width(int w, const char *s)
{
	int n = (int)strlen(s);

	return n > w ? n : w;
}

static void report(const char *what, const uint8_t *buf, size_t size, const struct bpf_object_desc *d)
{
	const struct bpf_obj_prog *text = NULL;
	const Elf64_Sym *f;
	struct elf_file elf;
	const char *name;
	int ws = 7, wf = 8, wm = 4, wy = 6;
	size_t nprogs = 0;

	elf_open(&elf, buf, size, 0); /* it parsed, so it opens */
	printf("object: %s (%zu bytes), license \"%s\", BTF: %s (.BTF %zu bytes, .BTF.ext %zu bytes, CO-RE: "
	       "%s)\n", what, size, d->license ? d->license : "", d->has_btf ? "yes" : "no",
	       d->btf_size, d->btf_ext_size, d->core_relo_len ? "yes" : "no");

	for (size_t i = 0; i < d->nprogs; i++) {
		ws = width(ws, d->progs[i].section);
		wf = width(wf, d->progs[i].name);
		if (d->progs[i].is_subprog)
			text = &d->progs[i];
		else
			nprogs++;
	}
	for (size_t i = 0; text && i < text->insn_cnt; i++)
		if (func_at(&elf, text->section_idx, i, &name))
			wf = width(wf, name);
	printf("\nprograms (%zu):\n  %-*s  TYPE             PROG_TYPE         INSNS  FUNCTION\n", nprogs, ws,
	       "SECTION");
	for (size_t i = 0; i < d->nprogs; i++) {
		const struct bpf_obj_prog *p = &d->progs[i];
		size_t t;
		const char *conv = sec_type(p->section, &t);
		const char *pt = conv ? bpf_prog_type_name(sec_prog_types[t]) : "-";

		if (!p->is_subprog)
			printf("  %-*s  %-16.*s %-16s %6zu  %s\n", ws, p->section,
			       conv ? (int)strcspn(conv, "/*") : 7, conv ? conv : "unknown", pt ? pt : "?",
			       p->insn_cnt, p->name);
	}
	/* .text: the functions programs call (BPF-to-BPF), verified as part of each program calling them */
	for (size_t i = 0; text && i < text->insn_cnt; i++)
		if ((f = func_at(&elf, text->section_idx, i, &name)) && f->st_value == i * BPF_INSN_SIZE)
			printf("  %-*s  %-16.*s %-16s %6zu  %s\n", ws, ".text", 10, "subprogram", "-",
			       (size_t)(f->st_size / BPF_INSN_SIZE), name);

	for (size_t i = 0; i < d->nmaps; i++)
		wm = width(wm, d->maps[i].name);
	printf("\nmaps (%zu):\n  %-*s  TYPE                   KEY  VALUE  MAX_ENTRIES  FLAGS   DEFINED\n",
	       d->nmaps, wm, "NAME");
	for (int data = 0; data < 2; data++) /* the declared maps, then global data */
		for (size_t i = 0; i < d->nmaps; i++) {
			const struct bpf_obj_map *m = &d->maps[i];
			const char *type = bpf_map_type_name(m->def.type);

			if ((m->def_kind == BPF_OBJ_MAP_DATA) != data)
				continue;
			/* map_flags: BPF_F_RDONLY_PROG is 0x80, BPF_F_NO_PREALLOC 0x1 ... (linux/bpf.h) */
			printf("  %-*s  %-20s %5u %6u %12u  %#-7x %s\n", wm, m->name, type ? type : "?",
			       m->def.key_size, m->def.value_size, m->def.max_entries, m->def.flags,
			       data ? "global data" : m->def_kind == BPF_OBJ_MAP_BTF ? "BTF (.maps)" :
			       "legacy (maps)");
		}

	for (size_t i = 0; i < d->nrelocs; i++)
		wy = width(wy, d->relocs[i].sym);
	printf("\nrelocations (%zu):\n  %-*s   INSN  %-*s  TARGET\n", d->nrelocs, wf, "FUNCTION", wy,
	       "SYMBOL");
	for (size_t i = 0; i < d->nprogs; i++) {
		const struct bpf_obj_prog *p = &d->progs[i];

		for (size_t k = p->reloc_first; k < p->reloc_first + p->reloc_cnt; k++) {
			const struct bpf_obj_reloc *r = &d->relocs[k];
			const char *m = d->maps[r->map_idx].name;
			uint64_t insn = r->insn_idx;

			/* in .text: the function holding the instruction, counted from its start */
			name = p->name;
			if (p->is_subprog && (f = func_at(&elf, p->section_idx, insn, &name)))
				insn -= f->st_value / BPF_INSN_SIZE;
			printf("  %-*s %6llu  %-*s  ", wf, name, (unsigned long long)insn, wy, r->sym);
			if (r->kind == BPF_OBJ_RELOC_CALL || r->kind == BPF_OBJ_RELOC_FUNC_ADDR) {
				func_at(&elf, text ? text->section_idx : 0, r->offset, &name);
				printf("%s %s (.text insn %u)\n", r->kind == BPF_OBJ_RELOC_CALL ? "call" :
				       "address of", name, r->offset);
			} else if (r->kind == BPF_OBJ_RELOC_MAP_VALUE) {
				printf("map %s, value + %u\n", m, r->offset);
			} else if (r->kind == BPF_OBJ_RELOC_EXTERN) {
				puts("extern (kernel)");
			} else {
				printf("map %s\n", m);
			}
		}
	}
}

/* One line on stderr, "tuxscope: inspect WHAT: WHY"; returns the exit status. Inlined: a function less in
 * .eh_frame, which the binary's size budget feels. */
static inline __attribute__((always_inline)) int inspect_error(const char *what, const char *why,
								int status)
{
	fprintf(stderr, "tuxscope: inspect%s%s: %s\n", *what ? " " : "", what, why);
	return status;
}

int cmd_inspect(int argc, char **argv)
{
	static struct bpf_object_desc desc; /* about 60 KB: off the stack */
	const char *path = NULL;
	char err[256];
	uint8_t *buf = NULL;
	size_t size = 0;
	int embedded = 0, rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(inspect_usage, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--explain") == 0)
			explain_on = 1;
		else if (strcmp(argv[i], "--embedded") == 0 && !path && !embedded)
			embedded = 1;
		else if ((argv[i][0] == '-' && argv[i][1]) || path || embedded)
			return inspect_error(argv[i], "unexpected argument", 2);
		else
			path = argv[i];
	}
	if (embedded) {
		path = "embedded";
		buf = (uint8_t *)tux_bpf_object;
		size = (size_t)(tux_bpf_object_end - tux_bpf_object);
	} else if (!path) {
		return inspect_error("", "which object? (see --help)", 2);
	} else if ((rc = read_file_alloc(path, INSPECT_MAX_SIZE, &buf, &size))) {
		return inspect_error(path, rc == -EFBIG ? "larger than 64 MB" : strerror(-rc), 1);
	}
	explain("%s: %zu bytes in memory (%s)", path, size, embedded ? "linked into the binary by "
		"loader/embed.S" : "open, fstat, read: the whole file, at most 64 MB");
	rc = size ? bpf_object_parse(buf, size, &desc, err, sizeof(err)) : -EINVAL;
	explain("bpf_object_parse (elf/elf64.c, elf/bpf_object.c: no system call): %s", rc ? "refused" :
		"ELF header, section table, symbols, then programs, maps and relocations, as below");
	if (rc)
		inspect_error(path, size ? err : "empty file", 1);
	else
		report(path, buf, size, &desc);
	if (!embedded)
		free(buf);
	return rc ? 1 : 0;
}
