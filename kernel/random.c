/*
 * Random bytes (Linux: drivers/char/random.c, reduced to its interface):
 * get_random_u64(), get_random_bytes() and the getrandom() system call.
 *
 * THIS IS NOT A CRYPTOGRAPHIC GENERATOR. Folio has no entropy pool: it runs
 * xorshift128+ (Vigna), seeded at the first use from the TSC and, when CPUID
 * says the CPU has it, RDRAND, spread over the state with splitmix64.
 * Under QEMU/TCG without RDRAND the seed is little more than the boot
 * time in cycles, so outputs of two boots may be guessable. It is fast,
 * well distributed and never blocks, which is all AT_RANDOM, musl's
 * malloc and hash tables need. Linux mixes interrupt timings, RDRAND/RDSEED
 * and more into a ChaCha20 CRNG instead.
 *
 * Locking: random_lock (irqsave) guards the state, so any context may ask.
 */
#include <kernel/kernel.h>
#include <kernel/random.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/spinlock.h>
#include <kernel/syscalls.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <uapi/random.h>
#include <arch/processor.h>

#define CPUID1_ECX_RDRAND (1u << 30)

static DEFINE_SPINLOCK(random_lock);
static u64 state[2];
static bool seeded;

/* A hardware random number, or false if the CPU has none or it failed 10 times (Intel's advice). */
static bool rdrand_u64(u64 *v)
{
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & CPUID1_ECX_RDRAND))
		return false;
	for (int i = 0; i < 10; i++) {
		bool ok;
		__asm__ __volatile__("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
		if (ok)
			return true;
	}
	return false;
}

static u64 splitmix64(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* random_lock held. */
static void seed_locked(void)
{
	u64 hw = 0, x = rdtsc();

	if (rdrand_u64(&hw))
		x ^= hw;
	state[0] = splitmix64(&x);
	state[1] = splitmix64(&x);
	if (!state[0] && !state[1])	/* the one state xorshift cannot leave */
		state[1] = 1;
	seeded = true;
}

u64 get_random_u64(void)
{
	unsigned long flags;
	u64 s1, s0, r;

	spin_lock_irqsave(&random_lock, flags);
	if (!seeded)
		seed_locked();
	s1 = state[0];
	s0 = state[1];
	r = s0 + s1;
	state[0] = s0;
	s1 ^= s1 << 23;
	state[1] = s1 ^ s0 ^ (s1 >> 18) ^ (s0 >> 5);
	spin_unlock_irqrestore(&random_lock, flags);
	return r;
}

void get_random_bytes(void *buf, size_t n)
{
	u8 *p = buf;

	while (n) {
		u64 r = get_random_u64();
		size_t k = min(n, sizeof(r));
		memcpy(p, &r, k);
		p += k;
		n -= k;
	}
}

/*
 * getrandom: never blocks, so GRND_NONBLOCK changes nothing, and
 * GRND_RANDOM reads the same generator (as Linux does since 5.6). Large
 * requests go out a page at a time and stop early, with what was written
 * so far, if a signal arrives (Linux: the same, at page boundaries).
 */
SYSCALL_DEFINE3(getrandom, char __user *, ubuf, size_t, len, unsigned int, flags)
{
	u8 kbuf[256];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	if (len > INT_MAX)
		len = INT_MAX;
	while (done < len) {
		size_t chunk = min(len - done, sizeof(kbuf));
		get_random_bytes(kbuf, chunk);
		size_t left = copy_to_user(ubuf + done, kbuf, chunk);
		done += chunk - left;
		if (left)
			break;
		if (done % 4096 < sizeof(kbuf) && done < len) {	/* crossed a page: a chance to stop */
			if (signal_pending(current))
				break;
			cond_resched();
		}
	}
	memset(kbuf, 0, sizeof(kbuf));
	return done || !len ? (long)done : -EFAULT;	/* only a fault stops before the first byte */
}
