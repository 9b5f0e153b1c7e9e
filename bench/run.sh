#!/usr/bin/env bash
# run.sh - `make bench`: builds saldo, runs the ledger, billing-run and
# invoice PDF benchmarks on a disk-backed folder (var/bench/, never a tmpfs: fsync has to
# reach a disk for the figures to mean anything), the HTTP benchmark, the mixed
# workload, the 1,000-connection memory benchmark, group commit and, with
# BENCH_PG=1, the billing run on PostgreSQL with two nodes, then
# prints every target with PASS or MISS. Exits 0 on misses (benchmarks report, tests
# assert); non-zero only when a benchmark could not run. See docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if [ ! -f build/build.ninja ]; then meson setup build >/dev/null; fi
ninja -C build saldo bench/ledger_bench bench/billing_run_bench bench/invoices_bench >/dev/null

mkdir -p var/bench
WORK=$(mktemp -d "$ROOT/var/bench/run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
FS=$(stat -f -c %T "$WORK")
if [ "$FS" = tmpfs ] || [ "$FS" = ramfs ]; then
  echo "bench: $WORK is on $FS: the ledger figures would not include real fsyncs" >&2
fi

echo "saldo benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo '+changes')"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ledger database folder: $WORK ($FS)"
echo

build/bench/ledger_bench "$WORK" | tee "$WORK/ledger.out"
echo
# BENCH_SERVICES (default 1,000,000) for a quicker run.
build/bench/billing_run_bench "$WORK" --services "${BENCH_SERVICES:-1000000}" | tee "$WORK/billing.out"
echo
build/bench/invoices_bench | tee "$WORK/invoices.out"
echo
bench/http.sh | tee "$WORK/http.out"
echo
bench/mixed.sh | tee "$WORK/mixed.out"
echo
bench/connections.sh | tee "$WORK/connections.out"
echo
bench/group_commit.sh | tee "$WORK/group_commit.out"
# The billing run on PostgreSQL with two nodes takes about 20 minutes at
# 1,000,000 services on this machine: only when asked (BENCH_PG=1).
if [ "${BENCH_PG:-0}" = 1 ]; then
  echo
  bench/billing_run_pg.sh | tee "$WORK/billing_pg.out"
fi

echo
echo "summary"
grep -h -E 'PASS|MISS' "$WORK/ledger.out" "$WORK/billing.out" "$WORK/invoices.out" "$WORK/http.out" \
  "$WORK/mixed.out" "$WORK/connections.out" "$WORK/group_commit.out" | sed -E 's/^ +/  /'
