#!/usr/bin/env bash
# The issue-11 benchmark: `zonec compile` end to end (the published native executable, process start to exit, peak
# memory from /usr/bin/time) on generated policies of both topologies and every size, for each of the eight vendors
# (every firewall declared in that vendor, its ports named that vendor's way) and for the mixed four-vendor policy
# (ASA + IOS + iptables + PAN-OS), then Capirca on the same flows (bench/capirca.sh), then writes the results into
# docs/performance.md between the markers <!-- bench:begin --> and <!-- bench:end --> (bench/report.py).
#
# Runs are interleaved (round r runs every vendor once before round r+1) and each cell reports the median.
# Every run writes into a fresh output folder. A run that exits non-zero is reported with its exit code.
#
# Usage: bash bench/run.sh [options]
#   --sizes "S M M2 L XL"         sizes (bench/ZoneCompiler.Bench.Generator/SyntheticPolicy.cs: PolicySizes)
#   --topologies "shared per-zone"
#   --vendors "nftables ... mixed" vendors to time ("mixed" = the declared four-vendor policy)
#   --runs N                       rounds per size (default 3); --big-runs N for L, L2 and XL (default 1)
#   --capirca "M L"                sizes at which Capirca runs (shared topology; default "M"; "" to skip)
#   --timeout SECONDS              per zonec run (default 900); a run that times out is reported as such
#   --work DIR                     where policies and outputs go (default: a new folder under /tmp, kept)
#   --zonec PATH                   an already published zonec (default: publish src/ZoneCompiler.Cli)
#   --no-doc                       do not touch docs/performance.md (print the Markdown instead)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

sizes="S M M2 L XL"
topologies="shared per-zone"
vendors="nftables iptables cisco-ios cisco-asa juniper-srx fortigate paloalto yamaha-rtx mixed"
runs=3
big_runs=1
capirca_sizes="M"
timeout_s=900
work=""
zonec=""
doc=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --topologies) topologies=$2; shift 2 ;;
    --vendors) vendors=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --big-runs) big_runs=$2; shift 2 ;;
    --capirca) capirca_sizes=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --zonec) zonec=$2; shift 2 ;;
    --no-doc) doc=0; shift ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
# The XL policy is about 180 MB of YAML and more YAML nodes than the loader accepts by default (128 MiB and 16
# million nodes, ZC0021): both limits are raised for every run (values already in the environment are kept).
export ZONEC_MAX_INPUT_BYTES=${ZONEC_MAX_INPUT_BYTES:-1073741824}
export ZONEC_MAX_NODES=${ZONEC_MAX_NODES:-1000000000}
[ -n "$work" ] || work=$(mktemp -d /tmp/zonec-bench.XXXXXX)
mkdir -p "$work"
results="$work/results.tsv"
meta="$work/meta.tsv"
: > "$results"
: > "$meta"
echo "run.sh: working in $work"

note() { printf '%s\t%s\n' "$1" "$2" >> "$meta"; }
note date "$(date -u +%Y-%m-%dT%H:%MZ)"
note commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo '+changes')"
note cpu "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
note memory "$(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
note load_before "$(cut -d' ' -f1-3 /proc/loadavg)"
note input_limit "ZONEC_MAX_INPUT_BYTES=$ZONEC_MAX_INPUT_BYTES ZONEC_MAX_NODES=$ZONEC_MAX_NODES"
note command "bash bench/run.sh --sizes \"$sizes\" --topologies \"$topologies\" --runs $runs --big-runs $big_runs --capirca \"$capirca_sizes\""

# ---- the tools -------------------------------------------------------------------------------------------------
rid=linux-x64
case "$(uname -m)" in aarch64) rid=linux-arm64 ;; esac
if [ -z "$zonec" ]; then
  echo "run.sh: publishing zonec (native, $rid)"
  dotnet publish src/ZoneCompiler.Cli -c Release -r "$rid" -o "$work/zonec" -v quiet -nologo >/dev/null
  zonec="$work/zonec/zonec"
fi
dotnet build -c Release bench/ZoneCompiler.Bench -v quiet -nologo >/dev/null
bench=(dotnet "$repo/bench/ZoneCompiler.Bench/bin/Release/net10.0/ZoneCompiler.Bench.dll")
note zonec "$(du -k "$zonec" | cut -f1) KiB native executable"

