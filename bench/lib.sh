# lib.sh - what the HTTP benchmarks share (sourced, not run): saldo built, a
# demo database in a temporary folder served on a free loopback port with
# logging at warn, and both cleaned up on exit. After bench_serve NAME:
# TMP (the folder), DB, PORT, BASE and SERVER_PID are set.

bench_cleanup() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}

bench_free_port() {
  node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => {
    console.log(s.address().port); s.close(); });"
}

bench_serve() { # name [serve options...]
  if [ ! -f build/build.ninja ]; then meson setup build >/dev/null; fi
  ninja -C build saldo >/dev/null
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/saldo-bench-$1.XXXXXX")
  SERVER_PID=
  trap bench_cleanup EXIT
  DB=${BENCH_DB_URL:-sqlite:$TMP/saldo.db} # BENCH_DB_URL: an empty database elsewhere (PostgreSQL)
  "$BIN" demo --database "$DB" >/dev/null
  shift
  bench_start "$@"
}

# (Re)starts saldo serve on $DB on a new free port, with more serve options
# if given (bench/group_commit.sh: --store-group-commit off); sets PORT, BASE
# and SERVER_PID, appends to $TMP/serve.log.
bench_start() { # [serve options...]
  PORT=$(bench_free_port)
  BASE=http://127.0.0.1:$PORT
  (cd "$TMP" && exec "$BIN" serve --database "$DB" --listen "127.0.0.1:$PORT" --base-url "$BASE" \
    --log-level warn "$@") >>"$TMP/serve.log" 2>&1 &
  SERVER_PID=$!
}

# Stops the server with SIGTERM; it must exit 0 (else the log's end and exit 1).
bench_stop() { # what (for the message)
  local status=0
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || status=$?
  SERVER_PID=
  if [ "$status" -ne 0 ]; then
    echo "$1: saldo serve exited $status on SIGTERM:"; tail -20 "$TMP/serve.log"; exit 1
  fi
}

# CPU seconds the server has used so far (user + system), from /proc.
server_cpu_s() {
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$SERVER_PID/stat"
}

# The figures of one wrk run: keeps wrk's output in $TMP/wrk-NAME.log and its
# BENCH line (from wrk_report.lua or wrk_mixed.lua) in .line, and prints
# "REQS_PER_S P50_MS P99_MS SERVER_CPU_US_PER_REQUEST"; fails on an error
# answer or a socket error. cpu0/cpu1: server_cpu_s before and after.
bench_figures() { # bench-name run-name cpu0 cpu1 wrk-output
  local line
  printf '%s\n' "$5" >"$TMP/wrk-$2.log"
  line=$(grep '^BENCH ' <<<"$5") || { echo "$1: wrk gave no figures for $2" >&2; return 1; }
  printf '%s\n' "$line" >"$TMP/wrk-$2.line"
  awk -v bench="$1" -v name="$2" -v cpu="$(awk -v a="$3" -v b="$4" 'BEGIN { print b - a }')" '{
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    if (v["non2xx"] > 0 || v["socket_errors"] > 0) {
      printf "%s: %s had %d error responses and %d socket errors\n", bench, name, v["non2xx"],
        v["socket_errors"] > "/dev/stderr"; exit 1
    }
    printf "%.0f %.2f %.2f %.1f\n", v["requests"] / (v["duration_us"] / 1e6), v["p50_us"] / 1000,
      v["p99_us"] / 1000, cpu * 1e6 / v["requests"]
  }' <<<"$line"
}

# Exits 1 (with the counts and the log's end) when the server answered a
# request of the mixed workload's routes with other than a 2xx, by its own
# counts by status class in GET /metrics (wrk itself counts only 4xx and 5xx).
bench_require_2xx() { # bench-name metrics-file
  if ! awk -v bench="$1" '/^saldo_http_requests_total\{/ && !/code="2xx"/ &&
        /route="\/api\/v1\/(catalog|orgs\/\{org_id\}\/(wallets|transactions|topups|orders))"/ {
        print bench ": answers that are not 2xx: " $0; bad = 1 } END { exit bad }' "$2"; then
    tail -20 "$TMP/serve.log"; exit 1
  fi
}
