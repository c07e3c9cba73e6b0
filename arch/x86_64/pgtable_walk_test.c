/*
 * ktests for the page-table walker's options (pt_walk() and pt_iter_next(),
 * arch/x86_64/pgtable.c): allocating or not, splitting a large page or
 * returning it, counting a user address space's tables in pgtables_bytes
 * until free_pgtables(), the iterator's skipping of missing tables, and the
 * re-check under page_table_lock when two walkers race to install a table.
 *
 * User-table tests walk a fresh mm that no task runs in (mm_alloc()); it is
 * never loaded, so no TLB is involved. Kernel-table tests use their own slot
 * of the vmalloc area that vmalloc() never reaches (as pgtable_test.c does),
 * under kernel_map_lock.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/ktest_thread.h>
#include <kernel/delay_point.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <mm/mm.h>
#include <kernel/sched/mm.h>
#include <arch/pgtable.h>

#define TEST_VA(slot) (VMALLOC_START + (256UL << 30) + (unsigned long)(slot) * PMD_SIZE)
#define USER_VA 0x40000000UL		/* 1 GiB: a PUD entry of its own */
#define RACE_POINT "pt_install_before_lock"

static pte_t *walk_user(struct mm_struct *mm, unsigned long va, enum pg_level level, unsigned int flags,
			enum pg_level *found)
{
	struct pt_walk w = { .pgd = mm->pgd, .mm = mm, .flags = flags };
	pte_t *e = pt_walk(&w, va, level);

	*found = w.level;
	return e;
}

static long pgtables_pages(struct mm_struct *mm)
{
	return __atomic_load_n(&mm->pgtables_bytes, __ATOMIC_RELAXED) / PAGE_SIZE;
}

/* Without PTW_ALLOC a walk stops at the first empty entry and says where; with it, it fills them in. */
KTEST(pt_walk_alloc_or_not)
{
	unsigned long pages0 = nr_free_pages();
	struct mm_struct *mm = mm_alloc();
	enum pg_level found;

	KT_ASSERT(mm);
	unsigned long base = nr_free_pages();
	KT_ASSERT(!walk_user(mm, USER_VA, PG_LEVEL_4K, 0, &found));
	KT_ASSERT_EQ(found, PG_LEVEL_512G);	/* the PGD entry is empty */
	KT_ASSERT_EQ(nr_free_pages(), base);
	KT_ASSERT_EQ(pgtables_pages(mm), 0);

	pte_t *pte = walk_user(mm, USER_VA, PG_LEVEL_4K, PTW_ALLOC, &found);
	KT_ASSERT(pte);
	KT_ASSERT_EQ(found, PG_LEVEL_4K);
	KT_ASSERT(!pte_present(*pte));	/* a slot, not a mapping */
	KT_ASSERT_EQ(pgtables_pages(mm), 3);	/* PUD, PMD and PTE tables */
	KT_ASSERT_EQ(nr_free_pages(), base - 3);
	KT_ASSERT(walk_user(mm, USER_VA, PG_LEVEL_4K, 0, &found) == pte);
	KT_ASSERT(walk_user(mm, USER_VA + PAGE_SIZE, PG_LEVEL_4K, 0, &found) == pte + 1);

	/* The PMD entry points to the table holding pte; user tables let user mode through. */
	pte_t *pmd = walk_user(mm, USER_VA, PG_LEVEL_2M, 0, &found);
	KT_ASSERT(pmd && found == PG_LEVEL_2M && pte_present(*pmd) && !pte_huge(*pmd));
	KT_ASSERT(pmd->pte & _PAGE_USER);
	KT_ASSERT(pt_table(*pmd) == (pte_t *)ALIGN_DOWN((unsigned long)pte, PAGE_SIZE));

	/* The next 2M has no PTE table: the walk stops at its empty PMD entry. */
	KT_ASSERT(!walk_user(mm, USER_VA + PMD_SIZE, PG_LEVEL_4K, 0, &found));
	KT_ASSERT_EQ(found, PG_LEVEL_2M);
	KT_ASSERT(walk_user(mm, USER_VA + PMD_SIZE, PG_LEVEL_2M, 0, &found) == pmd + 1);
	KT_ASSERT(walk_user(mm, USER_VA + PMD_SIZE, PG_LEVEL_4K, PTW_ALLOC, &found));
	KT_ASSERT_EQ(pgtables_pages(mm), 4);
	KT_ASSERT_EQ(nr_free_pages(), base - 4);

	free_pgtables(mm);
	KT_ASSERT_EQ(pgtables_pages(mm), 0);
	KT_ASSERT_EQ(nr_free_pages(), base);
	mmput(mm);
	KT_ASSERT_EQ(nr_free_pages(), pages0);
}

