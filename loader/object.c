/* object.c: map creation, relocation (BPF_PSEUDO_MAP_FD into ld_imm64) and program loading.
 * The order is the kernel's: maps exist before any program that refers to them is verified. */
#include "object.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "sys.h"

#define VERIFIER_LOG_SIZE (1u << 20)

int object_open(struct tux_object *obj, const void *buf, size_t size)
{
	memset(obj, 0, sizeof(*obj));
	for (int i = 0; i < BPF_OBJ_MAX_MAPS; i++)
		obj->map_fds[i] = -1;
	for (int i = 0; i < BPF_OBJ_MAX_PROGS; i++)
		obj->prog_fds[i] = -1;
	return bpf_object_parse(buf, size, &obj->desc, obj->err, sizeof(obj->err));
}

int object_create_maps(struct tux_object *obj, const char **failed_map)
{
	for (size_t i = 0; i < obj->desc.nmaps; i++) {
		const struct bpf_obj_map *m = &obj->desc.maps[i];
		int fd = bpf_map_create(m->def.type, m->def.key_size, m->def.value_size,
					m->def.max_entries, m->def.flags, m->name);
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

static int prog_index(const struct tux_object *obj, const char *section)
{
	for (size_t i = 0; i < obj->desc.nprogs; i++)
		if (strcmp(obj->desc.progs[i].section, section) == 0)
			return (int)i;
	return -ENOENT;
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
	insns = malloc(p->insn_cnt * sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	memcpy(insns, p->insns, p->insn_cnt * sizeof(*insns));

	/* An ld_imm64 spans two instructions; the first carries the low 32 bits of the value in imm.
	 * BPF_PSEUDO_MAP_FD in src_reg tells the verifier that imm is a map fd, to be replaced by the
	 * map's address. */
	for (size_t r = p->reloc_first; r < p->reloc_first + p->reloc_cnt; r++) {
		const struct bpf_obj_reloc *rel = &obj->desc.relocs[r];
		int map_fd = obj->map_fds[rel->map_idx];

		if (map_fd < 0) {
			free(insns);
			return -EBADF;
		}
		insns[rel->insn_idx].src_reg = BPF_PSEUDO_MAP_FD;
		insns[rel->insn_idx].imm = map_fd;
		insns[rel->insn_idx + 1].imm = 0;
	}

	struct prog_load_args args = {
		.prog_type = prog_type,
		.expected_attach_type = expected_attach_type,
		.attach_btf_id = attach_btf_id,
		.kern_version = running_kernel_version(),
		.insns = insns,
		.insn_cnt = p->insn_cnt,
		.license = obj->desc.license ? obj->desc.license : "",
		.name = p->name,
	};
	free(obj->log);
	obj->log = NULL;
	fd = bpf_prog_load(&args);
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
