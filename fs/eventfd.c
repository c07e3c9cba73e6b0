/*
 * eventfd (Linux: fs/eventfd.c): a 64-bit counter behind a file. write()
 * adds its 8-byte value, read() takes the whole count (or, with
 * EFD_SEMAPHORE, one) and waits while it is zero; a write that would bring
 * the count to 0xffffffffffffffff or beyond waits for a read. O_NONBLOCK
 * turns each wait into EAGAIN, a signal ends it (ERESTARTSYS), poll()
 * says readable while the count is not zero, writable while one more can
 * be added. The kernel signals an eventfd with eventfd_signal(), as the
 * memory controller does for v1's OOM notifications (cgroup.event_control).
 *
 * Lifetime: the context is counted: the file holds one reference, and
 * each kernel user that keeps it (eventfd_ctx_fileget()) one more.
 *
 * Locking: ctx->wqh.lock (irqsave: eventfd_signal() may be called from any
 * context) guards count; readers and writers sleep on wqh without it and
 * look again under it when woken.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <kernel/wait.h>
#include <mm/slab.h>
#include <fs/anon_inodes.h>
#include <fs/eventfd.h>
#include <fs/fdtable.h>
#include <fs/seq_file.h>
#include <fs/uapi.h>
#include <uapi/errno.h>

struct eventfd_ctx {
	int refcnt;			/* atomic */
	struct wait_queue_head wqh;	/* readers and writers wait here; its lock guards count */
	u64 count;
	unsigned int flags;		/* EFD_SEMAPHORE */
	int id;				/* shown in fdinfo */
};

static int eventfd_last_id;		/* atomic */
static const struct file_operations eventfd_fops;

void eventfd_ctx_put(struct eventfd_ctx *ctx)
{
	if (!__atomic_sub_fetch(&ctx->refcnt, 1, __ATOMIC_ACQ_REL))
		kfree(ctx);
}

struct eventfd_ctx *eventfd_ctx_fileget(struct file *file)
{
	struct eventfd_ctx *ctx;

	if (file->f_op != &eventfd_fops)
		return ERR_PTR(-EINVAL);
	ctx = file->private_data;
	__atomic_add_fetch(&ctx->refcnt, 1, __ATOMIC_RELAXED);
	return ctx;
}

/* Add n, stopping short of U64_MAX as Linux does, and wake the readers. */
u64 eventfd_signal(struct eventfd_ctx *ctx, u64 n)
{
	unsigned long flags;

	spin_lock_irqsave(&ctx->wqh.lock, flags);
	if (U64_MAX - ctx->count < n)
		n = U64_MAX - ctx->count;
	ctx->count += n;
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	if (n)
		wake_up_all(&ctx->wqh);
	return n;
}

static int eventfd_release(struct inode *inode, struct file *file)
{
	struct eventfd_ctx *ctx = file->private_data;

	wake_up_all(&ctx->wqh);
	eventfd_ctx_put(ctx);
	return 0;
}

/* Take what a read gets: all of the count, or one with EFD_SEMAPHORE; 0 if there is nothing. */
static u64 eventfd_take(struct eventfd_ctx *ctx)
{
	unsigned long flags;
	u64 ucnt = 0;

	spin_lock_irqsave(&ctx->wqh.lock, flags);
	if (ctx->count) {
		ucnt = (ctx->flags & EFD_SEMAPHORE) ? 1 : ctx->count;
		ctx->count -= ucnt;
	}
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	return ucnt;
}

static ssize_t eventfd_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct eventfd_ctx *ctx = file->private_data;
	u64 ucnt;

	if (count < sizeof(ucnt))
		return -EINVAL;
	while (!(ucnt = eventfd_take(ctx))) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(ctx->wqh, READ_ONCE(ctx->count)))
			return -ERESTARTSYS;
	}
	wake_up_all(&ctx->wqh);		/* writers waiting for room */
	if (put_user(ucnt, (u64 __user *)buf))
		return -EFAULT;		/* taken all the same, as Linux */
	return sizeof(ucnt);
}

/* Add ucnt if the count stays below U64_MAX; false if there is no room for it yet. */
static bool eventfd_add(struct eventfd_ctx *ctx, u64 ucnt)
{
	unsigned long flags;
	bool room;

	spin_lock_irqsave(&ctx->wqh.lock, flags);
	room = U64_MAX - ctx->count > ucnt;
	if (room)
		ctx->count += ucnt;
	spin_unlock_irqrestore(&ctx->wqh.lock, flags);
	return room;
}

static ssize_t eventfd_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	struct eventfd_ctx *ctx = file->private_data;
	u64 ucnt;

	if (count < sizeof(ucnt))
		return -EINVAL;
	if (copy_from_user(&ucnt, buf, sizeof(ucnt)))
		return -EFAULT;
	if (ucnt == U64_MAX)
		return -EINVAL;
	while (!eventfd_add(ctx, ucnt)) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(ctx->wqh, U64_MAX - READ_ONCE(ctx->count) > ucnt))
			return -ERESTARTSYS;
	}
	wake_up_all(&ctx->wqh);
	return sizeof(ucnt);
}

static __poll_t eventfd_poll(struct file *file, struct poll_table_struct *pt)
{
	struct eventfd_ctx *ctx = file->private_data;
	__poll_t events = 0;

	poll_wait(file, &ctx->wqh, pt);
	u64 count = READ_ONCE(ctx->count);
	if (count > 0)
		events |= EPOLLIN;
	if (count == U64_MAX)
		events |= EPOLLERR;
	if (U64_MAX - 1 > count)
		events |= EPOLLOUT;
	return events;
}

static void eventfd_show_fdinfo(struct seq_file *m, struct file *f)
{
	struct eventfd_ctx *ctx = f->private_data;

	seq_printf(m, "eventfd-count: %16llx\neventfd-id: %d\n", READ_ONCE(ctx->count), ctx->id);
}

static const struct file_operations eventfd_fops = {
	.llseek = noop_llseek,
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.release = eventfd_release,
	.show_fdinfo = eventfd_show_fdinfo,
};

static long do_eventfd(unsigned int count, int flags)
{
	if (flags & ~(EFD_SEMAPHORE | O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	struct eventfd_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->refcnt = 1;
	init_waitqueue_head(&ctx->wqh);
	ctx->count = count;
	ctx->flags = flags & EFD_SEMAPHORE;
	ctx->id = __atomic_fetch_add(&eventfd_last_id, 1, __ATOMIC_RELAXED);
	int fd = get_unused_fd_flags(flags);
	if (fd < 0) {
		kfree(ctx);
		return fd;
	}
	struct file *file = anon_inode_getfile("[eventfd]", &eventfd_fops, ctx, O_RDWR | (flags & O_NONBLOCK));
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		kfree(ctx);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

SYSCALL_DEFINE2(eventfd2, unsigned int, count, int, flags)
{
	return do_eventfd(count, flags);
}

SYSCALL_DEFINE1(eventfd, unsigned int, count)
{
	return do_eventfd(count, 0);
}
