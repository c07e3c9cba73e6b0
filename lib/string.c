/*
 * String and memory functions (Linux: lib/string.c). GCC may emit calls to
 * memcpy/memset/memmove/memcmp itself, so these are always present.
 */
#include <kernel/types.h>
#include <lib/string.h>
#include <uapi/errno.h>

/*
 * memset and memcpy move 8 bytes per step with plain loops. "rep stosb" and
 * "rep movsb" are what real CPUs do fastest, but under QEMU's TCG every
 * repetition is a separate trip through the emulator, which made page
 * poisoning (a 4 KiB memset per freed page) forty times slower.
 */
void *memset(void *s, int c, size_t n)
{
	unsigned char *d = s;
	u64 v = 0x0101010101010101ULL * (unsigned char)c;

	for (; n && ((uintptr_t)d & 7); n--)
		*d++ = (unsigned char)c;
	for (; n >= 32; n -= 32, d += 32) {
		((u64 *)d)[0] = v;
		((u64 *)d)[1] = v;
		((u64 *)d)[2] = v;
		((u64 *)d)[3] = v;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(u64 *)d = v;
	while (n--)
		*d++ = (unsigned char)c;
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *p = src;

	if ((((uintptr_t)d | (uintptr_t)p) & 7) == 0) {
		for (; n >= 32; n -= 32, d += 32, p += 32) {
			((u64 *)d)[0] = ((const u64 *)p)[0];
			((u64 *)d)[1] = ((const u64 *)p)[1];
			((u64 *)d)[2] = ((const u64 *)p)[2];
			((u64 *)d)[3] = ((const u64 *)p)[3];
		}
		for (; n >= 8; n -= 8, d += 8, p += 8)
			*(u64 *)d = *(const u64 *)p;
	}
	while (n--)
		*d++ = *p++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

/* First byte in [s, s+n) that is not c, or NULL (Linux: memchr_inv). */
void *memchr_inv(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	u64 pattern = 0x0101010101010101ULL * (u8)c;

	while (n && ((uintptr_t)p & 7)) {
		if (*p != (u8)c)
			return (void *)p;
		p++, n--;
	}
	for (; n >= 32; p += 32, n -= 32)	/* four words a step: cheap under TCG too */
		if ((((const u64 *)p)[0] ^ pattern) | (((const u64 *)p)[1] ^ pattern) |
		    (((const u64 *)p)[2] ^ pattern) | (((const u64 *)p)[3] ^ pattern))
			break;
	for (; n >= 8; p += 8, n -= 8)
		if (*(const u64 *)p != pattern)
			break;
	for (; n; p++, n--)
		if (*p != (u8)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	do {
		if (*s == (char)c)
			last = s;
	} while (*s++);
	return (char *)last;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len >= size ? size - 1 : len;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

/*
 * Copy src into dst (count bytes), always NUL-terminated, and zero the rest
 * of dst: nothing of what dst held before survives. The length copied, or
 * -E2BIG when src was cut (Linux's strscpy_pad()).
 */
ssize_t strscpy_pad(char *dst, const char *src, size_t count)
{
	if (!count)
		return -E2BIG;
	size_t len = strnlen(src, count);
	size_t n = len == count ? count - 1 : len;

	memcpy(dst, src, n);
	memset(dst + n, 0, count - n);
	return len == count ? -E2BIG : (ssize_t)n;
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	return n ? NULL : (char *)hay;
}

char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	return (char *)s;
}

/* Strip leading and trailing white space: a pointer into s, which is cut short in place (Linux: strim()). */
char *strim(char *s)
{
	size_t len = strlen(s);

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n'))
		s[--len] = 0;
	return skip_spaces(s);
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

/* Shell-style glob with '*' and '?' (Linux: lib/glob.c, without classes). */
bool glob_match(const char *pat, const char *str)
{
	const char *back_pat = NULL, *back_str = NULL;

	for (;;) {
		char c = *str++, d = *pat++;
		if (d == '*') {
			if (!*pat)
				return true;
			back_pat = pat;
			back_str = --str;
			continue;
		}
		if (c && (d == '?' || d == c)) {
			continue;
		}
		if (!c && !d)
			return true;
		if (!back_pat || !*back_str)
			return false;
		pat = back_pat;
		str = ++back_str;
	}
}
