/* tux_arch.h: where a probed function's arguments live in the kprobe context, per architecture.
 * This is the only architecture-specific file on the BPF side; the Makefile defines __TARGET_ARCH_*. */
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
#elif defined(__TARGET_ARCH_arm64)
/* struct user_pt_regs of arm64 (arch/arm64/include/uapi/asm/ptrace.h): arguments in x0..x7. */
struct tux_pt_regs {
	__u64 regs[31];
	__u64 sp, pc, pstate;
};
#define TUX_ARG1(ctx) (((const struct tux_pt_regs *)(ctx))->regs[0])
#define TUX_ARG3(ctx) (((const struct tux_pt_regs *)(ctx))->regs[2])
#else
#error "define __TARGET_ARCH_x86 or __TARGET_ARCH_arm64"
#endif

#endif
