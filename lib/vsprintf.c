/*
 * vsnprintf: the kernel's printf engine (Linux: lib/vsprintf.c).
 * Conversions: %d %i %u %x %X %o %c %s %% and %p, with the flags - 0 + space #,
 * a width and precision (numbers or *), and the length modifiers hh h l ll z t.
 * Pointer extensions as in Linux: %pS / %ps print a kernel symbol
 * ("kmain+0x1f/0x40" / "kmain"); plain %p and %px print the raw address in
 * 16 hex digits (Folio does not hash pointers: it is a teaching kernel).
 * No locks: it writes only into the caller's buffer.
 */
#include <kernel/kernel.h>
#include <kernel/kallsyms.h>
#include <lib/string.h>
#include <uapi/errno.h>

#define F_LEFT 0x01
#define F_ZERO 0x02
#define F_PLUS 0x04
#define F_SPACE 0x08
#define F_ALT 0x10
#define F_SIGNED 0x20
#define F_UPPER 0x40

struct out {
	char *buf;
	size_t size, len;	/* len counts every byte, even those that did not fit */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const char *s, int width, int prec, int flags)
{
	if (!s)
		s = "(null)";
	int len = (int)strnlen(s, prec < 0 ? (size_t)-1 : (size_t)prec);
	if (!(flags & F_LEFT))
		put_pad(o, ' ', width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (flags & F_LEFT)
		put_pad(o, ' ', width - len);
}

static void put_num(struct out *o, unsigned long long v, unsigned base, int width, int prec, int flags)
{
	const char *digits = (flags & F_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	char sign = 0;

	if ((flags & F_SIGNED) && (long long)v < 0) {
		sign = '-';
		v = -v;		/* unsigned: also right for LLONG_MIN, whose negation overflows a long long */
	} else if (flags & F_SIGNED) {
		if (flags & F_PLUS)
			sign = '+';
		else if (flags & F_SPACE)
			sign = ' ';
	}
	if (v == 0 && prec != 0)
		tmp[n++] = '0';
	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	const char *prefix = "";
	if ((flags & F_ALT) && base == 16)	/* Linux prints 0x even for zero */
		prefix = (flags & F_UPPER) ? "0X" : "0x";
	else if ((flags & F_ALT) && base == 8 && (n == 0 || tmp[n - 1] != '0'))
		prefix = "0";
	int plen = (int)strlen(prefix) + (sign ? 1 : 0);
	int zeros = prec > n ? prec - n : 0;
	if ((flags & F_ZERO) && !(flags & F_LEFT) && prec < 0)
		zeros = max(zeros, width - plen - n);
	int pad = width - plen - zeros - n;

	if (!(flags & F_LEFT))
		put_pad(o, ' ', pad);
	if (sign)
		put(o, sign);
	for (const char *p = prefix; *p; p++)
		put(o, *p);
	put_pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (flags & F_LEFT)
		put_pad(o, ' ', pad);
}

static const char *put_pointer(struct out *o, const char *fmt, void *p, int width, int flags)
{
	char sym[128];

	switch (*fmt) {
	case 'S':
		sprint_symbol(sym, sizeof(sym), (unsigned long)p);
		put_str(o, sym, width, -1, flags);
		return fmt + 1;
	case 's': {
		unsigned long off, size;
		const char *name = kallsyms_lookup((unsigned long)p, &size, &off);
		if (name) {
			put_str(o, name, width, -1, flags);
		} else {
			put(o, '0');
			put(o, 'x');
			put_num(o, (unsigned long)p, 16, 0, -1, 0);
		}
		return fmt + 1;
	}
	case 'x':
		fmt++;
		break;
	}
	put_num(o, (unsigned long)p, 16, width > 0 ? width : 16, -1, flags | F_ZERO);
	return fmt;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		int flags = 0, width = -1, prec = -1;
		for (;; fmt++) {
			if (*fmt == '-') flags |= F_LEFT;
			else if (*fmt == '0') flags |= F_ZERO;
			else if (*fmt == '+') flags |= F_PLUS;
			else if (*fmt == ' ') flags |= F_SPACE;
			else if (*fmt == '#') flags |= F_ALT;
			else break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
				width = width * 10 + (*fmt - '0');
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				for (prec = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
					prec = prec * 10 + (*fmt - '0');
			}
		}
		int len = 0;	/* 0 int, 1 long, 2 long long, -1 short, -2 char */
		for (;; fmt++) {
			if (*fmt == 'l') len++;
			else if (*fmt == 'h') len--;
			else if (*fmt == 'z' || *fmt == 't') len = 1;
			else break;
		}
		unsigned long long v;
		unsigned base = 10;
		char c = *fmt++;
		switch (c) {
		case 'c':
			if (!(flags & F_LEFT))
				put_pad(&o, ' ', width - 1);
			put(&o, (char)va_arg(ap, int));
			if (flags & F_LEFT)
				put_pad(&o, ' ', width - 1);
			continue;
		case 's':
			put_str(&o, va_arg(ap, const char *), width, prec, flags);
			continue;
		case 'p':
			fmt = put_pointer(&o, fmt, va_arg(ap, void *), width, flags);
			continue;
		case '%':
			put(&o, '%');
			continue;
		case 'd':
		case 'i':
			flags |= F_SIGNED;
			if (len >= 2) v = va_arg(ap, long long);
			else if (len == 1) v = va_arg(ap, long);
			else if (len == -1) v = (short)va_arg(ap, int);
			else if (len <= -2) v = (signed char)va_arg(ap, int);
			else v = va_arg(ap, int);
			put_num(&o, v, 10, width, prec, flags);
			continue;
		case 'X':
			flags |= F_UPPER;
			/* fall through */
		case 'x':
			base = 16;
			break;
		case 'o':
			base = 8;
			break;
		case 'u':
			break;
		default:	/* unknown conversion: print it as is */
			put(&o, '%');
			if (c)
				put(&o, c);
			else
				fmt--;
			continue;
		}
		if (len >= 2) v = va_arg(ap, unsigned long long);
		else if (len == 1) v = va_arg(ap, unsigned long);
		else if (len == -1) v = (unsigned short)va_arg(ap, unsigned int);
		else if (len <= -2) v = (unsigned char)va_arg(ap, unsigned int);
		else v = va_arg(ap, unsigned int);
		put_num(&o, v, base, width, prec, flags);
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Like snprintf, but returns what was written (without the NUL), not what would have been. */
int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (!size)
		return 0;
	return n < (int)size ? n : (int)size - 1;
}

/* Linux's simple_strtoul: base 0 means auto (0x, 0, decimal). */
unsigned long simple_strtoul(const char *s, char **end, unsigned int base)
{
	unsigned long v = 0;

	if (base == 0) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
		    ((s[2] >= '0' && s[2] <= '9') || ((s[2] | 0x20) >= 'a' && (s[2] | 0x20) <= 'f'))) {
			base = 16;
			s += 2;
		} else if (s[0] == '0') {
			base = 8;
		} else {
			base = 10;
		}
	} else if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
	}
	for (;; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9') d = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') d = (*s | 0x20) - 'a' + 10;
		else break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	if (end)
		*end = (char *)s;
	return v;
}