# One timed run: appends "topology size vendor round seconds peak_kib exit output_bytes cpu_seconds" to results.tsv
# (cpu: user + system time of the process, less sensitive than the wall time to other work on the machine).
timed() {
  local topology=$1 size=$2 vendor=$3 round=$4 out=$5; shift 5
  rm -rf "$out"
  local status=0
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" timeout "$timeout_s" "$@" >"$work/stdout.txt" 2>"$work/stderr.txt" || status=$?
  local secs kib user sys
  read -r secs kib user sys < <(tail -1 "$work/time.txt")
  [ "$status" -eq 124 ] && secs=$timeout_s
  local bytes=0
  [ -d "$out" ] && bytes=$(find "$out" -type f ! -name '.zonec-manifest' -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')
  local cpu
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$topology" "$size" "$vendor" "$round" "$secs" "$kib" "$status" "$bytes" "$cpu" >> "$results"
  printf '  %-8s %-3s %-12s round %s: %7.2f s (cpu %6.2f s) %8d KiB exit %s %12d bytes\n' "$topology" "$size" "$vendor" "$round" "$secs" "$cpu" "$kib" "$status" "$bytes"
  if [ "$status" -ne 0 ] && [ "$status" -ne 124 ]; then
    grep -o 'error ZC[0-9]*' "$work/stderr.txt" | sort | uniq -c | head -3 | sed 's/^/    /'
  fi
  rm -rf "$out"
}

# ---- start-up: the shipped example -------------------------------------------------------------------------------
echo "run.sh: start-up (the shipped example, 10 rounds)"
for round in $(seq 1 10); do
  timed example example check "$round" "$work/none" "$zonec" check --zones zones --rules rules --as-of 2026-01-01
  timed example example compile "$round" "$work/out" "$zonec" compile --zones zones --rules rules --out "$work/out" --as-of 2026-01-01
done

# ---- zonec at every size ---------------------------------------------------------------------------------------
for topology in $topologies; do
  for size in $sizes; do
    policy="$work/policy-$topology-$size"
    extra=()
    if [ "$topology" = shared ] && [[ " $capirca_sizes " == *" $size "* ]]; then extra=(--capirca); fi
    echo "run.sh: generating $topology $size"
    rm -rf "$policy"
    "${bench[@]}" generate "$policy" --size "$size" --topology "$topology" --vendors cisco-asa,cisco-ios,iptables,paloalto --variants "${extra[@]}" >/dev/null
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$topology" "$size" input 0 0 0 0 \
      "$(find "$policy/zones" "$policy/rules" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')" >> "$results"
    for vendor in $vendors; do
      [ "$vendor" = mixed ] && continue
      mkdir -p "$policy/zones-$vendor"
      for f in "$policy"/zones/*.yaml; do [ "$(basename "$f")" = firewalls.yaml ] || ln -f "$f" "$policy/zones-$vendor/"; done
      cp "$policy/firewalls/$vendor.yaml" "$policy/zones-$vendor/firewalls.yaml"
    done
    n=$runs
    case "$size" in L|L2|XL) n=$big_runs ;; esac
    for round in $(seq 1 "$n"); do
      echo "run.sh: $topology $size round $round/$n (load $(cut -d' ' -f1 /proc/loadavg))"
      for vendor in $vendors; do
        if [ "$vendor" = mixed ]; then zones="$policy/zones"; args=(); else zones="$policy/zones-$vendor"; args=(--vendor "$vendor"); fi
        timed "$topology" "$size" "$vendor" "$round" "$work/out" \
          "$zonec" compile --zones "$zones" --rules "$policy/rules" --out "$work/out" --as-of 2026-01-01 "${args[@]}"
      done
      if [ "$size" = M ]; then
        timed "$topology" "$size" check "$round" "$work/none" "$zonec" check --zones "$policy/zones" --rules "$policy/rules" --as-of 2026-01-01
      fi
    done
    if [ "${#extra[@]}" -gt 0 ]; then
      echo "run.sh: Capirca at $size (one run per target and the three at once)"
      if bash bench/capirca.sh "$policy" "$work/capirca-$size" > "$work/capirca-$size.txt"; then
        cat "$work/capirca-$size.txt"
        awk -v s="$size" '{printf "capirca\t%s\t%s\t1\t%s\t%s\t0\t%s\t%s\n", s, $2, $3, $5, $10, $12}' "$work/capirca-$size.txt" >> "$results"
      else
        echo "run.sh: Capirca failed at $size" >&2
      fi
      rm -rf "$work/capirca-$size"
    fi
    # Keep the policies of the big sizes only as long as they are needed (the XL one is 180 MB).
    case "$size" in L|L2|XL) rm -rf "$policy" ;; esac
  done
done
note load_after "$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the report --------------------------------------------------------------------------------------------------
if [ "$doc" = 1 ]; then
  python3 bench/report.py "$results" "$meta" docs/performance.md
  echo "run.sh: docs/performance.md updated (results in $results)"
else
  python3 bench/report.py "$results" "$meta" -
fi
