/*
 * ktests for seq_file: records of any size come out whole and in order,
 * whatever the reader's buffer size; pread and lseek land on the right
 * byte; every ->start() is paired with a ->stop() (the lock a /proc file
 * takes in ->start() is always dropped); SEQ_SKIP drops a record; and the
 * memory comes back on release.
 */
#include <kernel/kernel.h>
#include <kernel/ktest.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <mm/slab.h>
#include <fs/seq_file.h>
#include <fs/uapi.h>

#define BIG (3 * PAGE_SIZE + 17)	/* a record bigger than the first buffer */

struct seq_test {
	int starts, stops;
};

static void *t_start(struct seq_file *m, loff_t *pos)
{
	((struct seq_test *)m->private)->starts++;
	return *pos < 4 ? (void *)(long)(*pos + 1) : NULL;
}

static void *t_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return *pos < 4 ? (void *)(long)(*pos + 1) : NULL;
}

static void t_stop(struct seq_file *m, void *v)
{
	((struct seq_test *)m->private)->stops++;
}

/* Record 1 "one\n", record 2 BIG bytes 'a'..'z' cycling, record 3 skipped, record 4 "four\n". */
static int t_show(struct seq_file *m, void *v)
{
	switch ((long)v) {
	case 1:
		seq_puts(m, "one\n");
		return 0;
	case 2:
		for (unsigned long i = 0; i < BIG; i++)
			seq_putc(m, 'a' + i % 26);
		return 0;
	case 3:
		seq_puts(m, "skipped\n");
		return SEQ_SKIP;
	default:
		seq_printf(m, "%s\n", "four");
		return 0;
	}
}

static const struct seq_operations t_ops = { .start = t_start, .next = t_next, .stop = t_stop, .show = t_show };
static const struct file_operations t_fops = { .read = seq_read, .llseek = seq_lseek };

static char expected_byte(loff_t pos)
{
	if (pos < 4)
		return "one\n"[pos];
	pos -= 4;
	if (pos < (loff_t)BIG)
		return 'a' + pos % 26;
	return "four\n"[pos - BIG];
}

static struct file *t_open(struct seq_test *st)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	f->f_mode = FMODE_READ;
	f->f_op = &t_fops;
	mutex_init(&f->f_pos_lock);
	if (seq_open(f, &t_ops)) {
		kfree(f);
		return NULL;
	}
	((struct seq_file *)f->private_data)->private = st;
	return f;
}

static void t_close(struct file *f)
{
	seq_release(NULL, f);
	kfree(f);
}

KTEST(seq_file_records_whole)
{
	const size_t total = 4 + BIG + 5;
	unsigned long free0 = nr_free_pages();
	static const size_t chunks[] = { 1, 7, 4096, 10000 };
	char *buf = kmalloc(total + 64, GFP_KERNEL);

	KT_ASSERT(buf);
	for (unsigned int c = 0; c < ARRAY_SIZE(chunks); c++) {
		struct seq_test st = { 0 };
		struct file *f = t_open(&st);
		size_t got = 0;
		ssize_t n;
		KT_ASSERT(f);
		while ((n = kernel_read(f, buf + got, min(chunks[c], total + 64 - got), NULL)) > 0)
			got += n;
		t_close(f);
		KT_ASSERT_MSG(n == 0, "read %zd after %zu bytes (chunk %zu)", n, got, chunks[c]);
		KT_ASSERT_MSG(got == total, "%zu bytes, expected %zu (chunk %zu)", got, total, chunks[c]);
		for (size_t i = 0; i < total; i++)
			KT_ASSERT_MSG(buf[i] == expected_byte(i), "byte %zu is %#x (chunk %zu)", i, buf[i], chunks[c]);
		KT_ASSERT_EQ(st.starts, st.stops);
	}
	kfree(buf);
	KT_ASSERT_EQ(nr_free_pages(), free0);
}

KTEST(seq_file_pread_lseek)
{
	struct seq_test st = { 0 };
	struct file *f = t_open(&st);
	char buf[16];
	loff_t pos = 4 + PAGE_SIZE + 5;

	KT_ASSERT(f);
	KT_ASSERT_EQ(kernel_read(f, buf, 8, &pos), 8);	/* in the middle of the big record */
	for (int i = 0; i < 8; i++)
		KT_ASSERT_EQ(buf[i], expected_byte(4 + PAGE_SIZE + 5 + i));
	KT_ASSERT_EQ(seq_lseek(f, 4 + BIG + 2, SEEK_SET), 4 + BIG + 2);
	KT_ASSERT_EQ(kernel_read(f, buf, sizeof(buf), NULL), 3);
	KT_ASSERT(!memcmp(buf, "ur\n", 3));
	KT_ASSERT_EQ(kernel_read(f, buf, sizeof(buf), NULL), 0);
	KT_ASSERT_EQ(seq_lseek(f, -1, SEEK_SET), -EINVAL);
	KT_ASSERT_EQ(seq_lseek(f, 0, SEEK_END), -EINVAL);	/* a generated file has no known end */
	KT_ASSERT_EQ(seq_lseek(f, 0, SEEK_SET), 0);
	KT_ASSERT_EQ(kernel_read(f, buf, 4, NULL), 4);
	KT_ASSERT(!memcmp(buf, "one\n", 4));
	t_close(f);
	KT_ASSERT_EQ(st.starts, st.stops);
}
