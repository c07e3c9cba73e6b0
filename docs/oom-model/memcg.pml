/*
 * The memcg OOM unwind, as a Promela model for the spin model checker: the
 * companion of oom.pml for a memory cgroup's OOM. docs/memcg.md tells the
 * story and maps each step to Folio's C (mm/memcontrol.c, mm/gup.c).
 *
 * The first deadlock of the 2013 report, in three processes:
 *   Charger  a task that faults under mmap_lock (for reading) and charges a
 *            page to a group at its limit: the memcg OOM. It runs the OOM
 *            killer (it wins the group's OOM lock), and must then wait for
 *            the victim's memory.
 *   Victim   the task the OOM killer chose: it wants the same mmap_lock for
 *            writing (fork(), uninterruptibly) before it can exit and give
 *            its pages back.
 *   Reaper   the oom_reaper: it frees the victim's pages if its read
 *            trylock succeeds, which a writer waiting for the lock forbids
 *            (the rwsem is fair); it gives up after its tries.
 *
 * The two designs, as a compile-time switch:
 *   spin -a memcg.pml           unwind (the default): the charge fails,
 *                               the fault unwinds dropping mmap_lock, and
 *                               only then the task sleeps on the OOM wait
 *                               queue (mem_cgroup_oom_synchronize()) and
 *                               retries the fault: verifies
 *   spin -DTRAP=1 -a memcg.pml  trap (before 2013): the charger sleeps on
 *                               the OOM wait queue in the charge path,
 *                               holding mmap_lock: an invalid end state
 * Properties: nobody sleeps on the OOM wait queue holding mmap_lock (the
 * assertion), and no invalid end state (every process ends, or waits where
 * waiting forever is allowed: labels starting "end").
 */

#ifndef TRAP
#define TRAP 0
#endif

#define LIMIT 3			/* the group's limit, in pages */
#define MAX_ATTEMPTS 2		/* the reaper's tries (Linux: 10, HZ/10 apart) */

byte usage = LIMIT;		/* the group is full: the victim's two pages and one more */
byte victim_pages = 2;		/* the victim's pages still charged */
bool charged;			/* the charger's page is in */

/* mmap_lock of the mm the charger faults on, which the victim needs */
byte readers;
bool writer;
bool writer_waiting;		/* a writer is queued: new readers and trylocks wait */
bool charger_holds;		/* the charger holds it (for reading) */

bool oom_locked;		/* the group's OOM lock */
bool killed;			/* the victim got SIGKILL */
bool reaper_done;		/* the reaper reaped, or gave up (MMF_OOM_SKIP) */

/* Pages back in the group: uncharge (the wake-up of the OOM wait queue is the guard's re-evaluation). */
inline uncharge_victim()
{
	usage = usage - victim_pages;
	victim_pages = 0
}

/* The OOM killer, under the group's OOM lock: the victim once (an earlier victim holds the selection back). */
inline oom_kill()
{
	atomic { !oom_locked -> oom_locked = true };
	killed = true;
	oom_locked = false
}

/* Sleep on the OOM wait queue until memory comes back. */
inline oom_sleep()
{
#if !TRAP
	assert(!charger_holds);	/* the unwind: nobody sleeps here holding a lock */
#endif
	(usage < LIMIT)
}

proctype Charger()
{
retry:
	atomic { !writer && !writer_waiting -> readers++; charger_holds = true };	/* mmap_read_lock() */
	if
	:: atomic { usage < LIMIT -> usage++; charged = true };
	   goto unlock
	:: else
	fi;
	/* The charge failed: the memcg OOM. model: mem_cgroup_oom() */
	oom_kill();
	if
	:: atomic { usage < LIMIT -> usage++; charged = true };	/* one more try after the kill */
	   goto unlock
	:: else
	fi;
#if TRAP
	/* model: mem_cgroup_oom_trap(): wait here, in the charge path, and try again */
	oom_sleep();
	atomic { usage < LIMIT -> usage++; charged = true };
#else
	/* model: current->memcg_in_oom, VM_FAULT_OOM: the fault unwinds, dropping mmap_lock */
	atomic { readers--; charger_holds = false };
	/* model: pagefault_out_of_memory() -> mem_cgroup_oom_synchronize() */
	oom_sleep();
	goto retry;
#endif
unlock:
	atomic { readers--; charger_holds = false }
}

proctype Victim()
{
	/* fork(): mmap_write_lock(), uninterruptible; then the kill ends it */
	writer_waiting = true;
	atomic { readers == 0 && !writer -> writer = true; writer_waiting = false };
	writer = false;
	killed;
	atomic { uncharge_victim() }	/* exit_mmap() */
}

proctype Reaper()
{
	byte tries;

	killed;		/* wake_oom_reaper() */
	do
	:: tries < MAX_ATTEMPTS ->
		if
		:: atomic { !writer && !writer_waiting -> readers++ };	/* mmap_read_trylock() */
		   atomic { uncharge_victim() };
		   readers--;
		   break
		:: else -> tries++	/* schedule_timeout_idle(HZ/10) */
		fi
	:: else -> break	/* give up: MMF_OOM_SKIP */
	od;
	reaper_done = true
}

init
{
	atomic {
		run Charger();
		run Victim();
		run Reaper()
	}
}
