/*
 * Crash types for lkdtm= (see include/kernel/lkdtm.h). Each performs one
 * kind of fault the way a real bug would, so the report that follows is the
 * one a student will meet. Names follow Linux's LKDTM where it has the type.
 */
#include <kernel/kernel.h>
#include <kernel/cmdline.h>
#include <kernel/lkdtm.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <mm/slab.h>
#include <arch/page.h>

static const char *lkdtm_type;

__setup_string("lkdtm=", lkdtm_type);

/* Keep recurse() whole: no inlining, no specialised clone, so reports name it plainly. */
#define noinline_for_stack __noinline __attribute__((__noipa__))

static volatile int zero;

static void lkdtm_PANIC(void) { panic("dumptest"); }
static void lkdtm_BUG(void) { BUG(); }
static void lkdtm_WARNING(void) { WARN_ON(1); }
static void lkdtm_EXCEPTION(void) { *(volatile int *)NULL = 0; }
static void lkdtm_DIVIDE_ERROR(void) { zero = 10 / zero; }
static void lkdtm_INVALID_OPCODE(void) { __asm__ __volatile__("ud2"); }
static void lkdtm_NONCANONICAL(void) { *(volatile long *)0xdead000000000000UL = 1; }
static void lkdtm_WRITE_RO(void) { *(volatile char *)__start_rodata = 1; }
static void lkdtm_WRITE_KERN(void) { *(volatile char *)_text = 0; }
static void lkdtm_EXEC_DATA(void)
{
	static u8 data_ret[16] = { 0xc3 };	/* "ret", in .data: must not run */
	((void (*)(void))data_ret)();
}
/* Recursion without end (the limit is never reached) that the compiler cannot make a loop. */
static volatile int recursion_limit = INT_MAX;
static noinline_for_stack int recurse(volatile char *prev, int depth)
{
	volatile char buf[512];

	buf[0] = (char)depth;
	buf[511] = prev ? prev[0] : 0;
	if (depth >= recursion_limit)
		return buf[511];
	return recurse(buf, depth + 1) + buf[511];
}
static void lkdtm_EXHAUST_STACK(void) { recurse(NULL, 0); }
static void lkdtm_SLAB_FREE_DOUBLE(void)
{
	void *p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	kfree(p);
}

#define CRASHTYPE(n) { #n, lkdtm_##n }
static const struct crashtype crashtypes[] = {
	CRASHTYPE(PANIC), CRASHTYPE(BUG), CRASHTYPE(WARNING), CRASHTYPE(EXCEPTION),
	CRASHTYPE(DIVIDE_ERROR), CRASHTYPE(INVALID_OPCODE), CRASHTYPE(NONCANONICAL),
	CRASHTYPE(WRITE_RO), CRASHTYPE(WRITE_KERN), CRASHTYPE(EXEC_DATA), CRASHTYPE(SLAB_FREE_DOUBLE), CRASHTYPE(EXHAUST_STACK),
};

void lkdtm_perform(const struct crashtype *t)
{
	pr_info("lkdtm: Performing direct entry %s\n", t->name);
	t->func();
	pr_info("lkdtm: %s returned\n", t->name);
}

void lkdtm_run(void)
{
	const struct crashtype *san;

	if (!lkdtm_type)
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(crashtypes); i++) {
		if (!strcmp(lkdtm_type, crashtypes[i].name)) {
			lkdtm_perform(&crashtypes[i]);
			return;
		}
	}
	san = lkdtm_sanitizer_type(lkdtm_type);	/* KASAN_* and UBSAN_* (kernel/lkdtm_sanitizers.c) */
	if (san) {
		lkdtm_sanitizer_run(san);
		return;
	}
	if (strcmp(lkdtm_type, "list"))
		pr_err("lkdtm: unknown crash type '%s'\n", lkdtm_type);
	printk(KERN_INFO "lkdtm: types:");
	for (unsigned int i = 0; i < ARRAY_SIZE(crashtypes); i++)
		pr_cont(" %s", crashtypes[i].name);
	lkdtm_sanitizer_list();
	pr_cont("\n");
}
