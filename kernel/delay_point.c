/* Delay-injection points; see include/kernel/delay_point.h. The table is written once at boot. */
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

void __delay_point(const char *name)
{
	for (unsigned int i = 0; i < MAX_DELAYS && delays[i].name[0]; i++) {
		if (!strcmp(delays[i].name, name)) {
			pr_info("delay_point: %s: %s[%d] sleeps %u ms\n", name, current->comm, current->pid,
				delays[i].ms);
			msleep(delays[i].ms);
			return;
		}
	}
}
