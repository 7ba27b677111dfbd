/* embed.S: puts the clang-built BPF object inside the executable as read-only bytes.
 * TUX_BPF_OBJ is the object's path, given by the Makefile; object.h declares the two symbols. */
	.section .rodata
	.balign 8
	.global tux_bpf_object
	.global tux_bpf_object_end
tux_bpf_object:
	.incbin TUX_BPF_OBJ
tux_bpf_object_end:
	.section .note.GNU-stack,"",%progbits
