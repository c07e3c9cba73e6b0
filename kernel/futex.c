/*
 * Futexes (Linux: kernel/futex/): FUTEX_WAIT sleeps if the user word still
 * holds the expected value, FUTEX_WAKE wakes sleepers on a word. musl's
 * mutexes, condition variables and pthread_join are built on these two.
 *
 * Waiters hash by key into FUTEX_HASH_SIZE buckets. A private futex
 * (FUTEX_PRIVATE_FLAG, the common case) is keyed by (mm, address), so a
 * copy-on-write copy of the page cannot lose a wake-up; a shared one in a
 * MAP_SHARED mapping by the physical address of the word, so processes
 * sharing the page meet there (in private memory it is keyed as private).
 *
 * No lost wake-ups: the waiter compares the word and queues itself under
 * the bucket lock, and the waker takes the same lock. The comparison reads
 * user memory under a spinlock: a fault there cannot sleep, so it fails
 * (the page-fault handler sees in_atomic()), the lock is dropped, the page
 * faulted in, and the whole thing retried — Linux's own approach.
 */
#include <kernel/kernel.h>
#include <kernel/futex.h>
#include <kernel/sched.h>
#include <kernel/timer.h>
#include <kernel/time.h>
#include <kernel/timekeeping.h>
#include <kernel/uaccess.h>
#include <kernel/syscalls.h>
#include <uapi/errno.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include <arch/pgtable.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu
#define FUTEX_HASH_SIZE 64

struct futex_key {
	unsigned long word;	/* mm pointer (private) or physical address (shared) */
	unsigned long addr;
};

struct futex_bucket {
	spinlock_t lock;
	struct list_head chain;
};

/* A waiter. ->hb may change (requeue) while it sleeps: both buckets' locks are held for that. */
struct futex_q {
	struct list_head list;
	struct futex_key key;
	struct futex_bucket *hb;
	struct task_struct *task;
	u32 bitset;
	bool woken;
};

static struct futex_bucket futex_queues[FUTEX_HASH_SIZE];

void futex_init(void)
{
	for (int i = 0; i < FUTEX_HASH_SIZE; i++) {
		spin_lock_init(&futex_queues[i].lock);
		futex_queues[i].lock.name = "futex_bucket";
		INIT_LIST_HEAD(&futex_queues[i].chain);
	}
}


static int get_futex_key(u32 __user *uaddr, bool private, struct futex_key *key)
{
	unsigned long addr = (unsigned long)uaddr;
	u32 v;

	if (addr & 3)
		return -EINVAL;
	if (get_user(v, uaddr))		/* faults the page in, or -EFAULT */
		return -EFAULT;
	(void)v;
	mmap_read_lock(current->mm);
	struct vm_area_struct *vma = find_vma(current->mm, addr);
	/* As in Linux, a "shared" futex in private memory is keyed like a private one. */
	if (private || !vma || !(vma->vm_flags & VM_SHARED)) {
		mmap_read_unlock(current->mm);
		key->word = (unsigned long)current->mm;
		key->addr = addr;
		return 0;
	}
	enum pg_level level;
	pte_t *pte = lookup_address_in_pgd(current->mm->pgd, addr, &level);
	phys_addr_t pa = pte ? pte_phys(*pte) + (addr & ~PAGE_MASK) : 0;
	mmap_read_unlock(current->mm);
	if (!pte)
		return -EFAULT;
	key->word = 0;
	key->addr = pa;
	return 0;
}

static struct futex_bucket *hash_futex(const struct futex_key *key)
{
	unsigned long h = (key->addr >> 2) ^ (key->word >> 6) ^ (key->addr >> 12);
	return &futex_queues[h % FUTEX_HASH_SIZE];
}

static bool match(const struct futex_key *a, const struct futex_key *b)
{
	return a->word == b->word && a->addr == b->addr;
}

static long futex_wait(u32 __user *uaddr, bool private, u32 val, long timeout, u32 bitset)
{
	struct futex_q q = { .task = current, .bitset = bitset };
	struct futex_bucket *hb;
	unsigned long flags;
	u32 cur;
	int err;

	if (!bitset)
		return -EINVAL;
retry:
	if ((err = get_futex_key(uaddr, private, &q.key)))
		return err;
	hb = hash_futex(&q.key);
	spin_lock_irqsave(&hb->lock, flags);
	if (get_user(cur, uaddr)) {	/* could not fault in under the lock: go round again */
		spin_unlock_irqrestore(&hb->lock, flags);
		goto retry;
	}
	if (cur != val) {
		spin_unlock_irqrestore(&hb->lock, flags);
		return -EAGAIN;
	}
	q.hb = hb;
	list_add_tail(&q.list, &hb->chain);
	set_current_state(TASK_INTERRUPTIBLE);
	spin_unlock_irqrestore(&hb->lock, flags);

	long left = schedule_timeout(timeout);

	for (;;) {	/* lock the bucket we are on now: a requeue may have moved us */
		hb = READ_ONCE(q.hb);
		spin_lock_irqsave(&hb->lock, flags);
		if (q.hb == hb)
			break;
		spin_unlock_irqrestore(&hb->lock, flags);
	}
	if (q.woken) {
		spin_unlock_irqrestore(&hb->lock, flags);
		return 0;
	}
	list_del(&q.list);
	spin_unlock_irqrestore(&hb->lock, flags);
	if (!left)
		return -ETIMEDOUT;
	return -EINTR;	/* a signal (Linux restarts when it can: -ERESTARTSYS) */
}

