# gdb helpers for Folio, loaded by tools/gdb.sh (`source tools/gdb/folio.py`).
# They are to Folio what Linux's scripts/gdb (lx-ps, $lx_current(), lx-dmesg)
# are to Linux; `help folio` lists them and `help folio-ps` explains one.
#
# Loading them also makes `step` pass over the low-level primitives (STEP_SKIPS).
# They read kernel memory through QEMU's gdb stub, so the kernel must be past
# paging setup (stopped in or after kmain's memory init). Flag values that C
# keeps in #defines (VM_*, _PAGE_*, TASK_*) are read from the headers in this
# tree, so they cannot drift from the kernel; what the debug information has
# (types, enum pg_level, variables) is read from it.
import os
import re

import gdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIRECT_MAP = 0xffff888000000000    # __va(pa) = pa + DIRECT_MAP, as in Linux
U64 = 2**64 - 1


def header_defines(path, prefix):
    """{NAME: value} for each `#define NAME <number>` (or `(1ULL << N)`, or another
    such NAME) in include/PATH whose name starts with prefix."""
    out = {}
    with open(os.path.join(ROOT, "include", path)) as f:
        text = f.read()
    for m in re.finditer(r"^#define\s+(%s\w*)\s+\(?(0x[0-9a-fA-F]+|\d+)(?:ULL|UL|U)?\s*(?:<<\s*(\d+))?\)?"
                         % prefix, text, re.M):
        out[m.group(1)] = int(m.group(2), 0) << int(m.group(3) or 0)
    for m in re.finditer(r"^#define\s+(%s\w*)\s+(\w+)\s*(?:/\*.*)?$" % prefix, text, re.M):
        if m.group(2) in out:
            out[m.group(1)] = out[m.group(2)]
    return out


PAGE = header_defines("arch/pgtable.h", "_PAGE_")
PTE_PFN_MASK = header_defines("arch/pgtable.h", "PTE_PFN_MASK")["PTE_PFN_MASK"]
VM = header_defines("mm/mm.h", "VM_")
TASK = header_defines("kernel/sched.h", "(?:TASK_|__TASK_|EXIT_)")

# vm_flags as Linux's /proc/PID/smaps "VmFlags:" line spells them.
VM_MNEMONICS = [("VM_READ", "rd"), ("VM_WRITE", "wr"), ("VM_EXEC", "ex"), ("VM_SHARED", "sh"),
                ("VM_MAYREAD", "mr"), ("VM_MAYWRITE", "mw"), ("VM_MAYEXEC", "me"),
                ("VM_GROWSDOWN", "gd"), ("VM_LOCKED", "lo"), ("VM_IO", "io"), ("VM_DONTCOPY", "dc"),
                ("VM_ACCOUNT", "ac"), ("VM_NORESERVE", "nr")]


def read_u64(addr):
    return int.from_bytes(gdb.selected_inferior().read_memory(addr, 8).tobytes(), "little")


def u64(value):
    return int(value) & U64


def lookup_type(name):
    return gdb.lookup_type(name)


