/* btf.c: indexes a BTF blob's types by id and answers lookups by name; layout per linux/btf.h.
 * Every type record, with its trailing entries, is checked to lie inside the type section. */
#include "btf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BTF_MAGIC_LE 0xeB9F

/* Bytes that follow struct btf_type for each kind, from its vlen. -1: unknown kind. */
static long extra_size(const struct btf_type *t)
{
	unsigned vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
		return sizeof(uint32_t);
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:
		return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:
		return sizeof(struct btf_decl_tag);
	case BTF_KIND_ENUM64:
		return (long)vlen * sizeof(struct btf_enum64);
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	default:
		return -1;
	}
}

int btf_open(struct btf *btf, const void *buf, size_t size)
{
	struct btf_header h;
	size_t cap = 1024, off = 0;

	memset(btf, 0, sizeof(*btf));
	if (size < sizeof(h))
		return -ENOTSUP;
	memcpy(&h, buf, sizeof(h));
	if (h.magic != BTF_MAGIC_LE || h.version != 1)
		return -ENOTSUP;
	if (h.hdr_len < sizeof(h) || h.hdr_len > size)
		return -EINVAL;
	size_t body = size - h.hdr_len;
	if (h.type_off > body || h.type_len > body - h.type_off || h.str_off > body ||
	    h.str_len > body - h.str_off || h.type_off % 4)
		return -EINVAL;
	btf->types = (const uint8_t *)buf + h.hdr_len + h.type_off;
	btf->types_len = h.type_len;
	btf->strs = (const uint8_t *)buf + h.hdr_len + h.str_off;
	btf->strs_len = h.str_len;
	/* The string section starts with an empty string and ends with a NUL, so every offset inside
	 * it names a terminated string. */
	if (btf->strs_len == 0 || btf->strs[0] != 0 || btf->strs[btf->strs_len - 1] != 0)
		return -EINVAL;

	btf->offsets = malloc(cap * sizeof(uint32_t));
	if (!btf->offsets)
		return -ENOMEM;
	btf->offsets[0] = UINT32_MAX; /* id 0 is void: no record */
	while (off < btf->types_len) {
		struct btf_type t;
		long extra;

		if (btf->types_len - off < sizeof(t))
			goto malformed;
		memcpy(&t, btf->types + off, sizeof(t));
		extra = extra_size(&t);
		if (extra < 0) {
			btf_close(btf);
			return -ENOTSUP;
		}
		if ((size_t)extra > btf->types_len - off - sizeof(t) || t.name_off >= btf->strs_len)
			goto malformed;
		if (btf->ntypes + 2 > cap) {
			uint32_t *n = realloc(btf->offsets, cap * 2 * sizeof(uint32_t));
			if (!n) {
				btf_close(btf);
				return -ENOMEM;
			}
			btf->offsets = n;
			cap *= 2;
		}
		btf->offsets[++btf->ntypes] = (uint32_t)off;
		off += sizeof(t) + (size_t)extra;
	}
	return 0;
malformed:
	btf_close(btf);
	return -EINVAL;
}

void btf_close(struct btf *btf)
{
	free(btf->offsets);
	btf->offsets = NULL;
	btf->ntypes = 0;
}

int btf_type(const struct btf *btf, uint32_t id, struct btf_type *out, const uint8_t **extra)
{
	if (id == 0 || id > btf->ntypes)
		return -ENOENT;
	memcpy(out, btf->types + btf->offsets[id], sizeof(*out));
	if (extra)
		*extra = btf->types + btf->offsets[id] + sizeof(*out);
	return 0;
}

const char *btf_name(const struct btf *btf, uint32_t name_off)
{
	return name_off < btf->strs_len ? (const char *)btf->strs + name_off : NULL;
}

long btf_find(const struct btf *btf, const char *name, unsigned kind)
{
	for (uint32_t id = 1; id <= btf->ntypes; id++) {
		struct btf_type t;

		btf_type(btf, id, &t, NULL);
		if (BTF_INFO_KIND(t.info) == kind && strcmp(btf_name(btf, t.name_off), name) == 0)
			return id;
	}
	return -ENOENT;
}

