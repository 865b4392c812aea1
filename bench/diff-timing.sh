#!/usr/bin/env bash
# zonec diff of two generated policies: a generated one (default 2,000 zones, 20,000 flows, 4 firewalls) and a copy
# with about 1% of its flows changed (every 300th flow removed, every 300th (+100) given one more port, every
# 300th (+200) a new purpose). Measures CPU (user+sys), wall time and max RSS with /usr/bin/time -v, three runs, each
# after the load average. No assertion. `zonec diff --verbose` splits a run into its phases.
#   bash bench/diff-timing.sh [zones] [flows] [firewalls]     (ROOT=/tmp/zonec-diff-bench by default)
#   NATIVE=1 bash bench/diff-timing.sh                          also publishes zonec as the native executable the
#                                                                csproj sets up (dotnet publish -r linux-x64) and times it
#   COMPARE="dotnet /tmp/base/zonec.dll|/tmp/base-native/zonec" bash bench/diff-timing.sh
#                                                                also times other builds (say, of the commit before a
#                                                                change; '|' between commands), round by round with
#                                                                these, so each round sees the same load. RUNS=5: rounds
set -euo pipefail
cd "$(dirname "$0")/.."
zones=${1:-2000}; flows=${2:-20000}; firewalls=${3:-4}
root=${ROOT:-/tmp/zonec-diff-bench}
rm -rf "$root"
dotnet build -c Release bench/ZoneCompiler.Bench >/dev/null
dotnet build -c Release src/ZoneCompiler.Cli >/dev/null
dotnet bench/ZoneCompiler.Bench/bin/Release/net10.0/ZoneCompiler.Bench.dll generate "$root/old" --zones "$zones" --flows "$flows" --firewalls "$firewalls"
cp -r "$root/old" "$root/new"
python3 - "$root/new/rules" <<'PY'
import glob, re, sys
changed = 0
for path in sorted(glob.glob(sys.argv[1] + "/flows-*.yaml")):
    text = open(path, encoding="utf-8").read()
    head, *blocks = re.split(r"\n(?=  - id: )", text)
    out = [head]
    for block in blocks:
        n = int(re.match(r"  - id: F(\d+)", block).group(1))
        if n % 300 == 0:
            changed += 1
            continue
        if n % 300 == 100:
            block = re.sub(r"services: \[(.*?)\]", r"services: [\1, tcp/60001]", block, count=1)
            changed += 1
        elif n % 300 == 200:
            block = block.replace("purpose: generated flow", "purpose: changed flow", 1)
            changed += 1
        out.append(block)
    open(path, "w", encoding="utf-8").write("\n".join(out))
print(f"changed {changed} flows")
PY
zonecs=("dotnet src/ZoneCompiler.Cli/bin/Release/net10.0/zonec.dll")
if [ "${NATIVE:-0}" = 1 ]; then
  rid=linux-x64
  case "$(uname -m)" in aarch64) rid=linux-arm64 ;; esac
  dotnet publish src/ZoneCompiler.Cli -c Release -r "$rid" -o "$root/native" -v quiet -nologo >/dev/null
  zonecs+=("$root/native/zonec")
fi
if [ -n "${COMPARE:-}" ]; then
  IFS='|' read -r -a others <<<"$COMPARE"
  zonecs+=("${others[@]}")
fi
for run in $(seq "${RUNS:-3}"); do
  for zonec in "${zonecs[@]}"; do
    echo "== $zonec"
    uptime | sed 's/.*load average/load average/' | tr '\n' ' '
    # shellcheck disable=SC2086
    /usr/bin/time -v $zonec diff "$root/old" "$root/new" --as-of 2026-01-01 >"$root/diff.md" 2>"$root/time.txt" || true
    grep -E "User time|System time|Elapsed|Maximum resident" "$root/time.txt" | tr '\n' ' ' | sed 's/\t//g'; echo
  done
done
head -20 "$root/diff.md"
