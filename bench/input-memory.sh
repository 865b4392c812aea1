#!/usr/bin/env bash
# Peak memory of `zonec check` against the size of its input (issue 9: "peak memory bounded by a small multiple of
# the input"). Generates a valid policy of FILES files of about BYTES bytes each (a fifth zone files, each with its own
# firewall, the rest flow files; one policy file), runs `zonec check` and `zonec compile` under /usr/bin/time -v and
# prints the input size, the peak resident set size (maxrss) of each and its ratio to the input.
#
# Usage: bash bench/input-memory.sh [FILES] [BYTES]          (default: 100 files of 1 MiB)
#   ZONEC="path/to/zonec"   the command to measure (default: a Release build, run with dotnet)
#   KEEP=1                  keep the generated policy (its path is printed)
# The input limits are raised for the run (ZONEC_MAX_INPUT_BYTES, ZONEC_MAX_NODES), so any size can be measured.
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-100}; bytes=${2:-1048576}
work=$(mktemp -d /tmp/zonec-input-memory.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
if [ -z "${ZONEC:-}" ]; then
  dotnet build src/ZoneCompiler.Cli -c Release -v quiet -nologo >/dev/null
  ZONEC="dotnet src/ZoneCompiler.Cli/bin/Release/net10.0/zonec.dll"
fi
mkdir -p "$work/zones" "$work/rules"
awk -v files="$files" -v bytes="$bytes" -v dir="$work" '
function put(file, text) { printf "%s", text > file; size += length(text) }
BEGIN {
  split("lgwan internet mynumber", layer, " ")
  zfiles = int(files / 5); if (zfiles < 1) zfiles = 1
  z = 0
  for (f = 0; f < zfiles; f++) {
    file = sprintf("%s/zones/z%03d.yaml", dir, f); size = 0; first = z
    put(file, "zones:\n")
    # the security cloud that the Internet layer ships its logs to (SEP-INT-003/004), on the first firewall
    if (f == 0) put(file, "  - {id: EXT-SOC, layer: external, kind: external, class: security-cloud, networks: [198.51.100.0/24]}\n")
    while (size < bytes - 40 * (z - first) - 200) {
      l = layer[z % 3 + 1]; id = sprintf("Z%06d", z)
      put(file, sprintf("  - id: %s\n    name: zone %d\n    layer: %s\n    kind: server\n    networks: [%d.%d.%d.0/24, 2001:db8:%x:%x::/64]\n",
        id, z, l, 10 + int(z / 65536), int(z / 256) % 256, z % 256, int(z / 65536), z % 65536))
      if (l == "mynumber") put(file, "    attributes: {mfa: true, removable-media: blocked, wireless: false}\n")
      zone[z] = id; zl[z] = l; z++
    }
    # one firewall per zone file, one interface per zone (flows between its zones are enforced by it)
    put(file, sprintf("firewalls:\n  - id: fw%03d\n    vendor: nftables\n    interfaces:\n", f))
    for (i = first; i < z; i++) put(file, sprintf("      - {name: i%d, zones: [%s]}\n", i - first, zone[i]))
    if (f == 0) put(file, "      - {name: soc, zones: [EXT-SOC]}\n")
    close(file); zfirst[f] = first; zlast[f] = z - 1
  }
  printf "policy:\n  model: alpha\nservices:\n  https: tcp/443\n  dns: [udp/53, tcp/53]\n" > (dir "/rules/policy.yaml")
  printf "flows:\n  - {id: SOC, from: %s, to: EXT-SOC, services: [tcp/6514, udp/514], purpose: logs}\n", zone[1] > (dir "/rules/policy.yaml")
  n = 0
  for (f = 0; f < files - zfiles - 1; f++) {
    file = sprintf("%s/rules/f%03d.yaml", dir, f); size = 0
    put(file, "flows:\n")
    while (size < bytes) {
      # every zone is used: zone a of firewall g to the next zone of its layer behind the same firewall
      g = n % zfiles; span = zlast[g] - zfirst[g] + 1
      a = zfirst[g] + int(n / zfiles) % span; b = zfirst[g] + (a - zfirst[g] + 3) % span
      while (zl[b] != zl[a] || b == a) b = zfirst[g] + (b - zfirst[g] + 1) % span
      put(file, sprintf("  - id: F%07d\n    from: %s\n    to: %s\n    services: [https, dns, tcp/%d]\n    purpose: flow %d\n",
        n, zone[a], zone[b], 1000 + n % 5000, n))
      n++
    }
    close(file)
  }
  printf "%d zones, %d flows\n", z, n > "/dev/stderr"
}'
input=$(du -sb "$work" | cut -f1)
# check, then compile (into a new folder beside the policy, not counted as input)
for command in check compile; do
  set +e
  if [ "$command" = compile ]; then extra=(--out "$work.out.d"); else extra=(); fi
  ZONEC_MAX_INPUT_BYTES=$((input * 2)) ZONEC_MAX_NODES=1000000000 /usr/bin/time -v $ZONEC $command --zones "$work/zones" --rules "$work/rules" \
    --as-of 2026-01-01 "${extra[@]}" >"$work.out" 2>"$work.time"
  rc=$?
  set -e
  maxrss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$work.time")
  tail -n 1 "$work.out"
  grep -E "Elapsed|Maximum resident" "$work.time"
  rm -rf "$work.out" "$work.time" "$work.out.d"
  awk -v c="$command" -v i="$input" -v m="$maxrss" -v rc="$rc" 'BEGIN { printf "%s: exit %d; input %.1f MiB; peak RSS %.0f MiB; peak / input = %.1f\n", c, rc, i / 1048576, m / 1024, m * 1024 / i }'
done
[ "${KEEP:-0}" = 1 ] && echo "policy kept in $work"
exit 0
