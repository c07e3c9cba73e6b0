/*
 * /proc/sys's handlers and the kernel/ and vm/ tables (Linux:
 * kernel/sysctl.c, kernel/utsname_sysctl.c). A handler converts between a
 * variable and its text, in Linux's formats: integers in decimal (0x and
 * leading-0 forms accepted when written), vectors separated by tabs,
 * strings as they are, each read ending in a newline. Writes obey Linux's
 * strict mode: only a write at position 0 counts, white space around the
 * value is allowed, anything else that is not a number is -EINVAL, and so
 * is a number outside the entry's range.
 *
 * Locking: an int or long is written with WRITE_ONCE and read with
 * READ_ONCE by those who use it; strings that change (the host name) go
 * through the owner's lock (kernel/sys.c's uts_lock).
 */
#include <kernel/kernel.h>
#include <kernel/sysctl.h>
#include <kernel/sched.h>
#include <kernel/sysrq.h>
#include <kernel/utsname.h>
#include <lib/string.h>
#include <mm/mm.h>
#include <uapi/errno.h>

const int sysctl_vals[] = { 0, 1, 2 };

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static void skip_space(const char *buf, size_t len, size_t *pos)
{
	while (*pos < len && is_space(buf[*pos]))
		(*pos)++;
}

/*
 * One number at buf[*pos]: an optional '-', then what kstrtoull() takes
 * in base 0, ending at white space or the end. -EINVAL for anything else,
 * overflow included (Linux's proc_get_long()).
 */
static int parse_number(const char *buf, size_t len, size_t *pos, unsigned long long *val, bool *neg)
{
	char tmp[24];
	size_t n = 0, p = *pos;

	*neg = p < len && buf[p] == '-';
	if (*neg)
		p++;
	while (p + n < len && !is_space(buf[p + n]) && buf[p + n])
		n++;
	if (!n || n >= sizeof(tmp) || buf[p] == '+' || buf[p] == '-')
		return -EINVAL;
	memcpy(tmp, buf + p, n);
	tmp[n] = 0;
	if (kstrtoull(tmp, 0, val))
		return -EINVAL;
	*pos = p + n;
	return 0;
}

/* A read of text: what fits of it in *lenp bytes, from position 0 only (Linux's rule). */
static int sysctl_put(const char *text, void *buffer, size_t *lenp, loff_t *ppos)
{
	size_t len = strlen(text);

	if (*ppos) {
		*lenp = 0;
		return 0;
	}
	len = min(len, *lenp);
	memcpy(buffer, text, len);
	*lenp = len;
	*ppos += len;
	return 0;
}

/* Parse up to n values into vals, checking each against [min, max]. The number parsed, or -EINVAL. */
static int parse_vector(const char *buf, size_t *lenp, long long *vals, int n, long long min, long long max)
{
	size_t pos = 0;
	int i;

	for (i = 0; i < n; i++) {
		unsigned long long v;
		bool neg;
		skip_space(buf, *lenp, &pos);
		if (pos >= *lenp || !buf[pos])
			break;
		if (parse_number(buf, *lenp, &pos, &v, &neg) || v > (unsigned long long)LONG_MAX)
			return -EINVAL;
		long long val = neg ? -(long long)v : (long long)v;
		if (val < min || val > max)
			return -EINVAL;
		vals[i] = val;
	}
	skip_space(buf, *lenp, &pos);
	*lenp = pos;
	return i ? i : -EINVAL;
}

/* An int vector, each value within [min, max]. */
static int do_int_vec(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos, long long min,
		      long long max)
{
	int *data = table->data, n = table->maxlen / sizeof(int);
	long long vals[8];
	char text[8 * 12 + 2];
	size_t len = 0;

	if (!write) {
		for (int i = 0; i < n && i < 8; i++)
			len += scnprintf(text + len, sizeof(text) - len, "%s%d", i ? "\t" : "", READ_ONCE(data[i]));
		scnprintf(text + len, sizeof(text) - len, "\n");
		return sysctl_put(text, buffer, lenp, ppos);
	}
	if (*ppos)
		return 0;	/* strict: a write that does not start at 0 is ignored */
	int got = parse_vector(buffer, lenp, vals, min(n, 8), min, max);
	if (got < 0)
		return got;
	for (int i = 0; i < got; i++)
		WRITE_ONCE(data[i], (int)vals[i]);
	*ppos += *lenp;
	return 0;
}

int proc_dointvec(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos)
{
	return do_int_vec(table, write, buffer, lenp, ppos, INT_MIN, INT_MAX);
}

int proc_dointvec_minmax(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos)
{
	return do_int_vec(table, write, buffer, lenp, ppos, table->extra1 ? *(int *)table->extra1 : INT_MIN,
			  table->extra2 ? *(int *)table->extra2 : INT_MAX);
}

