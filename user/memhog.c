/*
 * memhog: allocate and touch memory 1 MiB at a time, printing progress, until
 * killed, until allocation fails, or until a limit. The OOM demos and tests use it.
 *
 *   memhog [-m] [-q] [-h] [LIMIT_MIB]
 *     LIMIT_MIB  stop after this many MiB (default: no limit)
 *     -m         allocate with mmap(MAP_ANONYMOUS) instead of malloc (brk)
 *     -q         print only the final line
 *     -h         hold: after the limit (or a failed allocation), sleep until killed
 *
 * Each step prints `memhog: N MiB` once all of its pages are touched (written),
 * so the last line before a kill says how far it got. Exit: 0 at the limit,
 * 1 when an allocation failed.
 */
#include "ulib.h"
#include <stdlib.h>
#include <sys/mman.h>

#define MIB (1UL << 20)

static void usage(void)
{
	dprintf(2, "usage: memhog [-m] [-q] [-h] [LIMIT_MIB]\n");
	exit(2);
}

static void *alloc_mib(int use_mmap)
{
	if (!use_mmap)
		return malloc(MIB);
	void *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

int main(int argc, char **argv)
{
	int use_mmap = 0, quiet = 0, hold = 0, opt;
	long limit = -1, n;
	long page = sysconf(_SC_PAGESIZE);

	while ((opt = getopt(argc, argv, "mqh")) != -1) {
		switch (opt) {
		case 'm': use_mmap = 1; break;
		case 'q': quiet = 1; break;
		case 'h': hold = 1; break;
		default: usage();
		}
	}
	if (optind < argc) {
		char *end;
		limit = strtol(argv[optind], &end, 10);
		if (*end || limit < 0)
			usage();
	}
	setvbuf(stdout, NULL, _IOLBF, 0);	/* progress lines reach a pipe too */
	printf("memhog: pid %d allocating 1 MiB steps%s%s\n", (int)getpid(),
	       use_mmap ? " with mmap" : " with malloc", limit < 0 ? ", no limit" : "");

	int failed = 0;
	for (n = 0; limit < 0 || n < limit; n++) {
		char *p = alloc_mib(use_mmap);
		if (!p) {
			printf("memhog: allocation failed after %ld MiB: %s\n", n, strerror(errno));
			failed = 1;
			break;
		}
		for (unsigned long off = 0; off < MIB; off += (unsigned long)page)
			p[off] = (char)(n + 1);
		if (!quiet)
			printf("memhog: %ld MiB\n", n + 1);
	}
	if (!failed)
		printf("memhog: reached %ld MiB\n", n);
	if (hold) {
		printf("memhog: holding, pid %d\n", (int)getpid());
		for (;;)
			sleep(1000);
	}
	return failed;
}
