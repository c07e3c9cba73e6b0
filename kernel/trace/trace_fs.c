/*
 * The tracing files in tracefs (Linux: kernel/trace/trace.c's and
 * trace_events.c's tracefs files), with Linux's behaviour:
 *
 *   trace              the ring as text (trace_render()); `echo > trace`
 *                      (an O_TRUNC open) empties it
 *   trace_pipe         the entries as they come, each read once: a read
 *                      takes them out of the ring, and waits while it is empty
 *   tracing_on         1 records, 0 drops every event
 *   available_events   "system:event", one a line
 *   set_event          the enabled events; writing "oom:*" or "!oom:wake_reaper"
 *                      enables or disables (an O_TRUNC open disables all first)
 *   events/enable, events/SYSTEM/enable, events/SYSTEM/EVENT/enable
 *                      0, 1, or X when the events below are mixed; write 0 or 1
 *   delay_points       Folio's: the armed delay points (kernel/delay_point.c),
 *                      and commands to arm and release them
 *
 * A read of trace renders the whole file at open, so that one `cat` sees one
 * consistent snapshot however it splits its reads.
 */
#include <kernel/kernel.h>
#include <kernel/delay_point.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#include <kernel/trace.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <arch/page.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <fs/dcache.h>
#include <fs/tracefs.h>
#include <uapi/errno.h>

#define TRACE_READ 0440
#define TRACE_WRITE 0640

/* ---- trace ---- */

struct trace_text {
	char *buf;
	size_t len;
};

static int trace_open(struct inode *inode, struct file *f)
{
	struct trace_text *t;

	if (!(f->f_mode & FMODE_READ))
		return 0;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (t)
		t->buf = trace_render(&t->len);
	if (!t || !t->buf) {
		kfree(t);
		return -ENOMEM;
	}
	f->private_data = t;
	return 0;
}

static ssize_t trace_read(struct file *f, char __user *buf, size_t count, loff_t *pos)
{
	struct trace_text *t = f->private_data;

	return tracefs_read_buffer(buf, count, pos, t->buf, t->len);
}

/* Writes are accepted and ignored, as Linux's: only the O_TRUNC open clears. */
static ssize_t trace_write(struct file *f, const char __user *buf, size_t count, loff_t *pos)
{
	return count;
}

static int trace_release(struct inode *inode, struct file *f)
{
	struct trace_text *t = f->private_data;

	if (t) {
		vfree(t->buf);
		kfree(t);
	}
	return 0;
}

static const struct file_operations trace_fops = {
	.open = trace_open,
	.read = trace_read,
	.write = trace_write,
	.release = trace_release,
};

/* ---- trace_pipe ---- */

static ssize_t trace_pipe_read(struct file *f, char __user *ubuf, size_t count, loff_t *pos)
{
	size_t size = min(count, (size_t)PAGE_SIZE), n;
	char *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	ssize_t r;

	if (!buf)
		return -ENOMEM;
	/* Recording may not wake anyone (it runs under any lock), so the reader polls. */
	while (!(n = trace_consume(buf, size))) {
		if (f->f_flags & O_NONBLOCK) {
			kfree(buf);
			return -EAGAIN;
		}
		schedule_timeout_interruptible(HZ / 10);
		if (signal_pending(current)) {
			kfree(buf);
			return -ERESTARTSYS;
		}
	}
	r = copy_to_user(ubuf, buf, n) ? -EFAULT : (ssize_t)n;
	kfree(buf);
	return r;
}

static const struct file_operations trace_pipe_fops = {
	.read = trace_pipe_read,
};

/* ---- small text files: 0/1 switches, lists ---- */

/* A user's decimal number (a newline may follow): 0..INT_MAX, or an error. */
static int read_number(const char __user *ubuf, size_t count)
{
	char buf[24];
	unsigned long long v;
	ssize_t n = tracefs_write_text(buf, sizeof(buf), ubuf, count);

	if (n < 0)
		return n;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	if (kstrtoull(buf, 10, &v) || v > 0x7fffffff)
		return -EINVAL;
	return v;
}

/* The next word of *s, split at spaces, tabs, newlines and commas; NULL at the end. */
static char *next_word(char **s)
{
	char *w = *s;

	while (*w && strchr(" \t\n,", *w))
		w++;
	if (!*w)
		return NULL;
	char *end = w;
	while (*end && !strchr(" \t\n,", *end))
		end++;
	*s = *end ? end + 1 : end;
	*end = 0;
	return w;
}

static ssize_t tracing_on_read(struct file *f, char __user *buf, size_t count, loff_t *pos)
{
	char text[4];

	snprintf(text, sizeof(text), "%d\n", READ_ONCE(tracing_on));
	return tracefs_read_buffer(buf, count, pos, text, strlen(text));
}

static ssize_t tracing_on_write(struct file *f, const char __user *buf, size_t count, loff_t *pos)
{
	int on = read_number(buf, count);	/* any non-zero number turns it on, as Linux's */

	if (on < 0)
		return on;
	tracing_set_on(on);
	return count;
}

static const struct file_operations tracing_on_fops = {
	.read = tracing_on_read,
	.write = tracing_on_write,
};

/* "system:event\n" for every event (enabled_only: only those on) into buf; the length. */
static size_t list_events(char *buf, size_t size, bool enabled_only)
{
	size_t n = 0;

	for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++)
		if (!enabled_only || trace_event_enabled(id))
			n += scnprintf(buf + n, size - n, "%s:%s\n", trace_events[id].system, trace_events[id].name);
	return n;
}

#define EVENT_LIST_SIZE (NR_TRACE_EVENTS * 48)

