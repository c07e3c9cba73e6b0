/*
 * Small allocation helpers built on kmalloc (Linux: mm/util.c). No locks.
 */
#include <kernel/kernel.h>
#include <lib/string.h>
#include <mm/slab.h>

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len = strlen(s) + 1;
	char *p = kmalloc(len, gfp);

	if (p)
		memcpy(p, s, len);
	return p;
}
