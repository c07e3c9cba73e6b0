/*
 * Kernel command-line parameters (Linux: __setup() and early_param()). Each
 * known parameter has a handler, registered with __setup("name=", fn) in the
 * .setup linker section, or is a string, registered with
 * __setup_string("name=", var): var points at the (non-empty) value. parse_args() runs every handler in command-line
 * order. A handler returns 0 if it accepted the value, or a negative errno;
 * a rejected value is reported and ignored, never fatal. Words after "--",
 * and unknown parameters, are kept for init: "foo=bar" in its environment,
 * other words in its argv, as Linux passes them.
 */
#ifndef _KERNEL_CMDLINE_H
#define _KERNEL_CMDLINE_H

#include <kernel/types.h>
#include <kernel/compiler.h>

#define COMMAND_LINE_SIZE 2048

struct obs_kernel_param {
	const char *str;	/* "mem=" (takes a value) or "quiet" (a flag) */
	int (*setup_func)(char *val);
	bool early;		/* parsed before the memory map is used */
	const char **string;	/* no setup_func: a string parameter (Linux: a charp core_param()) */
};

#define __setup_param(str, unique, fn, early, string) \
	static const struct obs_kernel_param __setup_##unique __used __section(".setup") __aligned(8) = \
		{ str, fn, early, string }
#define __setup(str, fn) __setup_param(str, fn, fn, false, NULL)
#define early_param(str, fn) __setup_param(str, fn, fn, true, NULL)
#define __setup_string(str, var) __setup_param(str, var, NULL, false, &var)

extern char boot_command_line[COMMAND_LINE_SIZE];
/* Parse the command line; early == true runs only early_param()s, false the rest. */
void parse_args(bool early);
/* Unknown parameters, as Linux reports them; space-separated. */
extern char unknown_params[COMMAND_LINE_SIZE];
/* init= (or NULL), and init's argv (argv_init[0] left for the caller) and envp, NULL-terminated. */
extern const char *execute_command;
extern const char *argv_init[];
extern const char *envp_init[];
/* ktest=PATTERN, or NULL. */
extern const char *ktest_pattern;

#endif
