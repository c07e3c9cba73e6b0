/* Compiler attributes and memory-access helpers (Linux: include/linux/compiler*.h). */
#ifndef _KERNEL_COMPILER_H
#define _KERNEL_COMPILER_H

#define __section(s) __attribute__((__section__(s)))
#define __used __attribute__((__used__))
#define __unused __attribute__((__unused__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __packed __attribute__((__packed__))
#define __noreturn __attribute__((__noreturn__))
#define __noinline __attribute__((__noinline__))
#define __always_inline inline __attribute__((__always_inline__))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))
#define __cold __attribute__((__cold__))
/* Functions that only sleep for others: /proc/PID/wchan looks past them to who called (Linux: __sched). */
#define __sched __section(".sched.text")
#define __maybe_unused __attribute__((__unused__))
#define __user		/* marks pointers into user space: use copy_*_user() on them */

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define barrier() __asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) (*(volatile __typeof__(x) *)&(x) = (val))

#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON: " #cond)

#endif
