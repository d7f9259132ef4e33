#!/usr/bin/env bash
# Starts (start) or stops (stop) a throwaway PostgreSQL cluster for the tests: initdb as the postgres user in a
# temporary folder, listening on 127.0.0.1:${PGPORT:-5433} only, trust authentication (loopback, CI only). Prints
# the DATABASE_URL to use. Needs Debian's postgresql-15 (apt-get install postgresql-15).
set -euo pipefail
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DIR=${PG_DIR:-/tmp/lifecircle-pg}
PORT=${PGPORT:-5433}
case "${1:-start}" in
  start)
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
      mkdir -p "$DIR" && chown postgres "$DIR"
      # C collation: text sorts by code point, as SQLite's BINARY does, so both stores order alike.
      su postgres -c "$BIN/initdb -D $DIR/data -U postgres -A trust -E UTF8 --locale=C.UTF-8 --lc-collate=C >/dev/null"
    fi
    su postgres -c "$BIN/pg_ctl -D $DIR/data -l $DIR/log -w -o '-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=300 -c fsync=off' start >/dev/null"
    su postgres -c "$BIN/psql -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname = 'lifecircle'\"" | grep -q 1 ||
      su postgres -c "$BIN/createdb -h 127.0.0.1 -p $PORT -U postgres lifecircle"
    echo "postgres://postgres@127.0.0.1:$PORT/lifecircle"
    ;;
  stop)
    su postgres -c "$BIN/pg_ctl -D $DIR/data -m fast stop >/dev/null" || true
    rm -rf "$DIR"
    ;;
esac
