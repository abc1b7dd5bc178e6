#!/usr/bin/env python3
"""Generates synthetic but realistic designs of N nodes for the benchmarks.

    bench/gen.py 10000 > design.dsd          one file
    bench/gen.py 10000 --files 20 -o DIR     DIR/main.dsd importing 20 domain files
    bench/gen.py 10000 --format likec4 > model.c4
    bench/gen.py 10000 --format d2 > model.d2

A design has five layers (services, topics, stream jobs, lake tables,
dashboards) wired in chains, capacity lets, tools with trade-offs, failure
blocks with detection and recovery, late-data handling and a latency path. It
checks clean. With --files, each of K domains gets its own schema in its own
file; the domain files import a shared catalogue (a custom tool, the event
noun), and main.dsd imports the domains, so the import graph is two deep with
shared leaves. Lines carry no indentation so that 100,000 nodes stay under
dsd's 16 MiB file limit.

The LikeC4 and D2 models are the same graph (the same nodes, kinds, labelled
edges and layer groups) in those tools' own languages, for bench/compare.sh.
"""
import argparse
import os
import sys

ROLES = [
    ("source", "service", "{ emits %s v1 }"),
    ("node", "stream_broker", "{ partitions 12  replication 3  acks all  min_insync 2  retain 30 days }"),
    ("node", "stream_processor", "{ per_event 1 ms  threads 64 }"),
    ("node", "table_format", "{ retain 30 days  compaction daily }"),
    ("node", "dashboard", ""),
]
LAYERS = ["ingestion", "transport", "processing", "storage", "serving"]


def schema(name: str) -> list:
    return [
        f"schema {name} v1 {{",
        "event_id     string     key cardinality 100M",
        "occurred_at  timestamp  event_time",
        "size         raw 300 B, compressed 120 B",
        "evolution    backward via registry",
        "}",
    ]


