/* The OOM killer's user-visible ranges (Linux: include/uapi/linux/oom.h). */
#ifndef _UAPI_OOM_H
#define _UAPI_OOM_H

/* /proc/PID/oom_score_adj: -1000 exempts the process, +1000 offers it first. */
#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000

/* The legacy /proc/PID/oom_adj: -16..15, and -17 for "never". */
#define OOM_DISABLE (-17)
#define OOM_ADJUST_MIN (-16)
#define OOM_ADJUST_MAX 15

#endif
