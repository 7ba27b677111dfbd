/* test_btf.c: elf/btf.c on BTF blobs built here by hand (every kind it knows, structs with anonymous unions
 * and structs inside, bitfields, typedef/const chains, functions, enums); malformed headers and records,
 * every truncation of the hand-built blob and single-byte corruptions of each of its bytes (four values
 * each with TUX_UNIT_FULL_FUZZ=1); the running kernel's own BTF (/sys/kernel/btf/vmlinux) when it is
 * readable, for what the loader looks up there. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "btf.h"
#include "check.h"

/* ---- building blobs ---- */

#define BB_TYPES 8192
#define BB_STRS 2048
#define BB_MAX_IDS 128

struct bb {
	uint8_t types[BB_TYPES];
	size_t tlen;
	char strs[BB_STRS];
	size_t slen;
	uint32_t ntypes;
	size_t off[BB_MAX_IDS]; /* where each type id starts in types[], by the builder's count */
};

static void bb_init(struct bb *b)
{
	memset(b, 0, sizeof(*b));
	b->slen = 1; /* the empty string at offset 0 */
}

static void bb_bytes(struct bb *b, const void *p, size_t n)
{
	if (b->tlen + n > sizeof(b->types))
		abort();
	memcpy(b->types + b->tlen, p, n);
	b->tlen += n;
}

static void bb_u32(struct bb *b, uint32_t v)
{
	bb_bytes(b, &v, sizeof(v));
}

/* The string's offset, adding it if it is not there yet ("" is 0). */
static uint32_t bb_str(struct bb *b, const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return 0;
	for (size_t i = 1; i + n < b->slen; i++)
		if (memcmp(b->strs + i, s, n + 1) == 0 && b->strs[i - 1] == 0)
			return (uint32_t)i;
	if (b->slen + n + 1 > sizeof(b->strs))
		abort();
	memcpy(b->strs + b->slen, s, n + 1);
	b->slen += n + 1;
	return (uint32_t)(b->slen - n - 1);
}

/* Appends a struct btf_type; returns its id. size_type: the size (INT, STRUCT, ...) or the type it names. */
static uint32_t bb_type(struct bb *b, const char *name, unsigned kind, unsigned vlen, int kflag,
			uint32_t size_type)
{
	if (b->ntypes + 1 >= BB_MAX_IDS)
		abort();
	b->off[++b->ntypes] = b->tlen;
	bb_u32(b, bb_str(b, name));
	bb_u32(b, (uint32_t)(kflag ? 1u << 31 : 0) | (kind & 0x1f) << 24 | (vlen & 0xffff));
	bb_u32(b, size_type);
	return b->ntypes;
}

static void bb_member(struct bb *b, const char *name, uint32_t type, uint32_t offset)
{
	bb_u32(b, bb_str(b, name));
	bb_u32(b, type);
	bb_u32(b, offset);
}

/* header + types + strings in a malloc'ed buffer of exactly the blob's size. */
static uint8_t *bb_blob(const struct bb *b, size_t *size)
{
	struct btf_header h = {
		.magic = 0xeB9F, .version = 1, .flags = 0, .hdr_len = sizeof(h),
		.type_off = 0, .type_len = (uint32_t)b->tlen,
		.str_off = (uint32_t)b->tlen, .str_len = (uint32_t)b->slen,
	};
	uint8_t *blob;

	*size = sizeof(h) + b->tlen + b->slen;
	blob = malloc(*size);
	if (!blob)
		abort();
	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), b->types, b->tlen);
	memcpy(blob + sizeof(h) + b->tlen, b->strs, b->slen);
	return blob;
}

/* ---- the valid blob: its type ids, in the order they are built ---- */

enum {
	T_INT = 1, T_UINT, T_CHAR, T_ULL, T_U32, T_U64, T_CONST_CHAR, T_PCCHAR,
	T_ANON_S,     /* struct { u32 hash; u32 len; } */
	T_ANON_U,     /* union { struct { hash, len }; u64 hash_len; } */
	T_QSTR,       /* struct qstr { union {...}; const char *name; } as the kernel has it */
	T_DENTRY, T_PDENTRY, T_VOID_P, T_PATH,
	T_FILE_US,    /* struct { unsigned f_a; unsigned f_b (at byte 12); } */
	T_FILE_U,     /* union { void *f_llist; struct { f_a, f_b }; } */
	T_FILE,       /* struct file { union {...}; struct path f_path; void *f_inode; unsigned f_mode; } */
	T_ANON_S2, T_ANON_U2,
	T_OUTER,      /* struct outer { x; union { struct { p; q (at 12) }; u64 w; } (at 8); z (at 24) } */
	T_BITS,       /* kind_flag: bitfields a:3, b:5, then c (not a bitfield) at byte 4, d:8 at byte 5 */
	T_ODDBITS,    /* no kind_flag: e at bit 4, f at byte 4 */
	T_HASANONBITS, /* struct { struct bits; } anonymously, at byte 8 */
	T_TD_FILE, T_CONST_TD, T_VOL, T_TD2, /* typedef cv_file_t -> volatile const file_t -> struct file */
	T_RESTRICT, T_TYPE_TAG, T_CONST_VOID, T_LOOP1, T_LOOP2,
	T_PROTO, T_FUNC, T_FUNC2, T_ENUM, T_FILE_FUNC,
	T_DUP_FILE,   /* a second struct named "file": btf_find returns the first */
	T_ARRAY, T_TASK, T_FWD, T_FLOAT, T_VAR, T_DATASEC, T_DECL_TAG, T_ENUM64,
	T_BADNAME,    /* a member whose name_off is past the strings */
	T_LAST = T_BADNAME
};

#define BF(size, bit) ((uint32_t)(size) << 24 | (bit))

static struct bb good;  /* the builder of the valid blob (large: kept off the stack) */
static uint8_t *blob;   /* the valid blob */
static size_t blob_size;

