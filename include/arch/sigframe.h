/*
 * The x86-64 signal frame (Linux: arch/x86/include/asm/sigframe.h). A
 * handler starts with rsp pointing at pretcode, as if it had been called
 * from sa_restorer: its ret goes to the restorer, which calls rt_sigreturn
 * with rsp just past pretcode. Below the user's stack pointer, from high to
 * low: the 128-byte red zone, the fxsave image (64-byte aligned), then this
 * frame, placed so that rsp + 8 is 16-byte aligned at handler entry.
 */
#ifndef _ARCH_SIGFRAME_H
#define _ARCH_SIGFRAME_H

#include <uapi/signal.h>

struct rt_sigframe {
	char *pretcode;		/* sa_restorer */
	struct ucontext uc;
	siginfo_t info;
	/* the fpstate (struct _fpstate_64) lies above, at uc.uc_mcontext.fpstate */
};
BUILD_BUG_ON(offsetof(struct rt_sigframe, uc) != 8);	/* Linux's layout, byte for byte */
BUILD_BUG_ON(offsetof(struct rt_sigframe, info) != 312);
BUILD_BUG_ON(sizeof(struct rt_sigframe) != 440);

struct k_sigaction;
struct pt_regs;
/* Where the frame for ka goes given the user's registers; *fpstate gets the fxsave image's address. */
unsigned long get_sigframe(const struct k_sigaction *ka, const struct pt_regs *regs, unsigned long *fpstate);

#endif
