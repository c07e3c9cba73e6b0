/*
 * The system's names, as uname() reports them (Linux: include/linux/utsname.h).
 * Only the host name changes after boot (sethostname(), kernel.hostname);
 * kernel/sys.c keeps them under its uts_lock.
 */
#ifndef _KERNEL_UTSNAME_H
#define _KERNEL_UTSNAME_H

#include <kernel/types.h>
#include <uapi/utsname.h>

void uts_get(struct new_utsname *out);			/* a snapshot */
void uts_set_hostname(const char *name, size_t len);	/* len <= __NEW_UTS_LEN */

#endif
