#!/bin/sh
# Run Folio's user benchmarks in ../shared/linux-ref's order and output format
# (one `BENCH name=... value=... unit=...` line each). tests/bench.py boots
# `init=/init -- /bin/sh /bench/all.sh`; arguments pick a subset.
benches=${*:-getpid fault fork pipe}
rc=0
for b in $benches; do
	/bench/$b || { echo "BENCH-FAIL name=$b rc=$?"; rc=1; }
done
exit $rc
