/* object.c: map creation, relocation (BPF_PSEUDO_MAP_FD into ld_imm64, BPF-to-BPF calls into .text) and
 * program loading. The order is the kernel's: maps exist before any program that refers to them is verified. */
#include "object.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bpfnames.h"
#include "explain.h"
#include "sys.h"

#define VERIFIER_LOG_SIZE (1u << 20)
#define STATS_LOG_SIZE 4096 /* --explain: BPF_LOG_STATS is a few lines of totals */
#define BPF_LOG_STATS 4     /* log_level bit 2 (Linux 5.2+): only the verifier's totals */

static void explain_object(const struct bpf_object_desc *d, size_t size)
{
	if (!explain_on)
		return;
	explain("parse the BPF ELF object (%zu bytes, embedded by loader/embed.S): %zu program "
		"sections, %zu map definitions in section \"maps\", %zu relocations, license \"%s\", "
		"%s", size, d->nprogs, d->nmaps, d->nrelocs, d->license ? d->license : "",
		d->has_btf ? "with .BTF" : "no .BTF (not needed: maps are plain structs)");
	for (size_t i = 0; i < d->nprogs; i++)
		explain_detail("section %-36s %4zu insns, %zu relocations, %s%s", d->progs[i].section,
			       d->progs[i].insn_cnt, d->progs[i].reloc_cnt,
			       d->progs[i].is_subprog ? "the functions programs call" : "function ",
			       d->progs[i].is_subprog ? "" : d->progs[i].name);
}

/* What this loader does not load (inspect shows it all): global data, externs, function addresses. */
static int check_loadable(struct tux_object *obj)
{
	static const char *const kinds[] = { [BPF_OBJ_RELOC_MAP_VALUE] = "global data",
					     [BPF_OBJ_RELOC_FUNC_ADDR] = "a function's address",
					     [BPF_OBJ_RELOC_EXTERN] = "an extern" };
	const struct bpf_object_desc *d = &obj->desc;

	for (size_t i = 0; i < d->nrelocs; i++) {
		uint32_t k = d->relocs[i].kind;
		if (k == BPF_OBJ_RELOC_MAP_FD || k == BPF_OBJ_RELOC_CALL)
			continue;
		snprintf(obj->err, sizeof(obj->err), "relocation of %s: %s is not loaded by this loader",
			 d->relocs[i].sym, k < sizeof(kinds) / sizeof(kinds[0]) && kinds[k] ? kinds[k] : "?");
		return -ENOTSUP;
	}
	for (size_t i = 0; i < d->nmaps; i++)
		if (d->maps[i].def_kind == BPF_OBJ_MAP_DATA) {
			snprintf(obj->err, sizeof(obj->err), "%s: global data is not loaded by this loader",
				 d->maps[i].name);
			return -ENOTSUP;
		}
	return 0;
}

int object_open(struct tux_object *obj, const void *buf, size_t size)
{
	memset(obj, 0, sizeof(*obj));
	for (int i = 0; i < BPF_OBJ_MAX_MAPS; i++)
		obj->map_fds[i] = -1;
	for (int i = 0; i < BPF_OBJ_MAX_PROGS; i++)
		obj->prog_fds[i] = -1;
	int err = bpf_object_parse(buf, size, &obj->desc, obj->err, sizeof(obj->err));

	if (err == 0)
		err = check_loadable(obj);
	if (err == 0)
		explain_object(&obj->desc, size);
	return err;
}

int object_create_maps(struct tux_object *obj, const char **failed_map)
{
	for (size_t i = 0; i < obj->desc.nmaps; i++) {
		const struct bpf_obj_map *m = &obj->desc.maps[i];
		int fd = bpf_map_create(m->def.type, m->def.key_size, m->def.value_size,
					m->def.max_entries, m->def.flags, m->name);
		const char *type = bpf_map_type_name(m->def.type);
		explain("BPF_MAP_CREATE map_name=%s map_type=%s key_size=%u value_size=%u max_entries=%u "
			"map_flags=%#x -> %s", m->name, type ? type : "?", m->def.key_size,
			m->def.value_size, m->def.max_entries, m->def.flags, explain_fd(fd));
		if (fd < 0) {
			*failed_map = m->name;
			return fd;
		}
		obj->map_fds[i] = fd;
	}
	return 0;
}

int object_map_fd(const struct tux_object *obj, const char *name)
{
	int i = bpf_object_map_index(&obj->desc, name);

	return i < 0 ? -ENOENT : obj->map_fds[i];
}

