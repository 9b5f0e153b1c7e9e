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
