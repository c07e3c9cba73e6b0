/*
 * printbuf: a growable string buffer (include/lib/printbuf.h). The buffer
 * starts at 256 bytes and doubles whenever a write does not fit; formatting
 * runs vsnprintf() once to learn the length and again into the grown buffer.
 * No locks: a printbuf belongs to whoever writes it.
 */
#include <kernel/kernel.h>
#include <lib/printbuf.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <uapi/errno.h>

#define PRINTBUF_MIN 256

/* Room for n more bytes and the NUL; false (and remembered) if memory ran out. */
static bool printbuf_make_room(struct printbuf *out, size_t n)
{
	size_t want = out->pos + n + 1, size = out->size ? out->size : PRINTBUF_MIN;

	if (out->allocation_failure)
		return false;
	if (want <= out->size)
		return true;
	while (size < want)
		size *= 2;
	char *buf = kmalloc(size, GFP_KERNEL);
	if (!buf) {
		out->allocation_failure = true;
		return false;
	}
	if (out->buf)
		memcpy(buf, out->buf, out->pos + 1);
	kfree(out->buf);
	out->buf = buf;
	out->size = size;
	return true;
}

void prt_printf(struct printbuf *out, const char *fmt, ...)
{
	va_list ap;
	char c;

	va_start(ap, fmt);
	int n = vsnprintf(&c, 1, fmt, ap);
	va_end(ap);
	if (n < 0 || !printbuf_make_room(out, n))
		return;
	va_start(ap, fmt);
	vsnprintf(out->buf + out->pos, n + 1, fmt, ap);
	va_end(ap);
	out->pos += n;
}

static void prt_bytes(struct printbuf *out, const char *s, size_t n)
{
	if (!printbuf_make_room(out, n))
		return;
	memcpy(out->buf + out->pos, s, n);
	out->pos += n;
	out->buf[out->pos] = 0;
}

void prt_str(struct printbuf *out, const char *s)
{
	prt_bytes(out, s, strlen(s));
}

void prt_char(struct printbuf *out, char c)
{
	prt_bytes(out, &c, 1);
}

void prt_escaped(struct printbuf *out, const char *s, const char *esc)
{
	for (; *s; s++) {
		if (strchr(esc, *s))
			prt_printf(out, "\\%03o", (unsigned char)*s);
		else
			prt_char(out, *s);
	}
}

int printbuf_error(const struct printbuf *out)
{
	return out->allocation_failure ? -ENOMEM : 0;
}

void printbuf_exit(struct printbuf *out)
{
	kfree(out->buf);
	*out = PRINTBUF;
}
