#!/usr/bin/env bash
# scripts/postgres.sh start|stop
#
# A throwaway PostgreSQL for the test suites (TestDatabases cannot start Docker
# here). `start` installs Debian's postgresql package when it is missing, creates
# a cluster in a temporary folder listening on 127.0.0.1 only, and prints one
# `export BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING=...` line
# (stdout; progress on stderr). `stop` stops it and removes the folder.
#   eval "$(bash scripts/postgres.sh start)"; ...; bash scripts/postgres.sh stop
set -euo pipefail
port="${ESB_TEST_PG_PORT:-54329}"
data="${ESB_TEST_PG_DIR:-/tmp/esb-test-postgres-$port}"

as_db_user() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

install_postgres() {
  [ -n "$(pg_bin)" ] && return 0
  echo "postgres: installing Debian's postgresql package" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
}

start() {
  install_postgres
  local bin major
  bin="$(pg_bin)"
  major="$(basename "$(dirname "$bin")")"
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres: "$data"
    as_db_user "$bin/initdb" -D "$data" -U postgres -A trust >/dev/null
  fi
  if ! as_db_user "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_db_user "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
      -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2
  fi
  echo "postgres: PostgreSQL $major on 127.0.0.1:$port ($data)" >&2
  echo "export BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=postgresql://postgres@127.0.0.1:$port"
}

stop() {
  local bin
  bin="$(pg_bin)"
  [ -n "$bin" ] && [ -f "$data/PG_VERSION" ] || return 0
  as_db_user "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$data"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
