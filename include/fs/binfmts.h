/* Executing programs (Linux: include/linux/binfmts.h). */
#ifndef _FS_BINFMTS_H
#define _FS_BINFMTS_H

#include <kernel/types.h>
#include <kernel/compiler.h>

#define BINPRM_BUF_SIZE 256
#define MAX_ARG_STRLEN (32 * 4096)	/* one argument or environment string */
#define MAX_ARG_TOTAL (2UL << 20)	/* all of them: a quarter of the 8 MiB stack limit, as Linux */
#define STACK_TOP 0x00007ffffffff000UL

struct file;

/* What exec knows about the program being started. */
struct linux_binprm {
	char buf[BINPRM_BUF_SIZE];	/* the file's first bytes */
	struct file *file;
	const char *filename;		/* as given (AT_EXECFN) */
	char *strings;			/* argv strings then envp strings, each NUL-terminated */
	size_t strings_len;
	int argc, envc;
	int interp_depth;		/* #! nesting */
};

/* Load the ELF program in bprm into a new address space; -ENOEXEC if it is not ELF. */
int load_elf_binary(struct linux_binprm *bprm);
/* The generic part, after the file is checked: switch to a fresh mm (the point of no return). */
int begin_new_exec(struct linux_binprm *bprm);
/* Build argc, argv, envp and the auxiliary vector on the new stack; returns the stack pointer. */
unsigned long create_elf_tables(struct linux_binprm *bprm, unsigned long *auxv, int nauxv);

/* Run a program from the kernel (pid 1's /init); NULL-terminated kernel arrays. */
int kernel_execve(const char *filename, const char *const *argv, const char *const *envp);

#endif
