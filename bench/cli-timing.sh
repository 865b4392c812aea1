#!/usr/bin/env bash
# End-to-end timing of the zonec command on a generated policy (2,000 zones / 20,000 flows / 20 firewalls by default):
# publishes zonec as a native executable (as src/ZoneCompiler.Cli's csproj sets it up), generates the policy, then times `compile`
# (into a fresh folder, and again over an unchanged folder) and `check` with hyperfine.
# Usage: bash bench/cli-timing.sh [zones] [flows] [firewalls]
set -euo pipefail
cd "$(dirname "$0")/.."
zones=${1:-2000}; flows=${2:-20000}; firewalls=${3:-20}
work=$(mktemp -d /tmp/zonec-cli-timing.XXXXXX)
trap 'rm -rf "$work"' EXIT
rid=linux-x64
case "$(uname -m)" in aarch64) rid=linux-arm64 ;; esac
dotnet publish src/ZoneCompiler.Cli -c Release -r "$rid" -o "$work/zonec" -v quiet -nologo >/dev/null
dotnet run -c Release --project bench/ZoneCompiler.Bench -- generate "$work/policy" --zones "$zones" --flows "$flows" --firewalls "$firewalls"
z="$work/zonec/zonec"
args="--zones $work/policy/zones --rules $work/policy/rules --as-of 2026-01-01"
du -sh "$work/policy" | sed 's/^/policy size: /'
hyperfine --warmup 1 --runs "${RUNS:-10}" -N \
  --prepare "rm -rf $work/out" "$z compile $args --out $work/out" \
  "$z compile $args --out $work/out-kept" \
  "$z check $args"
du -sh "$work/out-kept" | sed 's/^/output size: /'