/*
 * pgtables_bytes counts every table a walk installs, at any depth, and
 * free_pgtables() gives them all back and leaves the shared kernel half alone.
 */
KTEST(pt_walk_pgtables_bytes)
{
	static const unsigned long vas[] = {
		USER_VA, USER_VA + 5 * PAGE_SIZE,	/* same PTE table */
		USER_VA + PUD_SIZE,			/* new PMD and PTE tables */
		0x7fffffffe000UL,			/* the last PGD slot: PUD, PMD, PTE */
		0x400000UL,				/* PUD entry 0 of PGD slot 0: PMD, PTE */
	};
	static const long tables[] = { 3, 3, 5, 8, 10 };
	unsigned long pages0 = nr_free_pages();
	struct mm_struct *mm = mm_alloc();
	enum pg_level found;

	KT_ASSERT(mm);
	unsigned long base = nr_free_pages();
	pte_t kernel_slot = *pt_entry(mm->pgd, PG_LEVEL_512G, PAGE_OFFSET);
	for (unsigned int i = 0; i < ARRAY_SIZE(vas); i++) {
		KT_ASSERT(walk_user(mm, vas[i], PG_LEVEL_4K, PTW_ALLOC, &found));
		KT_ASSERT_MSG(pgtables_pages(mm) == tables[i], "after %#lx: %ld tables, expected %ld", vas[i],
			      pgtables_pages(mm), tables[i]);
		KT_ASSERT_EQ(nr_free_pages(), base - tables[i]);
	}
	free_pgtables(mm);
	KT_ASSERT_EQ(pgtables_pages(mm), 0);
	KT_ASSERT_EQ(nr_free_pages(), base);
	for (unsigned int i = 0; i < ARRAY_SIZE(vas); i++) {
		KT_ASSERT(!walk_user(mm, vas[i], PG_LEVEL_4K, 0, &found));
		KT_ASSERT_EQ(found, PG_LEVEL_512G);
	}
	KT_ASSERT_EQ(pt_entry(mm->pgd, PG_LEVEL_512G, PAGE_OFFSET)->pte, kernel_slot.pte);
	mmput(mm);
	KT_ASSERT_EQ(nr_free_pages(), pages0);
}

/*
 * The iterator visits the entries that are not empty, in order, skipping
 * the span of every missing table, and stops at end. The mm is never
 * loaded, so its PTEs can hold marks instead of mappings.
 */
