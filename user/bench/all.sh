#!/bin/sh
# Run Folio's user benchmarks in the order and output format of their reference
# versions on Linux, linux-ref (an external tool, README.md "Linux as the
# reference"): one `BENCH name=... value=... unit=...` line each. tests/bench.py boots
# `init=/init -- /bin/sh /bench/all.sh`; arguments pick a subset (global_oom runs
# only when named: it takes all the VM's memory).
#
# As linux-ref's /init does: the console shows only the most urgent kernel lines
# while the benchmarks run (printing an OOM report on the serial console would be
# timed too), and global_oom may run, since this is a throwaway VM.
benches=${*:-getpid fault fork pipe}
export BENCH_ALLOW_GLOBAL_OOM=1
echo 1 > /proc/sys/kernel/printk
rc=0
for b in $benches; do
	/bench/$b || { echo "BENCH-FAIL name=$b rc=$?"; rc=1; }
done
exit $rc
