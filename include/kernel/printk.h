/*
 * printk: formatted kernel messages with Linux's log levels. Each record goes
 * to the log ring buffer and, if its level is below the console loglevel, to
 * the console as "[    1.234567] message".
 */
#ifndef _KERNEL_PRINTK_H
#define _KERNEL_PRINTK_H

#include <kernel/types.h>
#include <kernel/compiler.h>

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_DEFAULT ""
#define KERN_CONT KERN_SOH "c"

#define LOGLEVEL_DEFAULT 4	/* level of messages without a prefix, at boot */
#define CONSOLE_LOGLEVEL_MIN 1	/* the console always shows emergencies */
#define LOGLEVEL_NOTICE 5
#define CONSOLE_LOGLEVEL_DEFAULT 7
#define CONSOLE_LOGLEVEL_QUIET 4

/*
 * kernel.printk's four numbers (Linux's console_printk[]): the console's
 * level, the level of a message that names none, the lowest level the
 * console may be set to, and the console's level at boot.
 */
extern int console_printk[4];
#define console_loglevel (console_printk[0])
#define default_message_loglevel (console_printk[1])
#define minimum_console_loglevel (console_printk[2])
#define default_console_loglevel (console_printk[3])

__printf(1, 2) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list args);

__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
__printf(3, 4) int scnprintf(char *buf, size_t size, const char *fmt, ...);

/* Copy up to size-1 bytes of the log buffer (oldest first); returns length. */
void dump_stack(void);	/* "CPU: ..." and a backtrace of the caller at KERN_DEFAULT (arch/x86_64/dumpstack.c) */
void dump_stack_lvl(const char *lvl);
void dump_stack_print_info(const char *lvl);	/* just the "CPU: 0 PID: 1 Comm: init ..." line */

size_t log_buf_read(char *buf, size_t size, u64 *seq);
extern u64 log_next_seq;
u32 log_buf_len_get(void);	/* bytes the ring holds */

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
/* Print only the first time this line is reached (Linux: printk_once). */
#define printk_once(fmt, ...) ({ static bool __done; \
	bool __first = !__atomic_exchange_n(&__done, true, __ATOMIC_RELAXED); \
	if (__first) \
		printk(fmt, ##__VA_ARGS__); \
	__first; })
#define pr_warn_once(fmt, ...) printk_once(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
/* At most 10 lines from this place in 5 seconds, as Linux's default ratelimit (kernel/printk.c). */
struct ratelimit_state {
	unsigned long begin;	/* jiffies the current interval began */
	int printed;
};
bool __ratelimit(struct ratelimit_state *rs);
#define printk_ratelimited(fmt, ...) ({ static struct ratelimit_state __rs; \
	if (__ratelimit(&__rs)) \
		printk(fmt, ##__VA_ARGS__); })
#define pr_warn_ratelimited(fmt, ...) printk_ratelimited(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
/* The same limit shared by all its callers (user faults and traps): print only if true. */
bool printk_ratelimit(void);

#endif
