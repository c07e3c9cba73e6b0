/*
 * KASAN internals shared by mm/kasan.c (shadow, checks, hooks) and
 * mm/kasan_report.c (reports); the kernel-wide interface is include/mm/kasan.h.
 */
#ifndef _MM_KASAN_INTERNAL_H
#define _MM_KASAN_INTERNAL_H

#include <kernel/types.h>
#include <mm/kasan.h>
#include <arch/page.h>

#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

extern unsigned long kasan_direct_map_end;
extern struct kasan_alloc_meta *kasan_page_meta;
extern bool kasan_multi_shot;

/* Only the direct map and the kernel image have shadow; everything else passes unchecked. */
static inline bool kasan_addr_has_shadow(unsigned long a)
{
	return (a >= PAGE_OFFSET && a < kasan_direct_map_end) ||
	       (a >= (unsigned long)_text && a < (unsigned long)_end);
}

void kasan_poison(const void *addr, size_t size, u8 value);
void kasan_unpoison(const void *addr, size_t size);
unsigned long kasan_find_first_bad_addr(unsigned long addr, size_t size);
/* The instrumented global variable whose red zone or body holds addr. */
bool kasan_find_global(unsigned long addr, const char **name, unsigned long *offset, size_t *size);
void kasan_report(unsigned long addr, size_t size, bool is_write, unsigned long ip);

void *kasan_memset(void *s, int c, size_t n);
void *kasan_memcpy(void *dst, const void *src, size_t n);
void *kasan_memmove(void *dst, const void *src, size_t n);

/* GCC's description of an instrumented global (the ABI since GCC 7). */
struct kasan_global {
	const void *beg;
	size_t size;
	size_t size_with_redzone;	/* the variable and the red zone after it */
	const char *name;
	const char *module_name;
	unsigned long has_dynamic_init;
	void *location;
	const void *odr_indicator;
};

/* The compiler's entry points: the code GCC emits under -fsanitize=kernel-address calls them. */
#define DECLARE_ASAN_LOAD_STORE(size) \
	void __asan_load##size##_noabort(unsigned long addr); \
	void __asan_store##size##_noabort(unsigned long addr)
DECLARE_ASAN_LOAD_STORE(1);
DECLARE_ASAN_LOAD_STORE(2);
DECLARE_ASAN_LOAD_STORE(4);
DECLARE_ASAN_LOAD_STORE(8);
DECLARE_ASAN_LOAD_STORE(16);
void __asan_loadN_noabort(unsigned long addr, size_t size);
void __asan_storeN_noabort(unsigned long addr, size_t size);
void __asan_handle_no_return(void);
void __asan_register_globals(struct kasan_global *globals, size_t n);
void __asan_unregister_globals(struct kasan_global *globals, size_t n);

#endif
