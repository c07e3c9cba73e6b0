/*
 * ktests for the trace ring buffer (kernel/trace/trace.c) and the events'
 * output (trace_events.c): nothing is recorded while an event is off, the
 * order and payload of what is, each context flag, Linux's line and header
 * layout, the set_event syntax, tracing_on, `echo > trace`, and the ring
 * overwriting its oldest entries. Each test starts from every event off
 * and tracing on (trace_test_begin()) and leaves it so.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/preempt.h>
#include <kernel/sched.h>
#include <kernel/sched/signal.h>
#include <kernel/spinlock.h>
#include <kernel/trace.h>
#include <lib/string.h>
#include <mm/vmalloc.h>
#include <uapi/errno.h>

static u64 trace_test_begin(void)
{
	trace_set_clr_event("*:*", false);
	tracing_set_on(true);
	return trace_mark();
}

static void trace_test_end(void)
{
	trace_set_clr_event("*:*", false);
	tracing_set_on(true);
}

KTEST(trace_disabled_event_records_nothing)
{
	u64 mark = trace_test_begin();

	trace_wake_reaper(42);
	trace_mark_victim(current, 0);
	KT_ASSERT_EQ(trace_mark(), mark);
	trace_event_set(TRACE_oom_skip_task_reaping, true);
	trace_wake_reaper(42);			/* another event: still nothing */
	KT_ASSERT_EQ(trace_mark(), mark);
	trace_test_end();
}

/* Entries come back in the order recorded, with their payload and the recording task. */
KTEST(trace_records_in_order)
{
	u64 mark = trace_test_begin();
	struct trace_entry e;

	KT_ASSERT_EQ(trace_set_clr_event("oom:*", true), 10);
	trace_wake_reaper(7);
	trace_start_task_reaping(7);
	trace_skip_task_reaping(8);
	trace_finish_task_reaping(7);
	trace_test_end();
	KT_ASSERT_EQ(trace_mark(), mark + 4);
	s64 wake = trace_find(mark, TRACE_oom_wake_reaper, -1);
	s64 start = trace_find(mark, TRACE_oom_start_task_reaping, current->pid);
	s64 finish = trace_find(mark, TRACE_oom_finish_task_reaping, -1);
	KT_ASSERT(wake >= 0 && wake < start && start < finish);
	KT_ASSERT_EQ(trace_find(mark, TRACE_oom_start_task_reaping, current->pid + 1), -1);
	KT_ASSERT_EQ(trace_count(mark, -1, current->pid), 4);
	u64 pos = mark;
	KT_ASSERT(trace_next(&pos, TRACE_oom_skip_task_reaping, -1, &e));
	KT_ASSERT_EQ(e.args[0], 8);
	KT_ASSERT_EQ(e.pid, current->pid);
	KT_ASSERT_STREQ(e.comm, current->comm);
	KT_ASSERT_EQ(pos, mark + 3);
	KT_ASSERT(!trace_next(&pos, TRACE_oom_skip_task_reaping, -1, &e));
}

/* One line as Linux 6.1 prints it: TASK-PID, [CPU], 5 flags, the timestamp, the event. */
KTEST(trace_line_format)
{
	u64 mark = trace_test_begin();
	struct trace_entry e;
	char line[256];

	trace_event_set(TRACE_oom_wake_reaper, true);
	trace_wake_reaper(85);
	trace_test_end();
	KT_ASSERT(trace_next(&mark, TRACE_oom_wake_reaper, -1, &e));
	e.pid = 85;
	strlcpy(e.comm, "memhog", sizeof(e.comm));
	e.ts = 12345678000ULL;
	e.flags = 0;
	e.preempt_count = 0;
	trace_print_entry(line, sizeof(line), &e);
	KT_ASSERT_STREQ(line, "          memhog-85      [000] .....    12.345678: wake_reaper: pid=85\n");
	e.flags = TRACE_FLAG_IRQS_OFF | TRACE_FLAG_NEED_RESCHED | TRACE_FLAG_HARDIRQ;
	e.preempt_count = 2;
	e.ts = 123456789012345ULL;
	e.pid = 1234567;
	strlcpy(e.comm, "a-very-long-nam", sizeof(e.comm));
	trace_print_entry(line, sizeof(line), &e);
	KT_ASSERT_STREQ(line, " a-very-long-nam-1234567 [000] dnh2. 123456.789012: wake_reaper: pid=85\n");
}

