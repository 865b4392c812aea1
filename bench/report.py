#!/usr/bin/env python3
"""Turns bench/run.sh's results.tsv and meta.tsv into the Markdown section of docs/performance.md.

usage: report.py RESULTS_TSV META_TSV (DOC_MD | -)

results.tsv rows: topology size vendor round seconds peak_kib exit output_bytes
  topology "example": start-up rows (vendor check / compile); topology "capirca": Capirca rows (vendor = target);
  vendor "input": the policy's input bytes; vendor "check": `zonec check` of the mixed policy.
The section between <!-- bench:begin --> and <!-- bench:end --> is replaced; the rest of the document is kept.
"""
import math
import statistics
import sys
from collections import defaultdict

SIZES = ["S", "M", "M2", "L", "L2", "XL"]
SIZE_TEXT = {"S": "100 / 1k", "M": "1k / 10k", "M2": "2k / 20k", "L": "5k / 100k", "L2": "10k / 200k", "XL": "20k / 1M"}
VENDORS = ["nftables", "iptables", "cisco-ios", "cisco-asa", "juniper-srx", "fortigate", "paloalto", "yamaha-rtx", "mixed"]
TOPOLOGIES = {"shared": "Many zones per interface (4 firewalls, 8 zones per interface)",
              "per-zone": "One interface per zone (4 firewalls)"}
CAPIRCA = [("iptables", "iptables"), ("ciscoasa", "cisco-asa"), ("juniper", "juniper-srx")]


def load(path):
    rows = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            t, size, vendor, rnd, secs, kib, status, out = line.rstrip("\n").split("\t")
            rows[(t, size, vendor)].append((float(secs), int(kib), int(status), int(out)))
    return rows


def cell(runs):
    """median seconds, median peak MiB, exit codes, median output bytes"""
    secs = statistics.median(r[0] for r in runs)
    mib = statistics.median(r[1] for r in runs) / 1024
    exits = sorted({r[2] for r in runs})
    out = statistics.median(r[3] for r in runs)
    return secs, mib, exits, out


def fmt_time(s):
    return f"{s:.2f} s" if s < 10 else f"{s:.1f} s"


def fmt_cell(runs):
    secs, mib, exits, _ = cell(runs)
    text = f"{fmt_time(secs)} · {mib:,.0f} MiB"
    if exits != [0]:
        text += " · " + ", ".join("timeout" if e == 124 else f"exit {e}" for e in exits)
    return text


def fmt_bytes(b):
    return f"{b / 1e6:,.1f} MB" if b >= 1e5 else f"{b / 1e3:,.0f} kB"