static int do_futex_wake(u32 __user *uaddr, bool private, int nr, u32 bitset)
{
	struct futex_key key;
	struct futex_q *q, *n;
	unsigned long flags;
	int woken = 0, err;

	if (!bitset)
		return -EINVAL;
	if ((err = get_futex_key(uaddr, private, &key)))
		return err;
	struct futex_bucket *hb = hash_futex(&key);
	spin_lock_irqsave(&hb->lock, flags);
	list_for_each_entry_safe(q, n, &hb->chain, list) {
		if (woken >= nr)
			break;
		if (!match(&q->key, &key) || !(q->bitset & bitset))
			continue;
		list_del(&q->list);
		q->woken = true;
		wake_up_process(q->task);
		woken++;
	}
	spin_unlock_irqrestore(&hb->lock, flags);
	return woken;
}

static void double_lock(struct futex_bucket *a, struct futex_bucket *b, unsigned long *flags)
{
	local_irq_save(*flags);
	if (a > b)
		swap(a, b);
	spin_lock(&a->lock);	/* always in address order: no ABBA deadlock between two requeuers */
	if (b != a)
		spin_lock(&b->lock);
}

static void double_unlock(struct futex_bucket *a, struct futex_bucket *b, unsigned long flags)
{
	if (b != a)
		spin_unlock(&b->lock);
	spin_unlock(&a->lock);
	local_irq_restore(flags);
}

/*
 * Wake up to nr_wake waiters on uaddr and move up to nr_requeue more to
 * uaddr2, without waking them (condition variables: only one waiter should
 * race for the mutex). With cmp, only if *uaddr still holds cmpval.
 */
static long futex_requeue(u32 __user *uaddr, bool private, u32 __user *uaddr2, int nr_wake,
			  int nr_requeue, bool cmp, u32 cmpval)
{
	struct futex_key key1, key2;
	unsigned long flags;
	struct futex_q *q, *n;
	long done = 0, err;
	u32 cur;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
retry:
	if ((err = get_futex_key(uaddr, private, &key1)) || (err = get_futex_key(uaddr2, private, &key2)))
		return err;
	struct futex_bucket *hb1 = hash_futex(&key1), *hb2 = hash_futex(&key2);
	double_lock(hb1, hb2, &flags);
	if (cmp) {
		if (get_user(cur, uaddr)) {
			double_unlock(hb1, hb2, flags);
			goto retry;	/* fault it in without the locks */
		}
		if (cur != cmpval) {
			double_unlock(hb1, hb2, flags);
			return -EAGAIN;
		}
	}
	list_for_each_entry_safe(q, n, &hb1->chain, list) {
		if (!match(&q->key, &key1))
			continue;
		if (done < nr_wake) {
			list_del(&q->list);
			q->woken = true;
			wake_up_process(q->task);
		} else if (done < nr_wake + nr_requeue) {
			q->key = key2;
			if (hb1 != hb2) {
				list_del(&q->list);
				list_add_tail(&q->list, &hb2->chain);
				q->hb = hb2;
			}
		} else {
			break;
		}
		done++;
	}
	double_unlock(hb1, hb2, flags);
	return done;
}

int futex_wake(u32 __user *uaddr, int nr)
{
	return do_futex_wake(uaddr, false, nr, FUTEX_BITSET_MATCH_ANY);
}

struct kernel_timespec {
	s64 tv_sec;
	long tv_nsec;
};

static long timespec_to_jiffies_checked(const struct kernel_timespec __user *uts, bool absolute, bool realtime,
					long *out)
{
	struct kernel_timespec ts;

	*out = MAX_SCHEDULE_TIMEOUT;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	if (absolute) {	/* CLOCK_MONOTONIC (since boot), or CLOCK_REALTIME (since 1970) */
		u64 now = realtime ? ktime_get_real_ns() : ktime_get_ns();
		u64 when = ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
		u64 d = when > now ? when - now : 0;
		ts.tv_sec = d / NSEC_PER_SEC;
		ts.tv_nsec = d % NSEC_PER_SEC;
	}
	if (ts.tv_sec > 86400L * 365)
		return 0;	/* far enough to be forever */
	*out = ts.tv_sec * HZ + (ts.tv_nsec * HZ + NSEC_PER_SEC - 1) / NSEC_PER_SEC + 1;
	return 0;
}

SYSCALL_DEFINE6(futex, u32 __user *, uaddr, int, op, u32, val, const struct kernel_timespec __user *, utime,
		u32 __user *, uaddr2, u32, val3)
{
	bool private = op & FUTEX_PRIVATE_FLAG;
	long timeout, err;

	switch (op & FUTEX_CMD_MASK) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAIT_BITSET:
		if ((op & FUTEX_CLOCK_REALTIME) && (op & FUTEX_CMD_MASK) == FUTEX_WAIT)
			return -ENOSYS;	/* as Linux: plain WAIT takes relative timeouts only */
		err = timespec_to_jiffies_checked(utime, (op & FUTEX_CMD_MASK) == FUTEX_WAIT_BITSET,
						  op & FUTEX_CLOCK_REALTIME, &timeout);
		if (err)
			return err;
		return futex_wait(uaddr, private, val, timeout, val3);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET:
		return do_futex_wake(uaddr, private, (int)val, val3);
	case FUTEX_REQUEUE:	/* utime carries val2, the number to requeue */
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, private, uaddr2, (int)val, (int)(long)utime,
				     (op & FUTEX_CMD_MASK) == FUTEX_CMP_REQUEUE, val3);
	default:
		return -ENOSYS;
	}
}

/*
 * set_robust_list: where the thread's list of held robust futexes lives.
 * Folio records it (glibc and musl register one at thread start) but does
 * not walk it at exit to wake waiters of a dead owner, as Linux does.
 */
SYSCALL_DEFINE2(set_robust_list, void __user *, head, size_t, len)
{
	if (len != 3 * sizeof(long))	/* sizeof(struct robust_list_head) */
		return -EINVAL;
	current->robust_list = head;
	return 0;
}
