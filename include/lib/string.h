/* String and memory functions (Linux: lib/string.c). */
#ifndef _LIB_STRING_H
#define _LIB_STRING_H

#include <kernel/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr_inv(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);
ssize_t strscpy_pad(char *dst, const char *src, size_t count);
char *strstr(const char *hay, const char *needle);
char *skip_spaces(const char *s);
char *strim(char *s);
void *memchr(const void *s, int c, size_t n);
bool glob_match(const char *pat, const char *str);

#ifdef __SANITIZE_ADDRESS__
/* KASAN: code built with its instrumentation gets versions that check both ranges (mm/kasan.c). */
void *kasan_memset(void *s, int c, size_t n);
void *kasan_memcpy(void *dst, const void *src, size_t n);
void *kasan_memmove(void *dst, const void *src, size_t n);
#define memset(s, c, n) kasan_memset(s, c, n)
#define memcpy(d, s, n) kasan_memcpy(d, s, n)
#define memmove(d, s, n) kasan_memmove(d, s, n)
#endif

#endif
