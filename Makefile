# Folio's build. `make help` lists the targets; README.md explains them.
#
# The kernel links twice: first with an empty symbol table, then with the
# table (tools/kallsyms.sh) made from the first image's symbols. The table
# sits at the end of .rodata, after all code, so its size cannot move any
# function: the second table would be identical, and the build checks that.
#
# Knobs, as in Kbuild: V=1 prints every command in full (the default prints
# one short line per step); KTEST=0 builds the kernel without its in-kernel
# tests (the *_test.c files); DEBUG=1 builds one gdb can step through;
# KCFLAGS=... adds compiler flags. The build runs one job per CPU unless
# make is given -j.

CROSS ?=
CC := $(CROSS)gcc
LD := $(CROSS)ld
NM := $(CROSS)nm
OBJCOPY := $(CROSS)objcopy
OBJDUMP := $(CROSS)objdump
STRIP := $(CROSS)strip
NASM ?= nasm

# One job per CPU by default; a -j on make's command line (or from a parent
# make) wins. Every rule names all it reads, so the order needs no -j1.
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif
MAKEFLAGS += --no-print-directory

# make SANITIZE=1 builds the UBSAN and KASAN kernel, in build-san/ (tools/sanitize.mk).
B := $(if $(filter 1,$(SANITIZE)),build-san,build)
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)

# Folio's compiler flags are KBUILD_CFLAGS, as in Kbuild; KCFLAGS=... on the
# command line adds to them. CFLAGS=... given on make's command line would
# replace a plain variable of that name, so Folio never reads CFLAGS from the
# environment and takes it from the command line as KCFLAGS
# (`make CFLAGS+=-O0` adds -O0).
OPT_CFLAGS := -O2
KBUILD_CFLAGS = -std=gnu11 $(OPT_CFLAGS) -g -Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes \
	-ffreestanding -fno-builtin -nostdinc -Iinclude \
	-mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-pic -fno-pie \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-fno-strict-aliasing -fno-common -MMD -MP
KCFLAGS ?=
ifeq ($(origin CFLAGS),command line)
override KCFLAGS += $(CFLAGS)
$(info Folio: CFLAGS on make's command line are added to Folio's own, as KCFLAGS=$(CFLAGS); \
	for a kernel gdb can step through, use DEBUG=1 (README.md, "Debugging with gdb"))
endif
LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T boot/kernel.ld

# V=1: Q is empty and every command is echoed by make; otherwise Q hides it and
# $(msg) prints "  CC      file" instead.
ifeq ($(V),1)
Q :=
msg := @:
else
Q := @
msg := @printf '  %-7s %s\n'
endif

# KTEST=0: the kernel without the *_test.c files, built in $(B)/noktest/ so that
# switching back and forth never links objects of the other kind. DEBUG=1:
# the kernel for stepping through in gdb, built in $(B)/debug/ the same way
# (with KTEST=0 too: $(B)/debug/noktest/). The user programs and the initramfs
# depend on neither and stay in $(B).
KTEST ?= 1
DEBUG ?= 0
K := $(B)$(if $(filter 1,$(DEBUG)),/debug)$(if $(filter 0,$(KTEST)),/noktest)

# DEBUG=1: -Og keeps every variable gdb shows in `info locals`; a function
# called once stays a function (a `step` goes into it and `bt` names it);
# no tail calls (a frame that jumped away would vanish from `bt`).
ifeq ($(DEBUG),1)
OPT_CFLAGS := -Og -fno-inline-functions-called-once -fno-optimize-sibling-calls
endif

# SANITIZE=1: the sanitizers' compiler flags (tools/sanitize.mk).
include tools/sanitize.mk