uint32_t btf_resolve(const struct btf *btf, uint32_t id)
{
	struct btf_type t;

	/* Bounded: a malformed blob could make the chain a cycle. */
	for (int hops = 0; hops < 32 && btf_type(btf, id, &t, NULL) == 0; hops++) {
		switch (BTF_INFO_KIND(t.info)) {
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			id = t.type;
			continue;
		default:
			return id;
		}
	}
	return id;
}

/* budget: anonymous members still allowed to be looked into, so a malformed blob whose anonymous
 * members refer to their own struct ends the search quickly instead of exploring vlen^depth paths. */
static long member_offset(const struct btf *btf, uint32_t id, const char *name, uint32_t *type,
			  int depth, unsigned *budget)
{
	struct btf_type t;
	const uint8_t *extra;

	if (depth > 8 || *budget == 0 || btf_type(btf, btf_resolve(btf, id), &t, &extra))
		return -ENOENT;
	unsigned kind = BTF_INFO_KIND(t.info);
	if (kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION)
		return -ENOENT;
	for (unsigned i = 0; i < BTF_INFO_VLEN(t.info); i++) {
		struct btf_member m;
		memcpy(&m, extra + i * sizeof(m), sizeof(m));
		/* With kind_flag set, offset holds a bitfield size in its top 8 bits. */
		uint32_t bits = BTF_INFO_KFLAG(t.info) ? BTF_MEMBER_BIT_OFFSET(m.offset) : m.offset;
		const char *mname = btf_name(btf, m.name_off);

		if (mname && mname[0] == 0) { /* an anonymous struct or union: look inside */
			if (*budget == 0)
				return -ENOENT;
			--*budget;
			long inner = member_offset(btf, m.type, name, type, depth + 1, budget);
			if (inner >= 0)
				return (long)(bits / 8) + inner;
			if (inner == -ENOTSUP)
				return inner; /* found, but a bitfield */
			continue;
		}
		if (!mname || strcmp(mname, name) != 0)
			continue;
		if (bits % 8 || (BTF_INFO_KFLAG(t.info) && BTF_MEMBER_BITFIELD_SIZE(m.offset)))
			return -ENOTSUP;
		*type = m.type;
		return (long)(bits / 8);
	}
	return -ENOENT;
}

long btf_member_offset(const struct btf *btf, uint32_t id, const char *name, uint32_t *type)
{
	unsigned budget = 4096;

	return member_offset(btf, id, name, type, 0, &budget);
}

long btf_extra_size(const struct btf_type *t)
{
	return extra_size(t);
}

long btf_type_size(const struct btf *btf, uint32_t id)
{
	uint64_t nelems = 1; /* the product of the array dimensions walked through so far */
	struct btf_type t;
	const uint8_t *extra;
	struct btf_array a;

	/* Bounded like libbpf's btf__resolve_size: a malformed blob could make the chain a cycle. */
	for (int hops = 0; hops < 32; hops++) {
		if (btf_type(btf, id, &t, &extra))
			return -EINVAL;
		switch (BTF_INFO_KIND(t.info)) {
		case BTF_KIND_INT:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
		case BTF_KIND_DATASEC:
		case BTF_KIND_FLOAT:
			/* size, not type: the union in struct btf_type holds the byte size for these kinds */
			return nelems * t.size > UINT32_MAX ? -E2BIG : (long)(nelems * t.size);
		case BTF_KIND_PTR:
			return nelems * 8 > UINT32_MAX ? -E2BIG : (long)(nelems * 8);
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
		case BTF_KIND_VAR:
			id = t.type;
			continue;
		case BTF_KIND_ARRAY:
			memcpy(&a, extra, sizeof(a)); /* inside the type section: checked by btf_open */
			nelems *= a.nelems; /* both at most 2^32 - 1 before the check: no overflow */
			if (nelems > UINT32_MAX)
				return -E2BIG;
			id = a.type;
			continue;
		default:
			return -EINVAL;
		}
	}
	return -ELOOP;
}
