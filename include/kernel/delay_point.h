/*
 * Named delay-injection points, so tests can force each ordering of a race
 * deterministically. Code marks a point with delay_point("name"); booting
 * with delay=name:MS[,name:MS...] makes the task that reaches the point
 * sleep MS milliseconds there (logging it). With no parameter a point costs
 * one comparison. A ktest arms and disarms points with delay_point_set().
 */
#ifndef _KERNEL_DELAY_POINT_H
#define _KERNEL_DELAY_POINT_H

#include <kernel/types.h>

extern bool delay_points_armed;
void __delay_point(const char *name);
/* Arm the point name for ms milliseconds, or disarm it (ms == 0). 0, -EINVAL or -ENOSPC. */
int delay_point_set(const char *name, unsigned int ms);
static inline void delay_point(const char *name)
{
	if (delay_points_armed)
		__delay_point(name);
}

#endif
