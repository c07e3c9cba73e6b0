/*
 * Delay-injection points; see include/kernel/delay_point.h. The table is
 * filled at boot from delay=, and changed by ktests through delay_point_set().
 *
 * Locking: delays_lock guards the table once tasks run; a point copies its
 * delay under it and sleeps after dropping it.
 */
#include <kernel/kernel.h>
#include <kernel/cmdline.h>
#include <kernel/delay_point.h>
#include <kernel/sched.h>
#include <kernel/timer.h>
#include <lib/string.h>
#include <uapi/errno.h>

#define MAX_DELAYS 8

static struct {
	char name[48];
	unsigned int ms;
} delays[MAX_DELAYS];
bool delay_points_armed;
static DEFINE_SPINLOCK(delays_lock);

/* delay=name:ms[,name:ms...] */
static int delay_setup(char *val)
{
	unsigned int n = 0;

	for (char *s = val; *s && n < MAX_DELAYS; n++) {
		char *colon = strchr(s, ':'), *comma = strchr(s, ',');
		if (!colon || (comma && comma < colon) || colon == s || (size_t)(colon - s) >= sizeof(delays[0].name))
			return -EINVAL;
		memcpy(delays[n].name, s, colon - s);
		delays[n].name[colon - s] = 0;
		char *end;
		delays[n].ms = simple_strtoul(colon + 1, &end, 10);
		if (end == colon + 1 || (*end && *end != ','))
			return -EINVAL;
		s = *end ? end + 1 : end;
	}
	delay_points_armed = n > 0;
	return 0;
}
__setup("delay=", delay_setup);

/* The slot of name, or the number of slots in use if it has none. */
static unsigned int delay_slot(const char *name, unsigned int *used)
{
	unsigned int i, slot = MAX_DELAYS;

	for (i = 0; i < MAX_DELAYS && delays[i].name[0]; i++)
		if (slot == MAX_DELAYS && !strcmp(delays[i].name, name))
			slot = i;
	*used = i;
	return slot == MAX_DELAYS ? i : slot;
}

int delay_point_set(const char *name, unsigned int ms)
{
	unsigned int used, i;
	int err = 0;

	if (!*name || strlen(name) >= sizeof(delays[0].name))
		return -EINVAL;
	spin_lock(&delays_lock);
	i = delay_slot(name, &used);
	if (ms && i == MAX_DELAYS) {
		err = -ENOSPC;
	} else if (ms) {
		strlcpy(delays[i].name, name, sizeof(delays[i].name));
		delays[i].ms = ms;
		if (i == used)
			used++;
	} else if (i < used) {	/* disarm: the last slot fills the hole */
		delays[i] = delays[used - 1];
		delays[--used].name[0] = 0;
	}
	WRITE_ONCE(delay_points_armed, used > 0);
	spin_unlock(&delays_lock);
	return err;
}

void __delay_point(const char *name)
{
	unsigned int used, ms = 0;

	spin_lock(&delays_lock);
	unsigned int i = delay_slot(name, &used);
	if (i < used)
		ms = delays[i].ms;
	spin_unlock(&delays_lock);
	if (i >= used)
		return;
	pr_info("delay_point: %s: %s[%d] sleeps %u ms\n", name, current->comm, current->pid, ms);
	msleep(ms);
}
