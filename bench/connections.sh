#!/usr/bin/env bash
# connections.sh - the peak memory of `saldo serve` holding 1,000 concurrent
# keep-alive connections (docs/PERFORMANCE.md). A fresh demo database, the
# server on a free loopback port with its defaults (one worker thread per core,
# libmicrohttpd's epoll, a limit of 4,096 connections), the demo customer
# signed in (bench/http_setup.mjs), then bench/connections.mjs opens
# BENCH_CONNS connections at once and keeps them all open for BENCH_HOLD
# seconds, each asking for /healthz or the wallets about once a second. Prints
# the server's resident memory before, and its peak while the connections are
# open (VmHWM of /proc/PID/status, reset after the sign-in, whose Argon2id hash
# alone takes some 64 MB for a moment) with PASS/MISS against 100 MB. Exits 0 on a miss; non-zero when it could not
# measure (a connection refused, closed early or answered with an error).
#
# Environment: BENCH_CONNS (default 1000), BENCH_HOLD (seconds, default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/build/saldo
CONNS=${BENCH_CONNS:-1000}
HOLD=${BENCH_HOLD:-5}
TARGET_MB=100

# Each connection is a descriptor in the client and one in the server: raise
# the soft limit up to the hard one when it is short.
NEED=$((CONNS + 256))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$NEED" ]; then
  ulimit -n "$NEED" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi

. bench/lib.sh
bench_serve conns

# A line of /proc/PID/status (VmRSS, VmHWM) in MB.
server_mem_mb() {
  awk -v k="$1:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status"
}

if ! SETUP=$(node bench/http_setup.mjs "$BASE" mario.rossi@example.com saldo-demo-1 2>"$TMP/setup.err"); then
  echo "connections bench: could not prepare the run:"; cat "$TMP/setup.err" "$TMP/serve.log"; exit 1
fi
read -r TOKEN ORG <<<"$SETUP"

echo "connections bench: saldo serve on 127.0.0.1:$PORT, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), ulimit -n $(ulimit -n)"
echo "  $CONNS keep-alive connections opened at once, held ${HOLD} s, each asking /healthz or the wallets about once a second"
RSS0=$(server_mem_mb VmRSS)
HWM0=$(server_mem_mb VmHWM)
# The sign-in's password hash (Argon2id) takes some 64 MB for a moment, before
# any connection: start the peak afresh ("5" resets VmHWM to the present RSS),
# so VmHWM below is the connections' own.
echo 5 >"/proc/$SERVER_PID/clear_refs" || { echo "connections bench: cannot reset VmHWM"; exit 1; }
# The server's resident memory every 100 ms while the client runs.
( while kill -0 "$SERVER_PID" 2>/dev/null; do server_mem_mb VmRSS; echo; sleep 0.1; done ) >"$TMP/rss" &
SAMPLER_PID=$!
if ! LINE=$(node bench/connections.mjs 127.0.0.1 "$PORT" "$CONNS" "$HOLD" "$TOKEN" "$ORG" 2>"$TMP/client.err"); then
  echo "connections bench: the connections failed: $LINE"; cat "$TMP/client.err"; tail -20 "$TMP/serve.log"; exit 1
fi
kill "$SAMPLER_PID"; wait "$SAMPLER_PID" 2>/dev/null || true
RSS1=$(server_mem_mb VmRSS)
RSS_MAX=$(awk 'NF && $1 > m { m = $1 } END { printf "%.1f", m }' "$TMP/rss")
# VmHWM, or the highest sample when that is above it (the kernel updates its
# counters in batches).
HWM=$(awk -v a="$(server_mem_mb VmHWM)" -v b="$RSS_MAX" 'BEGIN { printf "%.1f", (a > b ? a : b) }')
awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  printf "  %d connections open (all within %d ms), %d requests sent over them, every answer 200, none closed early\n",
    v["opened"], v["max_open_ms"], v["requests"] }' <<<"$LINE"
echo "  server resident memory: $RSS0 MB before (peak $HWM0 MB so far: the sign-in's Argon2id), at most $RSS_MAX MB"
echo "  in 100 ms samples while they were open, $RSS1 MB after they closed"
printf '  %-36s %8s     (target %s %s)  %s\n' "serve peak RSS at $CONNS connections" "$HWM MB" "<" \
  "$TARGET_MB MB" "$(awk -v a="$HWM" -v b="$TARGET_MB" 'BEGIN { print (a < b) ? "PASS" : "MISS" }')"
