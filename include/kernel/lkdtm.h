/*
 * lkdtm: crash on purpose, to test the crash reports (Linux: drivers/misc/lkdtm).
 * Boot with lkdtm=TYPE and the kernel performs that fault at the end of boot;
 * "lkdtm=list" prints the types. The test runner boots one VM per type and
 * checks the report and the exit status.
 */
#ifndef _KERNEL_LKDTM_H
#define _KERNEL_LKDTM_H

void lkdtm_run(void);

#endif
