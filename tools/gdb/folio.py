# gdb helpers for Folio, loaded by tools/gdb.sh (`source tools/gdb/folio.py`).
#   folio-dmesg      print the kernel log ring (what dmesg will show)
#   folio-free       the buddy allocator's free lists and watermarks
#   folio-pt ADDR    walk init_pgd for a kernel virtual address
# They read kernel memory through the gdb stub, so the kernel must be past
# paging setup (e.g. stopped in or after kmain's memory init).
import gdb

DIRECT_MAP = 0xffff888000000000    # __va(pa) = pa + DIRECT_MAP, as in Linux
PTE_PRESENT, PTE_RW, PTE_USER, PTE_PSE = 1 << 0, 1 << 1, 1 << 2, 1 << 7
PTE_NX = 1 << 63
PTE_ADDR = 0x000ffffffffff000     # bits 12..51: the next table or the page frame


def read_u64(addr):
    return int.from_bytes(gdb.selected_inferior().read_memory(addr, 8).tobytes(), "little")


class Dmesg(gdb.Command):
    """folio-dmesg: print the kernel log ring buffer, oldest line first.
log_buf is a ring of LOG_BUF_LEN bytes; log_next_seq counts every byte ever
written, so the text is the last min(log_next_seq, LOG_BUF_LEN) bytes, in order.
Each line is stored as "<L>[    0.000000] text\\n" where L is the log level."""

    def __init__(self):
        super().__init__("folio-dmesg", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        buf = gdb.parse_and_eval("log_buf")
        size = buf.type.sizeof
        end = int(gdb.parse_and_eval("log_next_seq"))
        start = max(0, end - size)
        raw = gdb.selected_inferior().read_memory(buf.address, size).tobytes()
        text = bytes(raw[i % size] for i in range(start, end)).decode("ascii", "replace")
        lines = text.split("\n")
        if start:                   # the ring wrapped: the first line is cut
            lines = lines[1:]
        for line in lines:
            if line[:1] == "<" and line[2:3] == ">":
                line = line[3:]     # drop the "<L>" level prefix, as dmesg does
            gdb.write(line + "\n")


class Free(gdb.Command):
    """folio-free: zone_normal's free blocks per order, free pages and watermarks."""

    def __init__(self):
        super().__init__("folio-free", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        z = gdb.parse_and_eval("zone_normal")
        areas = z["free_area"]
        kb = 0
        for order in range(areas.type.range()[1] + 1):
            n = int(areas[order]["nr_free"])
            kb += n * (4 << order)
            gdb.write("order %2d (%6d kB blocks): %6d free\n" % (order, 4 << order, n))
        free = int(z["free_pages"])
        wm = [int(z["watermark"][i]) for i in range(3)]
        gdb.write("free_pages %d (%d kB; free lists add up to %d kB)\n" % (free, free * 4, kb))
        gdb.write("watermark min %d low %d high %d pages\n" % tuple(wm))


class PageTable(gdb.Command):
    """folio-pt ADDR: walk the kernel page tables (init_pgd) for virtual address ADDR.
Prints the entry at each level (PGD, PUD, PMD, PTE) with its flags; stops at a
large page (PS bit: 1 GiB at PUD level, 2 MiB at PMD level) or a missing entry."""

    def __init__(self):
        super().__init__("folio-pt", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        if not arg:
            raise gdb.GdbError("usage: folio-pt ADDR (an expression, e.g. folio-pt &zone_normal)")
        va = int(gdb.parse_and_eval(arg)) & (2**64 - 1)
        table = int(gdb.parse_and_eval("init_pgd"))   # a kernel virtual address
        gdb.write("va 0x%016x  init_pgd 0x%016x\n" % (va, table))
        for level, shift in (("PGD", 39), ("PUD", 30), ("PMD", 21), ("PTE", 12)):
            index = (va >> shift) & 511
            e = read_u64(table + index * 8)
            flags = [name for bit, name in ((PTE_PRESENT, "P"), (PTE_RW, "RW"),
                     (PTE_USER, "USER"), (PTE_NX, "NX")) if e & bit]
            large = level in ("PUD", "PMD") and e & PTE_PSE
            gdb.write("  %s[%3d] = 0x%016x  %s%s\n" % (level, index, e, " ".join(flags),
                      "  large page (%s)" % ("1G" if shift == 30 else "2M") if large else ""))
            if not e & PTE_PRESENT:
                gdb.write("  not mapped\n")
                return
            if large or level == "PTE":
                pa = (e & PTE_ADDR & ~((1 << shift) - 1)) | (va & ((1 << shift) - 1))
                gdb.write("  -> physical 0x%x\n" % pa)
                return
            table = (e & PTE_ADDR) + DIRECT_MAP    # next table, through the direct map


Dmesg()
Free()
PageTable()
