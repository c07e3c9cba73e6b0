/*
 * ktests for the cpio "newc" unpacker (fs/initramfs.c): archives are built
 * here, entry by entry, unpacked under a directory of their own, checked
 * through the system calls and removed again. Each kind of malformed
 * archive must fail with -EINVAL and its message, keeping what came before.
 */
#include <kernel/printk.h>
#include "vfs_test.h"

#define CPIO_TEST_HDR_LEN 110

struct cpio {
	char *p;
	size_t len, cap;
};

static void cpio_bytes(struct cpio *c, const void *data, size_t n)
{
	if (c->len + n <= c->cap)
		memcpy(c->p + c->len, data, n);
	c->len += n;
}

static void cpio_pad(struct cpio *c)
{
	while (c->len % 4)
		cpio_bytes(c, "", 1);
}

struct entry {
	const char *magic;		/* "070701" unless set */
	const char *name;
	unsigned int mode;
	const char *data;
	size_t len;			/* of data; strlen(data) if 0 */
	unsigned int ino, nlink, rmaj, rmin;
	unsigned long namesize, filesize;	/* override the header fields (0: computed) */
	unsigned int chksum;		/* for 070702; the right sum if 0 */
};

static void cpio_add(struct cpio *c, struct entry e)
{
	char hdr[CPIO_TEST_HDR_LEN + 1];
	size_t len = e.len ? e.len : e.data ? strlen(e.data) : 0;
	unsigned int sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += (u8)e.data[i];
	snprintf(hdr, sizeof(hdr), "%s%08x%08x%08x%08x%08x%08x%08lx%08x%08x%08x%08x%08lx%08x",
		 e.magic ? e.magic : "070701", e.ino, e.mode, 1000, 100, e.nlink ? e.nlink : 1, 12345,
		 e.filesize ? e.filesize : len, 0, 0, e.rmaj, e.rmin,
		 e.namesize ? e.namesize : strlen(e.name) + 1, e.chksum ? e.chksum : sum);
	cpio_bytes(c, hdr, CPIO_TEST_HDR_LEN);
	cpio_bytes(c, e.name, strlen(e.name) + 1);
	cpio_pad(c);
	cpio_bytes(c, e.data, len);
	cpio_pad(c);
}
#define ENTRY(...) ((struct entry){ __VA_ARGS__ })
#define TRAILER ENTRY(.name = "TRAILER!!!")

KTEST(vfs_cpio_valid)
{
	struct vfs_env e;
	struct cpio c = { .cap = 8192 };
	unsigned int nfiles = 0, ndirs = 0;
	char buf[32];
	struct stat st;

	vfs_env_enter(&e);
	c.p = kzalloc(c.cap, GFP_KERNEL);
	KT_ASSERT(c.p);
	cpio_add(&c, ENTRY(.name = "./vc/etc/passwd", .mode = S_IFREG | 0644, .data = "root:x:0:0\n"));
	cpio_add(&c, ENTRY(.name = "vc/etc", .mode = S_IFDIR | 0700));	/* after its contents */
	cpio_add(&c, ENTRY(.name = "/vc/bin/busybox", .mode = S_IFREG | 0755, .data = "BB"));
	cpio_add(&c, ENTRY(.name = "vc/bin/sh", .mode = S_IFLNK | 0777, .data = "busybox"));
	cpio_add(&c, ENTRY(.name = "vc/console", .mode = S_IFCHR | 0600, .rmaj = 5, .rmin = 1));
	cpio_add(&c, ENTRY(.name = "vc/h1", .mode = S_IFREG | 0644, .ino = 77, .nlink = 2));
	cpio_add(&c, ENTRY(.name = "vc/h2", .mode = S_IFREG | 0644, .ino = 77, .nlink = 2, .data = "hard"));
	cpio_add(&c, ENTRY(.magic = "070702", .name = "vc/crc", .mode = S_IFREG | 0600, .data = "sum"));
	cpio_add(&c, ENTRY(.name = "vc/empty", .mode = S_IFREG | 0600));
	cpio_add(&c, TRAILER);
	c.len = ALIGN(c.len, 512);				/* zero padding, as cpio writes it */
	cpio_add(&c, ENTRY(.name = "vc/second", .mode = S_IFREG | 0644, .data = "2nd archive"));
	cpio_add(&c, TRAILER);
	KT_ASSERT(c.len <= c.cap);
	KT_ASSERT_EQ(__unpack_initramfs(c.p, c.len, &nfiles, &ndirs), 0);
	KT_ASSERT_EQ(nfiles, 9);
	KT_ASSERT_EQ(ndirs, 1);

	KT_ASSERT_EQ(vfs_test_get("/vc/etc/passwd", buf, sizeof(buf)), 11);
	KT_ASSERT_STREQ(buf, "root:x:0:0\n");
	KT_ASSERT_EQ(SYS(stat, P("/vc/etc"), P(&st)), 0);
	KT_ASSERT(S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);
	KT_ASSERT(st.st_uid == 1000 && st.st_gid == 100 && st.st_mtime_sec == 12345);
	KT_ASSERT_EQ(SYS(stat, P("/vc/bin"), P(&st)), 0);		/* implied: made 0755 */
	KT_ASSERT(S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0755);
	KT_ASSERT_EQ(vfs_test_get("/vc/bin/sh", buf, sizeof(buf)), 2);
	KT_ASSERT_EQ(SYS(readlink, P("/vc/bin/sh"), P(buf), sizeof(buf)), 7);
	KT_ASSERT_EQ(SYS(access, P("/vc/bin/busybox"), X_OK), 0);
	KT_ASSERT_EQ(SYS(lstat, P("/vc/console"), P(&st)), 0);
	KT_ASSERT(S_ISCHR(st.st_mode) && st.st_rdev == MKDEV(5, 1));
	KT_ASSERT_EQ(vfs_test_get("/vc/h1", buf, sizeof(buf)), 4);
	KT_ASSERT_STREQ(buf, "hard");
	KT_ASSERT_EQ(SYS(stat, P("/vc/h2"), P(&st)), 0);
	KT_ASSERT_EQ(st.st_nlink, 2);
	KT_ASSERT_EQ(vfs_test_get("/vc/crc", buf, sizeof(buf)), 3);
	KT_ASSERT_EQ(vfs_test_get("/vc/empty", buf, sizeof(buf)), 0);
	KT_ASSERT_EQ(vfs_test_get("/vc/second", buf, sizeof(buf)), 11);

	/* Unpacking again replaces: a file where a symlink was, contents rewritten. */
	c.len = 0;
	cpio_add(&c, ENTRY(.name = "vc/bin/sh", .mode = S_IFREG | 0755, .data = "#!"));
	cpio_add(&c, ENTRY(.name = "vc/etc/passwd", .mode = S_IFREG | 0644, .data = "x"));
	cpio_add(&c, TRAILER);
	KT_ASSERT_EQ(unpack_initramfs(c.p, c.len), 0);
	KT_ASSERT_EQ(SYS(lstat, P("/vc/bin/sh"), P(&st)), 0);
	KT_ASSERT(S_ISREG(st.st_mode) && st.st_size == 2);
	KT_ASSERT_EQ(vfs_test_get("/vc/etc/passwd", buf, sizeof(buf)), 1);
	KT_ASSERT_EQ(unpack_initramfs(c.p, 0), 0);			/* empty: nothing to do */

	kfree(c.p);
	KT_ASSERT_EQ(vfs_test_rm_rf("/vc"), 0);
	VFS_ENV_EXIT_CHECK(&e);
}

