/* bpfnames.h: the names of the kernel's BPF enums (map and program types) as people write them,
 * "RINGBUF" for BPF_MAP_TYPE_RINGBUF, for the narrative and reports. */
#ifndef TUX_BPFNAMES_H
#define TUX_BPFNAMES_H

#include <stdint.h>

/* The name after BPF_MAP_TYPE_, or NULL for a type this table does not know. */
const char *bpf_map_type_name(uint32_t type);
/* The name after BPF_PROG_TYPE_, or NULL. */
const char *bpf_prog_type_name(uint32_t type);

#endif
