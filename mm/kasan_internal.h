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

#endif
