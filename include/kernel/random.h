/*
 * Random numbers for the kernel and for getrandom() (kernel/random.c).
 * NOT cryptographic: a xorshift generator seeded once per boot from the TSC
 * and, if the CPU has it, RDRAND. Good for AT_RANDOM, hash seeds and tests;
 * not for keys.
 */
#ifndef _KERNEL_RANDOM_H
#define _KERNEL_RANDOM_H

#include <kernel/types.h>

u64 get_random_u64(void);
void get_random_bytes(void *buf, size_t n);

#endif
