/*
 * eventfd (Linux: include/linux/eventfd.h, uapi/linux/eventfd.h): the flags
 * of eventfd2() and the kernel's side of an eventfd, for subsystems that
 * signal one (the memory controller's OOM notification). fs/eventfd.c.
 */
#ifndef _FS_EVENTFD_H
#define _FS_EVENTFD_H

#include <kernel/types.h>
#include <uapi/fcntl.h>

#define EFD_SEMAPHORE 1
#define EFD_CLOEXEC O_CLOEXEC
#define EFD_NONBLOCK O_NONBLOCK

struct eventfd_ctx;
struct file;

/* The eventfd behind file, referenced, or ERR_PTR(-EINVAL) if it is no eventfd. */
struct eventfd_ctx *eventfd_ctx_fileget(struct file *file);
void eventfd_ctx_put(struct eventfd_ctx *ctx);
/* Add n to the count (at most up to U64_MAX - 1's limit) and wake the readers: what was added. Any context. */
u64 eventfd_signal(struct eventfd_ctx *ctx, u64 n);

#endif
