/* object.h: turns a parsed BPF object into kernel objects: maps created, fds patched in, programs loaded.
 * The embedded object's bytes stay untouched; each program's instructions are copied before patching. */
#ifndef TUX_OBJECT_H
#define TUX_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "bpf_object.h"

struct tux_object {
	struct bpf_object_desc desc;
	int map_fds[BPF_OBJ_MAX_MAPS];
	int prog_fds[BPF_OBJ_MAX_PROGS];
	char *log;        /* the verifier's log of the last failed program load, or NULL */
	char err[256];    /* what bpf_object_parse found wrong */
};

/* The embedded object, linked in by loader/embed.S. */
extern const uint8_t tux_bpf_object[];
extern const uint8_t tux_bpf_object_end[];

int object_open(struct tux_object *obj, const void *buf, size_t size);
/* Creates every map of the object (after the caller may have adjusted desc.maps[].def). */
int object_create_maps(struct tux_object *obj, const char **failed_map);
int object_map_fd(const struct tux_object *obj, const char *name);
/* Loads the program in section `section` as prog_type (with the attach type and BTF id that fentry
 * needs, else 0); returns its fd, or -errno (then obj->log may say why). */
int object_load_prog(struct tux_object *obj, const char *section, uint32_t prog_type,
		     uint32_t expected_attach_type, uint32_t attach_btf_id);
/* Closes the program's fd if it is loaded. */
void object_unload_prog(struct tux_object *obj, const char *section);
void object_close(struct tux_object *obj);

#endif
