# The sanitizer build, included from the Makefile (docs/sanitizers.md).
#
# `make SANITIZE=1 [target]` builds the kernel with GCC's UBSAN and KASAN
# instrumentation; the Makefile puts it (and the user programs and the
# initramfs) in build-san/, so the normal build/ is left as it is. SANITIZE is
# exported: tests/run.py, tests/qemu.py and run.sh read it and boot
# build-san/'s kernel. Kernel objects are in $(K) (build-san/ or, with
# KTEST=0, build-san/noktest/).

SANITIZE ?= 0
export SANITIZE

ifeq ($(SANITIZE),1)
KBUILD_CFLAGS += -DCONFIG_KASAN -DCONFIG_UBSAN

# Linux's default UBSAN checks, and signed overflow: Folio builds without
# -fwrapv, so there a signed overflow is undefined behaviour. Not
# integer-divide-by-zero (the CPU traps anyway: #DE), not alignment (x86
# does misaligned accesses, and packed structs would flood the log). GCC's
# -Warray-bounds misfires on the code -fsanitize=bounds adds (as in Linux,
# which turns it off with UBSAN_BOUNDS); the checks themselves catch real ones.
UBSAN_CFLAGS := -fsanitize=shift,bounds,unreachable,bool,enum,vla-bound,builtin,signed-integer-overflow \
	-Wno-array-bounds

# Outline KASAN: every load and store of instrumented code calls
# __asan_{load,store}N_noabort() (mm/kasan.c), which checks the address
# against the shadow only when it lies in a shadowed range. So only the
# direct map and the kernel image need shadow memory, and user addresses
# (copy_user.asm), vmalloc and the stacks pass unchecked. Globals get red
# zones (asan-globals, registered at boot); locals do not (asan-stack=0).
KASAN_CFLAGS := -fsanitize=kernel-address --param asan-instrumentation-with-call-threshold=0 \
	--param asan-stack=0 --param asan-globals=1

$(K)/%.o: OBJ_CFLAGS += $(UBSAN_CFLAGS) $(KASAN_CFLAGS)

# Not instrumented by KASAN: its own runtime; the allocators, whose
# bookkeeping reads and writes memory KASAN calls poisoned (Linux exempts
# its slab allocators too); the string functions (memset/memcpy/memmove
# are checked by wrappers in instrumented code: include/lib/string.h); and
# the tests that corrupt freed memory on purpose to test the allocators'
# own debug checks.
KASAN_SANITIZE_n := mm/kasan.o mm/kasan_report.o lib/stackdepot.o lib/sanitizer.o lib/ubsan.o \
	lib/string.o mm/page_alloc.o mm/slab.o mm/page_alloc_test.o mm/slab_test.o
$(KASAN_SANITIZE_n:%=$(K)/%): KASAN_CFLAGS :=
# Not instrumented by UBSAN: the runtimes (a report must not recurse).
UBSAN_SANITIZE_n := lib/ubsan.o lib/sanitizer.o mm/kasan.o
$(UBSAN_SANITIZE_n:%=$(K)/%): UBSAN_CFLAGS :=
endif
