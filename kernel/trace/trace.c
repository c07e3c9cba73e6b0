/*
 * The trace ring buffer and its text output (Linux: kernel/trace/trace.c,
 * trace_output.c, trace_events.c's set_event parsing); the interface and the
 * rules are in include/kernel/trace.h, the events in trace_events.c, the
 * files in kernel/trace/trace_fs.c.
 *
 * The ring is one static array: entry seq lives in slot seq % N, and the
 * entries still there are those from max(written - N, reset_seq) to
 * written - 1. Locking: trace_lock (irqsave, so that an interrupt handler
 * recording an event cannot deadlock with the code it interrupted) guards
 * ring[], written, reset_seq and consumed_seq; trace_enable_lock guards changes to
 * trace_event_state[] and tracing_on, which the recording path reads with
 * READ_ONCE and no lock.
 */
#include <kernel/kernel.h>
#include <kernel/cmdline.h>
#include <kernel/preempt.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/trace.h>
#include <lib/string.h>
#include <mm/vmalloc.h>
#include <uapi/errno.h>

#define TRACE_LINE_MAX 384	/* the longest line an entry prints (a full mark_victim is ~190) */

static struct trace_entry ring[TRACE_RING_ENTRIES];
static u64 written;		/* entries recorded since boot: the next one's seq */
static u64 reset_seq;		/* the first seq after the last tracing_reset() */
static u64 consumed_seq;	/* the first seq trace_pipe has not read */
static DEFINE_SPINLOCK(trace_lock);
static DEFINE_SPINLOCK(trace_enable_lock);

u8 trace_event_state[NR_TRACE_EVENTS];
bool tracing_on = true;

/* ---------------------------------------------------------------- recording */

static u8 trace_ctx_flags(void)
{
	u8 flags = 0;

	if (irqs_disabled())
		flags |= TRACE_FLAG_IRQS_OFF;
	if (current && need_resched())
		flags |= TRACE_FLAG_NEED_RESCHED;
	if (in_hardirq())
		flags |= TRACE_FLAG_HARDIRQ;
	return flags;
}

/* The header of an entry: who, where, when, in which context. */
static void trace_fill_context(struct trace_entry *e)
{
	struct task_struct *p = current;

	e->ts = local_clock();
	e->flags = trace_ctx_flags();
	e->preempt_count = preempt_count() & PREEMPT_MASK;
	e->cpu = smp_processor_id();
	e->pid = p ? p->pid : 0;
	if (p && p->pid)
		memcpy(e->comm, p->comm, TASK_COMM_LEN);	/* racy against a rename, as Linux's */
	else
		strlcpy(e->comm, "<idle>", TASK_COMM_LEN);
	e->comm[TASK_COMM_LEN - 1] = 0;
}

void trace_event_record(enum trace_event_id id, const char *str, unsigned int nargs, const u64 *args)
{
	struct trace_entry tmp = { .type = id };
	unsigned long flags;

	if (!READ_ONCE(tracing_on) || id >= NR_TRACE_EVENTS)
		return;
	trace_fill_context(&tmp);	/* before trace_lock changes the context */
	memcpy(tmp.args, args, min(nargs, (unsigned int)TRACE_ARGS) * sizeof(u64));
	if (str)
		strlcpy(tmp.str, str, TRACE_STR_LEN);
	spin_lock_irqsave(&trace_lock, flags);
	tmp.seq = written++;
	ring[tmp.seq % TRACE_RING_ENTRIES] = tmp;
	spin_unlock_irqrestore(&trace_lock, flags);
}

/* ------------------------------------------------------------------ control */

void tracing_set_on(bool on)
{
	WRITE_ONCE(tracing_on, on);
}

void trace_event_set(enum trace_event_id id, bool on)
{
	if (id < NR_TRACE_EVENTS)
		WRITE_ONCE(trace_event_state[id], on);
}

/* NULL (or "" or "*") matches anything; otherwise the whole word. */
static bool word_matches(const char *want, size_t len, const char *name)
{
	if (!want || !len || (len == 1 && *want == '*'))
		return true;
	return strlen(name) == len && !strncmp(want, name, len);
}

static bool event_matches(const char *spec, const struct trace_event_call *call)
{
	const char *colon = strchr(spec, ':');

	if (!colon)	/* one word: a system or an event name */
		return word_matches(spec, strlen(spec), call->system) ||
		       word_matches(spec, strlen(spec), call->name);
	return word_matches(spec, colon - spec, call->system) &&
	       word_matches(colon + 1, strlen(colon + 1), call->name);
}

int trace_set_clr_event(const char *spec, bool on)
{
	int n = 0;

	if (*spec == '!') {		/* set_event's "!oom:mark_victim" disables */
		spec++;
		on = false;
	}
	if (!*spec)
		return -EINVAL;
	spin_lock(&trace_enable_lock);
	for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++)
		if (event_matches(spec, &trace_events[id])) {
			trace_event_set(id, on);
			n++;
		}
	spin_unlock(&trace_enable_lock);
	return n ? n : -EINVAL;
}

int trace_events_state(const char *spec)
{
	bool on = false, off = false;

	for (unsigned int id = 0; id < NR_TRACE_EVENTS; id++)
		if (event_matches(spec, &trace_events[id])) {
			on |= trace_event_enabled(id);
			off |= !trace_event_enabled(id);
		}
	return on && off ? 2 : on;
}

void tracing_reset(void)
{
	unsigned long flags;

	spin_lock_irqsave(&trace_lock, flags);
	reset_seq = written;
	spin_unlock_irqrestore(&trace_lock, flags);
}

