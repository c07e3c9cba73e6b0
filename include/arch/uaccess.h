/*
 * The copy loops under copy_to_user() and friends (Linux:
 * arch/x86/include/asm/uaccess_64.h), in arch/x86_64/copy_user.asm. Each
 * instruction that touches user memory has a fixup entry, so a fault ends
 * the copy instead of oopsing. Callers check the range (access_ok()) first:
 * arch/x86_64/uaccess.c.
 */
#ifndef _ARCH_UACCESS_H
#define _ARCH_UACCESS_H

unsigned long __copy_user(void *dst, const void *src, unsigned long n);	/* bytes not copied */
unsigned long __clear_user(void *dst, unsigned long n);			/* bytes not cleared */
/* The string's length (count if no NUL within it), or -EFAULT. */
long __strncpy_from_user(char *dst, const char *src, long count);

#endif
