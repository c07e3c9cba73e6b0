/*
 * Loading static ELF64 x86-64 programs (Linux: fs/binfmt_elf.c), both
 * ET_EXEC and static-PIE (ET_DYN, placed at ELF_ET_DYN_BASE). Dynamically
 * linked programs (PT_INTERP) are refused: Folio has no loader.
 *
 * Every header field is checked before the point of no return: bad magic,
 * class, byte order, machine or type → -ENOEXEC; segments that lie outside
 * the file, outside user space, overlap each other, or have p_filesz >
 * p_memsz → -EINVAL. The caller keeps running after any of these.
 *
 * Each PT_LOAD becomes a private file mapping (pages read at fault time)
 * for its file part and an anonymous one for the rest of its memory (bss).
 */
#include <kernel/kernel.h>
#include <kernel/random.h>
#include <kernel/sched.h>
#include <kernel/uaccess.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <mm/mm.h>
#include <mm/mmap_lock.h>
#include <mm/slab.h>
#include <fs/fs.h>
#include <fs/binfmts.h>

#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define ELF_ET_DYN_BASE 0x555555554000UL	/* where Linux puts static-PIE programs (2/3 of TASK_SIZE) */
#define MAX_PHNUM (65536 / sizeof(struct elf64_phdr))

struct elf64_hdr {
	u8 e_ident[16];
	u16 e_type, e_machine;
	u32 e_version;
	u64 e_entry, e_phoff, e_shoff;
	u32 e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	u32 p_type, p_flags;
	u64 p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

/* Auxiliary vector keys (include/uapi/linux/auxvec.h). */
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_HWCAP2 26
#define AT_EXECFN 31

static int check_segments(const struct elf64_hdr *eh, struct elf64_phdr *ph, loff_t size, unsigned long bias)
{
	int loads = 0;

	for (int i = 0; i < eh->e_phnum; i++) {
		struct elf64_phdr *p = &ph[i];
		if (p->p_type == PT_INTERP) {
			pr_info("exec: a dynamically linked program: Folio runs static programs only\n");
			return -ENOEXEC;
		}
		if (p->p_type != PT_LOAD)
			continue;
		loads++;
		if (p->p_filesz > p->p_memsz || p->p_offset + p->p_filesz < p->p_offset ||
		    p->p_offset + p->p_filesz > (u64)size)
			return -EINVAL;
		if ((p->p_vaddr & ~PAGE_MASK) != (p->p_offset & ~PAGE_MASK))
			return -EINVAL;
		u64 start = p->p_vaddr + bias, end = start + p->p_memsz;
		if (end < start || end > STACK_TOP - (8UL << 20) || start < MMAP_MIN_ADDR)
			return -EINVAL;		/* wraps, reaches the stack or the kernel, or the low 64 KiB */
		for (int j = 0; j < i; j++) {	/* no two segments share a byte */
			struct elf64_phdr *q = &ph[j];
			if (q->p_type == PT_LOAD && p->p_vaddr < q->p_vaddr + q->p_memsz &&
			    q->p_vaddr < p->p_vaddr + p->p_memsz)
				return -EINVAL;
		}
	}
	if (!loads)
		return -ENOEXEC;
	/* The entry point must be a user address: returning to anything else faults in the kernel. */
	return eh->e_entry + bias < TASK_SIZE_MAX ? 0 : -EINVAL;
}

static unsigned long elf_prot(u32 flags)
{
	return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) |
	       ((flags & PF_X) ? PROT_EXEC : 0);
}

