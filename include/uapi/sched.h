/*
 * clone() flags (Linux: include/uapi/linux/sched.h), as user space passes
 * them to clone(); the low byte (CSIGNAL) is the child's exit signal. The
 * flags above 32 bits and struct clone_args are clone3()'s.
 */
#ifndef _UAPI_SCHED_H
#define _UAPI_SCHED_H

#define CSIGNAL 0x000000ff
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_CLEAR_SIGHAND 0x100000000ULL	/* clone3: the child's handlers back to SIG_DFL */
#define CLONE_INTO_CGROUP 0x200000000ULL	/* clone3: start the child in clone_args.cgroup */

/* clone3()'s arguments; a shorter struct of an older version is accepted (sizes below). */
struct clone_args {
	unsigned long long flags;
	unsigned long long pidfd;
	unsigned long long child_tid;
	unsigned long long parent_tid;
	unsigned long long exit_signal;
	unsigned long long stack;
	unsigned long long stack_size;
	unsigned long long tls;
	unsigned long long set_tid;
	unsigned long long set_tid_size;
	unsigned long long cgroup;
};
#define CLONE_ARGS_SIZE_VER0 64		/* up to tls */
#define CLONE_ARGS_SIZE_VER1 80		/* set_tid */
#define CLONE_ARGS_SIZE_VER2 88		/* cgroup */

#endif
