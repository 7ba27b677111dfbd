/* fuzz_btf.c: libFuzzer target for elf/btf.c: opens the input as BTF, then reads, resolves and sizes every
 * type, and makes the loader's own lookups (struct file's members, FUNC vfs_read) on whatever it holds. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "fuzz_input.h"

/* Entries that follow a type's header, as linux/btf.h lays them out (independent of btf.c's own table). */
static size_t extra_bytes(const struct btf_type *t)
{
	size_t vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT: return sizeof(uint32_t);
	case BTF_KIND_ARRAY: return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM: return vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO: return vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR: return sizeof(struct btf_var);
	case BTF_KIND_DATASEC: return vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG: return sizeof(struct btf_decl_tag);
	case BTF_KIND_ENUM64: return vlen * sizeof(struct btf_enum64);
	default: return 0;
	}
}

/* Names the loader and common tools look up, and one that no BTF has. */
static const char *const member_names[] = { "f_path", "dentry", "f_inode", "d_name", "name", "len",
					    "i_mode", "i_ino", "i_sb", "s_dev", "", "\x01none" };

/* The loader's lookups (loader/kernel_btf.c, loader/attach_fentry.c), checked for sane answers. */
static void loader_lookups(const struct btf *btf)
{
	static const struct {
		const char *name;
		unsigned kind;
	} want[] = {
		{ "file", BTF_KIND_STRUCT },   { "dentry", BTF_KIND_STRUCT }, { "inode", BTF_KIND_STRUCT },
		{ "super_block", BTF_KIND_STRUCT }, { "qstr", BTF_KIND_STRUCT }, { "vfs_read", BTF_KIND_FUNC },
		{ "vfs_write", BTF_KIND_FUNC }, { "", BTF_KIND_INT },          { "u32", BTF_KIND_TYPEDEF },
	};

	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		long id = btf_find(btf, want[w].name, want[w].kind);
		struct btf_type t;

		if (id == -ENOENT)
			continue;
		FUZZ_ASSERT(id > 0 && id <= btf->ntypes, "btf_find(%s) = %ld of %u", want[w].name, id,
			    btf->ntypes);
		FUZZ_ASSERT(btf_type(btf, (uint32_t)id, &t, NULL) == 0, "found id %ld unreadable", id);
		FUZZ_ASSERT(BTF_INFO_KIND(t.info) == want[w].kind, "found %s of kind %u", want[w].name,
			    BTF_INFO_KIND(t.info));
		FUZZ_ASSERT(strcmp(btf_name(btf, t.name_off), want[w].name) == 0, "found the wrong name");
		if (want[w].kind == BTF_KIND_FUNC) {
			/* attach_fentry passes the id on; a FUNC names its FUNC_PROTO by type. */
			btf_resolve(btf, t.type);
			continue;
		}
		for (size_t m = 0; m < sizeof(member_names) / sizeof(member_names[0]); m++) {
			uint32_t mt = UINT32_MAX;
			long off = btf_member_offset(btf, (uint32_t)id, member_names[m], &mt);

			if (off < 0) {
				FUZZ_ASSERT(off == -ENOENT || off == -ENOTSUP, "member_offset %ld", off);
				continue;
			}
			/* The second step of the loader's paths, e.g. file.f_path.dentry. */
			for (size_t m2 = 0; m2 < sizeof(member_names) / sizeof(member_names[0]); m2 += 3) {
				uint32_t mt2;
				btf_member_offset(btf, mt, member_names[m2], &mt2);
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf btf;
	uint8_t *buf = fuzz_input_copy(data, size);

	if (!buf)
		return 0;

	int rc = btf_open(&btf, buf, size);
	if (rc) {
		FUZZ_ASSERT(rc == -EINVAL || rc == -ENOTSUP || rc == -ENOMEM, "btf_open returned %d", rc);
		free(buf);
		return 0;
	}
	touch(btf.types, btf.types_len, "type section");
	touch(btf.strs, btf.strs_len, "string section");

	/* Structs and unions get their members looked up by their own names: a budget keeps vmlinux-sized
	 * inputs to a few hundred thousand lookups. */
	size_t member_budget = 20000;
	struct btf_type t;
	const uint8_t *extra;

	FUZZ_ASSERT(btf_type(&btf, 0, &t, &extra) != 0, "void (id 0) has a record");
	FUZZ_ASSERT(btf_type(&btf, btf.ntypes + 1, &t, &extra) != 0, "id past ntypes accepted");
	FUZZ_ASSERT(btf_type_size(&btf, 0) == -EINVAL, "void has a size");
	FUZZ_ASSERT(btf_type_size(&btf, btf.ntypes + 1) == -EINVAL, "id past ntypes has a size");
	for (uint32_t id = 1; id <= btf.ntypes; id++) {
		FUZZ_ASSERT(btf_type(&btf, id, &t, &extra) == 0, "id %u of %u unreadable", id, btf.ntypes);
		touch(extra - sizeof(t), sizeof(t) + extra_bytes(&t), "type record");
		FUZZ_ASSERT(btf_extra_size(&t) == (long)extra_bytes(&t), "type %u of kind %u: btf_extra_size "
			    "%ld, linux/btf.h says %zu", id, BTF_INFO_KIND(t.info), btf_extra_size(&t),
			    extra_bytes(&t));
		long size = btf_type_size(&btf, id);
		FUZZ_ASSERT((size >= 0 && size <= (long)UINT32_MAX) || size == -EINVAL || size == -E2BIG ||
			    size == -ELOOP, "type %u: btf_type_size %ld", id, size);
		const char *name = btf_name(&btf, t.name_off);
		FUZZ_ASSERT(name, "type %u: name offset %u accepted at open, refused now", id, t.name_off);
		touch_string(name, "type name");

		uint32_t r = btf_resolve(&btf, id);
		struct btf_type rt;
		if (btf_type(&btf, r, &rt, NULL) == 0)
			sink ^= (uint8_t)rt.info;

		unsigned kind = BTF_INFO_KIND(t.info);
		if ((kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION) && member_budget) {
			struct btf_member m;
			size_t n = BTF_INFO_VLEN(t.info) < 4 ? BTF_INFO_VLEN(t.info) : 4;

			for (size_t i = 0; i < n && member_budget; i++, member_budget--) {
				uint32_t mt;
				memcpy(&m, extra + i * sizeof(m), sizeof(m));
				const char *mname = btf_name(&btf, m.name_off);
				if (mname) {
					touch_string(mname, "member name");
					btf_member_offset(&btf, id, mname, &mt);
				}
			}
		}
	}
	loader_lookups(&btf);
	btf_close(&btf);
	free(buf);
	return 0;
}