/* Map one PT_LOAD; returns its bss range [*bss, end) that needs zeroing in the last file page. */
static long map_segment(struct linux_binprm *bprm, struct elf64_phdr *p, unsigned long bias)
{
	unsigned long start = p->p_vaddr + bias, page = start & PAGE_MASK;
	unsigned long file_end = start + p->p_filesz, mem_end = start + p->p_memsz;
	unsigned long prot = elf_prot(p->p_flags), ret;

	if (p->p_filesz) {
		ret = do_mmap(bprm->file, page, file_end - page, prot, MAP_PRIVATE | MAP_FIXED,
			      (p->p_offset & PAGE_MASK) >> PAGE_SHIFT);
		if (IS_ERR_VALUE(ret))
			return ret;
	}
	unsigned long anon = p->p_filesz ? PAGE_ALIGN(file_end) : page;
	if (PAGE_ALIGN(mem_end) > anon) {
		ret = do_mmap(NULL, anon, PAGE_ALIGN(mem_end) - anon, prot,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
		if (IS_ERR_VALUE(ret))
			return ret;
	}
	return 0;
}

unsigned long create_elf_tables(struct linux_binprm *bprm, unsigned long *auxv, int nauxv)
{
	struct mm_struct *mm = current->mm;
	unsigned long p = STACK_TOP;
	static const char platform[] = "x86_64";
	u64 rnd[2] = { get_random_u64(), get_random_u64() };
	size_t fnlen = strlen(bprm->filename) + 1;

	p -= fnlen;
	unsigned long execfn = p;
	p -= bprm->strings_len;
	unsigned long strings = p;
	p -= sizeof(rnd);
	unsigned long random = p;
	p -= sizeof(platform);
	unsigned long plat = p;
	if (copy_to_user((void __user *)execfn, bprm->filename, fnlen) ||
	    copy_to_user((void __user *)strings, bprm->strings, bprm->strings_len) ||
	    copy_to_user((void __user *)random, rnd, sizeof(rnd)) ||
	    copy_to_user((void __user *)plat, platform, sizeof(platform)))
		return 0;
	for (int i = 0; i < nauxv; i += 2) {	/* fill in the addresses we just chose */
		if (auxv[i] == AT_RANDOM)
			auxv[i + 1] = random;
		else if (auxv[i] == AT_PLATFORM)
			auxv[i + 1] = plat;
		else if (auxv[i] == AT_EXECFN)
			auxv[i + 1] = execfn;
	}
	size_t words = 1 + bprm->argc + 1 + bprm->envc + 1 + nauxv;
	unsigned long sp = (p - words * sizeof(long)) & ~15UL;	/* argc 16-byte aligned, as the ABI wants */
	unsigned long *tab = kmalloc(words * sizeof(long), GFP_KERNEL);
	if (!tab)
		return 0;
	size_t w = 0, off = 0;
	tab[w++] = bprm->argc;
	mm->arg_start = strings;
	for (int i = 0; i < bprm->argc; i++, off += strlen(bprm->strings + off) + 1)
		tab[w++] = strings + off;
	tab[w++] = 0;
	mm->arg_end = mm->env_start = strings + off;
	for (int i = 0; i < bprm->envc; i++, off += strlen(bprm->strings + off) + 1)
		tab[w++] = strings + off;
	tab[w++] = 0;
	mm->env_end = strings + off;
	memcpy(tab + w, auxv, nauxv * sizeof(long));
	unsigned long left = copy_to_user((void __user *)sp, tab, words * sizeof(long));
	kfree(tab);
	return left ? 0 : sp;
}

int load_elf_binary(struct linux_binprm *bprm)
{
	const struct elf64_hdr *eh = (const struct elf64_hdr *)bprm->buf;
	loff_t size = bprm->file->f_inode->i_size;
	struct elf64_phdr *ph;
	unsigned long bias = 0, phdr_addr = 0, end = 0, start_code = ~0UL, end_code = 0;
	int err;

	if (memcmp(eh->e_ident, "\x7f" "ELF", 4))
		return -ENOEXEC;
	if (eh->e_ident[4] != 2 || eh->e_ident[5] != 1 || eh->e_machine != EM_X86_64 ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) || eh->e_phentsize != sizeof(struct elf64_phdr) ||
	    !eh->e_phnum || eh->e_phnum > MAX_PHNUM)
		return -ENOEXEC;
	size_t phsize = eh->e_phnum * sizeof(*ph);
	if (eh->e_phoff > (u64)size || phsize > (u64)size - eh->e_phoff)
		return -ENOEXEC;	/* truncated before its program headers */
	ph = kmalloc(phsize, GFP_KERNEL);
	if (!ph)
		return -ENOMEM;
	loff_t pos = eh->e_phoff;
	if (kernel_read(bprm->file, ph, phsize, &pos) != (ssize_t)phsize) {
		err = -ENOEXEC;
		goto out;
	}
	if (eh->e_type == ET_DYN) {
		u64 lowest = ~0ULL;
		for (int i = 0; i < eh->e_phnum; i++)
			if (ph[i].p_type == PT_LOAD)
				lowest = min(lowest, ph[i].p_vaddr);
		bias = ELF_ET_DYN_BASE - (lowest & PAGE_MASK);
	}
	if ((err = check_segments(eh, ph, size, bias)))
		goto out;

	/* The point of no return: from here a failure kills the task. */
	if ((err = begin_new_exec(bprm)))
		goto out;
	struct mm_struct *mm = current->mm;
	mmap_write_lock(mm);
	for (int i = 0; i < eh->e_phnum && !err; i++) {
		struct elf64_phdr *p = &ph[i];
		if (p->p_type == PT_PHDR)
			phdr_addr = p->p_vaddr + bias;
		if (p->p_type != PT_LOAD)
			continue;
		err = map_segment(bprm, p, bias);
		if (!phdr_addr && p->p_offset <= eh->e_phoff && eh->e_phoff + phsize <= p->p_offset + p->p_filesz)
			phdr_addr = p->p_vaddr + bias + (eh->e_phoff - p->p_offset);
		end = max(end, (unsigned long)(p->p_vaddr + bias + p->p_memsz));
		if (p->p_flags & PF_X) {
			start_code = min(start_code, (unsigned long)(p->p_vaddr + bias));
			end_code = max(end_code, (unsigned long)(p->p_vaddr + bias + p->p_filesz));
		} else {
			mm->start_data = p->p_vaddr + bias;
			mm->end_data = p->p_vaddr + bias + p->p_filesz;
		}
	}
	mm->start_code = start_code;
	mm->end_code = end_code;
	mm->start_brk = mm->brk = PAGE_ALIGN(end);
	size_t need = PAGE_ALIGN(bprm->strings_len + strlen(bprm->filename) + 64 +
				 (bprm->argc + bprm->envc + 48) * sizeof(long));
	if (!err)
		err = setup_stack_vma(mm, STACK_TOP, max(need, 128UL << 10));
	mmap_write_unlock(mm);

	/* bss that starts inside a file page: zero the rest of that page (it faults in a private copy). */
	for (int i = 0; i < eh->e_phnum && !err; i++) {
		struct elf64_phdr *p = &ph[i];
		unsigned long file_end = p->p_vaddr + bias + p->p_filesz;
		if (p->p_type == PT_LOAD && p->p_memsz > p->p_filesz && p->p_filesz && (file_end & ~PAGE_MASK) &&
		    (p->p_flags & PF_W))
			if (clear_user((void __user *)file_end, PAGE_SIZE - (file_end & ~PAGE_MASK)))
				err = -EFAULT;
	}
	u32 a, b, c, hwcap;
	cpuid(1, 0, &a, &b, &c, &hwcap);
	unsigned long auxv[] = {
		AT_PHDR, phdr_addr, AT_PHENT, sizeof(struct elf64_phdr), AT_PHNUM, eh->e_phnum,
		AT_PAGESZ, PAGE_SIZE, AT_BASE, 0, AT_FLAGS, 0, AT_ENTRY, eh->e_entry + bias,
		AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0, AT_SECURE, 0, AT_HWCAP, hwcap,
		AT_HWCAP2, 0, AT_CLKTCK, 100, AT_PLATFORM, 0, AT_RANDOM, 0, AT_EXECFN, 0, AT_NULL, 0,
	};
	unsigned long sp = err ? 0 : create_elf_tables(bprm, auxv, ARRAY_SIZE(auxv));
	if (!sp) {
		/* Past the point of no return there is no caller to return to. */
		pr_err("exec: %s[%d]: could not set up the new program (%d), killing it\n", current->comm,
		       current->pid, err ? err : -EFAULT);
		send_sig(SIGKILL, current, 1);
		err = err ? err : -EFAULT;
		goto out;
	}
	start_thread(task_pt_regs(current), eh->e_entry + bias, sp);
	err = 0;
out:
	kfree(ph);
	return err;
}