/* One good entry, then a bad one built by bad(); the message must name bad_at. */
static int unpack_bad(struct cpio *c, void (*bad)(struct cpio *c), const char *msg, u64 *seq, char *what)
{
	c->len = 0;
	cpio_add(c, ENTRY(.name = "vb/ok", .mode = S_IFREG | 0644, .data = "kept"));
	size_t bad_at = c->len;
	bad(c);
	snprintf(what, 96, "initramfs: %s at offset %zu", msg, bad_at);
	*seq = log_next_seq;
	return unpack_initramfs(c->p, min(c->len, c->cap));
}

static void bad_magic(struct cpio *c) { cpio_add(c, ENTRY(.magic = "070707", .name = "vb/x", .mode = S_IFREG)); }
static void trunc_header(struct cpio *c) { size_t at = c->len; cpio_add(c, ENTRY(.name = "vb/x", .mode = S_IFREG)); c->len = at + 50; }
static void trunc_data(struct cpio *c) { cpio_add(c, ENTRY(.name = "vb/x", .mode = S_IFREG, .data = "0123456789")); c->len -= 8; }
static void no_nul(struct cpio *c) { cpio_add(c, ENTRY(.name = "vb/x", .mode = S_IFREG, .namesize = 4)); }
static void huge_name(struct cpio *c) { cpio_add(c, ENTRY(.name = "vb/x", .mode = S_IFREG, .namesize = 0xffffffff)); }
static void huge_file(struct cpio *c) { cpio_add(c, ENTRY(.name = "vb/x", .mode = S_IFREG, .filesize = 0xfffffff0)); }
static void bad_hex(struct cpio *c) { size_t at = c->len; cpio_add(c, ENTRY(.name = "vb/x", .mode = S_IFREG)); memcpy(c->p + at + 14, "zz", 2); }
static void bad_sum(struct cpio *c) { cpio_add(c, ENTRY(.magic = "070702", .name = "vb/x", .mode = S_IFREG, .data = "abc", .chksum = 1)); }
static void trailing_junk(struct cpio *c) { cpio_bytes(c, "xy", 2); }

KTEST(vfs_cpio_malformed)
{
	static const struct { void (*fn)(struct cpio *c); const char *msg; } cases[] = {
		{ bad_magic, "bad magic" }, { trunc_header, "truncated header" },
		{ trunc_data, "truncated data" }, { no_nul, "name without NUL" },
		{ huge_name, "bad name size" }, { huge_file, "truncated data" },
		{ bad_hex, "bad number in header" }, { bad_sum, "checksum mismatch" },
		{ trailing_junk, "truncated header" },
	};
	struct vfs_env e;
	struct cpio c = { .cap = 1024 };
	char what[96], buf[8];
	u64 seq;

	vfs_env_enter(&e);
	c.p = kzalloc(c.cap, GFP_KERNEL);
	KT_ASSERT(c.p);
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		KT_ASSERT_MSG(unpack_bad(&c, cases[i].fn, cases[i].msg, &seq, what) == -EINVAL, "case %u", i);
		KT_ASSERT_MSG(ktest_log_count(seq, what) == 1, "no \"%s\"", what);
		KT_ASSERT_EQ(vfs_test_get("/vb/ok", buf, sizeof(buf)), 4);	/* what came before stays */
		KT_ASSERT_EQ(SYS(stat, P("/vb/x"), P(&(struct stat){ 0 })), -ENOENT);
		KT_ASSERT_EQ(vfs_test_rm_rf("/vb"), 0);
	}
	kfree(c.p);
	VFS_ENV_EXIT_CHECK(&e);
}
