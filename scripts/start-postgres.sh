#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the test suite (Debian packages).
# Prints the admin URL to use as AMANTE_TEST_POSTGRES_URL. Usage: scripts/start-postgres.sh [port]
set -euo pipefail
port="${1:-54329}"
bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
data="${PGDATA_DIR:-/tmp/amante-pg-$port}"
run_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if ! run_as "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  rm -rf "$data"
  mkdir -p "$data"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
  run_as "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
  run_as "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c fsync=off -c max_connections=200" \
    start >/dev/null
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
