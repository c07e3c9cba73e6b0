/*
 * Unpacking the initramfs (Linux: init/initramfs.c). The archive is cpio in
 * the "newc" format (magic 070701; 070702 adds a checksum of the data):
 * each entry is a 110-byte header of thirteen 8-digit hex fields, the name
 * (NUL-terminated, namesize bytes with the NUL), padding to 4 bytes, the
 * data (filesize bytes), padding to 4 bytes. "TRAILER!!!" ends an archive;
 * zeros may follow, and so may another archive (Linux accepts them
 * concatenated, which is how extra files can be appended).
 *
 * Each entry becomes a directory, regular file, symlink or device node
 * under "/", with its mode, owner and mtime. Directories a name implies but
 * that have not come yet are made (0755). An existing name of another type
 * is replaced. Hard links (nlink > 1: the same ino again) are linked to the
 * first name; the data comes with the last of them.
 *
 * A malformed archive stops the unpacking with a message naming the offset
 * and -EINVAL; what was unpacked before stays. Runs at boot, single-threaded;
 * the locks are the VFS's own.
 */
#include <kernel/kernel.h>
#include <kernel/sched.h>
#include <lib/string.h>
#include <mm/slab.h>
#include <fs/dcache.h>
#include <fs/uapi.h>
#include "internal.h"

#define CPIO_HDR_LEN 110

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_MAJ, F_MIN, F_RMAJ, F_RMIN,
       F_NAMESIZE, F_CHKSUM, NR_FIELDS };

struct hardlink {
	struct hardlink *next;
	unsigned long ino, maj, min;
	char name[];
};

struct cpio_state {
	const char *buf;
	size_t size;
	unsigned int *nfiles, *ndirs;
	struct hardlink *links;
	char path[PATH_MAX + 1];	/* "/" + the name */
};

static bool parse_hex8(const char *s, unsigned long *v)
{
	*v = 0;
	for (int i = 0; i < 8; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return false;
		*v = *v << 4 | d;
	}
	return true;
}

/* Apply an entry's owner, mode bits and mtime to what now has its name. */
static void set_attrs(const char *path, const unsigned long *f)
{
	struct path p;

	if (kern_path_at(AT_FDCWD, path, 0, &p))
		return;
	struct inode *inode = p.dentry->d_inode;
	inode->i_uid = f[F_UID];
	inode->i_gid = f[F_GID];
	if (!S_ISLNK(inode->i_mode))
		inode->i_mode = (inode->i_mode & S_IFMT) | (f[F_MODE] & S_IALLUGO);
	inode->i_mtime = (struct timespec64){ .tv_sec = f[F_MTIME] };
	path_put(&p);
}

/* Make the directories path implies (like mkdir -p on its dirname). */
static void make_parents(char *path)
{
	for (char *p = path + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		do_mkdirat(AT_FDCWD, path, 0755);	/* -EEXIST is the common case */
		*p = '/';
	}
}

/* Remove what has this name if the entry would not simply reuse it (Linux: clean_path()). */
static void clean_path(const char *path, umode_t mode)
{
	struct path p;

	if (kern_path_at(AT_FDCWD, path, 0, &p))
		return;
	umode_t old = p.dentry->d_inode->i_mode;
	path_put(&p);
	if ((old & S_IFMT) == (mode & S_IFMT) && (S_ISDIR(mode) || S_ISREG(mode)))
		return;
	if (S_ISDIR(old))
		do_rmdir(AT_FDCWD, path);
	else
		do_unlinkat(AT_FDCWD, path);
}

/* A hard link to an earlier entry with the same inode: 1 if linked, 0 if first seen. */
static int maybe_link(struct cpio_state *st, const unsigned long *f)
{
	if (f[F_NLINK] < 2 || S_ISDIR(f[F_MODE]))
		return 0;
	for (struct hardlink *h = st->links; h; h = h->next)
		if (h->ino == f[F_INO] && h->maj == f[F_MAJ] && h->min == f[F_MIN])
			return do_linkat(AT_FDCWD, h->name, AT_FDCWD, st->path) ? 0 : 1;
	struct hardlink *h = kmalloc(sizeof(*h) + strlen(st->path) + 1, GFP_KERNEL);
	if (h) {
		*h = (struct hardlink){ st->links, f[F_INO], f[F_MAJ], f[F_MIN] };
		strlcpy(h->name, st->path, strlen(st->path) + 1);
		st->links = h;
	}
	return 0;
}

static int write_file(const char *path, const char *data, size_t len, bool linked)
{
	struct file *f = filp_open(path, O_WRONLY | O_CREAT | (linked ? 0 : O_TRUNC), 0600);

	if (IS_ERR(f))
		return PTR_ERR(f);
	loff_t pos = 0;
	ssize_t n = len ? kernel_write(f, data, len, &pos) : 0;
	fput(f);
	return n < 0 ? (int)n : (size_t)n < len ? -ENOSPC : 0;
}

