/*
 * Access to user memory (Linux: include/linux/uaccess.h). The kernel touches
 * user memory only through these: a bad pointer (NULL, unmapped, a kernel
 * address, non-canonical, running off the end of a mapping) gives -EFAULT or
 * a short count, never an oops. A fault on a valid but not-yet-present user
 * page is handled as a normal page fault first (demand paging), so these may
 * sleep: never call them holding a spinlock, or mmap_lock for writing.
 */
#ifndef _KERNEL_UACCESS_H
#define _KERNEL_UACCESS_H

#include <kernel/types.h>
#include <kernel/compiler.h>

#define TASK_SIZE_MAX 0x00007ffffffff000UL	/* the top of user space, minus a guard page */

/* The range lies in user space (it may still be unmapped). */
static inline bool access_ok(const void __user *p, unsigned long n)
{
	unsigned long a = (unsigned long)p;
	return n <= TASK_SIZE_MAX && a <= TASK_SIZE_MAX - n;
}

/* Bytes NOT copied: 0 on success. */
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long clear_user(void __user *to, unsigned long n);
/* Copy a NUL-terminated string of at most count bytes (with the NUL): its length, -EFAULT,
 * or count if no NUL was found within count bytes (the copy is then unterminated). */
long strncpy_from_user(char *dst, const char __user *src, long count);
/* Length including the NUL, 0 on a fault, > n if longer than n. */
long strnlen_user(const char __user *s, long n);

/* Let kernel pointers through copy_*_user() in between (kernel_read()/kernel_write() only). */
void uaccess_kernel_begin(void);
void uaccess_kernel_end(void);

/* Read one value; 0 or -EFAULT (x is then 0). The union copes with const-qualified targets. */
#define get_user(x, ptr) ({ \
	union { __typeof__(*(ptr)) v; unsigned char b[sizeof(*(ptr))]; } __gu; \
	int __gu_e = copy_from_user(__gu.b, (ptr), sizeof(__gu.b)) ? -14 : 0; \
	(x) = __gu_e ? (__typeof__(*(ptr)))0 : __gu.v; \
	__gu_e; })
#define put_user(x, ptr) ({ __typeof__(*(ptr)) __pu_v = (x); \
	copy_to_user((ptr), &__pu_v, sizeof(__pu_v)) ? -14 : 0; })

#endif
