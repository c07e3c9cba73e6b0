/*
 * A randomized stress test of the three locks at once (kernel/locking/):
 * the rwsem in every way it can be taken, the mutex and the spinlock, from
 * the locking fixture (locking_test.h).
 *
 * 8 threads x 500 operations, each chosen by a per-thread xorshift32 seeded
 * from the thread's index (so every run does the same operations): read or
 * write the rwsem (plain, killable, or write-then-downgrade), or bump the
 * mutex- or spinlock-protected counter. Readers check that no writer is
 * inside, before and after a yield(); writers check that nobody else is
 * inside and do a non-atomic increment with a yield() in the middle. The
 * expected totals come from replaying the seeds.
 */
#include <kernel/completion.h>
#include <kernel/time.h>
#include <lib/string.h>
#include "locking_test.h"

enum { ST_THREADS = 8, ST_OPS = 500 };
enum { ST_READ, ST_READ_KILLABLE, ST_WRITE, ST_WRITE_KILLABLE, ST_WRITE_DOWNGRADE, ST_MUTEX, ST_SPIN, ST_NR };

static struct stress {
	struct lock_fixture *f;		/* its rwsem, mutex and spinlock */
	volatile int writer_inside;
	int readers_inside;		/* atomic */
	unsigned long rw_counter, mutex_counter, spin_counter;
	unsigned long reads;		/* atomic */
	unsigned long errors;		/* atomic */
	int ndone;			/* atomic */
	unsigned long sleeps;		/* atomic: voluntary switches, i.e. times a thread blocked */
	struct completion go;
} st;

static u32 xorshift32(u32 *s)
{
	u32 x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static u32 stress_seed(int id) { return 0x9e3779b9u * (u32)(id + 1); }

static void stress_error(void) { __atomic_add_fetch(&st.errors, 1, __ATOMIC_RELAXED); }

static void stress_read_side(void)
{
	__atomic_add_fetch(&st.readers_inside, 1, __ATOMIC_RELAXED);
	if (st.writer_inside)
		stress_error();
	yield();
	if (st.writer_inside)
		stress_error();
	__atomic_sub_fetch(&st.readers_inside, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&st.reads, 1, __ATOMIC_RELAXED);
}

static void stress_write_side(void)
{
	if (st.writer_inside || READ_ONCE(st.readers_inside))
		stress_error();
	st.writer_inside = 1;
	unsigned long tmp = READ_ONCE(st.rw_counter);
	yield();
	if (READ_ONCE(st.readers_inside))
		stress_error();
	WRITE_ONCE(st.rw_counter, tmp + 1);
	st.writer_inside = 0;
}

/* Take the rwsem as op says; nonzero if a killable wait gave up (it must not: nobody is killed). */
static int stress_down(int op)
{
	struct rw_semaphore *sem = &st.f->sem;

	switch (op) {
	case ST_READ: down_read(sem); return 0;
	case ST_READ_KILLABLE: return down_read_killable(sem);
	case ST_WRITE_KILLABLE: return down_write_killable(sem);
	default: down_write(sem); return 0;
	}
}

static void stress_rwsem(int op)
{
	struct rw_semaphore *sem = &st.f->sem;

	if (stress_down(op)) {
		stress_error();
		return;
	}
	if (op == ST_READ || op == ST_READ_KILLABLE) {
		stress_read_side();
		up_read(sem);
		return;
	}
	stress_write_side();
	if (op != ST_WRITE_DOWNGRADE) {
		up_write(sem);
		return;
	}
	downgrade_write(sem);
	stress_read_side();
	up_read(sem);
}

static void stress_mutex(bool yield_inside)
{
	mutex_lock(&st.f->m);
	unsigned long tmp = READ_ONCE(st.mutex_counter);
	if (yield_inside)
		yield();
	WRITE_ONCE(st.mutex_counter, tmp + 1);
	mutex_unlock(&st.f->m);
}

/* Preemption is off inside: the tick may come, but nobody else runs. */
static void stress_spin(void)
{
	unsigned long flags;

	spin_lock_irqsave(&st.f->lock, flags);
	unsigned long tmp = READ_ONCE(st.spin_counter);
	udelay(20);
	WRITE_ONCE(st.spin_counter, tmp + 1);
	spin_unlock_irqrestore(&st.f->lock, flags);
}

static int stress_fn(void *data)
{
	u32 seed = stress_seed((int)(long)data);

	wait_for_completion(&st.go);
	unsigned long nvcsw0 = current->nvcsw;
	for (int i = 0; i < ST_OPS; i++) {
		int op = xorshift32(&seed) % ST_NR;

		if (op == ST_MUTEX)
			stress_mutex(i & 1);
		else if (op == ST_SPIN)
			stress_spin();
		else
			stress_rwsem(op);
	}
	__atomic_add_fetch(&st.sleeps, current->nvcsw - nvcsw0, __ATOMIC_RELAXED);
	__atomic_add_fetch(&st.ndone, 1, __ATOMIC_RELEASE);
	return 0;
}

/* Start the threads; expect[op]: how many times they will do op, replayed from the seeds. */
static void stress_start(struct lock_fixture *f, unsigned long expect[ST_NR])
{
	memset(&st, 0, sizeof(st));
	st.f = f;
	init_completion(&st.go);
	for (int id = 0; id < ST_THREADS; id++) {
		u32 seed = stress_seed(id);
		for (int i = 0; i < ST_OPS; i++)
			expect[xorshift32(&seed) % ST_NR]++;
		fixture_thread(f, stress_fn, (void *)(long)id, "stress");
	}
	complete_all(&st.go);
}

KTEST(rwsem_stress_random)
{
	struct lock_fixture *f = lock_fixture_begin();
	unsigned long expect[ST_NR] = { 0 };

	stress_start(f, expect);
	bool done = WAIT_FOR(__atomic_load_n(&st.ndone, __ATOMIC_ACQUIRE) == f->nr_tasks, 120);
	KT_STOP_THREADS(f);
	KT_ASSERT_MSG(done, "only %d of %d stress threads finished", st.ndone, ST_THREADS);

	unsigned long writes = expect[ST_WRITE] + expect[ST_WRITE_KILLABLE] + expect[ST_WRITE_DOWNGRADE];
	unsigned long reads = expect[ST_READ] + expect[ST_READ_KILLABLE] + expect[ST_WRITE_DOWNGRADE];
	pr_info("rwsem_stress_random: %lu writes, %lu reads, %lu mutex, %lu spin; threads blocked %lu times\n",
		writes, reads, expect[ST_MUTEX], expect[ST_SPIN], st.sleeps);
	KT_ASSERT_EQ(st.errors, 0);
	KT_ASSERT_EQ(st.rw_counter, writes);
	KT_ASSERT_EQ(st.reads, reads);
	KT_ASSERT_EQ(st.mutex_counter, expect[ST_MUTEX]);
	KT_ASSERT_EQ(st.spin_counter, expect[ST_SPIN]);
	KT_ASSERT(writes && expect[ST_MUTEX] && expect[ST_SPIN] && expect[ST_READ_KILLABLE]);
	KT_ASSERT_MSG(st.sleeps >= ST_THREADS * ST_OPS / 10, "only %lu blocking waits: too little contention",
		      st.sleeps);
	KT_ASSERT_FIXTURE_CLEAN(f);
}