/* The flags record the context: irqs off ('d'), preemption depth under a spinlock. */
KTEST(trace_context_flags)
{
	u64 mark = trace_test_begin();
	static DEFINE_SPINLOCK(lock);
	struct trace_entry e[3];
	unsigned long flags;

	trace_event_set(TRACE_oom_wake_reaper, true);
	trace_wake_reaper(1);
	spin_lock(&lock);
	trace_wake_reaper(2);
	spin_unlock(&lock);
	spin_lock_irqsave(&lock, flags);
	trace_wake_reaper(3);
	spin_unlock_irqrestore(&lock, flags);
	trace_test_end();
	for (int i = 0; i < 3; i++)
		KT_ASSERT(trace_next(&mark, TRACE_oom_wake_reaper, -1, &e[i]));
	KT_ASSERT_EQ(e[0].flags & TRACE_FLAG_IRQS_OFF, 0);
	KT_ASSERT_EQ(e[0].preempt_count, 0);
	KT_ASSERT_EQ(e[1].flags & TRACE_FLAG_IRQS_OFF, 0);
	KT_ASSERT_EQ(e[1].preempt_count, 1);
	KT_ASSERT_EQ(e[2].flags & TRACE_FLAG_IRQS_OFF, TRACE_FLAG_IRQS_OFF);
	KT_ASSERT_EQ(e[2].preempt_count, 1);
	KT_ASSERT(e[0].ts <= e[1].ts && e[1].ts <= e[2].ts);
}

/* mark_victim prints Linux's fields from the victim's oom_mm; without one, zeros. */
KTEST(trace_mark_victim_format)
{
	u64 mark = trace_test_begin();
	struct trace_entry e;
	char line[320], want[320];

	trace_event_set(TRACE_oom_mark_victim, true);
	struct mm_struct *saved = current->signal->oom_mm;
	current->signal->oom_mm = NULL;
	trace_mark_victim(current, 0);
	current->signal->oom_mm = saved;
	trace_test_end();
	KT_ASSERT(trace_next(&mark, TRACE_oom_mark_victim, -1, &e));
	trace_events[e.type].print(line, sizeof(line), &e);
	snprintf(want, sizeof(want), "pid=%d comm=%s total-vm=0kB anon-rss=0kB file-rss:0kB shmem-rss:0kB "
		 "uid=0 pgtables=0kB oom_score_adj=%d", current->pid, current->comm,
		 current->signal->oom_score_adj);
	KT_ASSERT_STREQ(line, want);
}

/* Linux's set_event syntax: system:event, system:*, system, event, *:event, !, and nonsense. */
KTEST(trace_set_clr_event_syntax)
{
	trace_test_begin();
	KT_ASSERT_EQ(trace_set_clr_event("oom:mark_victim", true), 1);
	KT_ASSERT(trace_event_enabled(TRACE_oom_mark_victim));
	KT_ASSERT(!trace_event_enabled(TRACE_oom_wake_reaper));
	KT_ASSERT_EQ(trace_set_clr_event("!oom:mark_victim", true), 1);
	KT_ASSERT(!trace_event_enabled(TRACE_oom_mark_victim));
	KT_ASSERT_EQ(trace_set_clr_event("oom", true), 10);
	KT_ASSERT_EQ(trace_set_clr_event("delay:", true), 2);
	KT_ASSERT_EQ(trace_set_clr_event("*:released", false), 1);
	KT_ASSERT(trace_event_enabled(TRACE_delay_reached) && !trace_event_enabled(TRACE_delay_released));
	KT_ASSERT_EQ(trace_set_clr_event("skip_task_reaping", false), 1);
	KT_ASSERT(!trace_event_enabled(TRACE_oom_skip_task_reaping));
	KT_ASSERT_EQ(trace_set_clr_event("*:*", false), NR_TRACE_EVENTS);
	KT_ASSERT_EQ(trace_set_clr_event("bogus", true), -EINVAL);
	KT_ASSERT_EQ(trace_set_clr_event("oom:bogus", true), -EINVAL);
	KT_ASSERT_EQ(trace_set_clr_event("oo:mark_victim", true), -EINVAL);
	KT_ASSERT_EQ(trace_set_clr_event("", true), -EINVAL);
	for (int id = 0; id < NR_TRACE_EVENTS; id++)
		KT_ASSERT(!trace_event_enabled(id));
	trace_test_end();
}