static void build_good(void)
{
	struct bb *b = &good;

	bb_init(b);
	bb_type(b, "int", BTF_KIND_INT, 0, 0, 4);
	bb_u32(b, (1u << 24) | 32); /* BTF_INT_SIGNED, 32 bits */
	bb_type(b, "unsigned int", BTF_KIND_INT, 0, 0, 4);
	bb_u32(b, 32);
	bb_type(b, "char", BTF_KIND_INT, 0, 0, 1);
	bb_u32(b, (1u << 24) | 8);
	bb_type(b, "long long unsigned int", BTF_KIND_INT, 0, 0, 8);
	bb_u32(b, 64);
	bb_type(b, "u32", BTF_KIND_TYPEDEF, 0, 0, T_UINT);
	bb_type(b, "u64", BTF_KIND_TYPEDEF, 0, 0, T_ULL);
	bb_type(b, "", BTF_KIND_CONST, 0, 0, T_CHAR);
	bb_type(b, "", BTF_KIND_PTR, 0, 0, T_CONST_CHAR);

	bb_type(b, "", BTF_KIND_STRUCT, 2, 0, 8); /* T_ANON_S */
	bb_member(b, "hash", T_U32, 0);
	bb_member(b, "len", T_U32, 32);
	bb_type(b, "", BTF_KIND_UNION, 2, 0, 8); /* T_ANON_U */
	bb_member(b, "", T_ANON_S, 0);
	bb_member(b, "hash_len", T_U64, 0);
	bb_type(b, "qstr", BTF_KIND_STRUCT, 2, 0, 16);
	bb_member(b, "", T_ANON_U, 0);
	bb_member(b, "name", T_PCCHAR, 64);

	bb_type(b, "dentry", BTF_KIND_STRUCT, 4, 0, 64);
	bb_member(b, "d_flags", T_UINT, 0);
	bb_member(b, "d_parent", T_PDENTRY, 64);
	bb_member(b, "d_name", T_QSTR, 128);
	bb_member(b, "d_inode", T_VOID_P, 256);
	bb_type(b, "", BTF_KIND_PTR, 0, 0, T_DENTRY);
	bb_type(b, "", BTF_KIND_PTR, 0, 0, 0);
	bb_type(b, "path", BTF_KIND_STRUCT, 2, 0, 16);
	bb_member(b, "mnt", T_VOID_P, 0);
	bb_member(b, "dentry", T_PDENTRY, 64);

	bb_type(b, "", BTF_KIND_STRUCT, 2, 0, 16); /* T_FILE_US */
	bb_member(b, "f_a", T_UINT, 0);
	bb_member(b, "f_b", T_UINT, 96);
	bb_type(b, "", BTF_KIND_UNION, 2, 0, 16); /* T_FILE_U */
	bb_member(b, "f_llist", T_VOID_P, 0);
	bb_member(b, "", T_FILE_US, 0);
	bb_type(b, "file", BTF_KIND_STRUCT, 4, 0, 48);
	bb_member(b, "", T_FILE_U, 0);
	bb_member(b, "f_path", T_PATH, 128);
	bb_member(b, "f_inode", T_VOID_P, 256);
	bb_member(b, "f_mode", T_UINT, 320);

	bb_type(b, "", BTF_KIND_STRUCT, 2, 0, 16); /* T_ANON_S2 */
	bb_member(b, "p", T_UINT, 0);
	bb_member(b, "q", T_UINT, 96);
	bb_type(b, "", BTF_KIND_UNION, 2, 0, 16); /* T_ANON_U2 */
	bb_member(b, "", T_ANON_S2, 0);
	bb_member(b, "w", T_U64, 0);
	bb_type(b, "outer", BTF_KIND_STRUCT, 3, 0, 32);
	bb_member(b, "x", T_UINT, 0);
	bb_member(b, "", T_ANON_U2, 64);
	bb_member(b, "z", T_UINT, 192);

	bb_type(b, "bits", BTF_KIND_STRUCT, 4, 1, 8);
	bb_member(b, "a", T_UINT, BF(3, 0));
	bb_member(b, "b", T_UINT, BF(5, 3));
	bb_member(b, "c", T_UINT, BF(0, 32));
	bb_member(b, "d", T_UINT, BF(8, 40)); /* byte-aligned, but still a bitfield */
	bb_type(b, "oddbits", BTF_KIND_STRUCT, 2, 0, 8);
	bb_member(b, "e", T_UINT, 4);
	bb_member(b, "f", T_UINT, 32);
	bb_type(b, "hasanonbits", BTF_KIND_STRUCT, 2, 0, 16);
	bb_member(b, "g", T_UINT, 0);
	bb_member(b, "", T_BITS, 64);

	bb_type(b, "file_t", BTF_KIND_TYPEDEF, 0, 0, T_FILE);
	bb_type(b, "", BTF_KIND_CONST, 0, 0, T_TD_FILE);
	bb_type(b, "", BTF_KIND_VOLATILE, 0, 0, T_CONST_TD);
	bb_type(b, "cv_file_t", BTF_KIND_TYPEDEF, 0, 0, T_VOL);
	bb_type(b, "", BTF_KIND_RESTRICT, 0, 0, T_PCCHAR);
	bb_type(b, "user", BTF_KIND_TYPE_TAG, 0, 0, T_CHAR);
	bb_type(b, "", BTF_KIND_CONST, 0, 0, 0);
	bb_type(b, "loop1", BTF_KIND_TYPEDEF, 0, 0, T_LOOP2);
	bb_type(b, "loop2", BTF_KIND_TYPEDEF, 0, 0, T_LOOP1);

	bb_type(b, "", BTF_KIND_FUNC_PROTO, 4, 0, T_INT);
	bb_u32(b, bb_str(b, "file"));
	bb_u32(b, T_VOID_P);
	bb_u32(b, bb_str(b, "buf"));
	bb_u32(b, T_PCCHAR);
	bb_u32(b, bb_str(b, "count"));
	bb_u32(b, T_ULL);
	bb_u32(b, bb_str(b, "pos"));
	bb_u32(b, T_VOID_P);
	bb_type(b, "vfs_read", BTF_KIND_FUNC, 1 /* BTF_FUNC_GLOBAL */, 0, T_PROTO);
	bb_type(b, "vfs_write", BTF_KIND_FUNC, 1, 0, T_PROTO);
	bb_type(b, "tux_op", BTF_KIND_ENUM, 2, 0, 4);
	bb_u32(b, bb_str(b, "TUX_OP_READ"));
	bb_u32(b, 0);
	bb_u32(b, bb_str(b, "TUX_OP_WRITE"));
	bb_u32(b, 1);
	bb_type(b, "file", BTF_KIND_FUNC, 0, 0, T_PROTO);
	bb_type(b, "file", BTF_KIND_STRUCT, 0, 0, 0);

	bb_type(b, "", BTF_KIND_ARRAY, 0, 0, 0);
	bb_u32(b, T_CHAR); /* struct btf_array: type, index_type, nelems */
	bb_u32(b, T_UINT);
	bb_u32(b, 16);
	bb_type(b, "task", BTF_KIND_STRUCT, 2, 0, 24);
	bb_member(b, "pid", T_INT, 0);
	bb_member(b, "comm", T_ARRAY, 32);
	bb_type(b, "super_block", BTF_KIND_FWD, 0, 0, 0);
	bb_type(b, "double", BTF_KIND_FLOAT, 0, 0, 8);
	bb_type(b, "myvar", BTF_KIND_VAR, 0, 0, T_INT);
	bb_u32(b, 1); /* struct btf_var: linkage */
	bb_type(b, ".data", BTF_KIND_DATASEC, 1, 0, 4);
	bb_u32(b, T_VAR); /* struct btf_var_secinfo: type, offset, size */
	bb_u32(b, 0);
	bb_u32(b, 4);
	bb_type(b, "tag", BTF_KIND_DECL_TAG, 0, 0, T_FILE);
	bb_u32(b, 0xffffffffu); /* struct btf_decl_tag: component_idx -1, the type itself */
	bb_type(b, "big", BTF_KIND_ENUM64, 1, 0, 8);
	bb_u32(b, bb_str(b, "BIG"));
	bb_u32(b, 0xffffffffu);
	bb_u32(b, 0x7fffffffu);
	bb_type(b, "badnames", BTF_KIND_STRUCT, 3, 0, 12);
	bb_member(b, "first", T_UINT, 0);
	bb_u32(b, 0xfffffff0u); /* a member named past the strings */
	bb_u32(b, T_UINT);
	bb_u32(b, 32);
	bb_member(b, "ok", T_UINT, 64);

	if (b->ntypes != T_LAST) /* the enum above lists the types in the order they are built */
		abort();
	blob = bb_blob(b, &blob_size);
}