def domain_of(i: int, per: int, domains: int) -> int:
    """Which domain (0..domains-1) the i-th chain belongs to."""
    return min(i * domains // per, domains - 1)


def design(n: int, domains: int) -> str:
    """The design; with domains > 1 its schemas live in imported files."""
    per = max(n // 5, 1)
    out = []
    if domains > 1:
        out += [f'import "domains/d{j}.dsd"' for j in range(domains)]
    out += [
        f'design generated_{n} "Generated design of {n} nodes" {{',
        "requirements {",
        "volume     100M events/day",
        "peak       3x",
        "latency    p0 <= 10 s",
        "delivery   at_least_once",
        "retention  n%d >= 30 days" % (3 * per),
        f"team       {max(n // 50, 5)}",
        "}",
    ]
    if domains == 1:
        out += schema("Event")
    first = "Event" if domains == 1 else "E0"
    out += [
        f"let topic_peak = peak * {first}.size.compressed as MB/s",
        f"let daily_raw  = volume * {first}.size.raw as GB/day",
    ]
    for i in range(5 * per):
        kw, role, block = ROLES[i // per]
        if i // per == 0:
            block = block % ("Event" if domains == 1 else f"E{domain_of(i, per, domains)}")
        out.append(f"{kw} n{i} : {role} {block}".rstrip())
    for i in range(per):
        a, b, c, d, e = i, per + i, 2 * per + i, 3 * per + i, 4 * per + i
        ev = "Event" if domains == 1 else f"E{domain_of(i, per, domains)}"
        out.append(f"flow n{a} -> n{b} stream carries {ev} v1")
        out.append(f"flow n{b} -> n{c} stream")
        out.append(f"flow n{c} -> n{d} stream write merge(event_id)")
        out.append(f"flow n{d} -> n{e} read scan")
    for k, layer in enumerate(LAYERS):
        members = ", ".join(f"n{i}" for i in range(k * per, (k + 1) * per))
        out.append(f"layer {layer} {{ {members} }}")
    out.append(f"path p0 = n0 -> n{per} -> n{2 * per} -> n{3 * per}")
    for tool, start in [("kafka", per), ("flink", 2 * per), ("delta_lake", 3 * per)]:
        nodes = ", ".join(f"n{i}" for i in range(start, start + per))
        out.append(f"use {tool} for {nodes}")
        out.append('because   "the generated design needs it"')
        out.append('accepting "the generated design pays for it"')
    for j in range(domains):
        ev = "Event" if domains == 1 else f"E{j}"
        out.append(f"late_data {ev}.occurred_at watermark 1 min")
    for i in range(5 * per):
        if i // per == 4:
            continue
        dlq = f";  dlq d{i} after 3 retries" if i // per == 2 else ""
        out.append(f"failure n{i} {{ detect errors > 0;  recover restart within 5 min{dlq} }}")
    out.append("}")
    return "\n".join(out) + "\n"


def domain_file(j: int) -> str:
    return "\n".join(
        [f"// Domain {j}: its event schema.", 'import "../common.dsd"', ""] + schema(f"E{j}")
    ) + "\n"


COMMON = """// Shared by every domain file.
noun event
"""


def likec4(n: int) -> str:
    per = max(n // 5, 1)
    out = ["specification {"]
    out += [f"  element {role}" for _, role, _ in ROLES]
    out += ["}", "model {"]
    for i in range(5 * per):
        role = ROLES[i // per][1]
        out.append(f"  n{i} = {role} 'n{i}' {{ description '{LAYERS[i // per]}' }}")
    for i in range(per):
        a, b, c, d, e = i, per + i, 2 * per + i, 3 * per + i, 4 * per + i
        out.append(f"  n{a} -> n{b} 'Event v1'")
        out.append(f"  n{b} -> n{c} 'stream'")
        out.append(f"  n{c} -> n{d} 'merge(event_id)'")
        out.append(f"  n{d} -> n{e} 'scan'")
    out += ["}", "views {", "  view index {", "    include *", "  }", "}"]
    return "\n".join(out) + "\n"


def d2(n: int) -> str:
    per = max(n // 5, 1)
    out = []
    for k, layer in enumerate(LAYERS):
        out.append(f"{layer}: {{")
        for i in range(k * per, (k + 1) * per):
            out.append(f"  n{i}: n{i} ({ROLES[k][1]})")
        out.append("}")
    for i in range(per):
        a, b, c, d, e = i, per + i, 2 * per + i, 3 * per + i, 4 * per + i
        out.append(f"ingestion.n{a} -> transport.n{b}: Event v1")
        out.append(f"transport.n{b} -> processing.n{c}: stream")
        out.append(f"processing.n{c} -> storage.n{d}: merge(event_id)")
        out.append(f"storage.n{d} -> serving.n{e}: scan")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, nargs="?", default=1000, help="number of nodes")
    ap.add_argument("--files", type=int, default=1, help="split schemas over this many imported files")
    ap.add_argument("-o", "--out", help="folder for --files output")
    ap.add_argument("--format", choices=["dsd", "likec4", "d2"], default="dsd")
    a = ap.parse_args()
    if a.format == "likec4":
        sys.stdout.write(likec4(a.n))
    elif a.format == "d2":
        sys.stdout.write(d2(a.n))
    elif a.files <= 1:
        sys.stdout.write(design(a.n, 1))
    else:
        if not a.out:
            ap.error("--files needs -o DIR")
        os.makedirs(os.path.join(a.out, "domains"), exist_ok=True)
        with open(os.path.join(a.out, "main.dsd"), "w") as f:
            f.write(design(a.n, a.files))
        with open(os.path.join(a.out, "common.dsd"), "w") as f:
            f.write(COMMON)
        for j in range(a.files):
            with open(os.path.join(a.out, "domains", f"d{j}.dsd"), "w") as f:
                f.write(domain_file(j))


if __name__ == "__main__":
    main()