KTEST(trace_tracing_off_drops_events)
{
	u64 mark = trace_test_begin();

	trace_event_set(TRACE_oom_wake_reaper, true);
	tracing_set_on(false);
	trace_wake_reaper(1);
	KT_ASSERT_EQ(trace_mark(), mark);
	tracing_set_on(true);
	trace_wake_reaper(2);
	trace_test_end();
	KT_ASSERT_EQ(trace_count(mark, TRACE_oom_wake_reaper, -1), 1);
}

/* The header block, as Linux 6.1 prints it, with the counts. */
static bool header_counts(struct ktest_ctx *kt, unsigned long in_buf, unsigned long total)
{
	char buf[1024], want[96];

	trace_print_header(buf, sizeof(buf));
	snprintf(want, sizeof(want), "# tracer: nop\n#\n# entries-in-buffer/entries-written: %lu/%lu   #P:1\n#\n",
		 in_buf, total);
	if (strncmp(buf, want, strlen(want)) || !strstr(buf, "#                              |||| /     delay\n"
			"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
			"#              | |         |   |||||     |         |\n")) {
		ktest_fail(kt, __FILE__, __LINE__, "header: %s", buf);
		return false;
	}
	return true;
}

/* `echo > trace`: the ring and its counts start again; sequence numbers go on. */
KTEST(trace_reset_clears)
{
	u64 mark = trace_test_begin();

	trace_event_set(TRACE_oom_wake_reaper, true);
	trace_wake_reaper(1);
	tracing_reset();
	if (!header_counts(kt, 0, 0))
		return;
	KT_ASSERT_EQ(trace_count(mark, -1, -1), 0);
	trace_wake_reaper(2);
	trace_wake_reaper(3);
	trace_test_end();
	if (!header_counts(kt, 2, 2))
		return;
	KT_ASSERT_EQ(trace_find(mark, TRACE_oom_wake_reaper, -1), (s64)mark + 1);
}

/* A full ring drops its oldest entries; the header tells in-buffer from written. */
KTEST(trace_ring_overwrites_oldest)
{
	u64 mark = trace_test_begin();
	struct trace_entry e;

	tracing_reset();
	trace_event_set(TRACE_oom_wake_reaper, true);
	for (int i = 0; i < TRACE_RING_ENTRIES + 10; i++)
		trace_wake_reaper(i);
	trace_test_end();
	if (!header_counts(kt, TRACE_RING_ENTRIES, TRACE_RING_ENTRIES + 10))
		return;
	u64 pos = mark;
	KT_ASSERT(trace_next(&pos, -1, -1, &e));
	KT_ASSERT_EQ(e.seq, mark + 10);
	KT_ASSERT_EQ(e.args[0], 10);
	KT_ASSERT_EQ(trace_count(mark, TRACE_oom_wake_reaper, -1), TRACE_RING_ENTRIES);
	tracing_reset();
}

/* The whole file: the header, then one line per entry, oldest first. */
KTEST(trace_render_file)
{
	trace_test_begin();
	size_t len;

	tracing_reset();
	trace_event_set(TRACE_oom_start_task_reaping, true);
	trace_start_task_reaping(31);
	trace_start_task_reaping(32);
	trace_test_end();
	char *buf = trace_render(&len);
	KT_ASSERT(buf);
	bool ok = strlen(buf) == len && !strncmp(buf, "# tracer: nop\n", 14) &&
		  strstr(buf, "# entries-in-buffer/entries-written: 2/2   #P:1\n");
	char *one = strstr(buf, ": start_task_reaping: pid=31\n"), *two = strstr(buf, ": start_task_reaping: pid=32\n");
	ok &= one && two && one < two && buf[len - 1] == '\n';
	vfree(buf);
	tracing_reset();
	KT_ASSERT(ok);
}
