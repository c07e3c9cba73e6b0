/* ktests for copy_*_user() and friends: bad pointers fail cleanly, never oops. */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <uapi/errno.h>

KTEST(uaccess_bad_pointers)
{
	char buf[16] = "xxxxxxxxxxxxxxx";
	static char kdata[16] = "kernel secret";

	KT_ASSERT_EQ(copy_from_user(buf, NULL, 8), 8);
	KT_ASSERT_EQ(buf[0], 0);	/* the part not copied is zeroed */
	KT_ASSERT_EQ(copy_to_user(NULL, buf, 8), 8);
	KT_ASSERT_EQ(copy_from_user(buf, (void *)kdata, 8), 8);	/* kernel address through a user pointer */
	KT_ASSERT(memcmp(buf, kdata, 8) != 0);
	KT_ASSERT_EQ(copy_from_user(buf, (void *)0xdead000000000000UL, 8), 8);	/* non-canonical */
	KT_ASSERT_EQ(copy_from_user(buf, (void *)(TASK_SIZE_MAX - 4), 8), 8);	/* crosses the end */
	KT_ASSERT_EQ(clear_user((void *)0x1000, 8), 8);	/* unmapped user page, no mm: fixup */
	KT_ASSERT_EQ(strncpy_from_user(buf, NULL, 8), -EFAULT);
	KT_ASSERT_EQ(strncpy_from_user(buf, kdata, 8), -EFAULT);
	KT_ASSERT_EQ(strnlen_user(NULL, 8), 0);
	KT_ASSERT_EQ(strncpy_from_user(buf, (void *)TASK_SIZE_MAX, 8), -EFAULT);	/* the first byte past user space */
	int x = 5;
	KT_ASSERT_EQ(get_user(x, (int *)NULL), -EFAULT);
	KT_ASSERT_EQ(x, 0);		/* a failed get_user() leaves 0, not what was there */
}

KTEST(uaccess_kernel_window)
{
	char buf[16];
	static char kdata[16] = "kernel data";

	uaccess_kernel_begin();
	KT_ASSERT_EQ(copy_from_user(buf, kdata, sizeof(kdata)), 0);
	KT_ASSERT_EQ(strncpy_from_user(buf, kdata, sizeof(buf)), 11);
	KT_ASSERT_EQ(strncpy_from_user(buf, kdata, 4), 4);	/* no NUL within 4 bytes */
	KT_ASSERT_EQ(strnlen_user(kdata, 16), 12);
	KT_ASSERT(!memcmp(buf, "kern", 4));
	/* An unmapped kernel address still fails cleanly. */
	KT_ASSERT_EQ(copy_from_user(buf, (void *)0xffffc90000000000UL + (300UL << 30), 8), 8);
	uaccess_kernel_end();
	KT_ASSERT_EQ(copy_from_user(buf, kdata, 8), 8);	/* closed again */
}

/* access_ok(): the whole range below TASK_SIZE_MAX, a length that wraps never accepted. */
KTEST(uaccess_access_ok_bounds)
{
	KT_ASSERT(access_ok((void *)0x10000, 4096));
	KT_ASSERT(access_ok(NULL, TASK_SIZE_MAX));			/* all of user space */
	KT_ASSERT(!access_ok(NULL, TASK_SIZE_MAX + 1));
	KT_ASSERT(access_ok((void *)(TASK_SIZE_MAX - 8), 8));		/* ends at the top */
	KT_ASSERT(!access_ok((void *)(TASK_SIZE_MAX - 8), 9));
	KT_ASSERT(!access_ok((void *)TASK_SIZE_MAX, 1));
	/* a + n wraps around to a small address: rejected, however small a is */
	KT_ASSERT(!access_ok((void *)0x10000, ~0UL - 0xfff));
	KT_ASSERT(!access_ok((void *)0x10000, ~0UL));
	KT_ASSERT(!access_ok((void *)0x10000, -0x10000UL));
}
