/* elf64.h: a minimal, bounds-checked reader of little-endian ELF64 relocatable objects.
 * Pure functions over a byte buffer: no syscalls, no allocation, every offset checked before use. */
#ifndef TUX_ELF64_H
#define TUX_ELF64_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

struct elf_file {
	const uint8_t *buf;
	size_t size;
	Elf64_Ehdr ehdr;
	uint16_t shnum;
	const uint8_t *shstrtab; /* section name strings, bounds-checked at open */
	size_t shstrtab_size;
	int symtab_idx;          /* index of SHT_SYMTAB, or -1 */
	const uint8_t *strtab;   /* the symbol table's string table */
	size_t strtab_size;
	size_t nsyms;
};

struct elf_section {
	unsigned idx;
	const char *name;
	Elf64_Shdr hdr;
	const uint8_t *data; /* NULL for SHT_NOBITS */
	size_t size;
};

struct elf_symbol {
	const char *name;
	Elf64_Sym sym;
};

/* Each returns 0 or a negative errno (-EINVAL: malformed, -ENOENT: not there, -ENOTSUP: not ELF64 LE). */
int elf_open(struct elf_file *elf, const void *buf, size_t size, uint16_t machine);
int elf_section(const struct elf_file *elf, unsigned idx, struct elf_section *out);
int elf_find_section(const struct elf_file *elf, const char *name, struct elf_section *out);
int elf_symbol(const struct elf_file *elf, size_t idx, struct elf_symbol *out);
/* A string table entry that is NUL-terminated inside the table, or NULL. */
const char *elf_string(const uint8_t *table, size_t table_size, size_t off);

#endif
