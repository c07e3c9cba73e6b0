/*
 * The things nearly every kernel file needs: printk, panic, BUG/WARN and small
 * arithmetic helpers (Linux: include/linux/kernel.h, include/asm-generic/bug.h).
 */
#ifndef _KERNEL_KERNEL_H
#define _KERNEL_KERNEL_H

#include <kernel/types.h>
#include <kernel/compiler.h>
#include <kernel/printk.h>
#include <kernel/bug.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define swap(a, b) do { __typeof__(a) _t = (a); (a) = (b); (b) = _t; } while (0)

extern bool oops_in_progress;
extern const char folio_banner[];	/* "Folio version ..." (kernel/main.c) */
__noreturn __cold __printf(1, 2) void panic(const char *fmt, ...);

/* Taint flags, printed in oops reports as Linux does ("Not tainted" / "Tainted: G W"). */
#define TAINT_WARN 9
#define TAINT_BAD_PAGE 5
#define TAINT_DIE 7
void add_taint(unsigned int flag);
const char *print_tainted(void);


/* Parse "123", "0x7b", "64M", "1G": Linux's memparse(). */
unsigned long long memparse(const char *s, char **end);
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoint(const char *s, unsigned int base, int *res);
unsigned long simple_strtoul(const char *s, char **end, unsigned int base);

#endif
