/*
 * Named delay-injection points, so tests can force each ordering of a race
 * deterministically. Code marks a point with delay_point("name"); a task
 * that reaches an armed point stalls there:
 *
 *   NAME:MS             sleeps MS milliseconds (uninterruptibly), then goes on
 *   NAME:hold           sleeps TASK_UNINTERRUPTIBLE until released: a "stuck"
 *                       task, which SIGKILL does not free and the hung-task
 *                       detector reports
 *   NAME:hold-killable  the same in TASK_KILLABLE: SIGKILL also frees it
 *   NAME:hold-until=OTHER  as hold, until a task reaches the point OTHER
 *                       (which need not be armed itself; if it is, only a
 *                       task its filter names counts); from then on
 *                       tasks pass NAME. Two tasks' steps are ordered this
 *                       way with nobody watching in between.
 *
 * Any of these may end in a filter, so that only one task stalls:
 * "@pid=N" (that thread) or "@comm=NAME" (tasks of that name). Commands on
 * an armed point: NAME:release (every task held there goes on; the point
 * stays armed), NAME:release-one (the task that arrived first goes on),
 * NAME:off (disarm, releasing every holder).
 *
 * Points are armed at boot with delay=CMD[,CMD...] (e.g.
 * delay=mmput_before_exit_mmap:hold@comm=memhog), at run time by writing
 * commands (separated by commas or newlines) to tracefs's delay_points file
 * (/sys/kernel/tracing/delay_points, which lists the armed points when read),
 * and by ktests with delay_point_control() or delay_point_set().
 *
 * A held task sleeps in delay_point_hold(), so /proc/PID/wchan and the task
 * dump (SysRq t) name the place. Each stall records the trace events
 * delay:reached and delay:released. With nothing armed a point costs one
 * load and one branch.
 *
 * Names: the function or step they sit in, then where, in snake case:
 * "mmput_before_exit_mmap", "oom_reap_task_mm_locked". A point must be in
 * code that may sleep.
 */
#ifndef _KERNEL_DELAY_POINT_H
#define _KERNEL_DELAY_POINT_H

#include <kernel/types.h>
#include <kernel/compiler.h>

enum delay_mode { DELAY_SLEEP, DELAY_HOLD, DELAY_HOLD_KILLABLE };	/* delay:reached's mode */
enum delay_release { DELAY_SLEPT, DELAY_RELEASED, DELAY_KILLED, DELAY_DISARMED };	/* delay:released's reason */

#define DELAY_NAME_LEN 48
#define MAX_DELAY_POINTS 16

extern bool delay_points_armed;
void __delay_point(const char *name);
static inline void delay_point(const char *name)
{
	if (unlikely(READ_ONCE(delay_points_armed)))
		__delay_point(name);
}

/* One command as above ("NAME:hold@pid=12"); 0, -EINVAL, -ENOSPC (table full) or -ENOENT (not armed). */
int delay_point_control(const char *cmd);
/* Arm the point name to sleep ms milliseconds, or disarm it (ms == 0). 0, -EINVAL or -ENOSPC. */
int delay_point_set(const char *name, unsigned int ms);
/* How many tasks stalled at an armed point since it was armed, and how many are held there now. */
unsigned long delay_point_hits(const char *name);
unsigned int delay_point_waiters(const char *name);
/*
 * The armed points, one line each: "NAME MODE FILTER hits=N waiting=N",
 * MODE being "40ms", "hold" or "hold-killable", FILTER "all", "pid=N" or
 * "comm=NAME". Returns what snprintf() would (the length needed).
 */
int delay_points_show(char *buf, size_t size);

#endif
