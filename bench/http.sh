#!/usr/bin/env bash
# http.sh - how many requests per second `saldo serve` answers, and how fast,
# on a cheap route (GET /healthz: no database) and on an authenticated read
# (GET /api/v1/orgs/{org}/wallets: session lookup, membership check, wallet
# query, JSON). A fresh demo database in a temporary folder, the server on a
# free loopback port with logging at warn, wrk with 64 connections. Prints the
# figures and PASS/MISS against the targets of docs/PERFORMANCE.md; exits 0 on
# a miss (benchmarks report, tests assert) and non-zero only when it could not
# measure (no server, failed sign-in, error responses during the run).
#
# Environment: BENCH_DURATION (default 10s), BENCH_WARMUP (default 2s),
# BENCH_CONNECTIONS (default 64), BENCH_THREADS (wrk threads, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/build/saldo
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
TARGET_RATIO=0.60 # wallets req/s over healthz req/s, at least
TARGET_P99_MS=10  # p99 latency, below

. bench/lib.sh
bench_serve http
if ! SETUP=$(node bench/http_setup.mjs "$BASE" mario.rossi@example.com saldo-demo-1 2>"$TMP/setup.err"); then
  echo "http bench: could not prepare the run:"; cat "$TMP/setup.err" "$TMP/serve.log"; exit 1
fi
read -r TOKEN ORG <<<"$SETUP"


# One wrk run; prints "REQS_PER_S P50_MS P99_MS SERVER_CPU_US_PER_REQUEST", the
# first three from wrk_report.lua's line. token: sent as a bearer token, or "".
measure() { # name path duration token
  local out cpu0 cpu1
  cpu0=$(server_cpu_s)
  out=$(SALDO_BENCH_TOKEN=$4 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --timeout 5s --latency \
        -s bench/wrk_report.lua "$BASE$2")
  cpu1=$(server_cpu_s)
  bench_figures "http bench" "$1" "$cpu0" "$cpu1" "$out"
}

# PASS when "A OP B" holds (OP: < or >=), else MISS.
verdict() { awk -v a="$1" -v b="$3" "BEGIN { print ((a $2 b) ? \"PASS\" : \"MISS\") }"; }

echo "http bench: saldo serve on 127.0.0.1:$PORT, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, after a $WARMUP warm-up on each route"
WALLETS=/api/v1/orgs/$ORG/wallets
measure warmup-healthz /healthz "$WARMUP" "" >/dev/null
read -r H_RPS H_P50 H_P99 H_CPU < <(measure healthz /healthz "$DURATION" "") || true
measure warmup-wallets "$WALLETS" "$WARMUP" "$TOKEN" >/dev/null
read -r W_RPS W_P50 W_P99 W_CPU < <(measure wallets "$WALLETS" "$DURATION" "$TOKEN") || true
[ -n "${W_RPS:-}" ] && [ -n "${H_RPS:-}" ] || { echo "http bench: a run failed"; exit 1; }

ROW='  %-36s %8s req/s  p50 %6s ms  p99 %6s ms   [server CPU %s us/request]\n'
printf "$ROW" "GET /healthz" "$H_RPS" "$H_P50" "$H_P99" "$H_CPU"
printf "$ROW" "GET /api/v1/orgs/$ORG/wallets" "$W_RPS" "$W_P50" "$W_P99" "$W_CPU"
RATIO=$(awk -v w="$W_RPS" -v h="$H_RPS" 'BEGIN { printf "%.2f", (h > 0 ? w / h : 0) }')
CPU_RATIO=$(awk -v w="$W_CPU" -v h="$H_CPU" 'BEGIN { printf "%.2f", (w > 0 ? h / w : 0) }')
TARGET='  %-36s %8s     (target %s %s)  %s\n'
printf "$TARGET" "http wallets/healthz req/s" "$RATIO" ">=" "$TARGET_RATIO" "$(verdict "$RATIO" ">=" "$TARGET_RATIO")"
printf "$TARGET" "http wallets p99 at $CONNECTIONS connections" "$W_P99 ms" "<" "$TARGET_P99_MS ms" \
  "$(verdict "$W_P99" "<" "$TARGET_P99_MS")"
printf "$TARGET" "http healthz p99 at $CONNECTIONS connections" "$H_P99 ms" "<" "$TARGET_P99_MS ms" \
  "$(verdict "$H_P99" "<" "$TARGET_P99_MS")"
echo "  (the same ratio from server CPU time per request: $CPU_RATIO; wrk shares the cores, so req/s mixes in its cost)"
