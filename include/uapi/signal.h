/*
 * Signals as user space sees them on x86-64 (Linux: include/uapi/asm/signal.h,
 * asm-generic/signal-defs.h, asm-generic/siginfo.h, asm/sigcontext.h,
 * asm/ucontext.h). Numbers, flags and struct layouts are the ABI: musl and
 * glibc read these bytes directly, so every offset matches Linux's (checked by
 * the BUILD_BUG_ONs after each struct and the signal_frame_layout ktest).
 */
#ifndef _UAPI_SIGNAL_H
#define _UAPI_SIGNAL_H

#include <kernel/types.h>
#include <kernel/compiler.h>

typedef u64 sigset_t;		/* the kernel's sigset: bit (sig - 1); musl's 128-byte one is a superset */

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 32
#define SIGRTMAX 64
#define _NSIG 64

/* sigaction's handler values and flags. */
#define SIG_DFL ((void *)0)
#define SIG_IGN ((void *)1)
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_UNSUPPORTED 0x00000400	/* never accepted: lets programs probe for unknown-flag clearing */
#define SA_EXPOSE_TAGBITS 0x00000800
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

/* rt_sigprocmask's how. */
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* sigaltstack. */
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1U << 31)	/* disarm the stack while a handler runs on it */
#define SS_FLAG_BITS SS_AUTODISARM
#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192

typedef struct sigaltstack {
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
} stack_t;
BUILD_BUG_ON(sizeof(stack_t) != 24);

/* si_code values. Positive values are per-signal; zero and negative say who sent it. */
#define SI_USER 0		/* kill() */
#define SI_KERNEL 0x80		/* the kernel */
#define SI_QUEUE (-1)
#define SI_TIMER (-2)
#define SI_TKILL (-6)		/* tkill(), tgkill() */
#define ILL_ILLOPC 1
#define ILL_ILLOPN 2
#define ILL_PRVOPC 5
#define FPE_INTDIV 1
#define FPE_INTOVF 2
#define FPE_FLTDIV 3
#define FPE_FLTINV 7
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define TRAP_BRKPT 1
#define TRAP_TRACE 2
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* siginfo_t: 128 bytes; the union starts at 16 because it holds pointers and longs. */
typedef struct siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	union {
		int _pad[28];
		struct {		/* kill(), tkill(), tgkill() */
			int si_pid;
			unsigned int si_uid;
		} _kill;
		struct {		/* SIGCHLD */
			int si_pid;
			unsigned int si_uid;
			int si_status;
			long si_utime;
			long si_stime;
		} _sigchld;
		struct {		/* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
			void *si_addr;
			short si_addr_lsb;
		} _sigfault;
	} _sifields;
} siginfo_t;
BUILD_BUG_ON(sizeof(siginfo_t) != 128);
BUILD_BUG_ON(offsetof(siginfo_t, _sifields) != 16);

/* The FPU/SSE registers in the frame: the 512-byte fxsave image (Linux: struct _fpstate_64). */
struct _fpstate_64 {
	u16 cwd, swd, twd, fop;	/* twd is the abridged tag word */
	u64 rip, rdp;
	u32 mxcsr, mxcsr_mask;
	u32 st_space[32];	/* 8 x87 registers, 16 bytes each */
	u32 xmm_space[64];	/* 16 XMM registers, 16 bytes each */
	u32 reserved2[12];
	u32 sw_reserved[12];	/* struct _fpx_sw_bytes when XSAVE is used; zero here */
};
BUILD_BUG_ON(sizeof(struct _fpstate_64) != 512);
BUILD_BUG_ON(offsetof(struct _fpstate_64, mxcsr) != 24);
BUILD_BUG_ON(offsetof(struct _fpstate_64, xmm_space) != 160);

/* The general registers in the frame (Linux: struct sigcontext, 64-bit). */
struct sigcontext {
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp;
	u64 rip, eflags;
	u16 cs, gs, fs;
	u16 ss;			/* __pad0 before UC_SIGCONTEXT_SS */
	u64 err, trapno, oldmask, cr2;
	u64 fpstate;		/* struct _fpstate_64 *, or 0 */
	u64 reserved1[8];
};
BUILD_BUG_ON(sizeof(struct sigcontext) != 256);
BUILD_BUG_ON(offsetof(struct sigcontext, rip) != 128);
BUILD_BUG_ON(offsetof(struct sigcontext, cs) != 144);
BUILD_BUG_ON(offsetof(struct sigcontext, err) != 152);
BUILD_BUG_ON(offsetof(struct sigcontext, fpstate) != 184);

#define UC_FP_XSTATE 0x1
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4

struct ucontext {
	unsigned long uc_flags;
	struct ucontext *uc_link;
	stack_t uc_stack;
	struct sigcontext uc_mcontext;
	sigset_t uc_sigmask;	/* the mask sigreturn restores */
};
BUILD_BUG_ON(offsetof(struct ucontext, uc_mcontext) != 40);
BUILD_BUG_ON(offsetof(struct ucontext, uc_sigmask) != 296);

#endif
