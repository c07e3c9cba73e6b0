/*
 * Delay-injection points; see include/kernel/delay_point.h for what they
 * do. The table of armed points is filled from delay= at boot, from the
 * tracefs delay_points file and from ktests (delay_point_control()).
 *
 * A held task queues a delay_waiter (on its own stack) on its point's
 * waiters list and sleeps in delay_point_hold() until a releaser takes it
 * off the list, sets ->released and wakes it. The waiter re-takes
 * delays_lock before returning, so a releaser holding that lock may still
 * touch the waiter and its task. A killed holder (hold-killable) takes
 * itself off the list.
 *
 * Locking: delays_lock guards the table, each point's waiters list and its
 * counters; it nests outside the scheduler's locks (wake_up_process()).
 * delay_points_armed is written under it and read without it.
 */
#include <kernel/kernel.h>
#include <kernel/cmdline.h>
#include <kernel/delay_point.h>
#include <kernel/list.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/timer.h>
#include <kernel/trace.h>
#include <lib/string.h>
#include <uapi/errno.h>

struct delay_point_state {
	char name[DELAY_NAME_LEN];	/* "": a free slot */
	enum delay_mode mode;
	unsigned int ms;		/* DELAY_SLEEP */
	pid_t pid;			/* stall only this thread (0: any) */
	char comm[TASK_COMM_LEN];	/* stall only tasks of this name ("": any) */
	char until[DELAY_NAME_LEN];	/* hold-until=: the point whose first arrival releases */
	bool until_reached;		/* ... and has happened: hold no more */
	unsigned long hits;		/* tasks that stalled here since it was armed */
	unsigned int nr_waiting;
	struct list_head waiters;	/* held tasks, first arrived first */
};

struct delay_waiter {
	struct list_head list;
	struct task_struct *task;
	struct delay_point_state *point;
	bool released;
	enum delay_release reason;
};

/* A parsed command: NAME:ACTION[@FILTER]. */
enum delay_action { ACT_ARM, ACT_OFF, ACT_RELEASE, ACT_RELEASE_ONE };
struct delay_cmd {
	char name[DELAY_NAME_LEN];
	enum delay_action action;
	enum delay_mode mode;
	unsigned int ms;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	char until[DELAY_NAME_LEN];
};

static struct delay_point_state delays[MAX_DELAY_POINTS];
bool delay_points_armed;
static DEFINE_SPINLOCK(delays_lock);

/* ------------------------------------------------------------------ parsing */

static int parse_filter(const char *s, struct delay_cmd *c)
{
	if (!strncmp(s, "pid=", 4)) {
		int pid;
		if (kstrtoint(s + 4, 10, &pid) || pid <= 0)
			return -EINVAL;
		c->pid = pid;
		return 0;
	}
	if (!strncmp(s, "comm=", 5) && s[5] && strlen(s + 5) < TASK_COMM_LEN) {
		strlcpy(c->comm, s + 5, sizeof(c->comm));
		return 0;
	}
	return -EINVAL;
}

static int parse_action(const char *s, struct delay_cmd *c)
{
	static const struct { const char *word; enum delay_action action; enum delay_mode mode; } words[] = {
		{ "hold", ACT_ARM, DELAY_HOLD }, { "hold-killable", ACT_ARM, DELAY_HOLD_KILLABLE },
		{ "off", ACT_OFF, 0 }, { "release", ACT_RELEASE, 0 }, { "release-one", ACT_RELEASE_ONE, 0 },
	};

	if (!strncmp(s, "hold-until=", 11) && s[11] && strlen(s + 11) < DELAY_NAME_LEN) {
		c->action = ACT_ARM;
		c->mode = DELAY_HOLD;
		strlcpy(c->until, s + 11, sizeof(c->until));
		return 0;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(s, words[i].word)) {
			c->action = words[i].action;
			c->mode = words[i].mode;
			return 0;
		}
	unsigned long long ms;
	if (kstrtoull(s, 10, &ms) || ms > 3600 * 1000)
		return -EINVAL;
	c->action = ms ? ACT_ARM : ACT_OFF;	/* NAME:0 disarms, as delay_point_set(name, 0) */
	c->mode = DELAY_SLEEP;
	c->ms = ms;
	return 0;
}

