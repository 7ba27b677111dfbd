/* tux_arch.h: per architecture, where a probed function's arguments and return value live and which
 * system calls write. The only architecture-specific file on the BPF side (Makefile: __TARGET_ARCH_*). */
#ifndef TUX_ARCH_H
#define TUX_ARCH_H

#include <linux/types.h>

#if defined(__TARGET_ARCH_x86)
/* struct pt_regs of x86_64 (arch/x86/include/uapi/asm/ptrace.h, !__i386__). The System V AMD64 calling
 * convention passes the first arguments in rdi, rsi, rdx, rcx, r8, r9. */
struct tux_pt_regs {
	__u64 r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp,
		ss;
};
#define TUX_ARG1(ctx) (((const struct tux_pt_regs *)(ctx))->di)
#define TUX_ARG3(ctx) (((const struct tux_pt_regs *)(ctx))->dx)
#define TUX_RET(ctx) (((const struct tux_pt_regs *)(ctx))->ax) /* at a kretprobe: the return value */
/* arch/x86/entry/syscalls/syscall_64.tbl: write 1, pwrite64 18, writev 20, pwritev 296, pwritev2 328 */
#define TUX_SYSCALL_IS_WRITE(nr) ((nr) == 1 || (nr) == 18 || (nr) == 20 || (nr) == 296 || (nr) == 328)
#elif defined(__TARGET_ARCH_arm64)
/* struct user_pt_regs of arm64 (arch/arm64/include/uapi/asm/ptrace.h): arguments in x0..x7. */
struct tux_pt_regs {
	__u64 regs[31];
	__u64 sp, pc, pstate;
};
#define TUX_ARG1(ctx) (((const struct tux_pt_regs *)(ctx))->regs[0])
#define TUX_ARG3(ctx) (((const struct tux_pt_regs *)(ctx))->regs[2])
#define TUX_RET(ctx) (((const struct tux_pt_regs *)(ctx))->regs[0]) /* x0 holds the return value */
/* include/uapi/asm-generic/unistd.h: write 64, writev 66, pwrite64 68, pwritev 70, pwritev2 287 */
#define TUX_SYSCALL_IS_WRITE(nr) ((nr) == 64 || (nr) == 66 || (nr) == 68 || (nr) == 70 || (nr) == 287)
#else
#error "define __TARGET_ARCH_x86 or __TARGET_ARCH_arm64"
#endif

#endif