/* Bytes of kind data after struct btf_type, by linux/btf.h (the test's own table); -1: unknown kind. */
static long kind_extra(uint32_t info)
{
	unsigned vlen = info & 0xffff;

	switch ((info >> 24) & 0x1f) {
	case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return 12;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_DATASEC: case BTF_KIND_ENUM64:
		return 12l * vlen;
	case BTF_KIND_ENUM: case BTF_KIND_FUNC_PROTO:
		return 8l * vlen;
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC: case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	default:
		return -1;
	}
}

/* A malloc'd copy of the first n bytes of buf: ASan sees any read past n. */
static uint8_t *copy_of(const uint8_t *buf, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	if (!c)
		abort();
	memcpy(c, buf, n);
	return c;
}

static void put32(uint8_t *b, size_t off, uint32_t v)
{
	memcpy(b + off, &v, sizeof(v));
}

#define HDR(field) offsetof(struct btf_header, field)
#define TYPE_AT(id) (sizeof(struct btf_header) + good.off[id]) /* a type's offset in the blob */

/* ---- lookups on the valid blob ---- */

static void check_type(const struct btf *btf, uint32_t id, unsigned kind, const char *name, unsigned vlen)
{
	struct btf_type t;
	const uint8_t *extra = NULL;
	int rc = btf_type(btf, id, &t, &extra);

	if (!CHECK(rc == 0, "btf_type(%u): %d", id, rc))
		return;
	const char *n = btf_name(btf, t.name_off);
	CHECK(BTF_INFO_KIND(t.info) == kind && BTF_INFO_VLEN(t.info) == vlen && n && strcmp(n, name) == 0,
	      "type %u: kind %u vlen %u name '%s', want %u %u '%s'", id, BTF_INFO_KIND(t.info),
	      BTF_INFO_VLEN(t.info), n ? n : "(null)", kind, vlen, name);
	CHECK(extra == btf->types + good.off[id] + sizeof(t), "type %u: extra at %td, want %zu", id,
	      extra - btf->types, good.off[id] + sizeof(t));
}

/* btf_member_offset(id, name) is want (an offset, or -errno); on success *type is want_type. */
static void check_member(const struct btf *btf, uint32_t id, const char *name, long want, uint32_t want_type)
{
	uint32_t type = 0xdeadbeef;
	long rc = btf_member_offset(btf, id, name, &type);

	CHECK(rc == want, "member '%s' of type %u: %ld, want %ld", name, id, rc, want);
	if (want >= 0 && rc == want)
		CHECK(type == want_type, "member '%s' of type %u: type %u, want %u", name, id, type, want_type);
}