KTEST(pt_iter_skips_empty)
{
	static const unsigned long tables[] = { 0x400000UL, USER_VA + PMD_SIZE, 0x7fffffe00000UL };
	static const unsigned int slots[] = { 0, 1, 100, 511 };
	const pteval_t mark = _PAGE_PROTNONE;
	struct mm_struct *mm = mm_alloc();
	enum pg_level found;
	unsigned long n = 0;

	KT_ASSERT(mm);
	for (unsigned int t = 0; t < ARRAY_SIZE(tables); t++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(slots); i++) {
			pte_t *pte = walk_user(mm, tables[t] + slots[i] * PAGE_SIZE, PG_LEVEL_4K, PTW_ALLOC, &found);
			KT_ASSERT(pte);
			pte->pte = mark;
		}
	}
	struct pt_iter it = { .walk = { .pgd = mm->pgd, .mm = mm }, .level = PG_LEVEL_4K, .end = TASK_SIZE_MAX };
	while (pt_iter_next(&it)) {
		KT_ASSERT(n < ARRAY_SIZE(tables) * ARRAY_SIZE(slots));
		unsigned long want = tables[n / ARRAY_SIZE(slots)] + slots[n % ARRAY_SIZE(slots)] * PAGE_SIZE;
		KT_ASSERT_MSG(it.addr == want, "entry %lu at %#lx, expected %#lx", n, it.addr, want);
		KT_ASSERT_EQ(it.walk.level, PG_LEVEL_4K);
		KT_ASSERT(it.entry == walk_user(mm, it.addr, PG_LEVEL_4K, 0, &found) && it.entry->pte == mark);
		n++;
	}
	/* The last table ends at 0x800000000000; TASK_SIZE_MAX leaves out its last page. */
	KT_ASSERT_EQ(n, ARRAY_SIZE(tables) * ARRAY_SIZE(slots) - 1);

	/* Ranges inside one table, and one over tables that hold nothing there. */
	it = (struct pt_iter){ .walk = { .pgd = mm->pgd, .mm = mm }, .level = PG_LEVEL_4K,
			       .addr = 0x400000UL + PAGE_SIZE, .end = 0x400000UL + 101 * PAGE_SIZE };
	KT_ASSERT(pt_iter_next(&it) && it.addr == 0x400000UL + PAGE_SIZE);
	KT_ASSERT(pt_iter_next(&it) && it.addr == 0x400000UL + 100 * PAGE_SIZE);
	KT_ASSERT(!pt_iter_next(&it));
	it = (struct pt_iter){ .walk = { .pgd = mm->pgd, .mm = mm }, .level = PG_LEVEL_4K,
			       .addr = 0x400000UL + 2 * PAGE_SIZE, .end = USER_VA + PMD_SIZE };
	KT_ASSERT(pt_iter_next(&it) && it.addr == 0x400000UL + 100 * PAGE_SIZE);
	KT_ASSERT(pt_iter_next(&it) && it.addr == 0x400000UL + 511 * PAGE_SIZE);
	KT_ASSERT(!pt_iter_next(&it));

	/* At the PMD level: the three entries that point to the PTE tables. */
	it = (struct pt_iter){ .walk = { .pgd = mm->pgd, .mm = mm }, .level = PG_LEVEL_2M, .end = TASK_SIZE_MAX };
	for (n = 0; pt_iter_next(&it); n++)
		KT_ASSERT(n < ARRAY_SIZE(tables) && it.addr == tables[n] && pte_present(*it.entry));
	KT_ASSERT_EQ(n, ARRAY_SIZE(tables));
	mmput(mm);
}

static int kmap_2m(unsigned long va, phys_addr_t pa)
{
	unsigned long flags;

	spin_lock_irqsave(&kernel_map_lock, flags);
	int err = map_pages(init_pgd, va, pa, PMD_SIZE, PAGE_KERNEL, PMD_SIZE);
	spin_unlock_irqrestore(&kernel_map_lock, flags);
	return err;
}

static pte_t *walk_kernel(unsigned long va, enum pg_level level, unsigned int flags, enum pg_level *found)
{
	struct pt_walk w = { .pgd = init_pgd, .flags = flags };
	unsigned long irq;

	spin_lock_irqsave(&kernel_map_lock, irq);
	pte_t *e = pt_walk(&w, va, level);
	spin_unlock_irqrestore(&kernel_map_lock, irq);
	*found = w.level;
	return e;
}

