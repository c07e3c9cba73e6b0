#!/bin/sh
# Run Folio's user benchmarks in the order and output format of their reference
# versions on Linux, linux-ref (an external tool, README.md "Linux as the
# reference"): one `BENCH name=... value=... unit=...` line each. tests/bench.py boots
# `init=/init -- /bin/sh /bench/all.sh`; arguments pick a subset.
benches=${*:-getpid fault fork pipe}
rc=0
for b in $benches; do
	/bench/$b || { echo "BENCH-FAIL name=$b rc=$?"; rc=1; }
done
exit $rc