static void test_good(void)
{
	struct btf btf;
	int rc;

	check_begin("btf: open a hand-built blob with every kind");
	rc = btf_open(&btf, blob, blob_size);
	if (!CHECK(rc == 0, "btf_open: %d", rc)) {
		check_end();
		return;
	}
	CHECK(btf.ntypes == T_LAST, "ntypes %u, want %u", btf.ntypes, T_LAST);
	CHECK(btf.types == blob + sizeof(struct btf_header) && btf.types_len == good.tlen &&
	      btf.strs == blob + sizeof(struct btf_header) + good.tlen && btf.strs_len == good.slen,
	      "sections: types +%td (%zu bytes), strings +%td (%zu bytes)", btf.types - blob, btf.types_len,
	      btf.strs - blob, btf.strs_len);
	check_end();

	check_begin("btf: btf_type and btf_name");
	check_type(&btf, T_INT, BTF_KIND_INT, "int", 0);
	check_type(&btf, T_QSTR, BTF_KIND_STRUCT, "qstr", 2);
	check_type(&btf, T_ANON_U, BTF_KIND_UNION, "", 2);
	check_type(&btf, T_FILE, BTF_KIND_STRUCT, "file", 4);
	check_type(&btf, T_PROTO, BTF_KIND_FUNC_PROTO, "", 4);
	check_type(&btf, T_FUNC, BTF_KIND_FUNC, "vfs_read", 1);
	check_type(&btf, T_ENUM, BTF_KIND_ENUM, "tux_op", 2);
	check_type(&btf, T_ARRAY, BTF_KIND_ARRAY, "", 0);
	check_type(&btf, T_VAR, BTF_KIND_VAR, "myvar", 0);
	check_type(&btf, T_DATASEC, BTF_KIND_DATASEC, ".data", 1);
	check_type(&btf, T_DECL_TAG, BTF_KIND_DECL_TAG, "tag", 0);
	check_type(&btf, T_ENUM64, BTF_KIND_ENUM64, "big", 1);
	check_type(&btf, T_BADNAME, BTF_KIND_STRUCT, "badnames", 3);
	for (uint32_t id = 1; id <= T_LAST; id++) { /* every id lands on its own record */
		struct btf_type t;
		const uint8_t *extra;
		if (btf_type(&btf, id, &t, &extra) == 0)
			CHECK(memcmp(&t, good.types + good.off[id], sizeof(t)) == 0 &&
			      extra == btf.types + good.off[id] + sizeof(t), "type %u: not its record", id);
		else
			(void)CHECK(0, "btf_type(%u) failed", id);
	}
	struct btf_type t;
	CHECK(btf_type(&btf, 0, &t, NULL) == -ENOENT, "id 0 (void) has a record");
	CHECK(btf_type(&btf, T_LAST + 1, &t, NULL) == -ENOENT, "id ntypes + 1 accepted");
	CHECK(btf_type(&btf, UINT32_MAX, &t, NULL) == -ENOENT, "id UINT32_MAX accepted");
	CHECK(btf_type(&btf, T_INT, &t, NULL) == 0 && t.size == 4, "btf_type with extra NULL");
	const char *n = btf_name(&btf, 0);
	CHECK(n && n[0] == 0, "name 0: '%s'", n ? n : "(null)");
	CHECK(btf_name(&btf, (uint32_t)good.slen) == NULL, "name at str_len accepted");
	CHECK(btf_name(&btf, (uint32_t)good.slen - 1) && btf_name(&btf, (uint32_t)good.slen - 1)[0] == 0,
	      "name at str_len - 1 (the final NUL)");
	CHECK(btf_name(&btf, UINT32_MAX) == NULL, "name UINT32_MAX accepted");
	check_end();

	check_begin("btf: btf_find by name and kind");
	static const struct {
		const char *name;
		unsigned kind;
		long want;
	} finds[] = {
		{ "int", BTF_KIND_INT, T_INT },
		{ "unsigned int", BTF_KIND_INT, T_UINT },
		{ "qstr", BTF_KIND_STRUCT, T_QSTR },
		{ "dentry", BTF_KIND_STRUCT, T_DENTRY },
		{ "file", BTF_KIND_STRUCT, T_FILE },       /* the first of two */
		{ "file", BTF_KIND_FUNC, T_FILE_FUNC },    /* same name, another kind */
		{ "vfs_read", BTF_KIND_FUNC, T_FUNC },
		{ "vfs_write", BTF_KIND_FUNC, T_FUNC2 },
		{ "file_t", BTF_KIND_TYPEDEF, T_TD_FILE },
		{ "cv_file_t", BTF_KIND_TYPEDEF, T_TD2 },
		{ "tux_op", BTF_KIND_ENUM, T_ENUM },
		{ "super_block", BTF_KIND_FWD, T_FWD },
		{ "double", BTF_KIND_FLOAT, T_FLOAT },
		{ "myvar", BTF_KIND_VAR, T_VAR },
		{ ".data", BTF_KIND_DATASEC, T_DATASEC },
		{ "big", BTF_KIND_ENUM64, T_ENUM64 },
		{ "user", BTF_KIND_TYPE_TAG, T_TYPE_TAG },
		{ "badnames", BTF_KIND_STRUCT, T_BADNAME },
		{ "super_block", BTF_KIND_STRUCT, -ENOENT }, /* only declared */
		{ "qstr", BTF_KIND_UNION, -ENOENT },
		{ "vfs_read", BTF_KIND_FUNC_PROTO, -ENOENT },
		{ "vfs_rea", BTF_KIND_FUNC, -ENOENT },
		{ "vfs_readx", BTF_KIND_FUNC, -ENOENT },
		{ "VFS_READ", BTF_KIND_FUNC, -ENOENT },
		{ "nope", BTF_KIND_STRUCT, -ENOENT },
		{ "TUX_OP_READ", BTF_KIND_ENUM, -ENOENT },   /* an enumerator, not a type */
		{ "count", BTF_KIND_INT, -ENOENT },          /* a parameter's name */
		{ "int", 99, -ENOENT },
	};
	for (size_t i = 0; i < sizeof(finds) / sizeof(finds[0]); i++) {
		long got = btf_find(&btf, finds[i].name, finds[i].kind);
		CHECK(got == finds[i].want, "btf_find('%s', %u) = %ld, want %ld", finds[i].name, finds[i].kind, got,
		      finds[i].want);
	}
	check_end();

	check_begin("btf: btf_member_offset, into anonymous unions and structs");
	check_member(&btf, T_QSTR, "name", 8, T_PCCHAR);
	check_member(&btf, T_QSTR, "hash", 0, T_U32);       /* qstr -> anon union -> anon struct */
	check_member(&btf, T_QSTR, "len", 4, T_U32);
	check_member(&btf, T_QSTR, "hash_len", 0, T_U64);   /* qstr -> anon union */
	check_member(&btf, T_DENTRY, "d_name", 16, T_QSTR);
	check_member(&btf, T_DENTRY, "d_inode", 32, T_VOID_P);
	check_member(&btf, T_DENTRY, "d_flags", 0, T_UINT);
	check_member(&btf, T_FILE, "f_path", 16, T_PATH);
	check_member(&btf, T_FILE, "f_inode", 32, T_VOID_P);
	check_member(&btf, T_FILE, "f_mode", 40, T_UINT);
	check_member(&btf, T_FILE, "f_llist", 0, T_VOID_P);
	check_member(&btf, T_FILE, "f_b", 12, T_UINT);
	check_member(&btf, T_PATH, "dentry", 8, T_PDENTRY);
	/* anonymous members away from offset 0: their offsets add up */
	check_member(&btf, T_OUTER, "x", 0, T_UINT);
	check_member(&btf, T_OUTER, "p", 8, T_UINT);
	check_member(&btf, T_OUTER, "q", 20, T_UINT);
	check_member(&btf, T_OUTER, "w", 8, T_U64);
	check_member(&btf, T_OUTER, "z", 24, T_UINT);
	check_member(&btf, T_TASK, "comm", 4, T_ARRAY);
	/* a member named past the strings is skipped, the others are found */
	check_member(&btf, T_BADNAME, "first", 0, T_UINT);
	check_member(&btf, T_BADNAME, "ok", 8, T_UINT);
	check_member(&btf, T_BADNAME, "zz", -ENOENT, 0);
	/* absent members and types without members */
	check_member(&btf, T_FILE, "nope", -ENOENT, 0);
	check_member(&btf, T_FILE, "f_pat", -ENOENT, 0);
	check_member(&btf, T_FILE, "", -ENOENT, 0);
	check_member(&btf, T_QSTR, "d_name", -ENOENT, 0);
	check_member(&btf, T_DUP_FILE, "f_path", -ENOENT, 0);
	check_member(&btf, T_INT, "x", -ENOENT, 0);
	check_member(&btf, T_ENUM, "TUX_OP_READ", -ENOENT, 0);
	check_member(&btf, T_FWD, "s_dev", -ENOENT, 0);
	check_member(&btf, T_PDENTRY, "d_name", -ENOENT, 0); /* pointers are not followed */
	check_member(&btf, 0, "x", -ENOENT, 0);
	check_member(&btf, T_LAST + 1, "x", -ENOENT, 0);
	check_member(&btf, UINT32_MAX, "x", -ENOENT, 0);
	check_member(&btf, T_LOOP1, "x", -ENOENT, 0);
	/* through typedef, const and volatile to the struct */
	check_member(&btf, T_TD2, "f_path", 16, T_PATH);
	check_member(&btf, T_CONST_TD, "f_b", 12, T_UINT);
	check_end();

	check_begin("btf: btf_member_offset of bitfields is -ENOTSUP");
	check_member(&btf, T_BITS, "a", -ENOTSUP, 0);
	check_member(&btf, T_BITS, "b", -ENOTSUP, 0);
	check_member(&btf, T_BITS, "c", 4, T_UINT);      /* kind_flag, bitfield size 0: a plain member */
	check_member(&btf, T_BITS, "d", -ENOTSUP, 0);    /* byte-aligned, but 8 bits wide */
	check_member(&btf, T_ODDBITS, "e", -ENOTSUP, 0); /* no kind_flag, at bit 4 */
	check_member(&btf, T_ODDBITS, "f", 4, T_UINT);
	check_member(&btf, T_HASANONBITS, "c", 12, T_UINT);
	check_member(&btf, T_HASANONBITS, "g", 0, T_UINT);
	check_end();

	/* btf.h: "-ENOENT if there is none, -ENOTSUP for a bitfield", with anonymous members looked into. */
	check_begin("btf: btf_member_offset of a bitfield inside an anonymous member is -ENOTSUP, not -ENOENT");
	check_member(&btf, T_HASANONBITS, "a", -ENOTSUP, 0);
	check_member(&btf, T_HASANONBITS, "d", -ENOTSUP, 0);
	check_end();

	check_begin("btf: btf_resolve through typedef, const, volatile, restrict, type tag");
	static const struct {
		uint32_t id, want;
	} res[] = {
		{ T_TD2, T_FILE }, { T_VOL, T_FILE }, { T_CONST_TD, T_FILE }, { T_TD_FILE, T_FILE },
		{ T_FILE, T_FILE }, { T_U32, T_UINT }, { T_U64, T_ULL }, { T_CONST_CHAR, T_CHAR },
		{ T_PCCHAR, T_PCCHAR } /* a pointer is a type of its own */, { T_RESTRICT, T_PCCHAR },
		{ T_TYPE_TAG, T_CHAR }, { T_CONST_VOID, 0 }, { 0, 0 }, { T_FUNC, T_FUNC }, { T_FWD, T_FWD },
		{ T_INT, T_INT }, { T_LAST + 1, T_LAST + 1 }, { UINT32_MAX, UINT32_MAX },
	};
	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		uint32_t got = btf_resolve(&btf, res[i].id);
		CHECK(got == res[i].want, "btf_resolve(%u) = %u, want %u", res[i].id, got, res[i].want);
	}
	uint32_t l = btf_resolve(&btf, T_LOOP1); /* a cycle: it must end, on one of the two */
	CHECK(l == T_LOOP1 || l == T_LOOP2, "btf_resolve(loop) = %u", l);
	check_end();

	check_begin("btf: btf_close, twice");
	btf_close(&btf);
	CHECK(btf.offsets == NULL && btf.ntypes == 0, "offsets %p, ntypes %u", (void *)btf.offsets, btf.ntypes);
	btf_close(&btf);
	CHECK(btf_find(&btf, "int", BTF_KIND_INT) == -ENOENT && btf_type(&btf, 1, &t, NULL) == -ENOENT,
	      "lookups after close found something");
	check_end();

	/* A header longer than struct btf_header (a newer kernel's) with the sections after it. */
	check_begin("btf: a longer header, sections in another order, an empty type section");
	{
		size_t hl = sizeof(struct btf_header) + 8, size = hl + good.slen + 4 + good.tlen;
		uint8_t *c = calloc(1, size);
		memcpy(c, blob, sizeof(struct btf_header));
		put32(c, HDR(hdr_len), (uint32_t)hl);
		put32(c, HDR(str_off), 0);
		/* strings first, then 4-byte-aligned types */
		size_t toff = (good.slen + 3) & ~(size_t)3;
		put32(c, HDR(type_off), (uint32_t)toff);
		memcpy(c + hl, good.strs, good.slen);
		memcpy(c + hl + toff, good.types, good.tlen);
		rc = btf_open(&btf, c, hl + toff + good.tlen);
		CHECK(rc == 0 && btf.ntypes == T_LAST && btf_find(&btf, "qstr", BTF_KIND_STRUCT) == T_QSTR,
		      "rc %d, ntypes %u", rc, btf.ntypes);
		check_member(&btf, T_QSTR, "len", 4, T_U32);
		btf_close(&btf);
		free(c);
	}
	{
		uint8_t *c = copy_of(blob, blob_size);
		put32(c, HDR(type_len), 0);
		rc = btf_open(&btf, c, blob_size);
		CHECK(rc == 0 && btf.ntypes == 0 && btf_find(&btf, "int", BTF_KIND_INT) == -ENOENT &&
		      btf_resolve(&btf, 1) == 1, "no types: rc %d, ntypes %u", rc, btf.ntypes);
		check_member(&btf, 1, "x", -ENOENT, 0);
		btf_close(&btf);
		free(c);
	}
	check_end();
}

