/*
 * printk and the kernel log (Linux: kernel/printk/printk.c).
 *
 * Every message is split into lines. Each line is stored in log_buf, a ring
 * of bytes, in the format syslog(2) hands to dmesg ("<6>[    0.123456] text\n"),
 * and written to the console if its level is below console_loglevel. A line
 * that does not end in '\n' stays open: the next printk (KERN_CONT or no
 * level) continues it.
 *
 * Locking: logbuf_lock (irqsave) guards log_buf, the open line and the
 * console, so lines from interrupt handlers never interleave mid-line. After
 * a panic starts, the lock is ignored (bust_spinlocks) so the report always
 * gets out. ratelimit_lock (irqsave, taken with trylock) guards
 * printk_ratelimit()'s state.
 */
#include <kernel/kernel.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/cmdline.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <arch/serial.h>

#define LOG_BUF_LEN (128 * 1024)

int console_printk[4] = { CONSOLE_LOGLEVEL_DEFAULT, LOGLEVEL_DEFAULT, CONSOLE_LOGLEVEL_MIN, CONSOLE_LOGLEVEL_DEFAULT };
static char log_buf[LOG_BUF_LEN];
u64 log_next_seq;			/* bytes ever written to log_buf */
static DEFINE_SPINLOCK(logbuf_lock);
static bool line_open;			/* the last line had no '\n' yet */
static int line_level;
bool oops_in_progress;

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_next_seq + i) % LOG_BUF_LEN] = s[i];
	log_next_seq += n;
}

static void emit(int level, const char *s, size_t n)
{
	log_store(s, n);
	if (level < console_loglevel)
		serial_write(s, n);
}

static void start_line(int level)
{
	char hdr[40];
	u64 ns = local_clock();
	int n = scnprintf(hdr, sizeof(hdr), "[%5llu.%06llu] ", ns / NSEC_PER_SEC,
			  (ns % NSEC_PER_SEC) / 1000);
	char lv[4] = { '<', (char)('0' + level), '>', 0 };

	log_store(lv, 3);
	if (level < console_loglevel)
		serial_write(hdr, n);
	log_store(hdr, n);
}

int vprintk(const char *fmt, va_list ap)
{
	char text[1024];
	int level = -1;
	bool cont = false;
	unsigned long flags;

	int len = vsnprintf(text, sizeof(text), fmt, ap);
	if (len >= (int)sizeof(text))
		len = sizeof(text) - 1;
	/* The level is read from the text, as Linux does: a "%s" may pass it (dump_stack_lvl()). */
	const char *start = text;
	while (start[0] == KERN_SOH[0] && start[1]) {
		if (start[1] == 'c')
			cont = true;
		else if (start[1] >= '0' && start[1] <= '7')
			level = start[1] - '0';
		start += 2;
	}
	len -= start - text;

	local_irq_save(flags);
	bool locked = !oops_in_progress;
	if (locked)
		spin_lock(&logbuf_lock);
	else
		spin_trylock(&logbuf_lock);

	if (line_open && !cont && level >= 0) {	/* a new message closes the open line */
		emit(line_level, "\n", 1);
		line_open = false;
	}
	for (const char *p = start; p < start + len;) {
		size_t n = 0;
		while (p + n < start + len && p[n] != '\n')
			n++;
		const char *nl = p + n < start + len ? p + n : NULL;
		if (!line_open) {
			line_level = level >= 0 ? level : READ_ONCE(default_message_loglevel);
			start_line(line_level);
			line_open = true;
		}
		emit(line_level, p, n + (nl ? 1 : 0));
		if (nl)
			line_open = false;
		p += n + (nl ? 1 : 0);
	}

	if (locked)
		spin_unlock(&logbuf_lock);
	else if (spin_is_locked(&logbuf_lock))
		spin_unlock(&logbuf_lock);
	local_irq_restore(flags);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* Copy the log from *seq on (the oldest byte still held if *seq is older). */
size_t log_buf_read(char *buf, size_t size, u64 *seq)
{
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&logbuf_lock, flags);
	u64 s = *seq;
	if (log_next_seq - s > LOG_BUF_LEN)
		s = log_next_seq - LOG_BUF_LEN;
	for (; s < log_next_seq && n + 1 < size; s++)
		buf[n++] = log_buf[s % LOG_BUF_LEN];
	*seq = s;
	spin_unlock_irqrestore(&logbuf_lock, flags);
	if (size)
		buf[n] = 0;
	return n;
}

/* The ring's size: syslog(SYSLOG_ACTION_SIZE_BUFFER) and the most log_buf_read() can return. */
u32 log_buf_len_get(void)
{
	return LOG_BUF_LEN;
}

static int __init_loglevel(char *val)
{
	int lvl;
	if (kstrtoint(val, 10, &lvl) || lvl < 0 || lvl > 15)
		return -EINVAL;
	console_loglevel = lvl;
	return 0;
}
early_param("loglevel=", __init_loglevel);

static int quiet_kernel(char *val)
{
	(void)val;
	console_loglevel = CONSOLE_LOGLEVEL_QUIET;
	return 0;
}
early_param("quiet", quiet_kernel);

/* Linux's default: 10 messages per 5 seconds, then silence until the interval ends. */
bool __ratelimit(struct ratelimit_state *rs)
{
	unsigned long now = jiffies;

	if (!rs->begin || time_after(now, rs->begin + 5 * HZ)) {
		rs->begin = now ? now : 1;
		rs->printed = 0;
	}
	return rs->printed++ < 10;
}

/*
 * One limit shared by all its callers (Linux's printk_ratelimit()): for the
 * lines a user program can make the kernel print at will, a segfault or a
 * trap, so that a program faulting in a loop cannot flood the console.
 */
bool printk_ratelimit(void)
{
	static struct ratelimit_state rs;

	return __ratelimit(&rs);
}
