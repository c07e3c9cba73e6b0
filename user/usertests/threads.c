/*
 * Threads (pthreads over clone, futexes): shared counters under a mutex,
 * exit_group from any thread, and a condition-variable broadcast.
 */
#include "usertests.h"

#define NTHREADS 4

#define NINCS 20000

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;

static long counter;

static void *count_up(void *arg)
{
	(void)arg;
	for (int i = 0; i < NINCS; i++) {
		pthread_mutex_lock(&counter_lock);
		long v = counter;
		if ((i & 1023) == 0)
			sched_yield();	/* invite the other threads in while we hold the lock */
		counter = v + 1;
		pthread_mutex_unlock(&counter_lock);
	}
	return (void *)syscall(SYS_gettid);	/* for the caller to compare */
}

static void t_threads(void)
{
	pthread_t t[NTHREADS];
	void *tid[NTHREADS];
	long me = syscall(SYS_gettid);

	counter = 0;
	for (int i = 0; i < NTHREADS; i++) {
		int e = pthread_create(&t[i], NULL, count_up, NULL);
		CHECK(e == 0, "pthread_create: %s", strerror(e));
	}
	for (int i = 0; i < NTHREADS; i++) {
		int e = pthread_join(t[i], &tid[i]);
		CHECK(e == 0, "pthread_join: %s", strerror(e));
	}
	CHECK(counter == (long)NTHREADS * NINCS, "counter is %ld, expected %ld", counter,
	      (long)NTHREADS * NINCS);
	for (int i = 0; i < NTHREADS; i++) {
		CHECK((long)tid[i] != me && (long)tid[i] > 0, "thread %d ran with tid %ld (main %ld)",
		      i, (long)tid[i], me);
		for (int j = 0; j < i; j++)
			CHECK(tid[i] != tid[j], "two threads had the same tid %ld", (long)tid[i]);
	}
	CHECK(me == getpid(), "the main thread's tid %ld is not the pid %d", me, (int)getpid());
}

static void *exit_group_7(void *arg)
{
	(void)arg;
	_exit(7);	/* exit_group: takes the whole process down */
}

static void *sleeper(void *arg)
{
	sleep_forever();
	return arg;
}

static void threads_then_exit(long unused)
{
	pthread_t t;

	(void)unused;
	for (int i = 0; i < 3; i++)
		CHECK(pthread_create(&t, NULL, sleeper, NULL) == 0, "pthread_create");
	CHECK(pthread_create(&t, NULL, exit_group_7, NULL) == 0, "pthread_create");
	sleep_forever();
}

static void t_thread_exit_group(void)
{
	expect_exit(run(threads_then_exit, 0), 7, "a process whose thread called _exit(7)");
}

/* A condition variable broadcast to several waiters wakes them all (musl requeues them: FUTEX_REQUEUE). */
static pthread_mutex_t cv_mutex = PTHREAD_MUTEX_INITIALIZER;

static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static int cv_go, cv_woken;

static void *cv_waiter(void *arg)
{
	pthread_mutex_lock(&cv_mutex);
	while (!cv_go)
		pthread_cond_wait(&cv, &cv_mutex);
	cv_woken++;
	pthread_mutex_unlock(&cv_mutex);
	return arg;
}

static void t_cond_broadcast(void)
{
	pthread_t t[4];

	cv_go = cv_woken = 0;
	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, cv_waiter, NULL) == 0, "pthread_create");
	usleep(100000);		/* let them all reach pthread_cond_wait (no harm if some did not) */
	pthread_mutex_lock(&cv_mutex);
	cv_go = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&cv_mutex);
	for (int i = 0; i < 4; i++)
		CHECK(pthread_join(t[i], NULL) == 0, "pthread_join");
	CHECK(cv_woken == 4, "%d of 4 waiters woke", cv_woken);
}

const struct test thread_tests[] = {
	T(threads), T(thread_exit_group), T(cond_broadcast), { NULL },
};