size_t trace_consume(char *buf, size_t size)
{
	struct trace_entry e;
	char line[TRACE_LINE_MAX];
	unsigned long flags;
	size_t n = 0;

	for (u64 pos = 0; n < size && trace_next(&pos, -1, -1, &e);) {
		size_t len = min((size_t)trace_print_entry(line, sizeof(line), &e), sizeof(line) - 1);
		if (n && n + len > size)
			break;			/* whole lines only, unless one does not fit at all */
		len = min(len, size - n);
		memcpy(buf + n, line, len);
		n += len;
		spin_lock_irqsave(&trace_lock, flags);
		consumed_seq = max(consumed_seq, e.seq + 1);
		spin_unlock_irqrestore(&trace_lock, flags);
	}
	return n;
}

/* trace_event=oom:*,delay:* enables events from boot on, as Linux's. */
static int trace_event_setup(char *val)
{
	char *s = val;

	while (s && *s) {
		char *comma = strchr(s, ',');
		if (comma)
			*comma = 0;
		if (*s && trace_set_clr_event(s, true) < 0)
			pr_warn("Failed to enable trace event: %s\n", s);
		if (comma)
			*comma = ',';	/* the command line stays as it was, for /proc/cmdline */
		s = comma ? comma + 1 : NULL;
	}
	return 0;
}
__setup("trace_event=", trace_event_setup);

/* ------------------------------------------------------------------ reading */

/* The oldest seq still in the ring; trace_lock held. */
static u64 trace_first(void)
{
	u64 first = written > TRACE_RING_ENTRIES ? written - TRACE_RING_ENTRIES : 0;

	return max(first, max(reset_seq, consumed_seq));
}

/* The entries still in the ring: [*first, *end). */
static void trace_range(u64 *first, u64 *end)
{
	unsigned long flags;

	spin_lock_irqsave(&trace_lock, flags);
	*first = trace_first();
	*end = written;
	spin_unlock_irqrestore(&trace_lock, flags);
}

u64 trace_mark(void)
{
	u64 first, end;

	trace_range(&first, &end);
	return end;
}

static bool entry_matches(const struct trace_entry *e, int id, pid_t pid)
{
	return (id < 0 || e->type == id) && (pid < 0 || e->pid == pid);
}

bool trace_next(u64 *pos, int id, pid_t pid, struct trace_entry *e)
{
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&trace_lock, flags);
	for (u64 seq = max(*pos, trace_first()); seq < written; seq++) {
		const struct trace_entry *r = &ring[seq % TRACE_RING_ENTRIES];
		if (entry_matches(r, id, pid)) {
			if (e)
				*e = *r;
			*pos = seq + 1;
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&trace_lock, flags);
	return found;
}

unsigned int trace_count(u64 from, int id, pid_t pid)
{
	unsigned int n = 0;

	while (trace_next(&from, id, pid, NULL))
		n++;
	return n;
}

s64 trace_find(u64 from, int id, pid_t pid)
{
	return trace_next(&from, id, pid, NULL) ? (s64)from - 1 : -1;
}

/* ------------------------------------------------------------------- output */

int trace_print_header(char *buf, size_t size)
{
	unsigned long flags;

	spin_lock_irqsave(&trace_lock, flags);
	u64 total = written - reset_seq, in_buffer = written - trace_first();
	spin_unlock_irqrestore(&trace_lock, flags);
	return snprintf(buf, size,
		"# tracer: nop\n"
		"#\n"
		"# entries-in-buffer/entries-written: %llu/%llu   #P:%u\n"
		"#\n"
		"#                                _-----=> irqs-off/BH-disabled\n"
		"#                               / _----=> need-resched\n"
		"#                              | / _---=> hardirq/softirq\n"
		"#                              || / _--=> preempt-depth\n"
		"#                              ||| / _-=> migrate-disable\n"
		"#                              |||| /     delay\n"
		"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		"#              | |         |   |||||     |         |\n",
		in_buffer, total, 1u);
}

int trace_print_entry(char *buf, size_t size, const struct trace_entry *e)
{
	const struct trace_event_call *call = &trace_events[e->type];
	char payload[256];
	int depth = e->preempt_count & 0xf;

	call->print(payload, sizeof(payload), e);
	return snprintf(buf, size, "%16s-%-7d [%03u] %c%c%c%c. %5llu.%06llu: %s: %s\n",
			e->comm, e->pid, e->cpu,
			e->flags & TRACE_FLAG_IRQS_OFF ? 'd' : '.',
			e->flags & TRACE_FLAG_NEED_RESCHED ? 'n' : '.',
			e->flags & TRACE_FLAG_HARDIRQ ? 'h' : '.',
			depth ? "0123456789abcdef"[depth] : '.',
			e->ts / NSEC_PER_SEC, (e->ts % NSEC_PER_SEC) / 1000, call->name, payload);
}

char *trace_render(size_t *len)
{
	u64 pos, end;
	struct trace_entry e;

	trace_range(&pos, &end);
	size_t cap = 1024 + (end - pos) * TRACE_LINE_MAX;
	char *buf = vmalloc(cap);
	if (!buf)
		return NULL;
	size_t n = min((size_t)trace_print_header(buf, cap), cap - 1);
	/* Entries recorded while we print belong to the next read. */
	while (trace_next(&pos, -1, -1, &e) && e.seq < end)
		n += min((size_t)trace_print_entry(buf + n, cap - n, &e), cap - n - 1);
	*len = n;
	return buf;
}
