/*
 * The OOM race, as a Promela model for the spin model checker.
 * Read it beside docs/oom-model.md, which maps each step to Folio's C and
 * shows the counterexamples.
 *
 * Four processes share one address space's state:
 *   Victim     the task the OOM killer chose: exit_mm(), mmput(), and in the
 *              last mmput() exit_mmap(). It may be stuck for good before it
 *              exits, or between its last mmput() and exit_mmap().
 *   Reaper     the oom_reaper thread: pins the mm, mmap_read_trylock(),
 *              checks MMF_OOM_SKIP under the read lock, unmaps, then sets
 *              MMF_OOM_SKIP and clears TIF_MEMDIE.
 *   OOM        an allocating task: its first allocation runs the OOM killer,
 *              which kills the victim; then it retries until memory comes
 *              back, running the OOM killer again each time it is still short;
 *              a second allocation needs the memory again.
 *   Bystander  another process with memory: the only possible second victim.
 *
 * The designs Folio keeps switchable, as compile-time switches:
 *   spin -a oom.pml                  the default (fixed) design: verifies
 *   spin -DMMGET=1 -a oom.pml        the reaper pins with mmget_not_zero()
 *   spin -DKEEP_MEMDIE=1 -a oom.pml  the reaper leaves TIF_MEMDIE set
 *   spin -DNO_REAPER=1 -a oom.pml    no reaper at all
 *   spin -DNO_DUMMY_LOCK=1 -a oom.pml  exit_mmap() without the dummy
 *                                    mmap_write_lock()/unlock()
 * and one ordering, as the kernel's tests force it with delay points:
 *   -DSTALLED_VICTIM=1               the victim stalls for good between its
 *                                    last mmput() and exit_mmap(), and the
 *                                    reaper starts only once it is there
 * Properties: the assertions below (page tables, double frees, spurious
 * kills, the mm_struct's lifetime) and no invalid end state (every process
 * ends, or waits where waiting forever is allowed: labels starting "end").
 */

#ifndef MMGET
#define MMGET 0
#endif
#ifndef KEEP_MEMDIE
#define KEEP_MEMDIE 0
#endif
#ifndef NO_REAPER
#define NO_REAPER 0
#endif
#ifndef NO_DUMMY_LOCK
#define NO_DUMMY_LOCK 0
#endif
#ifndef STALLED_VICTIM
#define STALLED_VICTIM 0
#endif

#define NPAGES 2		/* pages each process has mapped */
#define MAX_ATTEMPTS 2		/* the reaper's tries (Linux: 10, HZ/10 apart) */

/* The victim's mm_struct */
int mm_users = 1;		/* the victim is its only user */
int mm_count = 1;		/* all mm_users together hold one */
bool mm_freed;			/* mm_count reached 0: the struct is gone */
bool pte[NPAGES];		/* the page-table entries: page i mapped */
bool page_freed[NPAGES];
byte victim_freed;		/* how many of the victim's pages are back */
bool pgtables_freed;		/* free_pgtables() ran */
bool oom_skip;			/* MMF_OOM_SKIP in mm->flags */
/* mmap_lock, a read/write semaphore */
byte readers;
bool writer;

/* The victim task */
bool task_mm = true;		/* victim->mm, cleared by exit_mm() under task_lock */
bool oom_mm;			/* victim->signal->oom_mm set: tsk_is_oom_victim() */
bool memdie;			/* TIF_MEMDIE */
bool victim_alive = true;	/* still on the task list (until it has exited) */
bool killed_victim;		/* SIGKILL sent */
bool victim_stalled;		/* STALLED_VICTIM: it reached the stall point */
byte task_refs = 1;		/* references on the task (and its signal_struct) */

/* The reaper's queue, and the rest of the system */
bool reaper_queued;
bool killed_bystander;
byte free_pages;		/* free memory the allocating task may take */
byte rounds_done;

inline down_write() { atomic { readers == 0 && !writer -> writer = true } }
inline up_write() { writer = false }
inline read_trylock(ok) {
	atomic { if :: !writer -> readers++; ok = true :: else -> ok = false fi }
}
inline up_read() { readers-- }

inline mmdrop() {
	atomic { mm_count--; if :: mm_count == 0 -> mm_freed = true :: else fi }
}

/* Freeing a page: the page allocator must never get the same page twice. */
inline free_page(i) {
	assert(!page_freed[i]);		/* no page freed twice */
	page_freed[i] = true;
	victim_freed++;
	free_pages++
}

/* Clearing one pte and freeing its page: atomic under the page-table lock. */
inline unmap_page(i) {
	atomic {
		assert(!mm_freed);		/* nobody uses a freed mm_struct */
		assert(!pgtables_freed);	/* nobody walks freed page tables */
		if :: pte[i] -> pte[i] = false; free_page(i) :: else fi
	}
}

inline unmap_all(i) {
	i = 0;
	do :: i < NPAGES -> unmap_page(i); i++ :: else -> break od
}

/* The last reference on the task: its signal_struct goes, and oom_mm's mmgrab() with it. */
inline put_task_struct() {
	atomic { task_refs--; if :: task_refs == 0 && oom_mm -> mmdrop() :: else fi }
}

