/*
 * exitcode: print the arguments, one per line, then exit with the first one as
 * the status (0 without arguments). The tests boot it as init to check that
 * init's arguments and exit status reach the host: `run.sh --init '/bin/exitcode 42'`.
 */
#include "ulib.h"
#include <stdlib.h>

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("exitcode: argv[%d]=%s\n", i, argv[i]);
	int code = argc > 1 ? atoi(argv[1]) : 0;
	printf("exitcode: pid %d exiting with status %d\n", (int)getpid(), code);
	return code;
}
