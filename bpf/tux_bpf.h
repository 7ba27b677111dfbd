/* tux_bpf.h: the project's own minimal BPF-side header: section macro, map definition format, helpers.
 * It replaces libbpf's bpf_helpers.h; the loader (elf/bpf_object.c) reads exactly what is declared here. */
#ifndef TUX_BPF_H
#define TUX_BPF_H

#include <linux/bpf.h>
#include "tuxscope_maps.h"

/* Each program lives in its own ELF section; the section name says how it attaches (see README). */
#define SEC(name) __attribute__((section(name), used))

/* A map is a global struct tux_map_def in the "maps" section. The loader creates one kernel map per
 * symbol there and, for every ld_imm64 relocated against that symbol, writes the map fd into the
 * instruction with src_reg = BPF_PSEUDO_MAP_FD. */
#define TUX_MAP(name, type_, key_size_, value_size_, max_entries_)                          \
	struct tux_map_def name SEC("maps") = {                                           \
		.type = (type_), .key_size = (key_size_), .value_size = (value_size_),   \
		.max_entries = (max_entries_),                                            \
	}

#undef __always_inline /* linux/stddef.h defines it as a plain inline */
#define __always_inline inline __attribute__((always_inline))
#ifndef NULL
#define NULL ((void *)0)
#endif

/* A helper call is "call IMM" with IMM the helper's id from enum bpf_func_id (linux/bpf.h). Declaring
 * each helper as a function pointer whose value is that id makes clang emit exactly that call. */
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)BPF_FUNC_map_lookup_elem;
static __u64 (*bpf_ktime_get_ns)(void) = (void *)BPF_FUNC_ktime_get_ns;
static __u64 (*bpf_get_current_pid_tgid)(void) = (void *)BPF_FUNC_get_current_pid_tgid;
static long (*bpf_get_current_comm)(void *buf, __u32 size) = (void *)BPF_FUNC_get_current_comm;
static void *(*bpf_ringbuf_reserve)(void *ringbuf, __u64 size, __u64 flags) =
	(void *)BPF_FUNC_ringbuf_reserve;
static void (*bpf_ringbuf_submit)(void *data, __u64 flags) = (void *)BPF_FUNC_ringbuf_submit;
static __u64 (*bpf_ringbuf_query)(void *ringbuf, __u64 flags) = (void *)BPF_FUNC_ringbuf_query;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value, __u64 flags) =
	(void *)BPF_FUNC_map_update_elem;
static long (*bpf_map_delete_elem)(void *map, const void *key) = (void *)BPF_FUNC_map_delete_elem;
static long (*bpf_ringbuf_output)(void *ringbuf, void *data, __u64 size, __u64 flags) =
	(void *)BPF_FUNC_ringbuf_output;
static long (*bpf_probe_read_kernel)(void *dst, __u32 size, const void *unsafe_ptr) =
	(void *)BPF_FUNC_probe_read_kernel;
static long (*bpf_probe_read_kernel_str)(void *dst, __u32 size, const void *unsafe_ptr) =
	(void *)BPF_FUNC_probe_read_kernel_str;
static long (*bpf_probe_read_user)(void *dst, __u32 size, const void *unsafe_ptr) =
	(void *)BPF_FUNC_probe_read_user;

#endif
