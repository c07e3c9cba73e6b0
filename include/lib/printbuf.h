/*
 * printbuf: a string buffer that grows as it is written (Linux has the same
 * idea under this name in bcachefs). For text whose length is not known in
 * advance, such as the mount table that /proc/mounts shows: the writer
 * prints everything, the buffer is kmalloc'd and doubled as needed, and the
 * reader takes buf[0..pos) when done. An allocation failure is remembered
 * (later writes are dropped) and reported by printbuf_error().
 *
 *	struct printbuf out = PRINTBUF;
 *	prt_printf(&out, "%d\n", 42);
 *	if (!printbuf_error(&out)) use(out.buf, out.pos);
 *	printbuf_exit(&out);
 *
 * Writes may sleep (GFP_KERNEL). No lock: a printbuf belongs to its writer.
 */
#ifndef _LIB_PRINTBUF_H
#define _LIB_PRINTBUF_H

#include <kernel/types.h>
#include <kernel/compiler.h>

struct printbuf {
	char *buf;			/* NUL-terminated once anything was written; else NULL */
	size_t pos;			/* bytes written, without the NUL */
	size_t size;			/* bytes allocated */
	bool allocation_failure;
};

#define PRINTBUF ((struct printbuf){ 0 })

__printf(2, 3) void prt_printf(struct printbuf *out, const char *fmt, ...);
void prt_str(struct printbuf *out, const char *s);
void prt_char(struct printbuf *out, char c);
/* s, with each byte that is in esc written as a backslash and three octal digits ("\040"). */
void prt_escaped(struct printbuf *out, const char *s, const char *esc);
int printbuf_error(const struct printbuf *out);	/* 0 or -ENOMEM */
void printbuf_exit(struct printbuf *out);		/* free the buffer */

#endif
