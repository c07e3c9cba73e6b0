/*
 * The stack depot (see include/lib/stackdepot.h; Linux: lib/stackdepot.c),
 * and the frame-pointer walk that fills it (Linux: stack_trace_save()).
 *
 * Stacks live in one pool handed over at boot (memblock): records of
 * { next, hash, size, entries[size] } laid end to end, never freed. A
 * handle is a record's offset in the pool in 8-byte units, plus one (0
 * means none). A hash table of chains finds an existing record, so a call
 * path that allocates a million objects is stored once. When the pool is
 * full new stacks are not stored (handle 0) and a message says so once.
 *
 * Locking: depot_lock (irqsave) guards the pool's fill level and the hash
 * chains; records never change once published.
 */
#include <kernel/kernel.h>
#include <kernel/kallsyms.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/sanitizer.h>
#include <lib/stackdepot.h>
#include <lib/string.h>
#include <arch/page.h>

#ifdef CONFIG_KASAN

#define DEPOT_HASH_BITS 12
#define DEPOT_HASH_SIZE (1u << DEPOT_HASH_BITS)

struct stack_record {
	depot_stack_handle_t next;	/* the next record in this hash chain */
	u32 hash;
	u32 size;
	u32 pad;
	unsigned long entries[];
};

static DEFINE_SPINLOCK(depot_lock);
static depot_stack_handle_t depot_hash[DEPOT_HASH_SIZE];
static unsigned long *depot_pool;
static size_t depot_words, depot_used;	/* in 8-byte words */
static bool depot_full_warned;

void stack_depot_init(void *pool, size_t size)
{
	depot_pool = pool;
	depot_words = size / sizeof(unsigned long);
}

static struct stack_record *handle_to_record(depot_stack_handle_t h)
{
	return (struct stack_record *)&depot_pool[h - 1];
}

/* FNV-1a over the return addresses. */
static u32 hash_stack(const unsigned long *entries, unsigned int nr)
{
	u32 h = 2166136261u;

	for (unsigned int i = 0; i < nr; i++)
		for (unsigned int b = 0; b < sizeof(entries[i]); b++)
			h = (h ^ (u8)(entries[i] >> (8 * b))) * 16777619u;
	return h;
}

static depot_stack_handle_t find_stack(depot_stack_handle_t h, u32 hash, const unsigned long *entries,
				       unsigned int nr)
{
	for (; h; h = handle_to_record(h)->next) {
		struct stack_record *r = handle_to_record(h);
		if (r->hash == hash && r->size == nr && !memcmp(r->entries, entries, nr * sizeof(*entries)))
			return h;
	}
	return 0;
}

/* A new record at the end of the pool, linked into its chain. Caller holds depot_lock. */
static depot_stack_handle_t add_stack(u32 hash, const unsigned long *entries, unsigned int nr)
{
	size_t words = sizeof(struct stack_record) / sizeof(unsigned long) + nr;

	if (depot_used + words > depot_words) {
		if (!depot_full_warned)
			pr_warn("stackdepot: the pool is full (%zu bytes): new stacks are not stored\n",
				depot_words * sizeof(unsigned long));
		depot_full_warned = true;
		return 0;
	}
	depot_stack_handle_t h = depot_used + 1;
	struct stack_record *r = handle_to_record(h);
	r->hash = hash;
	r->size = nr;
	memcpy(r->entries, entries, nr * sizeof(*entries));
	r->next = depot_hash[hash % DEPOT_HASH_SIZE];
	depot_used += words;
	__atomic_store_n(&depot_hash[hash % DEPOT_HASH_SIZE], h, __ATOMIC_RELEASE);
	return h;
}

depot_stack_handle_t stack_depot_save(const unsigned long *entries, unsigned int nr)
{
	u32 hash = hash_stack(entries, nr);
	unsigned long flags;
	depot_stack_handle_t h;

	if (!depot_pool || !nr)
		return 0;
	spin_lock_irqsave(&depot_lock, flags);
	h = find_stack(depot_hash[hash % DEPOT_HASH_SIZE], hash, entries, nr);
	if (!h)
		h = add_stack(hash, entries, nr);
	spin_unlock_irqrestore(&depot_lock, flags);
	return h;
}

void stack_depot_print(depot_stack_handle_t handle)
{
	if (!handle) {
		pr_err(" (stack not recorded)\n");
		return;
	}
	struct stack_record *r = handle_to_record(handle);
	for (unsigned int i = 0; i < r->size; i++) {
		/* A return address: name the call's function (ret - 1), print ret's offset. */
		unsigned long off, size, ret = r->entries[i];
		const char *name = kallsyms_lookup(ret - 1, &size, &off);
		if (name)
			pr_err(" %s+0x%lx/0x%lx\n", name, off + 1, size);
		else
			pr_err(" 0x%lx\n", ret);
	}
}

static bool kernel_text_address(unsigned long a)
{
	return a >= (unsigned long)_text && a < (unsigned long)_etext;
}

unsigned int stack_trace_save(unsigned long *store, unsigned int size, unsigned int skip)
{
	struct task_struct *t = current;
	unsigned long low = (unsigned long)t->stack, high = low + THREAD_SIZE;
	unsigned long *fp = __builtin_frame_address(0);
	unsigned int n = 0;

	/*
	 * Each frame: saved %rbp at fp[0], return address at fp[1]; frames only
	 * go up the stack. The bound is on fp itself: fp + 2 would wrap for the
	 * %rbp a user program left (busybox has -1 there), and then pass.
	 */
	while (n < size && (unsigned long)fp >= low && (unsigned long)fp <= high - 2 * sizeof(long)) {
		unsigned long ret = fp[1], *next = (unsigned long *)fp[0];
		if (!kernel_text_address(ret))
			break;
		if (skip)
			skip--;
		else
			store[n++] = ret;
		if (next <= fp)
			break;
		fp = next;
	}
	return n;
}

#endif