/* One unsigned long within [*extra1, *extra2]; a negative number is -EINVAL. */
int proc_doulongvec_minmax(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos)
{
	unsigned long *data = table->data;
	unsigned long min = table->extra1 ? *(unsigned long *)table->extra1 : 0;
	unsigned long max = table->extra2 ? *(unsigned long *)table->extra2 : LONG_MAX;
	char text[24];
	long long val;

	if (!write) {
		snprintf(text, sizeof(text), "%lu\n", READ_ONCE(*data));
		return sysctl_put(text, buffer, lenp, ppos);
	}
	if (*ppos)
		return 0;
	int got = parse_vector(buffer, lenp, &val, 1, min, max);
	if (got < 0)
		return got;
	WRITE_ONCE(*data, (unsigned long)val);
	*ppos += *lenp;
	return 0;
}

/*
 * A string of at most maxlen - 1 bytes. Reading gives it and a newline;
 * writing takes the text up to the first newline, truncated to fit.
 */
int proc_dostring(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos)
{
	char *data = table->data;
	size_t len;

	if (!write) {
		len = strnlen(data, table->maxlen);
		if ((size_t)*ppos > len) {
			*lenp = 0;
			return 0;
		}
		size_t n = min(len - *ppos, *lenp);
		memcpy(buffer, data + *ppos, n);
		if (n < *lenp)
			((char *)buffer)[n++] = '\n';
		*lenp = n;
		*ppos += n;
		return 0;
	}
	if (*ppos)
		return 0;
	const char *p = buffer;
	for (len = 0; len < *lenp && len < (size_t)table->maxlen - 1 && p[len] && p[len] != '\n'; len++)
		data[len] = p[len];
	data[len] = 0;
	*ppos += *lenp;
	return 0;
}

/* ---- kernel.hostname, ostype, osrelease, version: the uts names ---- */

enum { UTS_SYSNAME, UTS_NODENAME, UTS_RELEASE, UTS_VERSION };
static const int uts_fields[] = { UTS_SYSNAME, UTS_NODENAME, UTS_RELEASE, UTS_VERSION };

static char *uts_field(struct new_utsname *u, int field)
{
	switch (field) {
	case UTS_SYSNAME: return u->sysname;
	case UTS_NODENAME: return u->nodename;
	case UTS_RELEASE: return u->release;
	default: return u->version;
	}
}

/* A copy of the field, through proc_dostring(); a new host name goes back under uts_lock. */
static int proc_do_uts_string(struct ctl_table *table, int write, void *buffer, size_t *lenp, loff_t *ppos)
{
	struct new_utsname u;
	int field = *(const int *)table->data;

	uts_get(&u);
	struct ctl_table copy = *table;
	copy.data = uts_field(&u, field);
	copy.maxlen = __NEW_UTS_LEN + 1;
	int err = proc_dostring(&copy, write, buffer, lenp, ppos);
	if (!err && write)
		uts_set_hostname(copy.data, strlen(copy.data));
	return err;
}

static int pid_max_min = 301, pid_max_max = PID_MAX;	/* Linux's RESERVED_PIDS + 1; Folio's pid bitmap */

#define UTS_ENTRY(name, field, m) { .procname = name, .data = (void *)&uts_fields[field], .mode = m, \
				       .proc_handler = proc_do_uts_string }

static struct ctl_table kern_table[] = {
	UTS_ENTRY("hostname", UTS_NODENAME, 0644),
	UTS_ENTRY("ostype", UTS_SYSNAME, 0444),
	UTS_ENTRY("osrelease", UTS_RELEASE, 0444),
	UTS_ENTRY("version", UTS_VERSION, 0444),
	{ .procname = "pid_max", .data = &pid_max, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec_minmax, .extra1 = &pid_max_min, .extra2 = &pid_max_max },
	{ .procname = "sysrq", .data = &sysrq_enabled, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec },
	{ .procname = "printk", .data = &console_printk, .maxlen = 4 * sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec },
	{ .procname = NULL },
};

static struct ctl_table vm_table[] = {
	{ .procname = "overcommit_memory", .data = &sysctl_overcommit_memory, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec_minmax, .extra1 = SYSCTL_ZERO, .extra2 = SYSCTL_TWO },
	{ .procname = "overcommit_ratio", .data = &sysctl_overcommit_ratio, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec },
	{ .procname = "max_map_count", .data = &sysctl_max_map_count, .maxlen = sizeof(int), .mode = 0644,
	  .proc_handler = proc_dointvec_minmax, .extra1 = SYSCTL_ZERO },
	{ .procname = NULL },
};

void sysctl_init(void)
{
	if (register_sysctl("kernel", kern_table) || register_sysctl("kernel", hung_task_sysctls) ||
	    register_sysctl("vm", vm_table) || register_sysctl("vm", page_alloc_sysctls) ||
	    register_sysctl("vm", oom_sysctls))
		pr_err("sysctl: cannot register the kernel and vm tables\n");
}
