/* sysinfo() (Linux: include/uapi/linux/sysinfo.h), the x86-64 layout: 112 bytes. */
#ifndef _UAPI_SYSINFO_H
#define _UAPI_SYSINFO_H

#include <kernel/types.h>

#define SI_LOAD_SHIFT 16

struct sysinfo {
	long uptime;			/* seconds since boot */
	unsigned long loads[3];		/* 1, 5 and 15 minute load averages << SI_LOAD_SHIFT */
	unsigned long totalram;		/* sizes in units of mem_unit bytes */
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	u16 procs;			/* tasks (threads) alive */
	u16 pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	u32 mem_unit;
	char _f[4];			/* Linux: 20 - 2 * sizeof(long) - sizeof(u32) = 0 on 64-bit, plus the tail padding */
};

#endif