/* ---- malformed blobs ---- */

static void m_size0(uint8_t *c, size_t *n) { (void)c; *n = 0; }
static void m_size23(uint8_t *c, size_t *n) { (void)c; *n = sizeof(struct btf_header) - 1; }
static void m_magic_be(uint8_t *c, size_t *n) { (void)n; c[0] = 0xeb; c[1] = 0x9f; }
static void m_magic0(uint8_t *c, size_t *n) { (void)n; c[0] = c[1] = 0; }
static void m_version0(uint8_t *c, size_t *n) { (void)n; c[HDR(version)] = 0; }
static void m_version2(uint8_t *c, size_t *n) { (void)n; c[HDR(version)] = 2; }
static void m_hdr0(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(hdr_len), 0); }
static void m_hdr23(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(hdr_len), sizeof(struct btf_header) - 1); }
static void m_hdr_size(uint8_t *c, size_t *n) { put32(c, HDR(hdr_len), (uint32_t)*n); }
static void m_hdr_past(uint8_t *c, size_t *n) { put32(c, HDR(hdr_len), (uint32_t)*n + 1); }
static void m_hdr_huge(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(hdr_len), 0xffffffffu); }
static void m_hdr_shift(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(hdr_len), sizeof(struct btf_header) + 4); }
static void m_toff_body(uint8_t *c, size_t *n) { put32(c, HDR(type_off), (uint32_t)(*n - sizeof(struct btf_header) + 4)); }
static void m_toff_huge(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(type_off), 0xfffffffcu); }
static void m_toff_wrap(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(type_off), 0xfffffff0u); put32(c, HDR(type_len), 0x20); }
static void m_toff_odd(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(type_off), 2); }
static void m_tlen_past(uint8_t *c, size_t *n) { put32(c, HDR(type_len), (uint32_t)(*n - sizeof(struct btf_header) + 1)); }
static void m_tlen_huge(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(type_len), 0xffffffffu); }
static void m_tlen_wrap(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(type_off), 8); put32(c, HDR(type_len), 0xfffffffcu); }
static void m_soff_body(uint8_t *c, size_t *n) { put32(c, HDR(str_off), (uint32_t)(*n - sizeof(struct btf_header))); }
static void m_soff_past(uint8_t *c, size_t *n) { put32(c, HDR(str_off), (uint32_t)(good.tlen + 1)); (void)n; }
static void m_soff_huge(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(str_off), 0xffffffffu); }
static void m_slen_past(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(str_len), (uint32_t)good.slen + 1); }
static void m_slen_huge(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(str_len), 0xffffffffu); }
static void m_slen_wrap(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(str_len), 0xffffffffu - (uint32_t)good.tlen + 2); }
static void m_slen0(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(str_len), 0); }
static void m_tlen_cut4(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(type_len), (uint32_t)good.tlen - 4); }
static void m_tlen_hdr(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(type_len), 6); }
static void m_tlen_mid(uint8_t *c, size_t *n) { (void)n; put32(c, HDR(type_len), (uint32_t)good.off[T_QSTR] + 16); }
static void m_vlen_big(uint8_t *c, size_t *n) { (void)n; put32(c, TYPE_AT(T_QSTR) + 4, BTF_KIND_STRUCT << 24 | 0xffff); }
static void m_vlen_last(uint8_t *c, size_t *n) { (void)n; put32(c, TYPE_AT(T_BADNAME) + 4, BTF_KIND_STRUCT << 24 | 4); }
static void m_vlen_enum(uint8_t *c, size_t *n) { (void)n; put32(c, TYPE_AT(T_ENUM64) + 4, BTF_KIND_ENUM64 << 24 | 0x8000); }
static void m_name_end(uint8_t *c, size_t *n) { (void)n; put32(c, TYPE_AT(T_FILE), (uint32_t)good.slen); }
static void m_name_huge(uint8_t *c, size_t *n) { (void)n; put32(c, TYPE_AT(T_LAST), 0xffffffffu); }
static void m_str_start(uint8_t *c, size_t *n) { (void)n; c[sizeof(struct btf_header) + good.tlen] = 'x'; }
static void m_str_end(uint8_t *c, size_t *n) { c[*n - 1] = 'x'; }
static void m_kind0(uint8_t *c, size_t *n) { (void)n; put32(c, TYPE_AT(T_FUNC) + 4, 0); }
static void m_kind20(uint8_t *c, size_t *n) { (void)n; put32(c, TYPE_AT(T_FUNC) + 4, 20u << 24 | 1); }
static void m_kind31(uint8_t *c, size_t *n) { (void)n; put32(c, TYPE_AT(T_LAST) + 4, 31u << 24); }
static void m_kind_first(uint8_t *c, size_t *n) { (void)n; put32(c, TYPE_AT(T_INT) + 4, 25u << 24); }

