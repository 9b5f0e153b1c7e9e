#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on loopback for the test suites.
#   pg-test-cluster.sh start   prints the folder of a new running cluster; its
#                              admin URL is in FOLDER/url
#   pg-test-cluster.sh stop FOLDER
#   pg-test-cluster.sh server-stop FOLDER    stops the server, keeping its data
#   pg-test-cluster.sh server-start FOLDER   starts it again with the options it
#                                            last ran with (postmaster.opts)
#   pg-test-cluster.sh version               the server's version line
# The one place that knows where Debian keeps PostgreSQL's programs: tests
# that stop and start the server call this script.
# PostgreSQL refuses to run as root, so the cluster runs as the postgres user.
set -eu
PGBIN=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
start_server() { as_pg "$PGBIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 -o "$2" start >/dev/null; } # dir options
stop_server() { as_pg "$PGBIN/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null; } # dir

case "${1:-}" in
start)
  dir=$(mktemp -d /tmp/saldo-pg-XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
  start_server "$dir" "-p $port -k $dir -c listen_addresses=127.0.0.1 -c synchronous_commit=on -c max_connections=200"
  echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$dir/url"
  echo "$dir"
  ;;
stop)
  dir=${2:?folder}
  [ -d "$dir/data" ] && stop_server "$dir" 2>/dev/null || true
  rm -rf "$dir"
  ;;
server-stop)
  stop_server "${2:?folder}"
  ;;
server-start)
  dir=${2:?folder}
  start_server "$dir" "$(cut -d' ' -f2- "$dir/data/postmaster.opts" | sed 's/"-D" "[^"]*" *//g')" # pg_ctl adds its -D
  ;;
version)
  "$PGBIN/postgres" --version
  ;;
*)
  echo "usage: $0 start | stop FOLDER | server-stop FOLDER | server-start FOLDER | version" >&2
  exit 2
  ;;
esac
