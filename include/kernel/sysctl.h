/*
 * /proc/sys (Linux: include/linux/sysctl.h): kernel settings as files.
 * A subsystem describes its settings in a table of struct ctl_table, one
 * entry per file: the variable, its size, its mode, and the handler that
 * turns the variable into text and back; register_sysctl() places the
 * table under /proc/sys/PATH (fs/proc/proc_sysctl.c). The handlers in
 * kernel/sysctl.c parse and print as Linux's do: the same formats, the
 * same range checks and errors (-EINVAL for a value out of range or not a
 * number), a read at a non-zero position returning nothing, a write at one
 * ignored.
 */
#ifndef _KERNEL_SYSCTL_H
#define _KERNEL_SYSCTL_H

#include <kernel/types.h>

typedef long long loff_t;
struct ctl_table;

/*
 * Read (write 0): print the value into buffer, at most *lenp bytes, and set
 * *lenp to what was printed. Write: parse buffer[0..*lenp) (NUL-terminated)
 * into the value, and set *lenp to the bytes taken. Either moves *ppos.
 * 0 or -errno.
 */
typedef int proc_handler(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos);

struct ctl_table {
	const char *procname;	/* the file's name; NULL ends a table */
	void *data;
	int maxlen;		/* bytes of data: a string's room, or a vector's size */
	unsigned short mode;	/* 0644, 0444 ... */
	proc_handler *proc_handler;
	void *extra1, *extra2;	/* the _minmax handlers' bounds, or NULL */
};

proc_handler proc_dostring;		/* a NUL-terminated string of maxlen bytes at most */
proc_handler proc_dointvec;		/* ints, any value */
proc_handler proc_dointvec_minmax;	/* ints within [*extra1, *extra2] */
proc_handler proc_doulongvec_minmax;	/* unsigned longs within [*extra1, *extra2] */

/* Bounds for extra1/extra2. */
extern const int sysctl_vals[];
#define SYSCTL_ZERO ((void *)&sysctl_vals[0])
#define SYSCTL_ONE ((void *)&sysctl_vals[1])
#define SYSCTL_TWO ((void *)&sysctl_vals[2])

/* Put table's files in /proc/sys/path ("kernel", "vm"); 0 or -errno. */
int register_sysctl(const char *path, struct ctl_table *table);

/* The tables of kernel/sysctl.c and of the subsystems that own settings. */
void sysctl_init(void);
extern struct ctl_table hung_task_sysctls[], oom_sysctls[], page_alloc_sysctls[];

#endif
