/*
 * ktests for kallsyms (kernel/kallsyms.c): address to name+offset/size,
 * name to address, and sprint_symbol's "func+0x1f/0x40" format.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/kallsyms.h>
#include <lib/string.h>
#include <arch/page.h>

KTEST(kallsyms_lookup_offset)
{
	unsigned long size = 0, off = 0;
	const char *name = kallsyms_lookup((unsigned long)printk + 5, &size, &off);

	KT_ASSERT(name);
	KT_ASSERT_STREQ(name, "printk");
	KT_ASSERT_EQ(off, 5);
	KT_ASSERT(size > 5);

	name = kallsyms_lookup((unsigned long)printk, &size, &off);
	KT_ASSERT(name && !strcmp(name, "printk") && off == 0);
	/* The last byte of printk is still printk; the next byte is another symbol. */
	name = kallsyms_lookup((unsigned long)printk + size - 1, NULL, &off);
	KT_ASSERT(name && !strcmp(name, "printk"));
	KT_ASSERT_EQ(off, size - 1);
	name = kallsyms_lookup((unsigned long)printk + size, NULL, &off);
	KT_ASSERT(name && strcmp(name, "printk"));
	KT_ASSERT_EQ(off, 0);

	/* Outside the kernel's text: unknown. */
	KT_ASSERT(kallsyms_lookup(0, &size, &off) == NULL);
	KT_ASSERT(kallsyms_lookup((unsigned long)_etext, &size, &off) == NULL);
	KT_ASSERT(kallsyms_lookup(0xffff888000100000UL, &size, &off) == NULL);
}

KTEST(kallsyms_lookup_name)
{
	KT_ASSERT_EQ(kallsyms_lookup_name("printk"), (unsigned long)printk);
	KT_ASSERT_EQ(kallsyms_lookup_name("snprintf"), (unsigned long)snprintf);
	KT_ASSERT_EQ(kallsyms_lookup_name("kallsyms_lookup_name"), (unsigned long)kallsyms_lookup_name);
	KT_ASSERT_EQ(kallsyms_lookup_name("no_such_symbol_anywhere"), 0);
	KT_ASSERT_EQ(kallsyms_lookup_name(""), 0);
	KT_ASSERT_EQ(kallsyms_lookup_name("printk "), 0);
	/* Round trip. */
	unsigned long off;
	KT_ASSERT_STREQ(kallsyms_lookup(kallsyms_lookup_name("sprint_symbol"), NULL, &off), "sprint_symbol");
}

KTEST(kallsyms_sprint_symbol)
{
	char buf[128], want[64];
	unsigned long size = 0, off;

	KT_ASSERT(kallsyms_lookup((unsigned long)printk, &size, &off));
	snprintf(want, sizeof(want), "printk+0x5/%#lx", size);
	KT_ASSERT_EQ(sprint_symbol(buf, sizeof(buf), (unsigned long)printk + 5), (int)strlen(want));
	KT_ASSERT_STREQ(buf, want);
	snprintf(want, sizeof(want), "printk+0x0/%#lx", size);
	sprint_symbol(buf, sizeof(buf), (unsigned long)printk);
	KT_ASSERT_STREQ(buf, want);
	sprint_symbol(buf, sizeof(buf), 0xffff888000100000UL);
	KT_ASSERT_STREQ(buf, "0xffff888000100000");
	/* Truncated to the buffer, always terminated; returns what was written. */
	KT_ASSERT_EQ(sprint_symbol(buf, 5, (unsigned long)printk + 5), 4);
	KT_ASSERT_STREQ(buf, "prin");
}
