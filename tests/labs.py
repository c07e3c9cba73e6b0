"""The labs (docs/labs/): what each one's grader runs, and for how many points.

One table, read by the grader (tests/grade.py, `make grade LAB=name`), the
skeleton tool (tools/lab.py, `make lab LAB=name`) and the test suite
(tests/run.py checks that the solution passes every lab and that each
skeleton builds and fails its grader).

A lab has a name (the LAB markers in the source use it: tools/lab.py), a
number (its handout is docs/labs/NN-name.md, its teacher notes
docs/labs/teacher/NN-name.md), and graded tests of three kinds:
  ktest      an in-kernel test (KTEST(name)); all of a lab's run in one boot,
             with ktest=GLOB, so they must all match the lab's ktest_glob (globs
             separated by commas)
  usertest   a test of /bin/usertests (user/usertests/); all of a lab's run in
             one boot, as init
  scenario   a scenario of tests/run.py (its own VM)
A lab without in-kernel tests has an empty ktest_glob.
"""
import dataclasses
from typing import List, Optional


@dataclasses.dataclass
class Graded:
    points: int
    ktest: Optional[str] = None
    usertest: Optional[str] = None
    scenario: Optional[str] = None

    @property
    def name(self):
        return self.ktest or ("usertests: " + self.usertest if self.usertest else self.scenario)


@dataclasses.dataclass
class Lab:
    name: str
    number: int
    title: str
    ktest_glob: str
    tests: List[Graded]

    @property
    def handout(self):
        return "docs/labs/%02d-%s.md" % (self.number, self.name)

    @property
    def notes(self):
        return "docs/labs/teacher/%02d-%s.md" % (self.number, self.name)

    @property
    def points(self):
        return sum(t.points for t in self.tests)


K = lambda name, points: Graded(points, ktest=name)
U = lambda name, points: Graded(points, usertest=name)
S = lambda name, points: Graded(points, scenario=name)

LABS = [
    Lab("buddy", 1, "The page allocator: splitting and merging buddies", "buddy_*", [
        K("buddy_split_merge", 25), K("buddy_alignment", 15), K("buddy_merge_same_order_only", 10),
        K("buddy_watermarks", 10), K("buddy_double_free", 10), K("buddy_exhaustion", 10),
        K("buddy_order_too_large", 5), K("buddy_gfp_zero", 5), K("buddy_poison", 5), U("forkbomb", 5),
    ]),
    Lab("cow", 2, "Page faults: demand paging and copy-on-write", "fault_*", [
        K("fault_anon_read", 10), K("fault_anon_write", 5), K("fault_present_again", 5),
        K("fault_shared_anon_kind", 5), K("fault_cow_copies", 15), K("fault_cow_reuses", 10),
        K("fault_shared_no_copy", 5),
        U("fork_exit", 5), U("cow", 10), U("cow_chain", 10), U("mmap_anon", 5), U("brk", 5),
        U("stack_growth", 5), U("forkbomb", 5),
    ]),
    Lab("rwsem", 3, "mmap_lock and the read/write semaphore", "rwsem_*", [
        K("rwsem_readers_share", 5), K("rwsem_writer_excludes", 5), K("rwsem_trylock_states", 10),
        K("rwsem_writer_before_later_readers", 20), K("rwsem_down_write_killable_sigkill", 10),
        K("rwsem_down_read_killable_sigkill", 5), K("rwsem_downgrade_write", 15),
        K("rwsem_readers_woken_together", 20), U("threads", 5), S("proc-maps-reader-killable", 5),
    ]),
    Lab("signals", 4, "Signals: the handler's frame, sigreturn and restarts", "signal_*", [
        K("signal_frame_layout", 5), K("signal_frame_and_sigreturn", 20),
        K("signal_syscall_restart", 10), K("signal_sigaltstack", 5), K("signal_sigsuspend_mask", 5),
        U("sig_handler", 10), U("sig_nested", 5), U("sig_regs", 10), U("sig_mask", 5),
        U("sig_eintr", 10), U("sig_restart", 10), U("sigchld", 5),
    ]),
    Lab("memcg", 5, "Memory cgroups: charging, the page counter hierarchy and the memcg OOM unwind",
        "page_counter_*,memcg_*", [
        K("page_counter_hierarchy", 15), K("page_counter_peak_and_limits", 5), K("page_counter_underflow_warns", 5),
        K("memcg_limit_and_uncharge_once", 5), K("memcg_hierarchy_and_dying", 5), K("memcg_events_hierarchy", 10),
        U("memcg_current", 5), U("memcg_limit", 5), U("memcg_parent_limit", 5), U("memcg_charges_stay", 5),
        S("memcg-oom-deadlocks", 20), S("memcg-one-oom", 10), S("memcg-oom-deadlocks-trap", 5),
    ]),
    Lab("reaper", 6, "The OOM reaper and the exit_mmap() handshake", "", [
        S("oom-handshake", 25), S("oom-reaper-first", 20), S("oom-exit-first", 20), S("oom-unreapable", 15),
        S("oom-stuck", 10), S("oom-reaper-mmget", 10),
    ]),
]


def find(name) -> Optional[Lab]:
    return next((lab for lab in LABS if lab.name == name), None)
