/*
 * Magic SysRq (Linux: drivers/tty/sysrq.c). On the serial console a BREAK
 * followed by a key runs a command; in QEMU's console press Ctrl-A B, then
 * the key. Writing the key to /proc/sysrq-trigger does the same. Keys: h
 * help, m memory, t task states, c crash, b reboot, o power off.
 */
#ifndef _KERNEL_SYSRQ_H
#define _KERNEL_SYSRQ_H

extern int sysrq_enabled;	/* kernel.sysrq: 0 off, 1 all, else a mask of groups */
void handle_sysrq(char key);	/* a key from the console (the mask applies) */
void sysrq_proc_init(void);	/* /proc/sysrq-trigger */

#endif
