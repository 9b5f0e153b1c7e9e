#!/usr/bin/env bash
# Installs the Debian packages (and the npm test packages) saldo needs, only those
# missing. Idempotent: a second run changes nothing and takes a second.
set -eu
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential meson ninja-build pkg-config clang libclang-rt-14-dev
  libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev postgresql-15 libsodium-dev liboath-dev
  libcurl4-openssl-dev libqrencode-dev libxml2-dev libxml2-utils libcmocka-dev
  nodejs npm chromium python3-aiosmtpd wrk gettext zbar-tools nginx
  libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils
  libgmime-3.0-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$st" in *" installed") ;; *) missing+=("$p") ;; esac
done
# The machine's node may come from elsewhere than Debian's nodejs/npm: accept it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]}")
fi

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d tests/e2e/node_modules/playwright-core ]; then
  echo "install-deps: npm ci in tests/e2e"
  (cd tests/e2e && npm ci --silent --no-audit --no-fund)
fi