static const struct malformed {
	const char *name;
	void (*patch)(uint8_t *c, size_t *n);
	int rc; /* the errno expected */
} malformed[] = {
	{ "an empty buffer", m_size0, -ENOTSUP },
	{ "a buffer shorter than the header", m_size23, -ENOTSUP },
	{ "big-endian magic", m_magic_be, -ENOTSUP },
	{ "magic 0", m_magic0, -ENOTSUP },
	{ "version 0", m_version0, -ENOTSUP },
	{ "version 2", m_version2, -ENOTSUP },
	{ "hdr_len 0", m_hdr0, -EINVAL },
	{ "hdr_len 23", m_hdr23, -EINVAL },
	{ "hdr_len the whole buffer", m_hdr_size, -EINVAL },
	{ "hdr_len past the buffer", m_hdr_past, -EINVAL },
	{ "hdr_len 0xffffffff", m_hdr_huge, -EINVAL },
	{ "hdr_len 28: the sections run 4 bytes past the end", m_hdr_shift, -EINVAL },
	{ "type_off past the body", m_toff_body, -EINVAL },
	{ "type_off 0xfffffffc", m_toff_huge, -EINVAL },
	{ "type_off + type_len wraps 32 bits", m_toff_wrap, -EINVAL },
	{ "type_off not 4-aligned", m_toff_odd, -EINVAL },
	{ "type_len one past the body", m_tlen_past, -EINVAL },
	{ "type_len 0xffffffff", m_tlen_huge, -EINVAL },
	{ "type_off 8 + type_len 0xfffffffc wraps", m_tlen_wrap, -EINVAL },
	{ "str_off at the end of the body", m_soff_body, -EINVAL },
	{ "str_off one past: the strings run past the end", m_soff_past, -EINVAL },
	{ "str_off 0xffffffff", m_soff_huge, -EINVAL },
	{ "str_len one past the end", m_slen_past, -EINVAL },
	{ "str_len 0xffffffff", m_slen_huge, -EINVAL },
	{ "str_off + str_len wraps 32 bits", m_slen_wrap, -EINVAL },
	{ "str_len 0", m_slen0, -EINVAL },
	{ "the last record's members cut by type_len", m_tlen_cut4, -EINVAL },
	{ "type_len 6: half a record", m_tlen_hdr, -EINVAL },
	{ "type_len ends inside struct qstr's members", m_tlen_mid, -EINVAL },
	{ "struct vlen 0xffff", m_vlen_big, -EINVAL },
	{ "the last struct's vlen one too many", m_vlen_last, -EINVAL },
	{ "enum64 vlen 0x8000", m_vlen_enum, -EINVAL },
	{ "name_off at str_len", m_name_end, -EINVAL },
	{ "name_off 0xffffffff", m_name_huge, -EINVAL },
	{ "strings not starting with NUL", m_str_start, -EINVAL },
	{ "strings not ending with NUL", m_str_end, -EINVAL },
	{ "kind 0 (BTF_KIND_UNKN)", m_kind0, -ENOTSUP },
	{ "kind 20 (past BTF_KIND_ENUM64)", m_kind20, -ENOTSUP },
	{ "kind 31 in the last record", m_kind31, -ENOTSUP },
	{ "kind 25 in the first record", m_kind_first, -ENOTSUP },
};

static void test_malformed(void)
{
	char name[160];

	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		const struct malformed *m = &malformed[i];
		size_t n = blob_size;
		uint8_t *full = copy_of(blob, blob_size), *c;
		struct btf btf;

		snprintf(name, sizeof(name), "btf: malformed: %s", m->name);
		check_begin(name);
		m->patch(full, &n);
		c = copy_of(full, n); /* exactly n bytes */
		memset(&btf, 0xa5, sizeof(btf));
		int rc = btf_open(&btf, c, n);
		CHECK(rc == m->rc, "rc %d, want %d", rc, m->rc);
		CHECK(rc == 0 || (btf.offsets == NULL && btf.ntypes == 0),
		      "failed, but left offsets %p, ntypes %u", (void *)btf.offsets, btf.ntypes);
		if (rc == 0 || btf.offsets == NULL)
			btf_close(&btf);
		free(c);
		free(full);
		check_end();
	}
}

/* ---- truncations and corruptions: never a crash; what opens is consistent and can be looked up ---- */

/* NULL if an opened blob is consistent, else what is wrong; then runs every lookup (ASan watches). */
static const char *exercise(const struct btf *btf, const uint8_t *buf, size_t size)
{
	static const char *const names[] = { "int", "qstr", "dentry", "file", "vfs_read", "path", "outer",
					     "bits", "tux_op", "file_t", "cv_file_t", "super_block", "" };
	static const char *const members[] = { "name", "len", "hash", "d_name", "f_path", "f_b", "dentry", "q",
					       "a", "c", "e", "ok", "comm", "" };
	const char *why = NULL;

	if (btf->types < buf || btf->types_len > (size_t)(buf + size - btf->types) || btf->strs < buf ||
	    btf->strs_len > (size_t)(buf + size - btf->strs) || btf->strs_len == 0 ||
	    btf->strs[btf->strs_len - 1] != 0)
		return "sections outside the buffer, or strings unterminated";
	for (uint32_t id = 1; id <= btf->ntypes; id++) {
		struct btf_type t;
		const uint8_t *extra;
		long x;

		if (btf_type(btf, id, &t, &extra))
			return "btf_type failed for an id <= ntypes";
		x = kind_extra(t.info);
		if (x < 0 || extra < btf->types + sizeof(t) ||
		    (size_t)(extra - btf->types) + (size_t)x > btf->types_len)
			return "a record (with its vlen entries) outside the type section, or of an unknown kind";
		if (!btf_name(btf, t.name_off))
			return "a type's name outside the strings";
		(void)btf_resolve(btf, id);
	}
	static const unsigned kinds[] = { BTF_KIND_INT, BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_TYPEDEF,
					  BTF_KIND_FUNC, BTF_KIND_FWD, 0, 20 };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			unsigned kind = kinds[k];
			long id = btf_find(btf, names[i], kind);
			struct btf_type t;
			if (id >= 0 && (btf_type(btf, (uint32_t)id, &t, NULL) || BTF_INFO_KIND(t.info) != kind ||
					strcmp(btf_name(btf, t.name_off), names[i]) != 0))
				why = "btf_find returned a type of another name or kind";
			if (kind == BTF_KIND_STRUCT || kind == BTF_KIND_TYPEDEF) {
				for (size_t m = 0; m < sizeof(members) / sizeof(members[0]); m++) {
					uint32_t type;
					(void)btf_member_offset(btf, id > 0 ? (uint32_t)id : 0, members[m], &type);
				}
			}
		}
	}
	return why;
}

