# gdb helpers for Folio, loaded by tools/gdb.sh (`source tools/gdb/folio.py`).
#   folio-dmesg      print the kernel log ring (what dmesg will show)
#   folio-free       the buddy allocator's free lists and watermarks
#   folio-pt ADDR    walk init_pgd for a kernel virtual address
#   folio-oom        OOM state: oom_victims, the reaper's queue, each victim's marks
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


def list_entries(head, type_name, member):
    """The structs of type type_name on the list at head (a gdb.Value list_head), via member."""
    t = gdb.lookup_type(type_name)
    offset = int(gdb.parse_and_eval("(unsigned long)&((%s *)0)->%s" % (type_name, member)))
    node, end = head["next"], int(head.address)
    while int(node) != end:
        yield gdb.Value(int(node) - offset).cast(t.pointer()).dereference()
        node = node["next"]


class Oom(gdb.Command):
    """folio-oom: the OOM killer's state (mm/oom_kill.c, docs/oom.md).
oom_victims (tasks with TIF_MEMDIE), who holds oom_lock, the OOM reaper's
queue, and for each OOM victim (a process whose signal->oom_mm is set, or a
thread with TIF_MEMDIE): TIF_MEMDIE, MMF_OOM_SKIP and MMF_OOM_VICTIM on the
pinned mm, mm_users, mm_count and the rss by kind, in pages."""

    def __init__(self):
        super().__init__("folio-oom", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        tif_memdie = 16
        skip, victim = 21, 25           # MMF_OOM_SKIP, MMF_OOM_VICTIM
        gdb.write("oom_victims: %d\n" % int(gdb.parse_and_eval("oom_victims")))
        owner = gdb.parse_and_eval("oom_lock")["owner"]
        gdb.write("oom_lock: %s\n" % ("held by %s/%d" % (owner["comm"].string(), int(owner["pid"]))
                                       if int(owner) else "free"))
        queue = ["%s/%d" % (t["comm"].string(), int(t["pid"]))
                 for t in list_entries(gdb.parse_and_eval("oom_reaper_list"), "struct task_struct",
                                       "oom_reaper_node")]
        gdb.write("oom_reaper queue: %s\n" % (" ".join(queue) if queue else "empty"))
        modes = [name for name, var in (("oom_reaper=0", "!oom_reaper_enabled"),
                 ("oom_reaper.mmget=1", "oom_reaper_mmget"), ("oom_reaper.keep_memdie=1", "oom_reaper_keep_memdie"))
                 if int(gdb.parse_and_eval(var))]
        gdb.write("design: %s\n" % (", ".join(modes) if modes else "default (2016 + 2017 fixes)"))
        init_task = gdb.parse_and_eval("init_task")
        found = 0
        for t in list_entries(init_task["tasks"], "struct task_struct", "tasks"):
            memdie = (int(t["thread_flags"]) >> tif_memdie) & 1
            mm = t["signal"]["oom_mm"] if int(t["signal"]) else 0
            if not memdie and not (int(mm) and int(t["pid"]) == int(t["tgid"])):
                continue
            found += 1
            line = "victim %s/%d: TIF_MEMDIE=%d" % (t["comm"].string(), int(t["pid"]), memdie)
            if int(mm):
                flags = int(mm["flags"])
                rss = [int(mm["rss_stat"][i]) for i in range(3)]
                line += (" MMF_OOM_SKIP=%d MMF_OOM_VICTIM=%d mm_users=%d mm_count=%d "
                         "rss file=%d anon=%d shmem=%d ->mm=%s" %
                         ((flags >> skip) & 1, (flags >> victim) & 1, int(mm["mm_users"]),
                          int(mm["mm_count"]), rss[0], rss[1], rss[2],
                          "set" if int(t["mm"]) else "NULL"))
            gdb.write(line + "\n")
        if not found:
            gdb.write("no OOM victims\n")


Dmesg()
Free()
PageTable()
Oom()