static ssize_t read_event_list(char __user *buf, size_t count, loff_t *pos, bool enabled_only)
{
	char *text = kmalloc(EVENT_LIST_SIZE, GFP_KERNEL);

	if (!text)
		return -ENOMEM;
	ssize_t r = tracefs_read_buffer(buf, count, pos, text, list_events(text, EVENT_LIST_SIZE, enabled_only));
	kfree(text);
	return r;
}

static ssize_t available_events_read(struct file *f, char __user *buf, size_t count, loff_t *pos)
{
	return read_event_list(buf, count, pos, false);
}

static const struct file_operations available_events_fops = {
	.read = available_events_read,
};

static ssize_t set_event_read(struct file *f, char __user *buf, size_t count, loff_t *pos)
{
	return read_event_list(buf, count, pos, true);
}

/* Each word enables (or, with '!', disables) events; an unknown one is -EINVAL, as Linux's. */
static ssize_t set_event_write(struct file *f, const char __user *ubuf, size_t count, loff_t *pos)
{
	char buf[256];
	ssize_t n = tracefs_write_text(buf, sizeof(buf), ubuf, count);

	for (char *s = buf, *word; n > 0 && (word = next_word(&s));)
		if (trace_set_clr_event(word, true) < 0)
			return -EINVAL;
	return n < 0 ? n : (ssize_t)count;
}

static void set_event_truncate(void)
{
	trace_set_clr_event("*:*", false);
}

static const struct file_operations set_event_fops = {
	.read = set_event_read,
	.write = set_event_write,
};

/* ---- events/.../enable: the data is "system:event", "system:*" or "*:*" ---- */

static ssize_t event_enable_read(struct file *f, char __user *buf, size_t count, loff_t *pos)
{
	static const char *const text[] = { "0\n", "1\n", "X\n" };
	int state = trace_events_state(tracefs_file_data(f));

	return tracefs_read_buffer(buf, count, pos, text[state], 2);
}

static ssize_t event_enable_write(struct file *f, const char __user *buf, size_t count, loff_t *pos)
{
	int on = read_number(buf, count);

	if (on < 0 || on > 1)
		return on < 0 ? on : -EINVAL;
	trace_set_clr_event(tracefs_file_data(f), on);
	return count;
}

static const struct file_operations event_enable_fops = {
	.read = event_enable_read,
	.write = event_enable_write,
};

/* ---- delay_points ---- */

#define DELAY_LIST_SIZE (MAX_DELAY_POINTS * 128)

static ssize_t delay_points_read(struct file *f, char __user *buf, size_t count, loff_t *pos)
{
	char *text = kmalloc(DELAY_LIST_SIZE, GFP_KERNEL);

	if (!text)
		return -ENOMEM;
	size_t len = min((size_t)delay_points_show(text, DELAY_LIST_SIZE), (size_t)DELAY_LIST_SIZE - 1);
	ssize_t r = tracefs_read_buffer(buf, count, pos, text, len);
	kfree(text);
	return r;
}

/* Commands separated by commas, spaces or newlines; the first bad one fails the write. */
static ssize_t delay_points_write(struct file *f, const char __user *ubuf, size_t count, loff_t *pos)
{
	char *buf = kmalloc(1024, GFP_KERNEL);
	ssize_t n = buf ? tracefs_write_text(buf, 1024, ubuf, count) : -ENOMEM;

	for (char *s = buf, *word; n > 0 && (word = next_word(&s));) {
		int err = delay_point_control(word);
		if (err)
			n = err;
	}
	kfree(buf);
	return n < 0 ? n : (ssize_t)count;
}

static const struct file_operations delay_points_fops = {
	.read = delay_points_read,
	.write = delay_points_write,
};

/* ---- the tree ---- */

/* events/SYSTEM/ for system (made once), with its enable file. */
static struct dentry *system_dir(struct dentry *events, const char *system, unsigned int first_id)
{
	static char specs[NR_TRACE_EVENTS][24];
	struct dentry *dir = tracefs_create_dir(system, events);

	snprintf(specs[first_id], sizeof(specs[0]), "%s:*", system);
	if (dir)
		tracefs_create_file("enable", TRACE_WRITE, dir, specs[first_id], &event_enable_fops, NULL);
	return dir;
}

static void create_event_files(struct dentry *events)
{
	static char specs[NR_TRACE_EVENTS][64];
	struct dentry *sys = NULL;

	for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++) {
		const struct trace_event_call *call = &trace_events[id];
		if (!id || strcmp(call->system, trace_events[id - 1].system))	/* the table groups systems */
			sys = system_dir(events, call->system, id);
		struct dentry *dir = sys ? tracefs_create_dir(call->name, sys) : NULL;
		snprintf(specs[id], sizeof(specs[id]), "%s:%s", call->system, call->name);
		if (dir)
			tracefs_create_file("enable", TRACE_WRITE, dir, specs[id], &event_enable_fops, NULL);
	}
}

void tracer_init_tracefs(struct dentry *root)
{
	static char all[] = "*:*";

	tracefs_create_file("trace", TRACE_WRITE, root, NULL, &trace_fops, tracing_reset);
	tracefs_create_file("trace_pipe", TRACE_READ, root, NULL, &trace_pipe_fops, NULL);
	tracefs_create_file("tracing_on", TRACE_WRITE, root, NULL, &tracing_on_fops, NULL);
	tracefs_create_file("available_events", TRACE_READ, root, NULL, &available_events_fops, NULL);
	tracefs_create_file("set_event", TRACE_WRITE, root, NULL, &set_event_fops, set_event_truncate);
	tracefs_create_file("delay_points", TRACE_WRITE, root, NULL, &delay_points_fops, NULL);
	struct dentry *events = tracefs_create_dir("events", root);
	if (!events)
		return;
	tracefs_create_file("enable", TRACE_WRITE, events, all, &event_enable_fops, NULL);
	create_event_files(events);
}
