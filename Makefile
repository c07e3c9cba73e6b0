# Folio's build. `make help` lists the targets; README.md explains them.
#
# The kernel links twice: first with an empty symbol table, then with the
# table (tools/kallsyms.sh) made from the first image's symbols. The table
# sits at the end of .rodata, after all code, so its size cannot move any
# function: the second table would be identical, and the build checks that.
#
# Knobs, as in Kbuild: V=1 prints every command in full (the default prints
# one short line per step); KTEST=0 builds the kernel without its in-kernel
# tests (the *_test.c files).

CROSS ?=
CC := $(CROSS)gcc
LD := $(CROSS)ld
NM := $(CROSS)nm
OBJCOPY := $(CROSS)objcopy
OBJDUMP := $(CROSS)objdump
STRIP := $(CROSS)strip
NASM ?= nasm

# make SANITIZE=1 builds the UBSAN and KASAN kernel, in build-san/ (tools/sanitize.mk).
B := $(if $(filter 1,$(SANITIZE)),build-san,build)
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)

CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes \
	-ffreestanding -fno-builtin -nostdinc -Iinclude \
	-mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-pic -fno-pie \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-fno-strict-aliasing -fno-common -MMD -MP \
	-DFOLIO_VERSION='"$(VERSION)"'
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
# switching back and forth never links objects of the other kind. The user
# programs and the initramfs do not depend on it and stay in $(B).
KTEST ?= 1
K := $(B)$(if $(filter 0,$(KTEST)),/noktest)

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

.PHONY: all kernel iso run qemu qemu-gdb gdb test ktest spin bench mutate clean help deps
all: kernel user initramfs iso

kernel: $(KERNEL) $(K)/folio.bin $(K)/kernel.asm $(K)/kernel.sym

$(K)/%.o: %.c
	@mkdir -p $(dir $@)
	$(msg) CC $<
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(K)/%.o: %.asm
	@mkdir -p $(dir $@)
	$(msg) NASM $<
	$(Q)$(NASM) -f elf64 -g -F dwarf -MD $(K)/$*.d -o $@ $<

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

$(K)/kernel.asm: $(KERNEL)
	$(msg) OBJDUMP $@
	$(Q)$(OBJDUMP) -S $< > $@

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
	./run.sh $(RUNFLAGS) $(if $(CMDLINE),--cmdline "$(CMDLINE)")

qemu-gdb: deps
	./run.sh --gdb --gdb-port $(GDBPORT) $(RUNFLAGS)

gdb:
	tools/gdb.sh $(GDBPORT)

# First the quick self-test of make mutate's operators (tools/mutate/test_mutate.py).
test: deps
	python3 -m unittest discover -q -s tools/mutate -p 'test_*.py'
	python3 tests/run.py

ktest: deps kernel
	./run.sh --direct --cmdline "ktest=$(or $(T),*)"

# The Promela model of the OOM race (docs/oom-model.md), in each design; also part of make test.
spin: deps
	python3 tests/run.py -k 'spin-*'

bench: deps
	python3 tests/bench.py

# Mutation testing (docs/testing.md): N= mutants, SEED=, FILES='globs', J= at once, OPS=,
# or IDS='FILE:LINE:OP ...' to run given mutants.
mutate: deps
	python3 tools/mutate.py $(if $(N),-n $(N)) $(if $(SEED),--seed $(SEED)) \
		$(if $(FILES),--files '$(FILES)') $(if $(J),-j $(J)) $(if $(OPS),--ops $(OPS)) \
		$(if $(IDS),--ids '$(IDS)')

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
	@echo "make mutate     plant bugs one at a time and count those the tests catch"
	@echo "                (N=50 SEED=1 FILES='mm/*' J=2; docs/testing.md)"
	@echo "make clean      remove build/"
	@echo "V=1             print every command in full (with any target)"
	@echo "KTEST=0         a kernel without the in-kernel tests, in $(B)/noktest/"
	@echo "                (make KTEST=0, make run KTEST=0)"
	@echo "SANITIZE=1      the UBSAN and KASAN kernel, in build-san/ (with any target:"
	@echo "                make test SANITIZE=1; docs/sanitizers.md)"

-include $(OBJS:.o=.d)
