#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs and starts what the tests need (PostgreSQL, Chromium), builds
# once, then runs every test (SQLite and PostgreSQL integration tests included).
#   bash scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Webhooks]
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The dashboard's browser tests drive Debian's Chromium (Playwright for .NET, ExecutablePath=/usr/bin/chromium).
if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium not found; installing Debian's package" >&2
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2 && $sudo_cmd apt-get install -y -qq chromium >&2
fi

LEADWIRE_TEST_POSTGRES="$(bash scripts/postgres.sh start)"
export LEADWIRE_TEST_POSTGRES
trap 'bash scripts/postgres.sh stop' EXIT

# One build of everything (the benchmark too, so it cannot rot), then the tests without rebuilding.
dotnet build Leadwire.slnx -c Release -nologo -clp:ErrorsOnly

mkdir -p TestResults
log=TestResults/test-output.log
status=0
dotnet test tests/Leadwire.Tests/Leadwire.Tests.csproj -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --results-directory TestResults "$@" 2>&1 | tee "$log" || status=$?

# A plain closing line that any CI reads: "N passed, N failed".
passed=$(grep -E '^\s*Passed: +[0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)
failed=$(grep -E '^\s*Failed: +[0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)
if [ -n "$passed" ]; then
  echo "Tests: $passed passed, ${failed:-0} failed"
fi
exit "$status"