/* LINUX_VERSION_CODE of the running kernel: kprobe programs had to state it before 5.0. */
static uint32_t running_kernel_version(void)
{
	struct utsname u;
	char *p;

	if (uname(&u) < 0)
		return 0;
	/* "6.1.0-56-amd64": major.minor.patch, then anything */
	unsigned long a = strtoul(u.release, &p, 10), b = 0, c = 0;
	if (*p == '.')
		b = strtoul(p + 1, &p, 10);
	if (*p == '.')
		c = strtoul(p + 1, &p, 10);
	return (a << 16) | (b << 8) | (c > 255 ? 255 : c);
}

/* One step for the map references of p (a program, or .text copied to insn base), then each patched
 * instruction, several to a line. Calls are told by the step that links .text. */
static void explain_relocations(const struct tux_object *obj, const struct bpf_obj_prog *p, size_t base)
{
	char line[112];
	size_t len = 0, nmaps = 0;

	if (!explain_on)
		return;
	for (size_t r = p->reloc_first; r < p->reloc_first + p->reloc_cnt; r++)
		nmaps += obj->desc.relocs[r].kind == BPF_OBJ_RELOC_MAP_FD;
	if (!nmaps)
		return;
	explain("relocate %s: %zu ld_imm64 instructions get a map's fd in imm and "
		"src_reg=BPF_PSEUDO_MAP_FD (the verifier puts the map's address there)", p->section, nmaps);
	for (size_t r = p->reloc_first; r < p->reloc_first + p->reloc_cnt; r++) {
		const struct bpf_obj_reloc *rel = &obj->desc.relocs[r];
		char one[64];
		if (rel->kind != BPF_OBJ_RELOC_MAP_FD)
			continue;
		int n = snprintf(one, sizeof(one), "insn %zu: %s=fd %d", base + rel->insn_idx,
				 obj->desc.maps[rel->map_idx].name, obj->map_fds[rel->map_idx]);
		if (len && len + (size_t)n + 2 >= sizeof(line)) {
			explain_detail("%s", line);
			len = 0;
		}
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", len ? ", " : "", one);
	}
	explain_detail("%s", line);
}

/* The verifier's BPF_LOG_STATS lines ("processed 41 insns (limit 1000000) ...", "verification time
 * 35 usec", "stack depth 16"), each as a detail line. */
static void explain_verifier_stats(char *log)
{
	for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n"))
		explain_detail("verifier: %s", line);
}

static int prog_index(const struct tux_object *obj, const char *section)
{
	for (size_t i = 0; i < obj->desc.nprogs; i++)
		if (!obj->desc.progs[i].is_subprog && strcmp(obj->desc.progs[i].section, section) == 0)
			return (int)i;
	return -ENOENT;
}

/* Patches the relocations of p (a program, or .text) whose instructions start at insns[base]: a map's
 * fd into an ld_imm64; a call's distance to its callee, which sits in the copy of .text at text_base. */
static int relocate(const struct tux_object *obj, const struct bpf_obj_prog *p, struct bpf_insn *insns,
		    size_t base, size_t text_base)
{
	for (size_t r = p->reloc_first; r < p->reloc_first + p->reloc_cnt; r++) {
		const struct bpf_obj_reloc *rel = &obj->desc.relocs[r];
		struct bpf_insn *in = &insns[base + rel->insn_idx];

		if (rel->kind == BPF_OBJ_RELOC_CALL) {
			/* BPF_PSEUDO_CALL: imm is the callee's offset from the next instruction */
			in->imm = (int32_t)((long)(text_base + rel->offset) - (long)(base + rel->insn_idx + 1));
			continue;
		}
		int map_fd = obj->map_fds[rel->map_idx];
		if (map_fd < 0)
			return -EBADF;
		/* An ld_imm64 spans two instructions; the first carries the low 32 bits of the value in
		 * imm. BPF_PSEUDO_MAP_FD in src_reg tells the verifier that imm is a map fd, to be replaced
		 * by the map's address. */
		in[0].src_reg = BPF_PSEUDO_MAP_FD;
		in[0].imm = map_fd;
		in[1].imm = 0;
	}
	return 0;
}

void object_unload_prog(struct tux_object *obj, const char *section)
{
	int idx = prog_index(obj, section);

	if (idx >= 0 && obj->prog_fds[idx] >= 0) {
		close(obj->prog_fds[idx]);
		obj->prog_fds[idx] = -1;
	}
}

