#!/usr/bin/env bash
# Runs the performance benchmark on a fresh machine: builds the server and the bench (Release) once, starts the
# private PostgreSQL (installing it if needed, like scripts/test.sh), then runs every phase on SQLite and on
# PostgreSQL and prints a results table per provider (JSON copies go to bench/results/).
#   bash bench/run.sh [bench options, e.g. --seconds 5 --leads 10000]      (see: dotnet <bench dll> --help)
#   LEADWIRE_BENCH_PROVIDERS=sqlite bash bench/run.sh                          (one provider only)
# Two suites: "capture" (default: webhook ingestion) and "crm" (lead list, search, export and bulk work on a million
# seeded leads), chosen by a first argument or LEADWIRE_BENCH_SUITE:
#   bash bench/run.sh crm [--crm-leads 200000]        or        LEADWIRE_BENCH_SUITE=crm bash bench/run.sh
# It reports; it is not a test: a missed target does not fail it. It exits non-zero only if a run could not finish.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

providers="${LEADWIRE_BENCH_PROVIDERS:-sqlite postgres}"
suite="${LEADWIRE_BENCH_SUITE:-capture}"
if [ "${1:-}" = capture ] || [ "${1:-}" = crm ]; then
  suite="$1"
  shift
fi
case "$suite" in
  capture) mode=run ;;
  crm) mode=crm ;;
  *) echo "[bench] unknown suite '$suite' (use capture or crm)" >&2; exit 2 ;;
esac
bench_dll=bench/Leadwire.Bench/bin/Release/net10.0/Leadwire.Bench.dll

echo "[bench] building the server and the bench (Release)" >&2
dotnet build src/Leadwire.Server -c Release -nologo -clp:ErrorsOnly
dotnet build bench/Leadwire.Bench -c Release -nologo -clp:ErrorsOnly

postgres_admin=""
if [[ " $providers " == *" postgres "* ]]; then
  port="${LEADWIRE_PG_PORT:-55432}"
  # Leave a PostgreSQL that was already running (tests may be using it) running; stop only one started here.
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    trap 'bash scripts/postgres.sh stop' EXIT
  fi
  postgres_admin="$(bash scripts/postgres.sh start)"
fi

failed=0
for provider in $providers; do
  args=("$mode" --provider "$provider")
  if [ "$provider" = postgres ]; then
    # The bench creates (and drops) a fresh database per phase (crm: per run) with this connection.
    args+=(--postgres "$postgres_admin")
  fi
  if ! dotnet "$bench_dll" "${args[@]}" "$@"; then
    echo "[bench] the $provider run did not finish" >&2
    failed=1
  fi
done
exit "$failed"