CSRCS := $(wildcard arch/x86_64/*.c kernel/*.c kernel/*/*.c mm/*.c fs/*.c fs/*/*.c lib/*.c)
ifeq ($(KTEST),0)
CSRCS := $(filter-out %_test.c,$(CSRCS))
endif
ASRCS := $(wildcard boot/*.asm arch/x86_64/*.asm)
OBJS := $(CSRCS:%.c=$(K)/%.o) $(ASRCS:%.asm=$(K)/%.o)

KERNEL := $(K)/folio.elf
ISO := $(K)/folio.iso
CMDLINE ?=

# User programs and the initramfs (build/user/, build/initramfs.cpio): user/user.mk.
.DEFAULT_GOAL := all
include user/user.mk

# xv6-style knobs: CPUS= (only 1 runs today), QEMUEXTRA= extra QEMU arguments.
CPUS ?= 1
QEMUEXTRA ?=
GDBPORT ?= $(shell expr `id -u` % 5000 + 25000)
RUNFLAGS := --smp $(CPUS) $(if $(QEMUEXTRA),--qemu-extra "$(QEMUEXTRA)")

.PHONY: all kernel iso run qemu qemu-gdb gdb test ktest spin bench fuzz mutate clean help deps lab grade stats plots
all: kernel user initramfs iso

kernel: $(KERNEL) $(K)/folio.bin $(K)/kernel.asm $(K)/kernel.sym

# Every object is rebuilt when the flags change (KCFLAGS=, CFLAGS=): the
# flags in force are kept in $(K)/cflags, rewritten only when they differ.
# (Not the version, git describe: an object shows the one it was built with;
# nor OBJ_CFLAGS: the flags of single objects, set as target-specific
# variables (tools/sanitize.mk), and warning options that change no code
# (tools/mutate/mutant.mk).)
$(K)/cflags: FORCE
	@mkdir -p $(K)
	@echo '$(KBUILD_CFLAGS) $(KCFLAGS)' | cmp -s - $@ || echo '$(KBUILD_CFLAGS) $(KCFLAGS)' > $@

$(K)/%.o: %.c $(K)/cflags
	@mkdir -p $(dir $@)
	$(msg) CC $<
	$(Q)$(CC) $(KBUILD_CFLAGS) $(KCFLAGS) $(OBJ_CFLAGS) -DFOLIO_VERSION='"$(VERSION)"' -c $< -o $@

$(K)/%.o: %.asm $(K)/cflags
	@mkdir -p $(dir $@)
	$(msg) NASM $<
	$(Q)$(NASM) -f elf64 -g -F dwarf -i include/ -MD $(K)/$*.d -o $@ $<

$(K)/kallsyms0.S:
	@mkdir -p $(K)
	$(msg) KSYMS $@
	$(Q)tools/kallsyms.sh < /dev/null > $@

$(K)/%.o: $(K)/%.S
	$(msg) AS $<
	$(Q)$(CC) -c $< -o $@

$(K)/folio.pass1.elf: $(OBJS) $(K)/kallsyms0.o boot/kernel.ld
	$(msg) LD $@
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(K)/kallsyms0.o

$(K)/kallsyms1.S: $(K)/folio.pass1.elf tools/kallsyms.sh
	$(msg) KSYMS $@
	$(Q)$(NM) -n $< | tools/kallsyms.sh > $@

$(KERNEL): $(OBJS) $(K)/kallsyms1.o boot/kernel.ld
	$(msg) LD $@
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(K)/kallsyms1.o
	$(Q)$(NM) -n $@ | tools/kallsyms.sh | cmp -s - $(K)/kallsyms1.S || \
		{ echo "kallsyms: symbol table moved between link passes" >&2; rm -f $@; exit 1; }

$(K)/folio.bin: $(KERNEL)
	$(msg) OBJCOPY $@
	$(Q)$(OBJCOPY) -O binary $< $@

# NASM (2.16) ends each unit of its DWARF with a few zero bytes too many;
# objdump warns about them ("Bogus end-of-siblings marker") and gdb reads
# them fine, so that warning alone is filtered out.
$(K)/kernel.asm: $(KERNEL)
	$(msg) OBJDUMP $@
	$(Q)$(OBJDUMP) -S $< > $@ 2> $@.err; status=$$?; \
		grep -v -i 'bogus end-of-sibling' $@.err >&2; rm -f $@.err; exit $$status

$(K)/kernel.sym: $(KERNEL)
	$(msg) NM $@
	$(Q)$(NM) -n $< > $@

# The ISO's grub.cfg carries the kernel command line; it is rebuilt when CMDLINE changes.
$(K)/cmdline.stamp: FORCE
	@mkdir -p $(K)
	@echo '$(CMDLINE)' | cmp -s - $@ || echo '$(CMDLINE)' > $@
FORCE:

$(ISO): $(KERNEL) $(INITRAMFS) boot/grub.cfg $(K)/cmdline.stamp
	@mkdir -p $(K)/iso/boot/grub
	$(msg) ISO $@
	$(Q)$(STRIP) --strip-debug -o $(K)/iso/boot/folio.elf $(KERNEL)	# gdb keeps the debug info
	$(Q)cp $(INITRAMFS) $(K)/iso/boot/initramfs.cpio
	$(Q)sed 's|@CMDLINE@|$(CMDLINE)|' boot/grub.cfg > $(K)/iso/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $(K)/iso 2>$(K)/grub-mkrescue.log || { cat $(K)/grub-mkrescue.log; exit 1; }

iso: $(ISO)

deps:
	@tools/setup.sh

run qemu: deps
	./run.sh $(RUNFLAGS) $(if $(CMDLINE),--cmdline "$(CMDLINE)") $(if $(filter 1,$(DEBUG)),--debug)

qemu-gdb: deps
	./run.sh --gdb --gdb-port $(GDBPORT) $(RUNFLAGS) $(if $(filter 1,$(DEBUG)),--debug)

gdb:
	tools/gdb.sh $(GDBPORT) $(KERNEL)

# First the quick self-test of make mutate's operators (tools/mutate/test_mutate.py).
test: deps
	python3 -m unittest discover -q -s tools/mutate -p 'test_*.py'
	python3 tests/run.py

ktest: deps kernel
	./run.sh --direct --cmdline "ktest=$(or $(T),*)"

# The labs (docs/labs/README.md): `make lab LAB=name` writes the student tree of a
# lab to $(LABDIR) (a git repository, ready to push); `make grade LAB=name` grades
# the lab in this tree. Without LAB, both list the labs.
LABDIR ?= build/labs/$(LAB)
lab:
	@if [ -z "$(LAB)" ]; then python3 tools/lab.py list; echo "usage: make lab LAB=name [LABDIR=dir]"; exit 2; fi
	@python3 tools/lab.py skeleton $(LAB) $(LABDIR)

grade: deps kernel initramfs
	@python3 tests/grade.py $(LAB)

# The Promela model of the OOM race (docs/oom-model.md), in each design; also part of make test.
spin: deps
	python3 tests/run.py -k 'spin-*'

bench: deps
	python3 tests/bench.py

# The fuzzer as init for SECONDS (default 60) with SEED (default: a random one, printed);
# WORKERS=W; SKIP=CHECKS replaces the default list of checks to skip (SKIP= skips none).
fuzz: deps
	$(MAKE) -s kernel initramfs
	python3 tests/fuzz.py --seconds $(or $(SECONDS),60) $(if $(SEED),--seed $(SEED)) \
		$(if $(WORKERS),--workers $(WORKERS)) $(if $(filter undefined,$(origin SKIP)),,--skip "$(SKIP)")

# Counts from the source (the README quotes them; a scenario checks it quotes them right).
stats:
	@python3 tools/stats.py

# The OOM timelines of docs/oom.md (docs/pictures/oom-*.svg), drawn with python3-matplotlib, which
# only this target needs: setup.sh --plots installs it (or says the command).
plots: deps kernel initramfs
	@tools/setup.sh --plots
	tools/oom-timeline

# Mutation testing (docs/testing.md): N= mutants, SEED=, FILES='globs', J= at once, OPS=,
# or IDS='FILE:LINE:OP ...' to run given mutants; CONFIRM=0: survivors are not run against make test.
mutate: deps
	python3 tools/mutate.py $(if $(N),-n $(N)) $(if $(SEED),--seed $(SEED)) \
		$(if $(FILES),--files '$(FILES)') $(if $(J),-j $(J)) $(if $(OPS),--ops $(OPS)) \
		$(if $(IDS),--ids '$(IDS)') $(if $(filter 0,$(CONFIRM)),--no-confirm)

clean:
	rm -rf $(B)

help:
	@echo "make            build the kernel ($(KERNEL)), the user programs (build/user/),"
	@echo "                the initramfs ($(INITRAMFS)) and the GRUB ISO ($(ISO))"
	@echo "make kernel     only the kernel; 'make user', 'make initramfs' the others"
	@echo "make run        boot Folio in QEMU (same as ./run.sh); also 'make qemu'"
	@echo "make qemu-gdb   boot halted, waiting for gdb on port $(GDBPORT)"
	@echo "make gdb        start gdb attached to a 'make qemu-gdb' VM"
	@echo "make test       run the whole test suite"
	@echo "make ktest T=.. run in-kernel tests matching a glob (default: all)"
	@echo "make spin       check the model of the OOM race with spin, in each design"
	@echo "make bench      print benchmark figures"
	@echo "make fuzz SECONDS=N SEED=S  run the system-call fuzzer as init for N seconds"
	@echo "make mutate     plant bugs one at a time and count those the tests catch"
	@echo "                (N=50 SEED=1 FILES='mm/*' J=2; docs/testing.md)"
	@echo "make grade LAB=name  grade a lab (docs/labs/); make grade lists them"
	@echo "make lab LAB=name    write a lab's student tree to build/labs/name/ (LABDIR=dir)"
	@echo "make stats      the counts of system calls, tests and scenarios"
	@echo "make plots      draw the OOM timelines of docs/oom.md (needs python3-matplotlib)"
	@echo "make clean      remove build/"
	@echo "V=1             print every command in full (with any target)"
	@echo "DEBUG=1         a kernel for gdb (-Og), in $(B)/debug/ (make DEBUG=1, make qemu-gdb"
	@echo "                DEBUG=1, make gdb DEBUG=1, ./run.sh --debug)"
	@echo "KCFLAGS=...     extra compiler flags for the kernel"
	@echo "KTEST=0         a kernel without the in-kernel tests, in $(B)/noktest/"
	@echo "                (make KTEST=0, make run KTEST=0)"
	@echo "SANITIZE=1      the UBSAN and KASAN kernel, in build-san/ (with any target:"
	@echo "                make test SANITIZE=1; docs/sanitizers.md)"

-include $(OBJS:.o=.d)