/*
 * Strict, as Linux's kstrtoull(): an optional '+', an optional 0x (base 16 or
 * 0), at least one digit, nothing after but one newline; -ERANGE on overflow.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	const char *digits;

	if (*s == '+')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] | 0x20) == 'x') {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (digits = s;; s++) {
		unsigned int d;
		if (*s >= '0' && *s <= '9') d = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z') d = (*s | 0x20) - 'a' + 10;
		else break;
		if (d >= base)
			break;
		if (v > (~0ULL - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (s == digits || (*s && !(s[0] == '\n' && !s[1])))
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	unsigned long long v;
	bool neg = *s == '-';
	int err = neg && s[1] == '+' ? -EINVAL : kstrtoull(neg ? s + 1 : s, base, &v);

	if (err)
		return err;
	if (v > (unsigned long long)INT_MAX + neg)
		return -ERANGE;
	*res = neg ? (int)-(long long)v : (int)v;	/* v may be INT_MAX + 1: negate it wide */
	return 0;
}

/* Linux's memparse: a number with an optional K, M, G, T, P, E suffix. */
unsigned long long memparse(const char *s, char **end)
{
	char *e;
	unsigned long long v = simple_strtoul(s, &e, 0);

	switch (*e) {
	case 'E': case 'e': v <<= 10; /* fall through */
	case 'P': case 'p': v <<= 10; /* fall through */
	case 'T': case 't': v <<= 10; /* fall through */
	case 'G': case 'g': v <<= 10; /* fall through */
	case 'M': case 'm': v <<= 10; /* fall through */
	case 'K': case 'k': v <<= 10; e++;
	default: break;
	}
	if (end)
		*end = e;
	return v;
}