/* Create one entry; the name is st->path. Errors here are reported and skipped. */
static void do_entry(struct cpio_state *st, const unsigned long *f, const char *data)
{
	umode_t mode = f[F_MODE];
	size_t len = f[F_FILESIZE];
	char *target;
	int err = 0;

	if (!strcmp(st->path, "/")) {		/* "." or "/": the root itself */
		set_attrs(st->path, f);
		return;
	}
	make_parents(st->path);
	clean_path(st->path, mode);
	switch (mode & S_IFMT) {
	case S_IFDIR:
		err = do_mkdirat(AT_FDCWD, st->path, mode & S_IALLUGO);
		if (err == -EEXIST)
			err = 0;
		(*st->ndirs)++;
		break;
	case S_IFREG:
		err = write_file(st->path, data, len, maybe_link(st, f));
		(*st->nfiles)++;
		break;
	case S_IFLNK:
		target = kmalloc(len + 1, GFP_KERNEL);
		err = -ENOMEM;
		if (target) {
			memcpy(target, data, len);
			target[len] = 0;
			err = do_symlinkat(target, AT_FDCWD, st->path);
			kfree(target);
		}
		(*st->nfiles)++;
		break;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		if (!maybe_link(st, f))
			err = do_mknodat(AT_FDCWD, st->path, mode, MKDEV(f[F_RMAJ], f[F_RMIN]));
		(*st->nfiles)++;
		break;
	default:
		pr_warn("initramfs: %s: unknown file type %#o, skipped\n", st->path, mode & S_IFMT);
		return;
	}
	if (err)
		pr_warn("initramfs: cannot create %s: error %d\n", st->path, err);
	else
		set_attrs(st->path, f);
}

static int bad(size_t off, const char *what)
{
	pr_err("initramfs: %s at offset %zu\n", what, off);
	return -EINVAL;
}

static int unpack(struct cpio_state *st)
{
	size_t off = 0, size = st->size;
	const char *buf = st->buf;
	unsigned long f[NR_FIELDS];

	for (;;) {
		while (off + 4 <= size && !memcmp(buf + off, "\0\0\0\0", 4))
			off += 4;		/* padding between and after archives */
		if (size - off < 4 && !memchr_inv(buf + off, 0, size - off))
			return 0;		/* the end, cleanly */
		if (size - off < CPIO_HDR_LEN)
			return bad(off, "truncated header");
		const char *h = buf + off;
		size_t hdr = off;
		if (memcmp(h, "07070", 5) || (h[5] != '1' && h[5] != '2'))
			return bad(off, "bad magic");
		for (int i = 0; i < NR_FIELDS; i++)
			if (!parse_hex8(h + 6 + 8 * i, &f[i]))
				return bad(off, "bad number in header");
		unsigned long namesize = f[F_NAMESIZE], filesize = f[F_FILESIZE];
		if (!namesize || namesize > PATH_MAX)
			return bad(off, "bad name size");
		size_t name_off = off + CPIO_HDR_LEN, data_off = ALIGN(name_off + namesize, 4);
		if (name_off + namesize > size)
			return bad(off, "truncated name");
		const char *name = buf + name_off;
		if (name[namesize - 1] || strlen(name) != namesize - 1)
			return bad(off, "name without NUL");
		if (filesize > size || data_off + filesize > size)
			return bad(off, "truncated data");
		const char *data = buf + data_off;
		off = ALIGN(data_off + filesize, 4);
		if (off > size)
			off = size;		/* padding after the last data may be missing */
		if (!strcmp(name, "TRAILER!!!"))
			continue;
		if (h[5] == '2') {		/* 070702: the checksum is the sum of the data bytes */
			u32 sum = 0;
			for (size_t i = 0; i < filesize; i++)
				sum += (u8)data[i];
			if (sum != (u32)f[F_CHKSUM])
				return bad(hdr, "checksum mismatch");
		}
		while (name[0] == '.' && name[1] == '/')
			name += 2;
		while (name[0] == '/')
			name++;
		if (!strcmp(name, "."))
			name = "";
		st->path[0] = '/';
		strlcpy(st->path + 1, name, PATH_MAX);
		do_entry(st, f, data);
		cond_resched();
	}
}

int __unpack_initramfs(const void *data, size_t size, unsigned int *nfiles, unsigned int *ndirs)
{
	struct cpio_state *st = kzalloc(sizeof(*st), GFP_KERNEL);

	if (!st)
		return -ENOMEM;
	*st = (struct cpio_state){ .buf = data, .size = size, .nfiles = nfiles, .ndirs = ndirs };
	int err = unpack(st);
	while (st->links) {
		struct hardlink *h = st->links;
		st->links = h->next;
		kfree(h);
	}
	kfree(st);
	return err;
}

int unpack_initramfs(const void *data, size_t size)
{
	unsigned int nfiles = 0, ndirs = 0;

	return __unpack_initramfs(data, size, &nfiles, &ndirs);
}
