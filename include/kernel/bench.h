/* In-kernel microbenchmarks (kernel/bench.c), selected with bench=NAME[,NAME] or bench=all. */
#ifndef _KERNEL_BENCH_H
#define _KERNEL_BENCH_H

void bench_run(void);

#endif