/* "NAME:ACTION[@FILTER]" into *c; a filter only goes with arming. */
static int parse_cmd(const char *cmd, struct delay_cmd *c)
{
	char buf[DELAY_NAME_LEN + 48];
	char *colon, *at;

	*c = (struct delay_cmd){ 0 };
	if (strlcpy(buf, cmd, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	colon = strchr(buf, ':');
	if (!colon || colon == buf || (size_t)(colon - buf) >= DELAY_NAME_LEN)
		return -EINVAL;
	*colon = 0;
	strlcpy(c->name, buf, sizeof(c->name));
	at = strchr(colon + 1, '@');
	if (at)
		*at = 0;
	if (parse_action(colon + 1, c))
		return -EINVAL;
	if (at && (c->action != ACT_ARM || parse_filter(at + 1, c)))
		return -EINVAL;
	return 0;
}

/* --------------------------------------------------------------- the table */

/* Does d's filter (a pid, a comm) let p in? */
static bool delay_matches(const struct delay_point_state *d, struct task_struct *p)
{
	if (d->pid && p->pid != d->pid)
		return false;
	return !d->comm[0] || !strncmp(p->comm, d->comm, TASK_COMM_LEN);
}

/* The armed point called name, or NULL; delays_lock held. */
static struct delay_point_state *delay_lookup(const char *name)
{
	for (unsigned int i = 0; i < MAX_DELAY_POINTS; i++)
		if (delays[i].name[0] && !strcmp(delays[i].name, name))
			return &delays[i];
	return NULL;
}

static void update_armed(void)
{
	bool armed = false;

	for (unsigned int i = 0; i < MAX_DELAY_POINTS; i++)
		armed |= delays[i].name[0] != 0;
	WRITE_ONCE(delay_points_armed, armed);
}

/* Let up to max held tasks go on, first arrived first; delays_lock held. */
static unsigned int release_waiters(struct delay_point_state *d, unsigned int max, enum delay_release why)
{
	unsigned int n = 0;

	while (n < max && !list_empty(&d->waiters)) {
		struct delay_waiter *w = list_first_entry(&d->waiters, struct delay_waiter, list);
		list_del(&w->list);
		d->nr_waiting--;
		w->reason = why;
		WRITE_ONCE(w->released, true);
		wake_up_process(w->task);
		n++;
	}
	return n;
}

/* Arm (or re-arm: hits and held tasks stay) the point; delays_lock held. */
static int delay_arm(const struct delay_cmd *c)
{
	struct delay_point_state *d = delay_lookup(c->name);

	for (unsigned int i = 0; !d && i < MAX_DELAY_POINTS; i++)
		if (!delays[i].name[0]) {
			d = &delays[i];
			*d = (struct delay_point_state){ 0 };
			INIT_LIST_HEAD(&d->waiters);
			strlcpy(d->name, c->name, sizeof(d->name));
		}
	if (!d)
		return -ENOSPC;
	d->mode = c->mode;
	d->ms = c->ms;
	d->pid = c->pid;
	strlcpy(d->comm, c->comm, sizeof(d->comm));
	strlcpy(d->until, c->until, sizeof(d->until));
	d->until_reached = false;
	return 0;
}

/*
 * A task reached point name: release whoever a hold-until=name point holds,
 * and let later arrivals there pass. When name is armed itself, only the
 * tasks its filter names count. The ordering is then the kernel's own,
 * with nobody polling in between. delays_lock held.
 */
static void delay_until_reached(const char *name)
{
	struct delay_point_state *other = delay_lookup(name);

	if (other && !delay_matches(other, current))
		return;		/* OTHER is armed for someone else: this arrival does not count */
	for (unsigned int i = 0; i < MAX_DELAY_POINTS; i++) {
		struct delay_point_state *d = &delays[i];
		if (d->name[0] && d->until[0] && !strcmp(d->until, name)) {
			d->until_reached = true;
			release_waiters(d, ~0u, DELAY_RELEASED);
		}
	}
}

int delay_point_control(const char *cmd)
{
	struct delay_cmd c;
	struct delay_point_state *d;
	int err = parse_cmd(cmd, &c);

	if (err)
		return err;
	spin_lock(&delays_lock);
	d = delay_lookup(c.name);
	if (c.action == ACT_ARM)
		err = delay_arm(&c);
	else if (!d)
		err = c.action == ACT_OFF ? 0 : -ENOENT;	/* disarming a disarmed point is fine */
	else if (c.action == ACT_OFF) {
		release_waiters(d, ~0u, DELAY_DISARMED);
		d->name[0] = 0;
	} else {
		release_waiters(d, c.action == ACT_RELEASE_ONE ? 1 : ~0u, DELAY_RELEASED);
	}
	update_armed();
	spin_unlock(&delays_lock);
	return err;
}

int delay_point_set(const char *name, unsigned int ms)
{
	char cmd[DELAY_NAME_LEN + 16];

	if (!*name || strlen(name) >= DELAY_NAME_LEN || strchr(name, ':') || strchr(name, '@'))
		return -EINVAL;
	snprintf(cmd, sizeof(cmd), "%s:%u", name, ms);
	return delay_point_control(cmd);
}

/* delay=CMD[,CMD...] */
static int delay_setup(char *val)
{
	char cmd[DELAY_NAME_LEN + 48];

	for (const char *s = val; *s;) {
		size_t len = strchr(s, ',') ? (size_t)(strchr(s, ',') - s) : strlen(s);
		if (len >= sizeof(cmd))
			return -EINVAL;
		memcpy(cmd, s, len);
		cmd[len] = 0;
		int err = delay_point_control(cmd);
		if (err)
			return err;
		s += len + (s[len] == ',');
	}
	return 0;
}
__setup("delay=", delay_setup);

/* ----------------------------------------------------------------- stalling */

/*
 * Sleep until released (or, killable, until SIGKILL). Not inlined: its name
 * is what /proc/PID/wchan and the task dump show for a held task.
 */
static __noinline enum delay_release delay_point_hold(struct delay_waiter *w, bool killable)
{
	for (;;) {
		set_current_state(killable ? TASK_KILLABLE : TASK_UNINTERRUPTIBLE);
		if (READ_ONCE(w->released) || (killable && fatal_signal_pending(current)))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	spin_lock(&delays_lock);
	if (!w->released) {		/* killed: still queued */
		list_del(&w->list);
		w->point->nr_waiting--;
		w->reason = DELAY_KILLED;
	}
	spin_unlock(&delays_lock);
	return w->reason;
}

void __delay_point(const char *name)
{
	struct delay_waiter w = { .task = current };
	struct delay_point_state *d;
	unsigned int ms = 0;
	enum delay_mode mode = DELAY_SLEEP;

	spin_lock(&delays_lock);
	delay_until_reached(name);
	d = delay_lookup(name);
	if (d && (!delay_matches(d, current) || (d->until[0] && d->until_reached)))
		d = NULL;
	if (d) {
		d->hits++;
		mode = d->mode;
		ms = d->ms;
		if (mode != DELAY_SLEEP) {
			w.point = d;
			list_add_tail(&w.list, &d->waiters);
			d->nr_waiting++;
		}
	}
	spin_unlock(&delays_lock);
	if (!d || (mode == DELAY_SLEEP && !ms))
		return;
	might_sleep();
	trace_event(TRACE_delay_reached, name, mode, ms);
	enum delay_release why = DELAY_SLEPT;
	if (mode == DELAY_SLEEP) {
		pr_info("delay_point: %s: %s[%d] sleeps %u ms\n", name, current->comm, current->pid, ms);
		msleep(ms);
	} else {
		pr_info("delay_point: %s: %s[%d] held until released\n", name, current->comm, current->pid);
		why = delay_point_hold(&w, mode == DELAY_HOLD_KILLABLE);
	}
	trace_event(TRACE_delay_released, name, why);
}

/* ------------------------------------------------------------------ reading */

/* A counter of the armed point name (0 if it is not armed). */
static unsigned long delay_point_counter(const char *name, bool waiting)
{
	spin_lock(&delays_lock);
	struct delay_point_state *d = delay_lookup(name);
	unsigned long n = !d ? 0 : waiting ? d->nr_waiting : d->hits;
	spin_unlock(&delays_lock);
	return n;
}

unsigned long delay_point_hits(const char *name)
{
	return delay_point_counter(name, false);
}

unsigned int delay_point_waiters(const char *name)
{
	return delay_point_counter(name, true);
}

static int show_one(char *buf, size_t size, const struct delay_point_state *d)
{
	char mode[16 + DELAY_NAME_LEN], filter[24];

	if (d->mode == DELAY_SLEEP)
		snprintf(mode, sizeof(mode), "%ums", d->ms);
	else if (d->until[0])
		snprintf(mode, sizeof(mode), "hold-until=%s", d->until);
	else
		strlcpy(mode, d->mode == DELAY_HOLD ? "hold" : "hold-killable", sizeof(mode));
	if (d->pid)
		snprintf(filter, sizeof(filter), "pid=%d", d->pid);
	else if (d->comm[0])
		snprintf(filter, sizeof(filter), "comm=%s", d->comm);
	else
		strlcpy(filter, "all", sizeof(filter));
	return snprintf(buf, size, "%s %s %s hits=%lu waiting=%u\n", d->name, mode, filter, d->hits,
			d->nr_waiting);
}

int delay_points_show(char *buf, size_t size)
{
	size_t n = 0;

	if (size)
		buf[0] = 0;
	spin_lock(&delays_lock);
	for (unsigned int i = 0; i < MAX_DELAY_POINTS; i++)
		if (delays[i].name[0])
			n += show_one(buf + min(n, size), size - min(n, size), &delays[i]);
	spin_unlock(&delays_lock);
	return n;
}
