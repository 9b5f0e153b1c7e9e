#!/usr/bin/env bash
# group_commit.sh - does group commit (src/store/db_group.h) lift durable
# orders from the balance above one fsync per request? In one run, on one
# disk (var/bench/, never a tmpfs):
#   (a) the one-fsync-per-request ceiling: build/bench/commit_bench, single-row
#       durable commits in a loop on a fresh SQLite file (WAL, synchronous=FULL);
#   (b) wrk at 64 connections of POST /api/v1/orgs/{org}/orders paid from the
#       balance (unique Idempotency-Key each; customers signed up and funded
#       by bench/mixed_setup.mjs), with group commit off, then on (the same
#       database, the server restarted with --store-group-commit off / on).
# Prints orders/s, p50, p99 and server CPU per order of each, the average
# group size (GET /metrics: members / groups), the ratio on / (a) with
# PASS/MISS against 3, then stops the server (SIGTERM, exit 0) and prints
# `saldo ledger verify`. Exits 0 on a miss; non-zero when it could not
# measure (setup failed, any error answer or socket error, the server did
# not exit 0, ledger verify failed).
#
# Environment: BENCH_DURATION (10s), BENCH_WARMUP (2s), BENCH_CONNECTIONS
# (64), BENCH_THREADS (wrk threads, 2), BENCH_CUSTOMERS (16), BENCH_COMMITS
# (commits of (a), 3000), BENCH_GROUP_MS (store.group_commit_ms of the "on"
# run, 2), BENCH_PG_URL (an admin URL of a PostgreSQL server, e.g. the
# cluster of scripts/pg-test-cluster.sh: then (a) and the server run there,
# in a database made for the run and dropped after it; synchronous_commit
# stays as the server has it, on by default).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/build/saldo
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
CUSTOMERS=${BENCH_CUSTOMERS:-16}
COMMITS=${BENCH_COMMITS:-3000}
GROUP_MS=${BENCH_GROUP_MS:-2}
FUND_MINOR=1000000000 # 10,000,000.00 EUR per customer: no order of the run can run short (on PostgreSQL the mixed benchmark's 1,000,000,000.00 fails: "value -100000000000 is out of range for type integer")
TARGET_RATIO=3

