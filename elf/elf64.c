/* elf64.c: reads section headers, section names and symbols of an ELF64 object held in memory.
 * Nothing here trusts the file: each header, table and string is checked against the buffer. */
#include "elf64.h"

#include <errno.h>
#include <string.h>

/* off + len lies inside [0, size), with no overflow. */
static int in_bounds(size_t size, uint64_t off, uint64_t len)
{
	return off <= size && len <= size - off;
}

const char *elf_string(const uint8_t *table, size_t table_size, size_t off)
{
	if (!table || off >= table_size)
		return NULL;
	if (!memchr(table + off, 0, table_size - off))
		return NULL;
	return (const char *)table + off;
}

static int read_shdr(const struct elf_file *elf, unsigned idx, Elf64_Shdr *out)
{
	uint64_t off = elf->ehdr.e_shoff + (uint64_t)idx * sizeof(*out);

	if (idx >= elf->shnum || !in_bounds(elf->size, off, sizeof(*out)))
		return -EINVAL;
	memcpy(out, elf->buf + off, sizeof(*out)); /* memcpy: the buffer need not be aligned */
	return 0;
}

/* A section's bytes, checked against the file. SHT_NOBITS occupies no file space. */
static int section_data(const struct elf_file *elf, const Elf64_Shdr *sh, const uint8_t **data)
{
	if (sh->sh_type == SHT_NOBITS) {
		*data = NULL;
		return 0;
	}
	if (!in_bounds(elf->size, sh->sh_offset, sh->sh_size))
		return -EINVAL;
	*data = elf->buf + sh->sh_offset;
	return 0;
}

int elf_open(struct elf_file *elf, const void *buf, size_t size, uint16_t machine)
{
	Elf64_Shdr sh;
	const uint8_t *data;

	memset(elf, 0, sizeof(*elf));
	elf->buf = buf;
	elf->size = size;
	elf->symtab_idx = -1;
	if (size < sizeof(Elf64_Ehdr) || memcmp(buf, ELFMAG, SELFMAG) != 0)
		return -ENOTSUP;
	memcpy(&elf->ehdr, buf, sizeof(elf->ehdr));
	if (elf->ehdr.e_ident[EI_CLASS] != ELFCLASS64 || elf->ehdr.e_ident[EI_DATA] != ELFDATA2LSB)
		return -ENOTSUP;
	if (elf->ehdr.e_type != ET_REL || (machine && elf->ehdr.e_machine != machine))
		return -ENOTSUP;
	if (elf->ehdr.e_shentsize != sizeof(Elf64_Shdr))
		return -EINVAL;
	/* Objects with 0xff00 or more sections keep the count elsewhere; a BPF object never needs that. */
	elf->shnum = elf->ehdr.e_shnum;
	if (elf->shnum == 0 || elf->ehdr.e_shstrndx >= elf->shnum)
		return -EINVAL;
	if (!in_bounds(size, elf->ehdr.e_shoff, (uint64_t)elf->shnum * sizeof(Elf64_Shdr)))
		return -EINVAL;

	if (read_shdr(elf, elf->ehdr.e_shstrndx, &sh) || sh.sh_type != SHT_STRTAB ||
	    section_data(elf, &sh, &data))
		return -EINVAL;
	elf->shstrtab = data;
	elf->shstrtab_size = sh.sh_size;

	for (unsigned i = 1; i < elf->shnum; i++) {
		Elf64_Shdr str;

		if (read_shdr(elf, i, &sh))
			return -EINVAL;
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		if (elf->symtab_idx >= 0 || sh.sh_entsize != sizeof(Elf64_Sym) ||
		    section_data(elf, &sh, &data) || sh.sh_size % sizeof(Elf64_Sym))
			return -EINVAL;
		if (read_shdr(elf, sh.sh_link, &str) || str.sh_type != SHT_STRTAB ||
		    section_data(elf, &str, &elf->strtab))
			return -EINVAL;
		elf->strtab_size = str.sh_size;
		elf->symtab_idx = (int)i;
		elf->nsyms = sh.sh_size / sizeof(Elf64_Sym);
	}
	return 0;
}

int elf_section(const struct elf_file *elf, unsigned idx, struct elf_section *out)
{
	memset(out, 0, sizeof(*out));
	if (read_shdr(elf, idx, &out->hdr) || section_data(elf, &out->hdr, &out->data))
		return -EINVAL;
	out->idx = idx;
	out->size = out->hdr.sh_size;
	out->name = elf_string(elf->shstrtab, elf->shstrtab_size, out->hdr.sh_name);
	return out->name ? 0 : -EINVAL;
}

int elf_find_section(const struct elf_file *elf, const char *name, struct elf_section *out)
{
	for (unsigned i = 1; i < elf->shnum; i++) {
		int err = elf_section(elf, i, out);

		if (err)
			return err;
		if (strcmp(out->name, name) == 0)
			return 0;
	}
	return -ENOENT;
}

int elf_symbol(const struct elf_file *elf, size_t idx, struct elf_symbol *out)
{
	Elf64_Shdr sh;

	if (elf->symtab_idx < 0 || idx >= elf->nsyms || read_shdr(elf, (unsigned)elf->symtab_idx, &sh))
		return -EINVAL;
	/* symtab bounds were checked at open; the entry lies inside it. */
	memcpy(&out->sym, elf->buf + sh.sh_offset + idx * sizeof(Elf64_Sym), sizeof(out->sym));
	out->name = elf_string(elf->strtab, elf->strtab_size, out->sym.st_name);
	return out->name ? 0 : -EINVAL;
}
