# Folio's user programs: static Linux x86-64 binaries built with musl-gcc, the
# same files run on Linux and on Folio (README.md, "Linux as the reference").
# Included from the top Makefile. Adding a program is one line:
#
#   USER_PROGS += NAME     user/NAME.c       -> build/user/NAME        -> /bin/NAME
#   USER_BENCH += NAME     user/bench/NAME.c -> build/user/bench/NAME  -> /bench/NAME
#
# (user/init.c becomes /init.) /bin/usertests is built from several files,
# user/usertests/*.c: a test goes into its topic's file there (see
# user/usertests/main.c); /bin/fuzz likewise from user/fuzz/*.c (see
# user/fuzz/fuzz.h). tools/mkinitramfs.sh packs build/user/ with busybox
# into build/initramfs.cpio, which run.sh and the tests boot with.

USER_CC := musl-gcc
# -g: gdb steps through them after `folio-symbols NAME` (README.md, "Debugging with gdb").
USER_CFLAGS := -static -O2 -g -Wall -Wextra -Werror -std=gnu11

USER_PROGS += init        # Folio's /init: console fds, runs /bin/sh or its arguments
USER_PROGS += usertests   # the xv6-style test suite: user/usertests/*.c
USER_PROGS += memhog      # allocates and touches memory 1 MiB at a time
USER_PROGS += forktree    # a tree of processes, all reaped
USER_PROGS += exitcode    # prints its arguments, exits with the first one
USER_PROGS += oomtest     # the OOM killer's scenarios (tests/run.py; linux-ref for Linux's part)
USER_PROGS += fuzz        # the random system-call fuzzer: user/fuzz/*.c
USER_PROGS += oomwatch    # runs a program, sampling free memory (tools/oom-timeline)
USER_PROGS += memcg-oomd  # a user-space OOM handler for a cgroup v1 memory group (also on Linux)

# The user benchmarks: the same behaviour and output as the reference versions run on Linux
# (README.md, "Benchmarks"), so the kernels compare line for line. global_oom runs only when
# named (user/bench/all.sh): it takes all the VM's memory.
USER_BENCH += getpid fault fork pipe global_oom
USER_BENCH += memcg_oom memcg_oomd   # a memory cgroup's OOM kill, and a user-space handler's round trip

# One program is also built as a static-PIE (ET_DYN, loaded at Linux's ELF_ET_DYN_BASE) with
# glibc's gcc -static-pie, since Debian's musl-gcc cannot make one: exec must handle both kinds.
USER_PIE := $(B)/user/exitcode-pie

USER_BINS := $(USER_PROGS:%=$(B)/user/%) $(USER_BENCH:%=$(B)/user/bench/%) $(USER_PIE)
INITRAMFS := $(B)/initramfs.cpio

.PHONY: user initramfs
user: $(USER_BINS)
initramfs: $(INITRAMFS)

$(B)/user/%: user/%.c user/ulib.h user/user.mk
	@mkdir -p $(dir $@)
	$(msg) MUSLCC $<
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $<

USERTESTS_SRCS := $(wildcard user/usertests/*.c)
$(B)/user/usertests: $(USERTESTS_SRCS) user/usertests/usertests.h user/ulib.h user/user.mk
	@mkdir -p $(dir $@)
	$(msg) MUSLCC 'user/usertests/*.c'
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $(USERTESTS_SRCS)

# The fuzzer's clone children may run with a junk thread pointer, so it is built without
# the stack protector; its table's hooks share one signature, so not every hook uses
# every parameter.
FUZZ_SRCS := $(wildcard user/fuzz/*.c)
$(B)/user/fuzz: $(FUZZ_SRCS) user/fuzz/fuzz.h user/ulib.h user/user.mk
	@mkdir -p $(dir $@)
	$(msg) MUSLCC user/fuzz/*.c
	$(Q)$(USER_CC) $(USER_CFLAGS) -fno-stack-protector -Wno-unused-parameter -o $@ $(FUZZ_SRCS)

$(B)/user/%-pie: user/%.c user/ulib.h user/user.mk
	@mkdir -p $(dir $@)
	$(msg) PIECC $<
	$(Q)gcc -static-pie -O2 -Wall -Wextra -Werror -std=gnu11 -o $@ $<

$(B)/user/bench/%: user/bench/%.c user/bench/common.h user/user.mk
	@mkdir -p $(dir $@)
	$(msg) MUSLCC $<
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $<

# Rebuilt when a program, the script or the list of programs changes (busybox is
# Debian's, taken as installed).
$(INITRAMFS): $(USER_BINS) $(wildcard user/bench/*.sh) tools/mkinitramfs.sh
	$(msg) CPIO $@
	$(Q)USER_BUILD=$(CURDIR)/$(B)/user tools/mkinitramfs.sh $@
