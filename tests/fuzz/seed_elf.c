/* seed_elf.c: compiled with clang -target bpf -g, DWARF stripped, into a small seed for fuzz_elf that has
 * every kind of map and relocation bpf_object.c resolves, so mutants of a few KB reach all of its paths. */
#include <linux/bpf.h>
#include <linux/types.h>

#include "tuxscope_maps.h"

/* libbpf's bpf_helpers.h conventions, spelled out: the seed needs no libbpf headers. */
#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) __typeof__(val) *name
#define __ksym __attribute__((section(".ksyms")))
#define __kconfig __attribute__((section(".kconfig")))
#define __weak __attribute__((weak))

static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)BPF_FUNC_map_lookup_elem;
static long (*bpf_loop)(__u32 nr, void *fn, void *ctx, __u64 flags) = (void *)BPF_FUNC_loop;

/* A legacy map (the project's own format) and a BTF-defined one. SEED_NO_BTF (built without -g, so with
 * no .BTF): the legacy map stands in for it, and the object is half the size. */
struct tux_map_def legacy SEC("maps") = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 8,
					  .max_entries = 4 };
#ifdef SEED_NO_BTF
#define btf_map legacy
#else
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64[2]);
	__uint(pinning, 0); /* a field that says where the map lives, not its shape: skipped */
} btf_map SEC(".maps");
#endif

/* Global data in .data, .bss, .rodata and clang's string section, and two kinds of extern. */
__u64 counter = 1;
__u64 zeros[4];
const volatile __u32 setting = 3;
extern __u32 LINUX_KERNEL_VERSION __kconfig;
extern int bpf_seed_kfunc(int x) __ksym __weak;

/* A global function (called through its symbol) and a static one (through .text's section symbol). */
__attribute__((noinline)) int global_fn(__u32 key)
{
	__u64 *v = bpf_map_lookup_elem(&btf_map, &key);

	zeros[key & 3] += v ? *v : setting;
	return 1;
}

static __attribute__((noinline)) int static_fn(__u64 x)
{
	counter++;
	return global_fn((__u32)x) + (int)sizeof("a literal");
}

static int callback(__u32 i, void *ctx)
{
	return (int)i + (ctx != 0);
}

SEC("kprobe/seed") int seed_prog(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&legacy, &key);
	int r = static_fn(v ? *v : 0);

	bpf_loop(4, callback, ctx, 0); /* callback's address: ld_imm64 with BPF_PSEUDO_FUNC */
	if (LINUX_KERNEL_VERSION > 0x050800 && bpf_seed_kfunc)
		r += bpf_seed_kfunc(r);
	return r;
}

/* Two programs in one section: libbpf (and bpf_object.c) split it by function symbol. */
SEC("tracepoint/seed") int seed_first(void *ctx)
{
	return global_fn(1) + (ctx != 0);
}

SEC("tracepoint/seed") int seed_second(void *ctx)
{
	return global_fn(2) + (int)counter;
}

char LICENSE[] SEC("license") = "GPL";
