/*
 * lkdtm crash types for the sanitizers (see include/kernel/lkdtm.h and
 * docs/sanitizers.md): memory bugs KASAN must report and undefined
 * behaviour UBSAN must report. None of them crashes: the report is printed
 * and boot goes on, as with Linux's KASAN and UBSAN. A kernel built without
 * SANITIZE=1 would not notice these bugs at all (the freed memory is still
 * mapped, the shift is done by the CPU), so there they are refused with a
 * message instead of being performed silently.
 */
#include <kernel/kernel.h>
#include <kernel/lkdtm.h>
#include <kernel/sanitizer.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/slab.h>

/* The compiler must not see through these, or it would fold the bugs away. */
static volatile int lkdtm_big_shift = 40;
static volatile int lkdtm_index = 4;
static volatile int lkdtm_int_max = INT_MAX;
static char lkdtm_global[10];
static char *volatile lkdtm_global_ptr = lkdtm_global;

/* Read one byte of freed slab memory. */
static void lkdtm_KASAN_UAF(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	pr_info("lkdtm: read p[8] after kfree(p): %#x\n", READ_ONCE(p[8]) & 0xff);
}

/* Write one byte past a kmalloc(40) (in the cache's 64-byte object, past what was asked for). */
static void lkdtm_KASAN_OOB(void)
{
	char *p = kmalloc(40, GFP_KERNEL);

	if (!p)
		return;
	WRITE_ONCE(p[40], 'x');
	kfree(p);
}

/* Read a page after __free_pages(). */
static void lkdtm_KASAN_PAGE_UAF(void)
{
	struct page *page = alloc_page(GFP_KERNEL);

	if (!page)
		return;
	u8 *p = page_address(page);
	__free_pages(page, 0);
	pr_info("lkdtm: read a freed page: %#x\n", READ_ONCE(p[100]));
}

/* Read just past the end of a 10-byte global. */
static void lkdtm_KASAN_GLOBAL_OOB(void)
{
	pr_info("lkdtm: read lkdtm_global[10]: %#x\n", READ_ONCE(lkdtm_global_ptr[10]) & 0xff);
}

static void lkdtm_UBSAN_SHIFT(void)
{
	pr_info("lkdtm: 1 << 40 = %d\n", 1 << lkdtm_big_shift);
}

static void lkdtm_UBSAN_BOUNDS(void)
{
	int array[4] = { 1, 2, 3, 4 };

	pr_info("lkdtm: array[4] = %d\n", array[lkdtm_index]);
}

static void lkdtm_UBSAN_OVERFLOW(void)
{
	pr_info("lkdtm: INT_MAX + 1 = %d\n", lkdtm_int_max + 1);
}

#define CRASHTYPE(n) { #n, lkdtm_##n }
static const struct crashtype sanitizer_types[] = {
	CRASHTYPE(KASAN_UAF), CRASHTYPE(KASAN_OOB), CRASHTYPE(KASAN_PAGE_UAF), CRASHTYPE(KASAN_GLOBAL_OOB),
	CRASHTYPE(UBSAN_SHIFT), CRASHTYPE(UBSAN_BOUNDS), CRASHTYPE(UBSAN_OVERFLOW),
};

const struct crashtype *lkdtm_sanitizer_type(const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(sanitizer_types); i++)
		if (!strcmp(name, sanitizer_types[i].name))
			return &sanitizer_types[i];
	return NULL;
}

/* The types as they are listed by lkdtm=list, after the others. */
void lkdtm_sanitizer_list(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(sanitizer_types); i++)
		pr_cont(" %s", sanitizer_types[i].name);
}

void lkdtm_sanitizer_run(const struct crashtype *t)
{
	if (!SANITIZER_BUILD) {
		pr_err("lkdtm: %s needs a kernel built with SANITIZE=1 (KASAN and UBSAN): not performed\n",
		       t->name);
		return;
	}
	lkdtm_perform(t);
}
