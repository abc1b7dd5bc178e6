#!/usr/bin/env python3
"""Generates a synthetic but realistic design of N nodes for benchmarks: five
layers (services, topics, stream jobs, lakes, dashboards) wired in chains, a
schema, capacity lets, tools with trade-offs, failure blocks and a path.

    bench/gen.py 10000 > /tmp/design_10k.dsd
"""
import sys

def design(n: int) -> str:
    per = max(n // 5, 1)
    out = [
        f'design generated_{n} "Generated design of {n} nodes" {{',
        "  requirements {",
        "    volume     100M events/day",
        "    peak       3x",
        "    latency    p0 <= 10 s",
        "    delivery   at_least_once",
        "    retention  n%d >= 30 days" % (3 * per),
        f"    team       {max(n // 50, 5)}",
        "  }",
        "  schema Event v1 {",
        "    event_id     string     key cardinality 100M",
        "    occurred_at  timestamp  event_time",
        "    size         raw 300 B, compressed 120 B",
        "    evolution    backward via registry",
        "  }",
        "  let topic_peak = peak * Event.size.compressed as MB/s",
        "  let daily_raw  = volume * Event.size.raw as GB/day",
    ]
    kinds = [
        ("source", "service", "{ emits Event v1 }"),
        ("node", "stream_broker", "{ partitions 12  replication 3  acks all  min_insync 2  retain 30 days }"),
        ("node", "stream_processor", "{ per_event 1 ms  threads 64 }"),
        ("node", "table_format", "{ retain 30 days  compaction daily }"),
        ("node", "dashboard", ""),
    ]
    for i in range(5 * per):
        kw, role, block = kinds[i // per]
        out.append(f"  {kw} n{i} : {role} {block}".rstrip())
    for i in range(per):
        a, b, c, d, e = i, per + i, 2 * per + i, 3 * per + i, 4 * per + i
        out.append(f"  flow n{a} -> n{b} stream carries Event v1")
        out.append(f"  flow n{b} -> n{c} stream")
        out.append(f"  flow n{c} -> n{d} stream write merge(event_id)")
        out.append(f"  flow n{d} -> n{e} read scan")
    for k, layer in enumerate(["ingestion", "transport", "processing", "storage", "serving"]):
        members = ", ".join(f"n{i}" for i in range(k * per, (k + 1) * per))
        out.append(f"  layer {layer} {{ {members} }}")
    out.append(f"  path p0 = n0 -> n{per} -> n{2 * per} -> n{3 * per}")
    for tool, first, role_k in [("kafka", per, 1), ("flink", 2 * per, 2), ("delta_lake", 3 * per, 3)]:
        nodes = ", ".join(f"n{i}" for i in range(first, first + per))
        out.append(f"  use {tool} for {nodes}")
        out.append('    because   "the generated design needs it"')
        out.append('    accepting "the generated design pays for it"')
    out.append("  late_data Event.occurred_at watermark 1 min")
    for i in range(5 * per):
        if i // per == 4:
            continue
        dlq = f";  dlq d{i} after 3 retries" if i // per == 2 else ""
        out.append(f"  failure n{i} {{ detect errors > 0;  recover restart within 5 min{dlq} }}")
    out.append("}")
    return "\n".join(out) + "\n"

if __name__ == "__main__":
    sys.stdout.write(design(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
