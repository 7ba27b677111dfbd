/* btf.h: a minimal reader of BTF, the kernel's type information (/sys/kernel/btf/vmlinux, .BTF sections).
 * Pure functions over a byte buffer; types are found by name and kind, members by name. */
#ifndef TUX_BTF_H
#define TUX_BTF_H

#include <linux/btf.h>
#include <stddef.h>
#include <stdint.h>

struct btf {
	const uint8_t *types;  /* the type section, bounds-checked at open */
	size_t types_len;
	const uint8_t *strs;   /* the string section */
	size_t strs_len;
	uint32_t ntypes;       /* type ids run from 1 to ntypes; 0 is void */
	uint32_t *offsets;     /* offsets[id] = where type id starts in types (malloc'ed) */
};

/* 0 or -errno (-EINVAL: malformed, -ENOTSUP: not BTF or an unknown kind, -ENOMEM). */
int btf_open(struct btf *btf, const void *buf, size_t size);
void btf_close(struct btf *btf);

/* The type with this id: its header, and the kind-specific data that follows (vlen entries etc.). */
int btf_type(const struct btf *btf, uint32_t id, struct btf_type *out, const uint8_t **extra);
const char *btf_name(const struct btf *btf, uint32_t name_off);
/* The id of the first type of kind `kind` (BTF_KIND_*) named `name`, or -ENOENT. */
long btf_find(const struct btf *btf, const char *name, unsigned kind);
/* Follows typedefs and const/volatile/restrict/type tags to the type they name. */
uint32_t btf_resolve(const struct btf *btf, uint32_t id);
/* Byte offset of member `name` in struct/union `id`, looking into anonymous members; its type in *type.
 * -ENOENT if there is none, -ENOTSUP for a bitfield. */
long btf_member_offset(const struct btf *btf, uint32_t id, const char *name, uint32_t *type);
/* The size in bytes of type id as the kernel lays it out (a pointer is 8 bytes in BPF), through typedefs,
 * modifiers, variables and arrays. -EINVAL for a type without a size (void, a function, a forward
 * declaration), -E2BIG beyond 4 GB (what a u32 size field holds), -ELOOP for a chain too long to be real. */
long btf_type_size(const struct btf *btf, uint32_t id);

/* The bytes of kind-specific data that follow type t's header (its vlen entries etc.); -1 for a kind this
 * reader does not know. For readers that walk the type section themselves. */
long btf_extra_size(const struct btf_type *t);

#endif
