#!/usr/bin/env bash
# mixed.sh - the mixed workload of docs/PERFORMANCE.md: `saldo serve` on a
# fresh demo database answering what signed-in customers do (browse the
# catalog, read the balance and the transactions, ask for a bank-transfer
# top-up, order from the balance; weights in bench/wrk_mixed.lua), measured
# with wrk at 64 connections in the same run as GET /healthz, so the two
# requests/s figures sit side by side. bench/mixed_setup.mjs signs up
# BENCH_CUSTOMERS customers and funds them with staff adjustments, so every
# order of the run is paid from the balance. Prints requests/s, p50, p99 and
# server CPU per request of both, PASS/MISS against the p99 target, then
# stops the server (SIGTERM, exit 0 expected) and prints `saldo ledger verify`.
# Exits 0 on a miss; non-zero when it could not measure (setup failed, any
# error response or socket error during the run, the server did not exit 0,
# ledger verify failed).
#
# Environment: BENCH_DURATION (default 10s), BENCH_WARMUP (default 2s),
# BENCH_CONNECTIONS (default 64), BENCH_THREADS (wrk threads, default 2),
# BENCH_CUSTOMERS (default 16), BENCH_MIX (the weights of catalog, wallets,
# transactions, top-ups and orders, adding up to 100; default 40,25,20,10,5).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/build/saldo
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
CUSTOMERS=${BENCH_CUSTOMERS:-16}
MIX=${BENCH_MIX:-40,25,20,10,5}
FUND_MINOR=100000000000 # 1,000,000,000.00 EUR per customer: no order of the run can run short
TARGET_P99_MS=20

. bench/lib.sh
bench_serve mixed
if ! node bench/mixed_setup.mjs "$BASE" "$CUSTOMERS" "$FUND_MINOR" >"$TMP/customers" 2>"$TMP/setup.err"; then
  echo "mixed bench: could not prepare the run:"; cat "$TMP/setup.err" "$TMP/serve.log"; exit 1
fi


# One wrk run; prints "REQS_PER_S P50_MS P99_MS SERVER_CPU_US_PER_REQUEST" and
# keeps wrk's output in $TMP/wrk-NAME.log (and its BENCH line in .line).
measure() { # name path duration script
  local out cpu0 cpu1
  cpu0=$(server_cpu_s)
  out=$(SALDO_BENCH_CUSTOMERS=$TMP/customers SALDO_BENCH_RUN="$$-$1" SALDO_BENCH_MIX=$MIX \
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --timeout 5s --latency -s "$4" "$BASE$2" \
        2>"$TMP/wrk-$1.err")
  cpu1=$(server_cpu_s)
  bench_figures "mixed bench" "$1" "$cpu0" "$cpu1" "$out"
}

fail_run() { # name
  echo "mixed bench: the $1 run failed"; cat "$TMP/wrk-$1.err" 2>/dev/null; tail -20 "$TMP/serve.log"; exit 1
}

echo "mixed bench: saldo serve on 127.0.0.1:$PORT, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, after a $WARMUP warm-up on each; $CUSTOMERS customers"
echo "  mix: $MIX (catalog, wallets, transactions, bank-transfer top-ups, orders from the balance)"
measure warmup-healthz /healthz "$WARMUP" bench/wrk_report.lua >/dev/null || fail_run warmup-healthz
read -r H_RPS H_P50 H_P99 H_CPU < <(measure healthz /healthz "$DURATION" bench/wrk_report.lua) || true
[ -n "${H_RPS:-}" ] || fail_run healthz
measure warmup-mixed / "$WARMUP" bench/wrk_mixed.lua >/dev/null || fail_run warmup-mixed
read -r M_RPS M_P50 M_P99 M_CPU < <(measure mixed / "$DURATION" bench/wrk_mixed.lua) || true
[ -n "${M_RPS:-}" ] || fail_run mixed

ROW='  %-36s %8s req/s  p50 %6s ms  p99 %6s ms   [server CPU %s us/request]\n'
printf "$ROW" "GET /healthz" "$H_RPS" "$H_P50" "$H_P99" "$H_CPU"
printf "$ROW" "mixed workload" "$M_RPS" "$M_P50" "$M_P99" "$M_CPU"
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  printf "  (requests of the mixed run: %d catalog, %d wallets, %d transactions, %d top-ups, %d orders)\n",
    v["catalog"], v["wallets"], v["transactions"], v["topup"], v["order"] }' "$TMP/wrk-mixed.line"
printf '  %-36s %8s     (target %s %s)  %s   [%s req/s; /healthz %s req/s in the same run]\n' \
  "mixed p99 at $CONNECTIONS connections" "$M_P99 ms" "<" "$TARGET_P99_MS ms" \
  "$(awk -v a="$M_P99" -v b="$TARGET_P99_MS" 'BEGIN { print (a < b) ? "PASS" : "MISS" }')" "$M_RPS" "$H_RPS"

# Where the time goes, by route: the server's own histograms (GET /metrics;
# from the first byte of a request to its answer sent, warm-up included).
curl -s "$BASE/metrics" >"$TMP/metrics"
awk '
  /^saldo_http_request_duration_seconds_(bucket|sum|count)\{/ && /route="\/(api\/v1\/(catalog|orgs\/\{org_id\}\/(wallets|transactions|topups|orders)))"/ {
    match($0, /method="[A-Z]+",route="[^"]+"/); key = substr($0, RSTART, RLENGTH); gsub(/method="|route="|"/, "", key); sub(/,/, " ", key)
    if ($0 ~ /_sum\{/) sum[key] = $2; else if ($0 ~ /_count\{/) cnt[key] = $2
    else { match($0, /le="[^"]+"/); le = substr($0, RSTART + 4, RLENGTH - 5); n[key]++; les[key, n[key]] = le; cum[key, n[key]] = $2 }
  }
  END {
    for (k in cnt) {
      if (cnt[k] == 0) continue
      p99 = "+Inf"
      for (i = 1; i <= n[k]; i++) if (cum[k, i] >= 0.99 * cnt[k]) { p99 = les[k, i] * 1000; break }
      printf "  server time %-40s %7d requests, mean %6.2f ms, 99%% within %s ms\n", k, cnt[k], sum[k] * 1000 / cnt[k], p99
    }
  }' "$TMP/metrics" | sort
bench_require_2xx "mixed bench" "$TMP/metrics"
awk '/^saldo_group_commit_(groups|members|failed)_total / { v[$1] = $2 }
  END { g = v["saldo_group_commit_groups_total"]; m = v["saldo_group_commit_members_total"]
        if (g > 0) printf "  group commit: %d groups of %.1f members on average, %d failed\n", g, m / g, v["saldo_group_commit_failed_total"] }' "$TMP/metrics"

kill -TERM "$SERVER_PID"
STATUS=0
wait "$SERVER_PID" || STATUS=$?
SERVER_PID=
if [ "$STATUS" -ne 0 ]; then
  echo "mixed bench: saldo serve exited $STATUS on SIGTERM:"; tail -20 "$TMP/serve.log"; exit 1
fi
if ! VERIFY=$("$BIN" ledger verify --database "$DB" 2>&1); then
  echo "mixed bench: ledger verify failed:"; printf '%s\n' "$VERIFY"; exit 1
fi
printf '%s\n' "$VERIFY" | sed 's/^/  ledger verify: /'