/* exit_mmap(), in whoever drops the last mm_users (the victim, or the reaper in MMGET mode). */
inline exit_mmap(caller_is_victim, i) {
	unmap_all(i);
	oom_skip = true;		/* set_bit(MMF_OOM_SKIP) */
#if !NO_DUMMY_LOCK
	if
	:: caller_is_victim && oom_mm ->	/* tsk_is_oom_victim(current) */
		down_write();		/* waits for a reaper inside its read lock */
		up_write()
	:: else
	fi;
#endif
	pgtables_freed = true;		/* free_pgtables() */
	mmdrop()			/* mm_users' reference on mm_count */
}

/* mmput()'s decrement: last tells whether this was the last user (then __mmput() runs). */
inline mmput_dec(last) {
	atomic { mm_users--; last = (mm_users == 0) }
}

proctype Victim()
{
	bool last;
	byte i;

#if !STALLED_VICTIM
	if
	:: true				/* it runs */
	:: goto stuck			/* blocked for good, holding its memory */
	fi;
#endif
	killed_victim;			/* it allocates until SIGKILL comes */
	atomic { task_mm = false }	/* exit_mm(): ->mm = NULL under task_lock */
	mmput_dec(last);
	if
	:: last ->
#if STALLED_VICTIM
		victim_stalled = true;	/* delay=mmput_before_exit_mmap:hold */
		goto stuck;
#endif
		if
		:: true			/* __mmput() goes straight on to exit_mmap() */
		:: goto stuck		/* ... or blocks there for good (exit_aio(); a delay point) */
		fi;
		exit_mmap(true, i)
	:: else
	fi;
	memdie = false;			/* exit_oom_victim() */
	victim_alive = false;
	put_task_struct();
	goto done;
stuck:
end_stuck:
	false;
done:
	skip
}

#if !NO_REAPER
proctype Reaper()
{
	bool ok, pinned, last;
	byte attempts, i;

end_idle:
	reaper_queued;			/* wake_oom_reaper() queued the victim */
#if STALLED_VICTIM
	victim_stalled;			/* held back until the victim is stalled */
#endif
	assert(!mm_freed);		/* the oom_mm pin keeps the mm_struct */
#if MMGET
	atomic { if :: mm_users > 0 -> mm_users++; pinned = true :: else -> pinned = false fi }
	if :: !pinned -> goto done :: else fi	/* mmget_not_zero() failed: "nothing to reap" */
#endif
	do
	:: attempts == MAX_ATTEMPTS -> break	/* give up */
	:: attempts < MAX_ATTEMPTS ->
		read_trylock(ok);
		if
		:: ok ->
			if
			:: oom_skip -> skip	/* exit_mmap() got there first: leave the mm alone */
			:: else -> unmap_all(i)
			fi;
			up_read();
			break
		:: else -> attempts++
		fi
	od;
#if MMGET
	mmput_dec(last);		/* mmput(): the reaper may be the last user */
	if :: last -> exit_mmap(false, i) :: else fi;
#endif
done:
	oom_skip = true;		/* MMF_OOM_SKIP: the OOM killer may move on */
#if !KEEP_MEMDIE
	memdie = false;			/* exit_oom_victim() */
#endif
	put_task_struct()		/* wake_oom_reaper()'s get_task_struct() */
}
#endif

/*
 * select_bad_process() aborts while an earlier victim's memory is on its way
 * back (mm/oom_kill.c: oom_victim_blocks_selection()): its mm lacks
 * MMF_OOM_SKIP; before 2016 (KEEP_MEMDIE), while it holds TIF_MEMDIE.
 */
#if KEEP_MEMDIE
#define select_aborts (victim_alive && memdie)
#else
#define select_aborts (victim_alive && oom_mm && !oom_skip)
#endif

inline oom_kill_victim() {
	atomic {				/* under task_lock(victim) */
		assert(task_mm);		/* it still has its mm: it may be chosen */
		killed_victim = true;
		oom_mm = true; memdie = true;	/* mark_oom_victim() */
		mm_count++;			/* mmgrab() for signal->oom_mm */
#if !NO_REAPER
		task_refs++;			/* wake_oom_reaper(): a reference, and the queue */
		reaper_queued = true
#endif
	}
}

/*
 * Retry an allocation of NPAGES until it succeeds, running the OOM killer while
 * short (mm/page_alloc.c: __alloc_pages_slowpath(), __alloc_pages_may_oom()).
 * Each try is one atomic step: the C holds oom_lock from its last-chance
 * attempt to the kill, and the reaper takes oom_lock around its unmapping and
 * its final MMF_OOM_SKIP (oom_reap_task_mm_locked()), so the allocator never
 * sees the memory still mapped and then the mm already skipped.
 */
inline allocate() {
	do
	:: atomic { free_pages >= NPAGES -> free_pages = free_pages - NPAGES; break }
	:: atomic { free_pages < NPAGES && !select_aborts && !killed_bystander ->
		/* a second victim: only once the first one's memory is back */
		assert(victim_freed == NPAGES);
		killed_bystander = true }
	od;
	rounds_done++
}

proctype OOM()
{
	oom_kill_victim();		/* the first OOM: memory is short, the victim is chosen */
	allocate();
	allocate()			/* a second OOM: memory is short again */
}

proctype Bystander()
{
end_wait:
	killed_bystander;
	free_pages = free_pages + NPAGES	/* it exits; no race here */
}

init {
	byte i;
	for (i : 0 .. NPAGES - 1) { pte[i] = true }
	atomic {
		run Victim();
#if !NO_REAPER
		run Reaper();
#endif
		run OOM();
		run Bystander()
	}
}
