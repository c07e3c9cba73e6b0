/*
 * Time in the Linux x86-64 ABI (Linux: include/uapi/linux/time.h,
 * time_types.h, times.h): the structs clock_gettime(), gettimeofday(),
 * nanosleep() and times() exchange with user space, and the clock ids.
 */
#ifndef _UAPI_TIME_H
#define _UAPI_TIME_H

#include <kernel/types.h>

struct __kernel_timespec {
	s64 tv_sec;
	long long tv_nsec;
};

struct __kernel_old_timeval {
	long tv_sec;
	long tv_usec;
};

struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

/* times(): clock_t is a long counted in USER_HZ ticks. */
struct tms {
	long tms_utime;
	long tms_stime;
	long tms_cutime;
	long tms_cstime;
};

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

#define TIMER_ABSTIME 0x01

#endif