/* Without PTW_SPLIT a walk returns a large page it meets, even with PTW_ALLOC; with it, it splits. */
KTEST(pt_walk_split_or_return_large)
{
	unsigned long base = nr_free_pages(), va = TEST_VA(8);
	struct page *blk = alloc_pages(GFP_KERNEL, 9);
	enum pg_level found;

	KT_ASSERT(blk);
	phys_addr_t pa = page_to_phys(blk);
	KT_ASSERT_EQ(kmap_2m(va, pa), 0);
	unsigned long mapped = nr_free_pages();
	pte_t *pmd = walk_kernel(va + 7 * PAGE_SIZE, PG_LEVEL_4K, 0, &found);
	KT_ASSERT(pmd && found == PG_LEVEL_2M && pte_huge(*pmd) && pte_phys(*pmd) == pa);
	KT_ASSERT(walk_kernel(va + 7 * PAGE_SIZE, PG_LEVEL_4K, PTW_ALLOC, &found) == pmd);
	KT_ASSERT_EQ(found, PG_LEVEL_2M);
	KT_ASSERT(walk_kernel(va, PG_LEVEL_2M, 0, &found) == pmd);
	KT_ASSERT_EQ(nr_free_pages(), mapped);	/* nothing allocated, nothing split */

	pte_t *pte = walk_kernel(va + 7 * PAGE_SIZE, PG_LEVEL_4K, PTW_SPLIT, &found);
	KT_ASSERT(pte && found == PG_LEVEL_4K);
	KT_ASSERT_EQ(nr_free_pages(), mapped - 1);	/* one PTE table */
	KT_ASSERT(pte_present(*pmd) && !pte_huge(*pmd));
	pte_t *table = pt_table(*pmd);
	KT_ASSERT(pte == &table[7]);
	for (int i = 0; i < PTRS_PER_TABLE; i++)
		KT_ASSERT_MSG(table[i].pte == ((pa + i * PAGE_SIZE) | (PAGE_KERNEL & __supported_pte_mask)),
			      "entry %d is %#llx", i, table[i].pte);

	unsigned long flags;
	spin_lock_irqsave(&kernel_map_lock, flags);
	unmap_pages(init_pgd, va, PMD_SIZE);
	spin_unlock_irqrestore(&kernel_map_lock, flags);
	__free_pages(blk, 9);
	KT_ASSERT_EQ(nr_free_pages(), base);
}

struct race {
	struct mm_struct *mm;
	pte_t *pte;
	bool done;
};

static int race_walker(void *data)
{
	struct race *r = data;
	enum pg_level found;

	r->pte = walk_user(r->mm, USER_VA, PG_LEVEL_4K, PTW_ALLOC, &found);
	WRITE_ONCE(r->done, true);
	return 0;
}

/*
 * Two walkers find the same entries empty and both allocate a table: the
 * delay point between the allocation and page_table_lock holds each one
 * there while the other runs, at every level. The first to take the lock
 * installs its table; the other must see it under the lock, free its own
 * page and go on through the installed one. One table per level is
 * installed and counted, and no page is lost.
 */
KTEST(pt_walk_install_race)
{
	unsigned long freed0 = nr_tasks_freed, pages0 = nr_free_pages();
	struct mm_struct *mm = mm_alloc();
	struct race r = { .mm = mm };
	enum pg_level found;

	KT_ASSERT(mm);
	u64 seq = log_next_seq;
	KT_ASSERT_EQ(delay_point_set(RACE_POINT, 40), 0);
	struct task_struct *t = ktest_start_thread(race_walker, &r, "kt_ptwalk");
	pte_t *mine = t ? walk_user(mm, USER_VA, PG_LEVEL_4K, PTW_ALLOC, &found) : NULL;
	bool finished = t && WAIT_FOR(READ_ONCE(r.done), 5);
	delay_point_set(RACE_POINT, 0);
	if (t)
		ktest_stop_thread(t);
	KT_ASSERT(t && finished);

	KT_ASSERT(mine && mine == r.pte);
	KT_ASSERT_EQ(ktest_log_count(seq, "delay_point: " RACE_POINT ":"), 6);	/* both, at 3 levels */
	KT_ASSERT_EQ(pgtables_pages(mm), 3);
	mmput(mm);
	KT_ASSERT_ALL_FREED(freed0, 1, pages0);	/* the losers' tables went back too */
}