mkdir -p "$ROOT/var/bench"
export TMPDIR=$ROOT/var/bench # the server's database on the disk under test
. bench/lib.sh
ninja -C build bench/commit_bench >/dev/null
if [ -n "${BENCH_PG_URL:-}" ]; then
  PG_NAME=saldo_bench_group_$$
  psql -q "$BENCH_PG_URL" -c "CREATE DATABASE $PG_NAME" >/dev/null
  export BENCH_DB_URL=${BENCH_PG_URL%/*}/$PG_NAME
  drop_pg() { bench_cleanup; psql -q "$BENCH_PG_URL" -c "DROP DATABASE IF EXISTS $PG_NAME" >/dev/null 2>&1 || true; }
fi
bench_serve group --store-group-commit off
if [ -n "${BENCH_PG_URL:-}" ]; then trap drop_pg EXIT; fi
if ! node bench/mixed_setup.mjs "$BASE" "$CUSTOMERS" "$FUND_MINOR" >"$TMP/customers" 2>"$TMP/setup.err"; then
  echo "group commit bench: could not prepare the run:"; cat "$TMP/setup.err" "$TMP/serve.log"; exit 1
fi

wait_ready() {
  for _ in $(seq 200); do
    curl -fs "$BASE/healthz" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "group commit bench: the server did not start:"; tail -20 "$TMP/serve.log"; exit 1
}

# One wrk run of orders only; prints "ORDERS_PER_S P50_MS P99_MS SERVER_CPU_US_PER_ORDER".
measure() { # name duration
  local out cpu0 cpu1
  cpu0=$(server_cpu_s)
  out=$(SALDO_BENCH_CUSTOMERS=$TMP/customers SALDO_BENCH_RUN="$$-$1" SALDO_BENCH_MIX=0,0,0,0,100 \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --timeout 5s --latency -s bench/wrk_mixed.lua "$BASE/" \
        2>"$TMP/wrk-$1.err")
  cpu1=$(server_cpu_s)
  bench_figures "group commit bench" "$1" "$cpu0" "$cpu1" "$out"
}

fail_run() { # name
  echo "group commit bench: the $1 run failed"; cat "$TMP/wrk-$1.err" 2>/dev/null; tail -20 "$TMP/serve.log"; exit 1
}

# Saves the server's /metrics in $TMP/metrics-NAME and prints its "GROUPS MEMBERS".
group_counts() { # name
  curl -fs "$BASE/metrics" >"$TMP/metrics-$1"
  awk '$1 == "saldo_group_commit_groups_total" { g = $2 }
    $1 == "saldo_group_commit_members_total" { m = $2 } END { print g + 0, m + 0 }' "$TMP/metrics-$1"
}

echo "group commit bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), database ${BENCH_DB_URL:-under $TMPDIR}"
echo "  wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency of POST .../orders from the balance, after a $WARMUP warm-up; $CUSTOMERS customers"

read -r _ C_N C_S C_RATE < <("$ROOT/build/bench/commit_bench" "${BENCH_DB_URL:-sqlite:$TMP/commits.db}" "$COMMITS") ||
  { echo "group commit bench: commit_bench failed"; exit 1; }
rm -f "$TMP"/commits.db*

measure warmup-off "$WARMUP" >/dev/null || fail_run warmup-off
read -r OFF_RPS OFF_P50 OFF_P99 OFF_CPU < <(measure off "$DURATION") || true
[ -n "${OFF_RPS:-}" ] || fail_run off
curl -fs "$BASE/metrics" >"$TMP/metrics-off"
bench_require_2xx "group commit bench" "$TMP/metrics-off"
bench_stop "group commit bench"

bench_start --store-group-commit on --store-group-commit-ms "$GROUP_MS"
wait_ready
measure warmup-on "$WARMUP" >/dev/null || fail_run warmup-on
read -r G0 M0 < <(group_counts before)
read -r ON_RPS ON_P50 ON_P99 ON_CPU < <(measure on "$DURATION") || true
[ -n "${ON_RPS:-}" ] || fail_run on
read -r G1 M1 < <(group_counts on)
bench_require_2xx "group commit bench" "$TMP/metrics-on"

ROW='  %-44s %8s /s  p50 %6s ms  p99 %6s ms   [server CPU %s us/order]\n'
printf '  %-44s %8s /s  (%s commits in %s s)\n' "(a) single-row durable commits, one per tx" "$C_RATE" "$C_N" "$C_S"
printf "$ROW" "(b) orders from the balance, group commit off" "$OFF_RPS" "$OFF_P50" "$OFF_P99" "$OFF_CPU"
printf "$ROW" "(b) orders from the balance, group commit on" "$ON_RPS" "$ON_P50" "$ON_P99" "$ON_CPU"
awk -v g="$((G1 - G0))" -v m="$((M1 - M0))" -v ms="$GROUP_MS" 'BEGIN {
  printf "  %-44s %8.1f     (%d transactions in %d groups; store.group_commit_ms = %s)\n",
    "average group size (on)", g ? m / g : 0, m, g, ms }'
awk -v on="$ON_RPS" -v off="$OFF_RPS" -v a="$C_RATE" -v t="$TARGET_RATIO" 'BEGIN {
  r = on / a
  printf "  %-44s %8.2f     (target >= %d)  %s   [off / (a) = %.2f; on / off = %.2f]\n",
    "orders on / (a) commits", r, t, (r >= t) ? "PASS" : "MISS", off / a, on / off }'

bench_stop "group commit bench"
if ! VERIFY=$("$BIN" ledger verify --database "$DB" 2>&1); then
  echo "group commit bench: ledger verify failed:"; printf '%s\n' "$VERIFY"; exit 1
fi
printf '%s\n' "$VERIFY" | sed 's/^/  ledger verify: /'
