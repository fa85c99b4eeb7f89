#!/usr/bin/env bash
# Starts a private PostgreSQL for tests and benchmarks: its own data folder, port and socket folder, run as an
# unprivileged user (PostgreSQL refuses to run as root). Prints the connection string on stdout.
#   scripts/postgres.sh start   # idempotent
#   scripts/postgres.sh stop
set -euo pipefail

PORT="${LEADWIRE_PG_PORT:-55432}"
ROOT="${LEADWIRE_PG_DIR:-/tmp/leadwire-pg-$PORT}"
DATA="$ROOT/data"
SOCKETS="$ROOT/sockets"
LOG="$ROOT/postgres.log"

log() { printf '[postgres] %s\n' "$*" >&2; }

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ]; then
    log "PostgreSQL not found; installing Debian's package"
    export DEBIAN_FRONTEND=noninteractive
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    else
      sudo apt-get update -qq >&2 && sudo apt-get install -y -qq postgresql >&2
    fi
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  printf '%s' "$dir"
}

# Run a command as the unprivileged owner of the cluster.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$ROOT" postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local bin
  bin=$(pg_bin)
  mkdir -p "$ROOT" "$SOCKETS"
  [ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --home-dir "$ROOT" postgres; chown -R postgres "$ROOT"; }
  if [ ! -f "$DATA/PG_VERSION" ]; then
    log "initialising a cluster in $DATA"
    as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
    cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCKETS'
max_connections = 300
shared_buffers = 256MB
fsync = on
synchronous_commit = on
include_if_exists = 'leadwire.conf'
CONF
  fi
  # Leadwire's recommended settings (docs/operations.md), rewritten on every start so an older cluster gets them too:
  # bulk work on a large workspace writes gigabytes of WAL, and with PostgreSQL's 1 GB default it checkpoints every
  # few seconds and writes each touched page in full again after every checkpoint.
  grep -q "leadwire.conf" "$DATA/postgresql.conf" || echo "include_if_exists = 'leadwire.conf'" >>"$DATA/postgresql.conf"
  cat >"$DATA/leadwire.conf" <<CONF
max_wal_size = 8GB
wal_compression = on
checkpoint_completion_target = 0.9
CONF
  [ "$(id -u)" = 0 ] && chown postgres "$DATA/leadwire.conf"
  if ! as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    log "starting on 127.0.0.1:$PORT"
    as_owner "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
  else
    as_owner "$bin/pg_ctl" -D "$DATA" reload >/dev/null
  fi
  printf 'Host=127.0.0.1;Port=%s;Username=postgres;Database=postgres' "$PORT"
}

stop() {
  local bin
  bin=$(pg_bin)
  if [ -f "$DATA/PG_VERSION" ]; then
    as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
