#!/usr/bin/env bash
# Renders the Capirca version of a generated policy (bench/ZoneCompiler.Bench `generate DIR --capirca`) with aclgen
# (Debian: apt-get install python3-capirca), one target at a time and the three at once, and prints for each the wall
# time, peak memory (/usr/bin/time), output size and CPU time (user + system, aclgen's worker processes included). Fails when aclgen fails or writes nothing.
# Usage: bash bench/capirca.sh POLICY_DIR [OUT_DIR] [TARGET...]     (targets: iptables ciscoasa juniper all)
set -euo pipefail
policy=${1:?usage: capirca.sh POLICY_DIR [OUT_DIR] [TARGET...]}
out=${2:-$(mktemp -d /tmp/zonec-capirca.XXXXXX)}
shift $(( $# >= 2 ? 2 : 1 ))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(iptables ciscoasa juniper all)
command -v aclgen >/dev/null || { echo "capirca.sh: aclgen not found (apt-get install python3-capirca)" >&2; exit 2; }
cap="$policy/capirca"
[ -d "$cap/def" ] || { echo "capirca.sh: $cap/def missing: generate the policy with --capirca" >&2; exit 2; }
for t in "${targets[@]}"; do
  rm -rf "$out/$t"; mkdir -p "$out/$t"
  /usr/bin/time -f "%e %M %U %S" -o "$out/$t.time" \
    aclgen --base_directory "$cap/$t" --definitions_directory "$cap/def" --output_directory "$out/$t" >"$out/$t.log" 2>&1 \
    || { echo "capirca.sh: aclgen failed for $t (see $out/$t.log)" >&2; tail -5 "$out/$t.log" >&2; exit 1; }
  files=$(find "$out/$t" -type f | wc -l)
  bytes=$(find "$out/$t" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')
  [ "$files" -gt 0 ] && [ "$bytes" -gt 0 ] || { echo "capirca.sh: aclgen wrote nothing for $t" >&2; exit 1; }
  read -r secs kb user sys < <(tail -1 "$out/$t.time")
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
  printf 'capirca %-9s %8.2f s %8d KiB peak %4d files %12d bytes %8.2f s cpu\n' "$t" "$secs" "$kb" "$files" "$bytes" "$cpu"
done
