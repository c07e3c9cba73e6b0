# Folio's build. `make help` lists the targets; README.md explains them.
#
# The kernel links twice: first with an empty symbol table, then with the
# table (tools/kallsyms.sh) made from the first image's symbols. The table
# sits at the end of .rodata, after all code, so its size cannot move any
# function: the second table would be identical, and the build checks that.

CROSS ?=
CC := $(CROSS)gcc
LD := $(CROSS)ld
NM := $(CROSS)nm
OBJCOPY := $(CROSS)objcopy
OBJDUMP := $(CROSS)objdump
STRIP := $(CROSS)strip
NASM ?= nasm

B := build
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)

CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-builtin -nostdinc -Iinclude \
	-mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-pic -fno-pie \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-fno-strict-aliasing -fno-common -MMD -MP \
	-DFOLIO_VERSION='"$(VERSION)"'
LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T boot/kernel.ld

CSRCS := $(wildcard arch/x86_64/*.c kernel/*.c kernel/*/*.c mm/*.c fs/*.c fs/*/*.c lib/*.c)
ASRCS := $(wildcard boot/*.asm arch/x86_64/*.asm)
OBJS := $(CSRCS:%.c=$(B)/%.o) $(ASRCS:%.asm=$(B)/%.o)

KERNEL := $(B)/folio.elf
ISO := $(B)/folio.iso
CMDLINE ?=

# User programs and the initramfs (build/user/, build/initramfs.cpio): user/user.mk.
.DEFAULT_GOAL := all
include user/user.mk

# xv6-style knobs: CPUS= (only 1 runs today), QEMUEXTRA= extra QEMU arguments.
CPUS ?= 1
QEMUEXTRA ?=
GDBPORT ?= $(shell expr `id -u` % 5000 + 25000)
RUNFLAGS := --smp $(CPUS) $(if $(QEMUEXTRA),--qemu-extra "$(QEMUEXTRA)")

.PHONY: all kernel iso run qemu qemu-gdb gdb test ktest bench mutate clean help deps
all: kernel user initramfs iso

kernel: $(KERNEL) $(B)/folio.bin $(B)/kernel.asm $(B)/kernel.sym

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(B)/%.o: %.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -g -F dwarf -MD $(B)/$*.d -o $@ $<

$(B)/kallsyms0.S:
	@mkdir -p $(B)
	tools/kallsyms.sh < /dev/null > $@

$(B)/%.o: $(B)/%.S
	$(CC) -c $< -o $@

$(B)/folio.pass1.elf: $(OBJS) $(B)/kallsyms0.o boot/kernel.ld
	$(LD) $(LDFLAGS) -o $@ $(OBJS) $(B)/kallsyms0.o

$(B)/kallsyms1.S: $(B)/folio.pass1.elf tools/kallsyms.sh
	$(NM) -n $< | tools/kallsyms.sh > $@

$(KERNEL): $(OBJS) $(B)/kallsyms1.o boot/kernel.ld
	$(LD) $(LDFLAGS) -o $@ $(OBJS) $(B)/kallsyms1.o
	@$(NM) -n $@ | tools/kallsyms.sh | cmp -s - $(B)/kallsyms1.S || \
		{ echo "kallsyms: symbol table moved between link passes" >&2; rm -f $@; exit 1; }

$(B)/folio.bin: $(KERNEL)
	$(OBJCOPY) -O binary $< $@

$(B)/kernel.asm: $(KERNEL)
	$(OBJDUMP) -S $< > $@

$(B)/kernel.sym: $(KERNEL)
	$(NM) -n $< > $@

# The ISO's grub.cfg carries the kernel command line; it is rebuilt when CMDLINE changes.
$(B)/cmdline.stamp: FORCE
	@mkdir -p $(B)
	@echo '$(CMDLINE)' | cmp -s - $@ || echo '$(CMDLINE)' > $@
FORCE:

$(ISO): $(KERNEL) $(INITRAMFS) boot/grub.cfg $(B)/cmdline.stamp
	@mkdir -p $(B)/iso/boot/grub
	$(STRIP) --strip-debug -o $(B)/iso/boot/folio.elf $(KERNEL)	# gdb keeps the debug info
	cp $(INITRAMFS) $(B)/iso/boot/initramfs.cpio
	sed 's|@CMDLINE@|$(CMDLINE)|' boot/grub.cfg > $(B)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/iso 2>$(B)/grub-mkrescue.log || { cat $(B)/grub-mkrescue.log; exit 1; }

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
	@echo "make bench      print benchmark figures"
	@echo "make mutate     plant bugs one at a time and count those the tests catch"
	@echo "                (N=50 SEED=1 FILES='mm/*' J=2; docs/testing.md)"
	@echo "make clean      remove build/"

-include $(OBJS:.o=.d)
