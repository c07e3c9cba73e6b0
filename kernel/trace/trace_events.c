/*
 * The events' table and how each prints its payload (Linux: the TP_printk()
 * of include/trace/events/oom.h). The OOM events print what Linux 6.1 as
 * Debian ships it prints, so the two kernels' traces read alike; Folio's own
 * events follow the same "key=value" style. Nothing here is locked: an entry
 * is printed from a private copy (trace_next()).
 */
#include <kernel/kernel.h>
#include <kernel/delay_point.h>
#include <kernel/trace.h>
#include <kernel/sched/signal.h>
#include <arch/page.h>
#include <mm/mm.h>

static int print_pid(char *buf, size_t size, const struct trace_entry *e)
{
	return snprintf(buf, size, "pid=%d", (int)e->args[0]);
}

/* args: whether in a user fault */
static int print_memcg_oom(char *buf, size_t size, const struct trace_entry *e)
{
	return snprintf(buf, size, "fault=%d", (int)e->args[0]);
}

/* str: the function */
static int print_func(char *buf, size_t size, const struct trace_entry *e)
{
	return snprintf(buf, size, "func=%s", e->str);
}

/* args: pid, total_vm, anon_rss, file_rss, shmem_rss (kB), uid, pgtables (kB), oom_score_adj; str: comm */
static int print_mark_victim(char *buf, size_t size, const struct trace_entry *e)
{
	const u64 *a = e->args;

	return snprintf(buf, size, "pid=%d comm=%s total-vm=%llukB anon-rss=%llukB file-rss:%llukB "
			"shmem-rss:%llukB uid=%u pgtables=%llukB oom_score_adj=%hd",
			(int)a[0], e->str, a[1], a[2], a[3], a[4], (unsigned int)a[5], a[6], (short)a[7]);
}

static const char *const delay_modes[] = {
	[DELAY_SLEEP] = "sleep", [DELAY_HOLD] = "hold", [DELAY_HOLD_KILLABLE] = "hold-killable",
};
static const char *const delay_reasons[] = {
	[DELAY_SLEPT] = "slept", [DELAY_RELEASED] = "released", [DELAY_KILLED] = "killed",
	[DELAY_DISARMED] = "disarmed",
};

static const char *name_of(const char *const *names, size_t n, u64 i)
{
	return i < n ? names[i] : "?";
}

/* args: mode (enum delay_mode), ms (for DELAY_SLEEP); str: the point's name */
static int print_delay_reached(char *buf, size_t size, const struct trace_entry *e)
{
	const char *mode = name_of(delay_modes, ARRAY_SIZE(delay_modes), e->args[0]);

	if (e->args[0] == DELAY_SLEEP)
		return snprintf(buf, size, "point=%s mode=%s ms=%llu", e->str, mode, e->args[1]);
	return snprintf(buf, size, "point=%s mode=%s", e->str, mode);
}

/* args: why it went on (enum delay_release); str: the point's name */
static int print_delay_released(char *buf, size_t size, const struct trace_entry *e)
{
	return snprintf(buf, size, "point=%s reason=%s", e->str,
			name_of(delay_reasons, ARRAY_SIZE(delay_reasons), e->args[0]));
}

const struct trace_event_call trace_events[NR_TRACE_EVENTS] = {
#define TRACE_EVENT_CALL(sys, ename, printer) \
	[TRACE_##sys##_##ename] = { .system = #sys, .name = #ename, .print = printer },
	TRACE_EVENTS(TRACE_EVENT_CALL)
#undef TRACE_EVENT_CALL
};

/*
 * Called at the end of mark_oom_victim(), which has set ->signal->oom_mm and
 * holds it with mmgrab(): the counters read here cannot vanish under us.
 */
void __trace_mark_victim(struct task_struct *tsk, unsigned int uid)
{
	struct mm_struct *mm = READ_ONCE(tsk->signal->oom_mm);
	const unsigned int kb = PAGE_SHIFT - 10;
	u64 a[TRACE_ARGS] = { tsk->pid };

	if (mm) {
		a[1] = READ_ONCE(mm->total_vm) << kb;
		a[2] = get_mm_counter(mm, MM_ANONPAGES) << kb;
		a[3] = get_mm_counter(mm, MM_FILEPAGES) << kb;
		a[4] = get_mm_counter(mm, MM_SHMEMPAGES) << kb;
		a[6] = (u64)READ_ONCE(mm->pgtables_bytes) >> 10;
	}
	a[5] = uid;
	a[7] = (u64)(s64)tsk->signal->oom_score_adj;
	trace_event_record(TRACE_oom_mark_victim, tsk->comm, TRACE_ARGS, a);
}
