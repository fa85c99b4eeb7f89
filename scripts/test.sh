#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs and starts what the tests need (PostgreSQL), builds
# once, then runs every test (SQLite and PostgreSQL integration tests included).
#   bash scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Webhooks]
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

LEADWIRE_TEST_POSTGRES="$(bash scripts/postgres.sh start)"
export LEADWIRE_TEST_POSTGRES
trap 'bash scripts/postgres.sh stop' EXIT

dotnet build Leadwire.slnx -c Release -nologo -clp:ErrorsOnly
dotnet test tests/Leadwire.Tests/Leadwire.Tests.csproj -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --results-directory TestResults "$@"
