/* tuxscope_maps.h: the project's map definition format, the one contract between bpf/ and the loader.
 * A BPF object declares each map as a struct tux_map_def in section "maps"; the symbol names the map. */
#ifndef TUXSCOPE_MAPS_H
#define TUXSCOPE_MAPS_H

#include <linux/types.h>

/* Fields mirror union bpf_attr's BPF_MAP_CREATE part (map_type, key_size, value_size, max_entries,
 * map_flags), so the loader passes them through unchanged. */
struct tux_map_def {
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 flags;
};

#endif
