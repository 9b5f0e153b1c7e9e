#!/usr/bin/env bash
# Builds saldo twice (plain, and with AddressSanitizer + UBSan), runs every test
# suite against each build and closes with one line: `N passed, N failed`.
# Full logs land in test-output/; failures are printed here as well.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/test-output
rm -rf "$OUT"; mkdir -p "$OUT"
PASSED=0
FAILED=0

count() { # suite-name passed failed
  PASSED=$((PASSED + $2)); FAILED=$((FAILED + $3))
  printf '%-28s %4d passed, %d failed\n' "$1" "$2" "$3"
}

build() { # dir [meson options...]
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >"$OUT/$dir-setup.log" 2>&1 || { cat "$OUT/$dir-setup.log"; return 1; }
  fi
  ninja -C "$dir" >"$OUT/$dir-build.log" 2>&1 || { tail -50 "$OUT/$dir-build.log"; return 1; }
}

# Runs every cmocka test_* binary of a build, counting TAP lines.
run_unit() { # build-dir label
  run_unit_dir "$1/tests" "$2"
}
run_unit_dir() { # folder label
  local p=0 f=0 bin log
  while IFS= read -r bin; do
    log="$OUT/$2-$(basename "$bin").tap"
    (cd "$ROOT" && CMOCKA_MESSAGE_OUTPUT=TAP timeout 600 "$bin") >"$log" 2>&1
    local rc=$? tp tf
    # a test skipped where it does not apply (one store's case) is neither
    tp=$(grep -E '^ok ' "$log" | grep -vc '# SKIP'); tf=$(grep -E '^not ok ' "$log" | grep -vc '# SKIP')
    if [ "$rc" -ne 0 ] && [ "$tf" -eq 0 ]; then tf=1; fi
    if [ "$tf" -ne 0 ]; then echo "--- $bin (exit $rc)"; tail -40 "$log"; fi
    p=$((p + tp)); f=$((f + tf))
  done < <(find "$1" -type f -executable -name 'test_*' | sort)
  count "$2" "$p" "$f"
}

# Runs node:test suites against one saldo binary (default: all of tests/e2e).
run_e2e() { # build-dir label [glob]
  local files=(${3:-tests/e2e/*.test.mjs})
  [ -e "${files[0]}" ] || return 0
  local log="$OUT/$2.tap"
  E2E_SALDO_BIN="$ROOT/$1/saldo" E2E_OUT="$OUT/$2" \
    timeout 1800 node --test --test-concurrency=1 --test-reporter=tap "${files[@]}" >"$log" 2>&1
  local rc=$? tp tf
  tp=$(grep -E '^# pass ' "$log" | tail -1 | awk '{print $3}'); tf=$(grep -E '^# fail ' "$log" | tail -1 | awk '{print $3}')
  tp=${tp:-0}; tf=${tf:-0}
  if [ "$rc" -ne 0 ] && [ "$tf" -eq 0 ]; then tf=1; fi
  if [ "$tf" -ne 0 ]; then echo "--- $2 (exit $rc)"; grep -B2 -A30 -E '^\s*not ok' "$log" | head -200; fi
  count "$2" "$tp" "$tf"
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0

# `check.sh --fuzz-only` (make fuzz) skips the unit and end-to-end suites.
VARIANTS="plain sanitize"; [ "${1:-}" = --fuzz-only ] && VARIANTS=
for variant in $VARIANTS; do
  if [ $variant = plain ]; then dir=build; opts=(); else
    dir=build-san; opts=(-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug); fi
  if build "$dir" "${opts[@]}"; then
    run_unit "$dir" "unit ($variant)"
    run_e2e "$dir" "api+browser ($variant)"
    # kill -9 under load: once, on the plain build (the sanitizers see nothing more in it)
    [ $variant = plain ] && run_e2e "$dir" "crash (sqlite)" tests/crash/crash.test.mjs
  else
    count "build ($variant)" 0 1
  fi
done

# The API suites again on PostgreSQL 15: a throwaway cluster on loopback.
run_pg() {
  local dir
  if ! dir=$(scripts/pg-test-cluster.sh start 2>"$OUT/pg-start.log"); then
    cat "$OUT/pg-start.log"; count "api (postgresql)" 0 1; return
  fi
  local url; url=$(cat "$dir/url")
  STORE_TEST_PG_URL=$url run_unit_dir build/tests/store "store (postgresql)"
  E2E_PG_URL=$url run_e2e build "api (postgresql)" "$(ls tests/e2e/*.test.mjs | grep -v /browser_ | tr '\n' ' ')"
  E2E_PG_URL=$url run_e2e build "crash (postgresql)" tests/crash/crash.test.mjs
  scripts/pg-test-cluster.sh stop "$dir"
}
[ -n "$VARIANTS" ] && [ -f build/saldo ] && run_pg

# Every fuzz target runs briefly over its committed corpus (longer: `make fuzz`).
run_fuzz() { # build-dir seconds
  local p=0 f=0 bin name log work
  for bin in "$1"/tests/fuzz/fuzz_*; do
    [ -f "$bin" ] && [ -x "$bin" ] || continue
    name=${bin##*/fuzz_}; log="$OUT/fuzz-$name.log"; work=$(mktemp -d)
    mkdir -p "tests/fuzz/corpus/$name"
    if "$bin" -max_total_time="$2" -timeout=10 -rss_limit_mb=2048 "$work" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
      p=$((p + 1))
    else
      f=$((f + 1)); echo "--- fuzz $name"; tail -40 "$log"
    fi
    rm -rf "$work"
  done
  count "fuzz (${2}s each)" "$p" "$f"
}
if CC=clang build build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false; then
  run_fuzz build-fuzz "${FUZZ_SECONDS:-5}"
else
  count "build (fuzz)" 0 1
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
