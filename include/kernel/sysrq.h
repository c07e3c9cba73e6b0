/*
 * Magic SysRq (Linux: drivers/tty/sysrq.c). On the serial console a BREAK
 * followed by a key runs a command; in QEMU's console press Ctrl-A B, then
 * the key. Keys: h help, m memory, t task states, c crash, b reboot, o power off.
 */
#ifndef _KERNEL_SYSRQ_H
#define _KERNEL_SYSRQ_H

void handle_sysrq(char key);

#endif
