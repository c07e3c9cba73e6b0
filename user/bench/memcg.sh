#!/bin/sh
# The cost of charging: the fault benchmark (FAULT, default /bench/fault) run
# ROUNDS times (default 5) in the root cgroup and in a child memory cgroup,
# alternately, as `fault_root` and `fault_memcg` BENCH lines. The same
# script runs on Folio (tests/bench.py) and on Linux 6.1 (in linux-ref, the external
# tool of README.md, "Linux as the reference"),
# with cgroup2 on /sys/fs/cgroup and 4 KiB pages (transparent huge pages off).
fault=${1:-/bench/fault}
rounds=${2:-5}
cg=/sys/fs/cgroup
grep -q " $cg cgroup2 " /proc/mounts || mount -t cgroup2 none $cg || exit 1
echo never > /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null
echo +memory > $cg/cgroup.subtree_control || exit 1
mkdir -p $cg/bench-memcg || exit 1
rc=0
i=0
while [ $i -lt "$rounds" ]; do
	$fault fault_root || rc=1
	sh -c "echo \$\$ > $cg/bench-memcg/cgroup.procs && exec $fault fault_memcg" || rc=1
	i=$((i + 1))
done
rmdir $cg/bench-memcg
exit $rc