int object_load_prog(struct tux_object *obj, const char *section, uint32_t prog_type,
		     uint32_t expected_attach_type, uint32_t attach_btf_id)
{
	int idx = prog_index(obj, section);
	struct bpf_insn *insns;
	int fd;

	if (idx < 0)
		return idx;
	object_unload_prog(obj, section); /* a program is loaded anew for each attach attempt */
	const struct bpf_obj_prog *p = &obj->desc.progs[idx];
	const struct bpf_obj_prog *text = bpf_object_text(&obj->desc);
	size_t ncalls = 0, total = p->insn_cnt;
	for (size_t r = p->reloc_first; r < p->reloc_first + p->reloc_cnt; r++)
		ncalls += obj->desc.relocs[r].kind == BPF_OBJ_RELOC_CALL;
	/* A program that calls functions of .text is loaded with a copy of .text after it, as one
	 * instruction array: the kernel finds the functions by the calls' offsets. All of .text: the
	 * project's object keeps a single function there, so nothing in it is unreachable. */
	if (ncalls && text)
		total += text->insn_cnt;
	insns = malloc(total * sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	memcpy(insns, p->insns, p->insn_cnt * sizeof(*insns));
	if (total > p->insn_cnt)
		memcpy(insns + p->insn_cnt, text->insns, text->insn_cnt * sizeof(*insns));
	int err = relocate(obj, p, insns, 0, p->insn_cnt);
	if (!err && total > p->insn_cnt)
		err = relocate(obj, text, insns, p->insn_cnt, p->insn_cnt);
	if (err) {
		free(insns);
		return err;
	}
	explain_relocations(obj, p, 0);
	if (total > p->insn_cnt) {
		explain("link .text (%zu insns) after %s at insn %zu: %zu call%s into it get%s imm = callee - "
			"(call + 1), src_reg BPF_PSEUDO_CALL: one array, the kernel finds the functions by the "
			"calls", text->insn_cnt, section, p->insn_cnt, ncalls, ncalls == 1 ? "" : "s",
			ncalls == 1 ? "s" : "");
		explain_relocations(obj, text, p->insn_cnt);
	}

	struct prog_load_args args = {
		.prog_type = prog_type,
		.expected_attach_type = expected_attach_type,
		.attach_btf_id = attach_btf_id,
		.kern_version = running_kernel_version(),
		.insns = insns,
		.insn_cnt = total,
		.license = obj->desc.license ? obj->desc.license : "",
		.name = p->name,
	};
	free(obj->log);
	obj->log = NULL;
	char stats[STATS_LOG_SIZE] = "";
	if (explain_on) {
		/* The verifier's totals cost nothing to ask for (log_level 4 formats no steps). */
		args.log = stats;
		args.log_size = sizeof(stats);
		args.log_level = BPF_LOG_STATS;
	}
	uint64_t t0 = explain_clock_ns();
	fd = bpf_prog_load(&args);
	if (explain_on) {
		const char *type = bpf_prog_type_name(prog_type);
		explain("BPF_PROG_LOAD prog_name=%s prog_type=%s expected_attach_type=%u "
			"attach_btf_id=%u insn_cnt=%zu license=\"%s\" kern_version=%#x -> %s (%s ms)",
			p->name, type ? type : "?", expected_attach_type, attach_btf_id, total,
			args.license, args.kern_version, explain_fd(fd), explain_ms(t0));
		explain_verifier_stats(stats);
		args.log = NULL;
		args.log_size = 0;
		args.log_level = 0;
	}
	if (fd == -EINVAL || fd == -EACCES) {
		/* The verifier refused it: load again with its log, which says why. Only on failure,
		 * because asking for the log makes the kernel format every step. */
		obj->log = malloc(VERIFIER_LOG_SIZE);
		args.log = obj->log;
		args.log_size = obj->log ? VERIFIER_LOG_SIZE : 0;
		int fd2 = bpf_prog_load(&args);
		if (fd2 >= 0)
			fd = fd2; /* it passed this time: keep it */
	}
	free(insns);
	if (fd < 0)
		return fd;
	obj->prog_fds[idx] = fd;
	return fd;
}

void object_close(struct tux_object *obj)
{
	for (int i = 0; i < BPF_OBJ_MAX_PROGS; i++)
		if (obj->prog_fds[i] >= 0)
			close(obj->prog_fds[i]);
	for (int i = 0; i < BPF_OBJ_MAX_MAPS; i++)
		if (obj->map_fds[i] >= 0)
			close(obj->map_fds[i]);
	free(obj->log);
	obj->log = NULL;
}