def section(rows, meta):
    m = dict(meta)
    out = []
    w = out.append
    w(f"Measured {m.get('date', '?')} at commit {m.get('commit', '?')}: {m.get('cpu', '?')}, {m.get('memory', '?')}; "
      f"zonec is the published native executable ({m.get('zonec', '?')}).")
    w("")
    w(f"**Machine load.** Load average (1, 5, 15 min) before the run: {m.get('load_before', '?')}; after: "
      f"{m.get('load_after', '?')}. The machine is shared (2 cores); a load above 2 means other work competed for the "
      "cores during the run, so absolute times are upper bounds and ratios between neighbouring cells are more "
      "reliable than single cells.")
    w("")
    w(f"Command: `{m.get('command', 'bash bench/run.sh')}`. Each cell: median wall time (process start to exit) · median "
      "peak resident memory (`/usr/bin/time`), over the rounds shown; rounds are interleaved across vendors. "
      "`exit 2` marks a compile that was refused with diagnostics (the time is the time to refuse).")
    w("")

    ex = [(v, rows[("example", "example", v)]) for v in ("check", "compile") if rows.get(("example", "example", v))]
    if ex:
        w("#### Start-up: the shipped example")
        w("")
        w("| command | median | min | max | peak memory | rounds |")
        w("|---|---|---|---|---|---|")
        for v, runs in ex:
            secs = sorted(r[0] for r in runs)
            w(f"| `zonec {v}` | {statistics.median(secs) * 1000:.0f} ms | {secs[0] * 1000:.0f} ms | {secs[-1] * 1000:.0f} ms | "
              f"{statistics.median(r[1] for r in runs) / 1024:.0f} MiB | {len(runs)} |")
        w("")

    for topology, title in TOPOLOGIES.items():
        sizes = [s for s in SIZES if any(k[0] == topology and k[1] == s and k[2] in VENDORS for k in rows)]
        if not sizes:
            continue
        w(f"#### {title}")
        w("")
        w("| vendor | " + " | ".join(f"{s} ({SIZE_TEXT[s]})" for s in sizes) + " |")
        w("|---|" + "---|" * len(sizes))
        inputs = [rows.get((topology, s, "input")) for s in sizes]
        w("| *input (zones / flows)* | " + " | ".join(fmt_bytes(i[0][3]) if i else "" for i in inputs) + " |")
        for v in VENDORS:
            runs = [rows.get((topology, s, v)) for s in sizes]
            if not any(runs):
                continue
            n = max(len(r) for r in runs if r)
            w(f"| {v} | " + " | ".join(fmt_cell(r) if r else "" for r in runs) + " |")
        checks = [rows.get((topology, s, "check")) for s in sizes]
        if any(checks):
            w("| `check` (mixed) | " + " | ".join(fmt_cell(r) if r else "" for r in checks) + " |")
        rounds = sorted({len(rows[(topology, s, v)]) for s in sizes for v in VENDORS if rows.get((topology, s, v))})
        w("")
        w(f"Rounds per cell: {', '.join(map(str, rounds))} (the big sizes fewer). Output size (all files, median):")
        w("")
        w("| vendor | " + " | ".join(sizes) + " |")
        w("|---|" + "---|" * len(sizes))
        for v in VENDORS:
            runs = [rows.get((topology, s, v)) for s in sizes]
            if not any(runs):
                continue
            w(f"| {v} | " + " | ".join(fmt_bytes(cell(r)[3]) if r and cell(r)[3] else "–" for r in runs) + " |")
        w("")

    growth = []
    for topology in TOPOLOGIES:
        for a, b, factor in (("M", "M2", 2), ("L", "L2", 2), ("M", "L", 10), ("L", "XL", 10)):
            for v in VENDORS:
                ra, rb = rows.get((topology, a, v)), rows.get((topology, b, v))
                if not ra or not rb:
                    continue
                ca, cb = cell(ra), cell(rb)
                if ca[2] != [0] or cb[2] != [0]:
                    continue
                growth.append((topology, a, b, factor, v, cb[0] / ca[0], cb[1] / ca[1]))
    if growth:
        w("#### Growth")
        w("")
        w("Time and peak-memory ratio from a size to the next (median cells above) and the growth exponent "
          "k = log(ratio) / log(size factor): k = 1 is linear. M → M2 and L → L2 double zones and flows (the target: "
          "a ratio of at most 2.1); M → L and L → XL multiply the flows by 10 (and the zones by 5 and 4). Start-up "
          "(about 0.05 s) and fixed costs make small sizes grow less than linearly.")
        w("")
        w("| topology | step | vendor | time ratio | k (time) | memory ratio | k (memory) |")
        w("|---|---|---|---|---|---|---|")
        for topology, a, b, factor, v, rt, rm in growth:
            w(f"| {topology} | {a} → {b} | {v} | {rt:.2f} | {math.log(rt) / math.log(factor):.2f} | {rm:.2f} | "
              f"{math.log(rm) / math.log(factor):.2f} |")
        w("")

    for size in SIZES:
        cap = {t: rows.get(("capirca", size, t)) for t, _ in CAPIRCA + [("all", None)]}
        if not any(cap.values()):
            continue
        w(f"#### Capirca 2.0.6 on the same flows (size {size}, many zones per interface)")
        w("")
        w("One run of `aclgen` per target (`bench/capirca.sh`); zonec: the median above. Capirca's ASA target writes "
          "IPv4 only and no ICMP codes; zonec writes both families for every target.")
        w("")
        w("| target | zonec | Capirca | Capirca / zonec | zonec peak | Capirca peak | zonec output | Capirca output |")
        w("|---|---|---|---|---|---|---|---|")
        total_z, total_mib, total_out = 0.0, 0.0, 0
        for target, vendor in CAPIRCA:
            c = cap.get(target)
            z = rows.get(("shared", size, vendor))
            if not c or not z:
                continue
            zs, zm, ze, zo = cell(z)
            total_z += zs
            total_mib = max(total_mib, zm)
            total_out += zo
            w(f"| {target} (zonec `--vendor {vendor}`) | {fmt_time(zs)} | {fmt_time(c[0][0])} | {c[0][0] / zs:.1f} × | "
              f"{zm:,.0f} MiB | {c[0][1] / 1024:,.0f} MiB | {fmt_bytes(zo)} | {fmt_bytes(c[0][3])} |")
        if cap.get("all") and total_z:
            c = cap["all"][0]
            w(f"| the three (zonec: three runs, summed) | {fmt_time(total_z)} | {fmt_time(c[0])} | {c[0] / total_z:.1f} × | "
              f"{total_mib:,.0f} MiB (largest) | {c[1] / 1024:,.0f} MiB | {fmt_bytes(total_out)} | {fmt_bytes(c[3])} |")
        w("")
    return "\n".join(out)


def main():
    rows = load(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        meta = [tuple(line.rstrip("\n").split("\t", 1)) for line in f if "\t" in line]
    text = section(rows, meta)
    if sys.argv[3] == "-":
        print(text)
        return
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    try:
        with open(sys.argv[3], encoding="utf-8") as f:
            doc = f.read()
    except FileNotFoundError:
        doc = f"# Performance\n\n{begin}\n{end}\n"
    if begin not in doc or end not in doc:
        doc = doc.rstrip("\n") + f"\n\n{begin}\n{end}\n"
    head, rest = doc.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(sys.argv[3], "w", encoding="utf-8", newline="\n") as f:
        f.write(head + begin + "\n" + text + "\n" + end + tail)


if __name__ == "__main__":
    main()