static void test_truncations(void)
{
	size_t bad = (size_t)-1, opened = 0, boundaries = 0;
	int bad_rc = 0;
	const char *why = NULL;
	struct btf btf;

	check_begin("btf: every truncation of the buffer fails cleanly");
	for (size_t n = 0; n < blob_size; n++) {
		uint8_t *c = copy_of(blob, n);
		int rc = btf_open(&btf, c, n);
		if (rc == 0)
			btf_close(&btf);
		if (!(rc == -EINVAL || rc == -ENOTSUP) && bad == (size_t)-1) {
			bad = n;
			bad_rc = rc;
		}
		free(c);
	}
	CHECK(bad == (size_t)-1, "length %zu of %zu: rc %d", bad, blob_size, bad_rc);
	check_end();

	/* type_len cut anywhere: it opens exactly when the cut falls between records, with the records before */
	check_begin("btf: every type_len short of the whole opens exactly at record boundaries");
	bad = (size_t)-1;
	for (size_t k = 0; k <= good.tlen; k++) {
		uint8_t *c = copy_of(blob, blob_size);
		uint32_t want_n = 0;
		int boundary = 0;

		for (uint32_t id = 1; id <= T_LAST; id++)
			boundary |= good.off[id] == k;
		boundary |= k == good.tlen;
		for (uint32_t id = 1; id <= T_LAST; id++)
			want_n += good.off[id] < k;
		boundaries += (size_t)boundary;
		put32(c, HDR(type_len), (uint32_t)k);
		int rc = btf_open(&btf, c, blob_size);
		if (rc == 0) {
			opened++;
			const char *w = exercise(&btf, c, blob_size);
			if ((w || btf.ntypes != want_n || !boundary) && bad == (size_t)-1) {
				bad = k;
				why = w ? w : "opened off a boundary or with the wrong ntypes";
			}
			btf_close(&btf);
		} else if ((rc != -EINVAL || boundary) && bad == (size_t)-1) {
			bad = k;
			bad_rc = rc;
			why = "refused";
		}
		free(c);
	}
	CHECK(bad == (size_t)-1, "type_len %zu: %s (rc %d)", bad, why ? why : "", bad_rc);
	CHECK(opened == boundaries && opened == T_LAST + 1, "%zu opened, %zu boundaries", opened, boundaries);
	check_end();

	check_begin("btf: every str_len short of the whole fails cleanly or opens consistently");
	bad = (size_t)-1;
	opened = 0;
	for (size_t k = 0; k < good.slen; k++) {
		uint8_t *c = copy_of(blob, blob_size);
		put32(c, HDR(str_len), (uint32_t)k);
		int rc = btf_open(&btf, c, blob_size);
		if (rc == 0) {
			opened++;
			const char *w = exercise(&btf, c, blob_size);
			if (w && bad == (size_t)-1) {
				bad = k;
				why = w;
			}
			btf_close(&btf);
		} else if (rc != -EINVAL && bad == (size_t)-1) {
			bad = k;
			bad_rc = rc;
			why = "an unexpected errno";
		}
		free(c);
	}
	/* it opens only once every type's name is inside (member names may still be cut off) */
	CHECK(bad == (size_t)-1, "str_len %zu: %s (rc %d)", bad, why ? why : "", bad_rc);
	check_end();
}

/* Parses c with byte off set to each of vals; an error or a consistent, usable result. */
static void corrupt_byte(uint8_t *c, size_t off, const uint8_t *vals, int nvals, size_t *opened,
			 size_t *refused, char *detail, size_t dlen)
{
	struct btf btf;

	for (int v = 0; v < nvals; v++) {
		c[off] = vals[v];
		int rc = btf_open(&btf, c, blob_size);
		if (rc == 0) {
			(*opened)++;
			const char *w = exercise(&btf, c, blob_size);
			if (w && !detail[0])
				snprintf(detail, dlen, "byte %zu = 0x%02x: %s", off, vals[v], w);
			btf_close(&btf);
		} else {
			(*refused)++;
			if (rc != -EINVAL && rc != -ENOTSUP && !detail[0])
				snprintf(detail, dlen, "byte %zu = 0x%02x: rc %d", off, vals[v], rc);
		}
	}
	c[off] = blob[off];
}

/* By default: four values for every header byte, two for every byte of the type section, one for every
 * byte of the strings; TUX_UNIT_FULL_FUZZ=1: four values everywhere. */
static void test_corruptions(void)
{
	size_t opened = 0, refused = 0;
	char detail[200] = "";
	uint8_t *c = copy_of(blob, blob_size);
	const char *full = getenv("TUX_UNIT_FULL_FUZZ");
	const int all = full && *full == '1';
	const size_t types_end = sizeof(struct btf_header) + good.tlen;

	check_begin(all ? "btf: every single-byte corruption (4 values each): an error or a consistent result"
			: "btf: single-byte corruptions of every byte (1 to 4 values): an error or a consistent result");
	for (size_t off = 0; off < blob_size; off++) {
		const uint8_t b = blob[off];
		/* 0x00, 0xff, the top bit flipped, one more (an off-by-one in a size, an offset or an id) */
		const uint8_t four[4] = { 0x00, 0xff, (uint8_t)(b ^ 0x80), (uint8_t)(b + 1) };
		const uint8_t two[2] = { off % 2 ? 0x00 : (uint8_t)(b + 1), off % 2 ? (uint8_t)(b ^ 0x80) : 0xff };

		if (all || off < sizeof(struct btf_header))
			corrupt_byte(c, off, four, 4, &opened, &refused, detail, sizeof(detail));
		else if (off < types_end)
			corrupt_byte(c, off, two, 2, &opened, &refused, detail, sizeof(detail));
		else
			corrupt_byte(c, off, &four[off % 4], 1, &opened, &refused, detail, sizeof(detail));
	}
	CHECK(!detail[0], "%s", detail);
	CHECK(opened > 0 && refused > 0, "%zu opened, %zu refused", opened, refused);
	free(c);
	check_end();
}

/* A struct whose many anonymous members are the struct itself: malformed (the kernel refuses such BTF), and
 * btf.c bounds the recursion at depth 8 -- but not the breadth, so a lookup costs vlen^9 steps. Run in a
 * child with a time limit, so a hang is reported rather than stalling the run. */
