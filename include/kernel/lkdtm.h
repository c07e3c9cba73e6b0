/*
 * lkdtm: crash on purpose, to test the crash reports (Linux: drivers/misc/lkdtm).
 * Boot with lkdtm=TYPE and the kernel performs that fault at the end of boot;
 * "lkdtm=list" prints the types. The test runner boots one VM per type and
 * checks the report and the exit status.
 */
#ifndef _KERNEL_LKDTM_H
#define _KERNEL_LKDTM_H

void lkdtm_run(void);

struct crashtype {
	const char *name;
	void (*func)(void);
};
/* "lkdtm: Performing direct entry NAME", the crash, and "lkdtm: NAME returned" if it did. */
void lkdtm_perform(const struct crashtype *t);

/*
 * The types that need the sanitizer build (KASAN_UAF, UBSAN_SHIFT, ...;
 * kernel/lkdtm_sanitizers.c). Without SANITIZE=1 they are refused with a
 * message, since nothing would notice the bug.
 */
const struct crashtype *lkdtm_sanitizer_type(const char *name);
void lkdtm_sanitizer_run(const struct crashtype *t);
void lkdtm_sanitizer_list(void);

#endif