def list_entries(head, type_name, member):
    """The entries of a struct list_head list, as gdb values of type `type_name *`
    (list_for_each_entry)."""
    ptr_type = lookup_type(type_name).pointer()
    offset = next(f.bitpos // 8 for f in lookup_type(type_name).fields() if f.name == member)
    head_addr = u64(head.address)
    node = u64(head["next"])
    while node != head_addr:
        yield gdb.Value(node - offset).cast(ptr_type)
        node = u64(gdb.Value(node).cast(lookup_type("struct list_head").pointer())["next"])


def tasks():
    """Every task, as the task dump (SysRq t) lists them: init_task, then the task list."""
    init = gdb.parse_and_eval("init_task")
    yield init.address
    yield from list_entries(init["tasks"], "struct task_struct", "tasks")


def current_task():
    """What `current` is on the (one) CPU: boot_pcpu.curr_task, or init_task before it is set."""
    t = gdb.parse_and_eval("boot_pcpu")["curr_task"]
    return t if u64(t) else gdb.parse_and_eval("&init_task")


def find_task(arg):
    """A task from a pid (a number), a comm (the first task of that name, as
    folio-ps lists them), or any expression that is a task_struct pointer."""
    arg = arg.strip()
    if re.fullmatch(r"\d+", arg):
        for t in tasks():
            if int(t["pid"]) == int(arg):
                return t
        raise gdb.GdbError("no task with pid %s (folio-ps lists them)" % arg)
    for t in tasks():
        if comm(t) == arg:
            return t
    try:
        v = gdb.parse_and_eval(arg)
    except gdb.error:
        raise gdb.GdbError("%s: no task of that name, and not an expression (folio-ps lists the tasks)" % arg)
    if v.type.code == gdb.TYPE_CODE_PTR:
        return v.cast(lookup_type("struct task_struct").pointer())
    raise gdb.GdbError("%s: not a pid, a task's name or a task_struct pointer" % arg)


def comm(t):
    return t["comm"].string(length=16).split("\0")[0]


def state_char(t):
    """The letter of task_state_char() (kernel/sched/core.c): R S D I T Z X."""
    s = int(t["state"])
    if int(t["exit_state"]) == TASK["EXIT_ZOMBIE"]:
        return "Z"
    if s == TASK["TASK_RUNNING"]:
        return "R"
    if s & TASK["TASK_INTERRUPTIBLE"]:
        return "S"
    if s == TASK["TASK_UNINTERRUPTIBLE"] | TASK["TASK_NOLOAD"]:
        return "I"
    if s & TASK["TASK_UNINTERRUPTIBLE"]:
        return "D"
    if s & TASK["__TASK_STOPPED"]:
        return "T"
    return "X"


class Folio(gdb.Command):
    """Folio's gdb helpers (tools/gdb/folio.py); `help folio-NAME` for each.
  $current()          the task running on the CPU (a struct task_struct *)
  folio-ps            every task: state, pid, comm, its mm and the mm's counts
  folio-bt TASK       the kernel stack of a sleeping task (TASK: pid, name or pointer)
  folio-vmas [TASK]   a task's VMAs, as /proc/PID/maps shows them, vm_flags decoded
  folio-pt ADDR [TASK|MM]  walk the page tables for ADDR (default: CR3's)
  folio-slabinfo      the slab caches, as /proc/slabinfo
  folio-free          the buddy allocator's free lists and watermarks
  folio-dmesg         the kernel log
  folio-oom           the OOM killer: oom_victims, oom_lock, the reaper's queue, each victim
  folio-memcg         the memory cgroups: usage, limit, peak, events; tasks under a memcg OOM
  folio-symbols NAME  load build/user/NAME's symbols, to break in a user program"""

    def __init__(self):
        super().__init__("folio", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        gdb.write(self.__doc__ + "\n")


class Current(gdb.Function):
    """$current(): the task running on the CPU, as the kernel's `current`
(a struct task_struct *): boot_pcpu.curr_task. E.g. p $current()->comm,
p *$current()->mm, break handle_mm_fault if $current()->pid == 42."""

    def __init__(self):
        super().__init__("current")

    def invoke(self):
        return current_task()


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


class Ps(gdb.Command):
    """folio-ps: every task, as the task dump (SysRq t) lists them.
Columns: the task_struct, pid, parent's pid, state letter (R running or
runnable, S sleeping, D uninterruptible, I idle kernel thread, T stopped,
Z zombie), comm, the mm (none for a kernel thread), and the mm's two counts:
mm_users (tasks and mmget() holders using the address space; at 0 it is torn
down) and mm_count (references to the struct mm_struct; all users together
hold one; at 0 it is freed). The running task is marked with '>'."""

    def __init__(self):
        super().__init__("folio-ps", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        cur = u64(current_task())
        gdb.write("  %-18s %5s %5s S %-15s %-18s %5s %5s\n"
                  % ("TASK", "PID", "PPID", "COMM", "MM", "USERS", "COUNT"))
        for t in tasks():
            mm = t["mm"]
            parent = t["parent"]
            counts = ("%5d %5d" % (int(mm["mm_users"]), int(mm["mm_count"]))) if u64(mm) else "%5s %5s" % ("-", "-")
            gdb.write("%s 0x%016x %5d %5d %s %-15s %-18s %s\n"
                      % (">" if u64(t) == cur else " ", u64(t), int(t["pid"]),
                         int(parent["pid"]) if u64(parent) else 0, state_char(t), comm(t),
                         "0x%016x" % u64(mm) if u64(mm) else "-", counts))


# The switch frame __switch_to_asm leaves on a sleeping task's stack
# (arch/x86_64/switch_to.asm): r15 r14 r13 r12 rbx rbp, then the return address.
SWITCH_FRAME = ("r15", "r14", "r13", "r12", "rbx", "rbp", "rip")


class Bt(gdb.Command):
    """folio-bt TASK: the kernel call stack of a task that is not running
(TASK: a pid, a name as folio-ps shows it, or an expression giving a
struct task_struct *).
A sleeping task's registers are in the switch frame that __switch_to_asm
pushed on its stack, at task->thread.sp: r15 r14 r13 r12 rbx rbp and the
return address into __schedule(). folio-bt loads those into the CPU's
registers, runs gdb's `bt`, and puts the real ones back, so the frames come
with their arguments (`bt full` style: folio-bt TASK full). For the running
task it is plain `bt`."""

    def __init__(self):
        super().__init__("folio-bt", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        words = arg.split(None, 1)
        if not words:
            raise gdb.GdbError("usage: folio-bt TASK [bt options] (TASK: a pid or a task_struct pointer)")
        t = find_task(words[0])
        extra = words[1] if len(words) > 1 else ""
        if u64(t) == u64(current_task()):
            gdb.execute("bt " + extra, from_tty)
            return
        sp = u64(t["thread"]["sp"])
        if not sp:
            raise gdb.GdbError("%s[%d] has never run: no switch frame yet" % (comm(t), int(t["pid"])))
        frame = {reg: read_u64(sp + 8 * i) for i, reg in enumerate(SWITCH_FRAME)}
        frame["rsp"] = sp + 8 * len(SWITCH_FRAME)       # as after __switch_to_asm's ret
        gdb.write("%s[%d] state %s, switched out at 0x%x:\n" % (comm(t), int(t["pid"]), state_char(t), sp))
        saved = {reg: u64(gdb.parse_and_eval("$" + reg)) for reg in frame}
        try:
            for reg, value in frame.items():
                gdb.execute("set $%s = 0x%x" % (reg, value), to_string=True)
            gdb.execute("bt " + extra, from_tty)
        finally:
            for reg, value in saved.items():
                gdb.execute("set $%s = 0x%x" % (reg, value), to_string=True)


def task_or_mm(arg):
    """(task or None, mm) from a pid, a task_struct pointer or an mm_struct pointer."""
    arg = arg.strip()
    if not re.fullmatch(r"\d+", arg) and not any(comm(t) == arg for t in tasks()):
        v = gdb.parse_and_eval(arg)
        if v.type.code == gdb.TYPE_CODE_PTR and v.type.target().strip_typedefs().tag == "mm_struct":
            return None, v
    t = find_task(arg)
    return t, t["mm"]


def file_path(f):
    """The path of a struct file *, as d_path() builds it: names up to each
    mount's root, then across to where that mount sits."""
    mount_type = lookup_type("struct mount")
    mnt_off = next(fl.bitpos // 8 for fl in mount_type.fields() if fl.name == "mnt")
    dentry, vfsmnt = f["f_path"]["dentry"], f["f_path"]["mnt"]
    names = []
    for _ in range(256):
        mnt = gdb.Value(u64(vfsmnt) - mnt_off).cast(mount_type.pointer())
        if u64(dentry) == u64(vfsmnt["mnt_root"]) or u64(dentry["d_parent"]) == u64(dentry):
            if u64(mnt["mnt_parent"]) == u64(mnt):
                break           # the root of the name space
            dentry, vfsmnt = mnt["mnt_mountpoint"], mnt["mnt_parent"]["mnt"].address
            continue
        names.append(dentry["d_name"].string())
        dentry = dentry["d_parent"]
    return "/" + "/".join(reversed(names))


class Vmas(gdb.Command):
    """folio-vmas [TASK]: a task's VMAs (default: the current task's), one line
each as /proc/PID/maps prints it (start-end, rwx and p/s, file offset, device,
inode, then the file, [heap] or [stack]), and under each its vm_flags in hex
and as Linux's /proc/PID/smaps spells them (VmFlags: rd wr ex sh mr mw me gd
lo io dc ac nr). TASK: a pid, a name, a task_struct or an mm_struct pointer.
Read without mmap_lock: stop the machine where nobody is changing the list."""

    def __init__(self):
        super().__init__("folio-vmas", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        t, mm = task_or_mm(arg) if arg.strip() else (current_task(), current_task()["mm"])
        if not u64(mm):
            raise gdb.GdbError("%s[%d] is a kernel thread: no mm" % (comm(t), int(t["pid"])))
        for vma in list_entries(mm["mmap"], "struct vm_area_struct", "vm_list"):
            gdb.write(self.maps_line(mm, vma) + "\n")
            flags = u64(vma["vm_flags"])
            names = [mn for name, mn in VM_MNEMONICS if name in VM and flags & VM[name]]
            rest = flags & ~sum(VM[name] for name, _ in VM_MNEMONICS if name in VM)
            gdb.write("    vm_flags 0x%x  VmFlags: %s%s\n" % (flags, " ".join(names),
                      " +0x%x" % rest if rest else ""))

    @staticmethod
    def maps_line(mm, vma):
        start, end, flags = u64(vma["vm_start"]), u64(vma["vm_end"]), u64(vma["vm_flags"])
        f = vma["vm_file"]
        pgoff = dev = ino = 0
        if u64(f):
            inode = f["f_inode"]
            pgoff, dev, ino = int(vma["vm_pgoff"]) << 12, int(inode["i_sb"]["s_dev"]), int(inode["i_ino"])
        line = "%08x-%08x %s%s%s%s %08x %02x:%02x %d " % (
            start, end, "r" if flags & VM["VM_READ"] else "-", "w" if flags & VM["VM_WRITE"] else "-",
            "x" if flags & VM["VM_EXEC"] else "-", "s" if flags & VM["VM_SHARED"] else "p",
            pgoff, dev >> 8, dev & 0xff, ino)
        name = None
        if u64(f):
            name = file_path(f)
        elif start <= u64(mm["brk"]) and end >= u64(mm["start_brk"]):
            name = "[heap]"
        elif start <= u64(mm["start_stack"]) <= end:
            name = "[stack]"
        return line + " " * (73 - len(line)) + name if name else line


def pte_flags(e):
    """An entry's flag bits, named as the _PAGE_* macros (include/arch/pgtable.h)."""
    names = [("PRESENT", "P"), ("RW", "RW"), ("USER", "USER"), ("PWT", "PWT"), ("PCD", "PCD"),
             ("ACCESSED", "A"), ("DIRTY", "D"), ("PSE", "PS"), ("GLOBAL", "G"), ("NX", "NX")]
    out = [short for name, short in names if e & PAGE["_PAGE_" + name]]
    if not e & PAGE["_PAGE_PRESENT"] and e & PAGE["_PAGE_PROTNONE"] and e & PTE_PFN_MASK:
        out.append("(PROT_NONE page)")
    return " ".join(out)


class PageTable(gdb.Command):
    """folio-pt ADDR [TASK|MM]: walk the page tables for virtual address ADDR.
Without TASK, the tables CR3 points to (the running task's, as the CPU sees
them); with one (a pid, a name, a task_struct or an mm_struct pointer), its
mm->pgd; `folio-pt ADDR init` walks init_pgd, the kernel's. Each level is
named by the kernel's enum pg_level (include/arch/pgtable.h: a level by what
one entry maps: PG_LEVEL_512G is the PGD, PG_LEVEL_1G the PUD, PG_LEVEL_2M
the PMD, PG_LEVEL_4K the PTE), with the entry's index, value and flags:
P present, RW writable, USER user-accessible, A accessed, D dirty, PS a large
page, G global, NX no-execute. Stops at a large page (1G or 2M), a leaf PTE,
or an empty entry, and prints the physical address and page frame (pfn)."""

    def __init__(self):
        super().__init__("folio-pt", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not argv or len(argv) > 2:
            raise gdb.GdbError("usage: folio-pt ADDR [TASK|MM|init] (e.g. folio-pt $rip, folio-pt 0x400000 1)")
        va = u64(gdb.parse_and_eval(argv[0]))
        if len(argv) == 1:
            table = (u64(gdb.parse_and_eval("$cr3")) & PTE_PFN_MASK) + DIRECT_MAP
            what = "CR3 0x%x" % (table - DIRECT_MAP)
        elif argv[1] == "init":
            table, what = u64(gdb.parse_and_eval("init_pgd")), "init_pgd"
        else:
            t, mm = task_or_mm(argv[1])
            if not u64(mm):
                raise gdb.GdbError("%s[%d] is a kernel thread: no mm (it runs on init_pgd)" % (comm(t), int(t["pid"])))
            table = u64(mm["pgd"])
            what = "mm 0x%x pgd" % u64(mm) if t is None else "%s[%d]'s pgd" % (comm(t), int(t["pid"]))
        gdb.write("va 0x%016x  %s at 0x%016x\n" % (va, what, table))
        self.walk(va, table)

    @staticmethod
    def walk(va, table):
        for level, name in (("PG_LEVEL_512G", "PGD"), ("PG_LEVEL_1G", "PUD"), ("PG_LEVEL_2M", "PMD"),
                            ("PG_LEVEL_4K", "PTE")):
            shift = 12 + 9 * (int(gdb.parse_and_eval(level)) - int(gdb.parse_and_eval("PG_LEVEL_4K")))
            index = (va >> shift) & 511
            e = read_u64(table + index * 8)
            leaf = name == "PTE" or (name in ("PUD", "PMD") and e & PAGE["_PAGE_PSE"])
            gdb.write("  %-13s %s[%3d] = 0x%016x  %s\n" % (level, name, index, e, pte_flags(e)))
            if not e & PAGE["_PAGE_PRESENT"]:
                gdb.write("  not present: %s\n" % ("a PROT_NONE page, pfn 0x%x" % ((e & PTE_PFN_MASK) >> 12)
                          if name == "PTE" and e & PAGE["_PAGE_PROTNONE"] and e & PTE_PFN_MASK else "not mapped"))
                return
            if leaf:
                pa = (e & PTE_PFN_MASK & ~((1 << shift) - 1)) | (va & ((1 << shift) - 1))
                gdb.write("  -> physical 0x%x, pfn 0x%x%s\n" % (pa, pa >> 12, "" if name == "PTE"
                          else " (in a %s page)" % ("1G" if name == "PUD" else "2M")))
                return
            table = (e & PTE_PFN_MASK) + DIRECT_MAP    # the next table, through the direct map


class Slabinfo(gdb.Command):
    """folio-slabinfo: every slab cache with its objects and slabs, as
/proc/slabinfo lists them (mm/slab.c, newest cache first): name, objects in
use, objects in all slabs, slot size, objects per slab, pages per slab,
slabs. Read without the caches' locks: stop the machine outside mm/slab.c."""

    def __init__(self):
        super().__init__("folio-slabinfo", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        caches = gdb.parse_and_eval("'mm/slab.c'::slab_caches")
        gdb.write("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> "
                  ": slabdata <active_slabs> <num_slabs>\n")
        for s in list_entries(caches, "struct kmem_cache", "list"):
            objects = int(s["objects"])
            partial = list(list_entries(s["partial"], "struct page", "lru"))
            full = sum(1 for _ in list_entries(s["full"], "struct page", "lru"))
            slabs = len(partial) + full
            free = sum(objects - int(p["inuse"]) for p in partial)
            gdb.write("%-17s %6d %6d %6d %4d %4d : slabdata %6d %6d\n"
                      % (s["name"].string(), slabs * objects - free, slabs * objects, int(s["size"]),
                         objects, 1 << int(s["order"]), slabs, slabs))


class Symbols(gdb.Command):
    """folio-symbols NAME: load the symbols of a user program, build/user/NAME
(a path works too), so that you can break in it and step through its source.
Folio's programs are static and not position independent: each is linked at
its own addresses (0x400000 up), so no offset is needed. They all start at
the same addresses, so a breakpoint on a user function should be a hardware
one, limited to that program:
    folio-symbols memhog
    hbreak main if $_streq($current()->comm, "memhog")
(`break` writes an int3 into whatever is mapped at that address now, which
is only the program's code while it runs.) `remove-symbol-file -a ADDR`
unloads them."""

    def __init__(self):
        super().__init__("folio-symbols", gdb.COMMAND_FILES, gdb.COMPLETE_FILENAME)

    def invoke(self, arg, from_tty):
        name = arg.strip()
        if not name:
            raise gdb.GdbError("usage: folio-symbols NAME (a program in build/user/, e.g. memhog)")
        build = os.path.dirname(gdb.objfiles()[0].filename) if gdb.objfiles() else os.path.join(ROOT, "build")
        while os.path.basename(build) in ("debug", "noktest"):   # the kernel's directory under build/
            build = os.path.dirname(build)
        path = next((p for p in (name, os.path.join(build, "user", name), os.path.join(ROOT, "build", "user", name))
                     if os.path.isfile(p)), None)
        if not path:
            raise gdb.GdbError("no program %s in %s/user/ (make user builds them)" % (name, build))
        confirm = gdb.parameter("confirm")
        gdb.execute("set confirm off")
        try:
            gdb.execute("add-symbol-file %s" % path, from_tty, to_string=not from_tty)
        finally:
            gdb.execute("set confirm %s" % ("on" if confirm else "off"))
        gdb.write("folio: symbols of %s loaded; e.g. hbreak main if $_streq($current()->comm, \"%s\")\n"
                  % (os.path.relpath(path, ROOT), os.path.basename(path)[:15]))


# `step` does not go into the primitives every path is full of: saving and
# restoring the interrupt flag, barriers, event counters, and the spinlocks with
# their debug checks. Each is one line of the code being read, and a step into
# it would land in a header at every spin_lock(). `skip delete` undoes this;
# `info skip` lists them.
MMF = header_defines("mm/mm_types.h", "MMF_OOM_")
TIF = header_defines("kernel/sched.h", "TIF_MEMDIE")


class Oom(gdb.Command):
    """folio-oom: the OOM killer's state (mm/oom_kill.c, docs/oom.md).
oom_victims (tasks with TIF_MEMDIE), who holds oom_lock, the design in force
(the oom_reaper= parameters), the OOM reaper's queue, and for each OOM victim
(a process whose signal->oom_mm is set, or a thread with TIF_MEMDIE):
TIF_MEMDIE, MMF_OOM_SKIP and MMF_OOM_VICTIM on the pinned mm, mm_users,
mm_count, whether ->mm is still set, and the rss by kind, in pages."""

    def __init__(self):
        super().__init__("folio-oom", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        gdb.write("oom_victims: %d\n" % int(gdb.parse_and_eval("oom_victims")))
        owner = gdb.parse_and_eval("oom_lock")["owner"]
        gdb.write("oom_lock: %s\n" % ("held by %s/%d" % (comm(owner), int(owner["pid"])) if u64(owner) else "free"))
        modes = [name for name, var in (("oom_reaper=0", "!oom_reaper_enabled"),
                                        ("oom_reaper.mmget=1", "oom_reaper_mmget"),
                                        ("oom_reaper.keep_memdie=1", "oom_reaper_keep_memdie"))
                 if int(gdb.parse_and_eval(var))]
        gdb.write("design: %s\n" % (", ".join(modes) if modes else "default (2016 + 2017 fixes)"))
        queue = ["%s/%d" % (comm(t), int(t["pid"])) for t in
                 list_entries(gdb.parse_and_eval("oom_reaper_list"), "struct task_struct", "oom_reaper_node")]
        gdb.write("oom_reaper queue: %s\n" % (" ".join(queue) if queue else "empty"))
        found = 0
        for t in tasks():
            memdie = (int(t["thread_flags"]) >> TIF["TIF_MEMDIE"]) & 1
            mm = t["signal"]["oom_mm"] if u64(t["signal"]) else None
            if not memdie and not (mm is not None and u64(mm) and int(t["pid"]) == int(t["tgid"])):
                continue
            found += 1
            line = "victim %s/%d: TIF_MEMDIE=%d" % (comm(t), int(t["pid"]), memdie)
            if mm is not None and u64(mm):
                flags = u64(mm["flags"])
                rss = [int(mm["rss_stat"][i]) for i in range(3)]
                line += (" MMF_OOM_SKIP=%d MMF_OOM_VICTIM=%d mm_users=%d mm_count=%d"
                         " rss file=%d anon=%d shmem=%d ->mm=%s" %
                         ((flags >> MMF["MMF_OOM_SKIP"]) & 1, (flags >> MMF["MMF_OOM_VICTIM"]) & 1,
                          int(mm["mm_users"]), int(mm["mm_count"]), rss[0], rss[1], rss[2],
                          "set" if u64(t["mm"]) else "NULL"))
            gdb.write(line + "\n")
        if not found:
            gdb.write("no OOM victims\n")


def memcg_of(cgrp):
    """The cgroup's own memory css as a struct mem_cgroup *, or None (it uses an ancestor's)."""
    css = cgrp["subsys"][int(gdb.parse_and_eval("memory_cgrp_id"))]
    if not u64(css):
        return None
    return gdb.Value(u64(css)).cast(lookup_type("struct mem_cgroup").pointer())   # css is the first member


def cgroup_path(cgrp):
    names = []
    while u64(cgrp["parent"]):
        names.append(cgrp["name"].string())
        cgrp = cgrp["parent"]
    return "/" + "/".join(reversed(names))


def cgroup_walk(cgrp):
    """cgrp and its live descendants, parents first (the order of a directory walk)."""
    yield cgrp
    for child in list_entries(cgrp["children"], "struct cgroup", "sibling"):
        yield from cgroup_walk(child)


PAGE_COUNTER_MAX = (2**63 - 1) // 4096     # include/mm/page_counter.h: LONG_MAX / PAGE_SIZE, "max"
MEMORY_EVENTS = ("low", "high", "max", "oom", "oom_kill", "oom_group_kill")   # memory.events' lines, in order


def stack_functions(t, depth=24):
    """The functions on a sleeping task's kernel stack, innermost first: the switch frame's
    return address, then the frame-pointer chain (rbp) from there, as the kernel's own
    stack walk goes."""
    sp = u64(t["thread"]["sp"])
    if not sp:
        return []
    rip, rbp = read_u64(sp + 8 * SWITCH_FRAME.index("rip")), read_u64(sp + 8 * SWITCH_FRAME.index("rbp"))
    names = []
    for _ in range(depth):
        block = gdb.block_for_pc(rip) if rip else None
        while block is not None and block.function is None:
            block = block.superblock
        if block is None:
            break
        names.append(block.function.name)
        if not rbp:
            break
        try:
            rip, rbp = read_u64(rbp + 8), read_u64(rbp)
        except gdb.MemoryError:
            break
    return names


class Memcg(gdb.Command):
    """folio-memcg: the memory cgroups (mm/memcontrol.c, docs/memcg.md).
Every cgroup of the default hierarchy (cgroup v2, /sys/fs/cgroup), and of the
v1 memory hierarchy while it is mounted, parents first, with its memory
controller's figures as its files show them: memory.current (usage), memory.max
(limit, or max), memory.peak (the highest usage), in bytes, and memory.events
(low high max oom oom_kill oom_group_kill, counted up the tree in v2). A cgroup
without a memory css of its own (its parent does not enable +memory) says so:
its tasks are charged to the nearest ancestor's.
Then the tasks under a memory cgroup OOM: those whose current->memcg_in_oom is
set (a charge of theirs failed in a page fault, to be settled when the fault
has unwound), and those asleep in mem_cgroup_oom_synchronize(), if the kernel
has it. Read without locks: stop the machine outside mm/memcontrol.c."""

    def __init__(self):
        super().__init__("folio-memcg", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        roots = [("cgroup2", gdb.parse_and_eval("cgrp_dfl_root"))]
        v1 = gdb.parse_and_eval("cgrp_v1_root")
        if int(v1["active"]):
            roots.append(("cgroup v1", v1))
        for label, root in roots:
            gdb.write("%s:\n" % label)
            for cgrp in cgroup_walk(root["cgrp"]):
                gdb.write(self.line(cgrp) + "\n")
        self.oom_tasks()

    @staticmethod
    def line(cgrp):
        memcg = memcg_of(cgrp)
        path = cgroup_path(cgrp)
        if memcg is None:
            return "%-28s no memory css (charged to an ancestor's)" % path
        c = memcg["memory"]
        limit = u64(c["max"])
        events = " ".join("%s %d" % (n, int(memcg["memory_events"][i])) for i, n in enumerate(MEMORY_EVENTS))
        return ("%-28s memcg 0x%x current %d max %s peak %d\n%-28s events: %s"
                % (path, u64(memcg), max(int(c["usage"]), 0) * 4096,
                   "max" if limit == PAGE_COUNTER_MAX else str(limit * 4096),
                   u64(c["watermark"]) * 4096, "", events))

    @staticmethod
    def oom_tasks():
        try:
            gdb.parse_and_eval("mem_cgroup_oom_synchronize")
            sync = True
        except gdb.error:
            sync = False
        found = 0
        for t in tasks():
            memcg = t["memcg_in_oom"]
            waits = sync and u64(t) != u64(current_task()) and "mem_cgroup_oom_synchronize" in stack_functions(t)
            if not u64(memcg) and not waits:
                continue
            found += 1
            where = cgroup_path(memcg["css"]["cgroup"]) if u64(memcg) else "-"
            gdb.write("task %s/%d %s: memcg_in_oom %s%s\n" % (comm(t), int(t["pid"]), state_char(t), where,
                      ", asleep in mem_cgroup_oom_synchronize()" if waits else ""))
        if not found:
            gdb.write("no task under a memory cgroup OOM%s\n"
                      % ("" if sync else " (no mem_cgroup_oom_synchronize() in this kernel)"))


STEP_SKIPS = ("include/arch/irqflags.h", "include/arch/barrier.h", "include/mm/vmstat.h",
              "kernel/locking/spinlock.c", "kernel/locking/lock_debug.c")


def skip_primitives():
    have = gdb.execute("info skip", to_string=True)
    for f in STEP_SKIPS:
        if f not in have:
            gdb.execute("skip file %s" % f, to_string=True)


skip_primitives()
Folio()
Current()
Dmesg()
Free()
Ps()
Bt()
Vmas()
PageTable()
Slabinfo()
Symbols()
Oom()
Memcg()