static void test_anon_fanout(void)
{
	struct bb *b = malloc(sizeof(*b));
	size_t size;
	uint8_t *c;
	pid_t child;
	int status = 0;

	check_begin("btf: a struct whose anonymous members are itself: btf_member_offset ends (within 0.5 s)");
	if (!CHECK(b != NULL, "malloc")) {
		check_end();
		return;
	}
	bb_init(b);
	bb_type(b, "int", BTF_KIND_INT, 0, 0, 4);
	bb_u32(b, 32);
	bb_type(b, "self", BTF_KIND_STRUCT, 16, 0, 4);
	for (int i = 0; i < 16; i++)
		bb_member(b, "", 2, 0);
	c = bb_blob(b, &size);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		struct btf btf;
		uint32_t type;

		struct itimerval limit = { .it_value = { .tv_sec = 0, .tv_usec = 500000 } };

		setitimer(ITIMER_REAL, &limit, NULL);
		if (btf_open(&btf, c, size) != 0)
			_exit(3);
		long rc = btf_member_offset(&btf, 2, "x", &type);
		btf_close(&btf);
		_exit(rc == -ENOENT ? 0 : 4);
	}
	if (CHECK(child > 0, "fork: %s", strerror(errno))) {
		waitpid(child, &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "%s (btf.c member_offset: depth is bounded at 8, the number of anonymous members visited is not)",
		      WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM ? "still running after 0.5 s"
		      : WIFEXITED(status) ? (WEXITSTATUS(status) == 3 ? "btf_open refused it" : "not -ENOENT")
					  : "the child died");
	}
	free(c);
	free(b);
	check_end();
}

/* ---- the running kernel's BTF ---- */

static uint8_t *read_all(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 8 << 20;
	uint8_t *buf;

	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	for (ssize_t n; buf; len += (size_t)n) {
		if (len == cap) {
			uint8_t *bigger = realloc(buf, cap * 2);
			if (!bigger)
				free(buf);
			buf = bigger;
			cap *= 2;
			if (!buf)
				break;
		}
		n = read(fd, buf + len, cap - len);
		if (n <= 0) {
			if (n < 0) {
				free(buf);
				buf = NULL;
			}
			break;
		}
	}
	close(fd);
	*size = len;
	return buf;
}

/* The offset of member path m1.m2 (m2 may be NULL) in struct `type`, as kernel_btf.c computes it. */
static long path_offset(const struct btf *btf, const char *type, const char *m1, const char *m2, uint32_t *mtype)
{
	long id = btf_find(btf, type, BTF_KIND_STRUCT), a, b = 0;
	uint32_t t = 0;

	if (id < 0)
		return id;
	if ((a = btf_member_offset(btf, (uint32_t)id, m1, &t)) < 0)
		return a;
	if (m2 && (b = btf_member_offset(btf, t, m2, &t)) < 0)
		return b;
	*mtype = t;
	return a + b;
}

/* The name of the struct type id resolves to, or "". */
static const char *struct_name(const struct btf *btf, uint32_t id)
{
	struct btf_type t;

	if (btf_type(btf, btf_resolve(btf, id), &t, NULL) || BTF_INFO_KIND(t.info) != BTF_KIND_STRUCT)
		return "";
	return btf_name(btf, t.name_off);
}

/* The number of parameters of FUNC `name`, or -1. */
static int func_params(const struct btf *btf, const char *name)
{
	long id = btf_find(btf, name, BTF_KIND_FUNC);
	struct btf_type f, p;

	if (id <= 0 || btf_type(btf, (uint32_t)id, &f, NULL) || btf_type(btf, f.type, &p, NULL) ||
	    BTF_INFO_KIND(p.info) != BTF_KIND_FUNC_PROTO)
		return -1;
	return (int)BTF_INFO_VLEN(p.info);
}

static void test_vmlinux(void)
{
	const char *path = "/sys/kernel/btf/vmlinux";
	size_t size = 0;
	uint8_t *data = access(path, R_OK) == 0 ? read_all(path, &size) : NULL;
	struct btf btf;
	uint32_t t = 0;
	long off;

	if (!data) {
		printf("ok - btf: %s (not readable here, skipped)\n", path);
		return;
	}
	check_begin("btf: /sys/kernel/btf/vmlinux: opens; vfs_read, vfs_write and what --filename reads are there");
	int rc = btf_open(&btf, data, size);
	if (CHECK(rc == 0, "btf_open of %zu bytes: %d", size, rc)) {
		CHECK(btf.ntypes > 1000, "%u types", btf.ntypes);
		long fr = btf_find(&btf, "vfs_read", BTF_KIND_FUNC), fw = btf_find(&btf, "vfs_write", BTF_KIND_FUNC);
		CHECK(fr > 0 && fw > 0, "vfs_read %ld, vfs_write %ld", fr, fw);
		/* fexit/vfs_read and fexit/vfs_write read the return value at ctx[4]: four arguments */
		CHECK(func_params(&btf, "vfs_read") == 4 && func_params(&btf, "vfs_write") == 4,
		      "vfs_read has %d parameters, vfs_write %d", func_params(&btf, "vfs_read"),
		      func_params(&btf, "vfs_write"));
		off = path_offset(&btf, "file", "f_path", NULL, &t);
		CHECK(off >= 0 && strcmp(struct_name(&btf, t), "path") == 0, "file.f_path: %ld, type '%s'", off,
		      off >= 0 ? struct_name(&btf, t) : "");
		off = path_offset(&btf, "file", "f_path", "dentry", &t);
		CHECK(off >= 0, "file.f_path.dentry: %ld", off);
		off = path_offset(&btf, "dentry", "d_name", NULL, &t);
		CHECK(off >= 0 && strcmp(struct_name(&btf, t), "qstr") == 0, "dentry.d_name: %ld, type '%s'", off,
		      off >= 0 ? struct_name(&btf, t) : "");
		/* qstr: union { struct { HASH_LEN_DECLARE; }; u64 hash_len; }; const unsigned char *name; */
		long qname = path_offset(&btf, "qstr", "name", NULL, &t);
		long qlen = path_offset(&btf, "qstr", "len", NULL, &t);
		long qhash = path_offset(&btf, "qstr", "hash", NULL, &t);
		long qhl = path_offset(&btf, "qstr", "hash_len", NULL, &t);
		CHECK(qname == 8 && qlen == 4 && qhash == 0 && qhl == 0,
		      "qstr: name %ld, len %ld, hash %ld, hash_len %ld (want 8, 4, 0, 0 on little-endian)", qname, qlen,
		      qhash, qhl);
		off = path_offset(&btf, "dentry", "d_name", "len", &t);
		CHECK(off > 0, "dentry.d_name.len (through anonymous members): %ld", off);
		static const char *const more[][2] = {
			{ "file", "f_inode" }, { "inode", "i_mode" }, { "inode", "i_ino" }, { "inode", "i_sb" },
			{ "super_block", "s_dev" },
		};
		for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
			off = path_offset(&btf, more[i][0], more[i][1], NULL, &t);
			CHECK(off >= 0, "%s.%s: %ld", more[i][0], more[i][1], off);
		}
		CHECK(btf_find(&btf, "no_such_function_here", BTF_KIND_FUNC) == -ENOENT, "found a made-up function");
		btf_close(&btf);
	}
	free(data);
	check_end();
}

void test_btf(void)
{
	build_good();
	test_good();
	test_malformed();
	test_truncations();
	test_corruptions();
	test_anon_fanout();
	test_vmlinux();
	free(blob);
	blob = NULL;
}
