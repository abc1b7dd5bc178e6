//! The catalogue of diagnostic codes: name, default severity, one-line summary and
//! the explanation `dsd explain NAME` prints. Names are a public contract.

use crate::diagnostic::Severity;

pub struct Rule {
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub explanation: &'static str,
    /// Whether `allow NAME because "..."` may silence it: the checker's design
    /// rules may be, errors in the text itself may not.
    pub allowable: bool,
}

/// Where a rule is documented on the web: its section of docs/rules.md, which
/// `reference_markdown` writes (a test keeps the file current).
pub fn help_uri(name: &str) -> String {
    format!(
        "{}/blob/main/docs/rules.md#{name}",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// docs/rules.md: every rule with its severity, summary and explanation (what
/// `dsd explain RULE` prints), one section each, in `RULES` order.
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "# dsd's rules\n\nWhat `dsd explain RULE` prints, one section per rule. Generated from\n`src/rules.rs` (`cargo test --test docs` checks this file is current;\n`DSD_WRITE_DOCS=1 cargo test --test docs` rewrites it).\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "\n## {}\n\n**{}** — {}\n\n```text\n{}\n```\n",
            r.name,
            r.severity.as_str(),
            r.summary,
            match example_hint(r.name) {
                Some(h) => format!("{}\n\n{h}", r.explanation.trim_end()),
                None => r.explanation.trim_end().to_string(),
            }
        ));
    }
    out
}

pub const RULES: &[Rule] = &[
    Rule {
        name: "syntax-error",
        severity: Severity::Error,
        summary: "a line that is not valid dsd",
        explanation: "The parser could not read this line. dsd goes on after a bad line, so every \
            syntax error in a file is reported at once. The help line names what was expected there.",
        allowable: false,
    },
    Rule {
        name: "nesting-too-deep",
        severity: Severity::Error,
        summary: "brackets nested deeper than dsd accepts",
        explanation: "Parentheses, brackets and braces may nest at most 64 deep. Deeper nesting is \
            almost always an unclosed bracket; dsd refuses it before parsing so that no input can \
            exhaust the stack.",
        allowable: false,
    },
    Rule {
        name: "file-too-large",
        severity: Severity::Error,
        summary: "a source file over the size limit",
        explanation: "dsd reads source files of at most 16 MiB. Move what a design shares \
            (schemas, tools, roles, lets) into files it imports, and keep separate designs in \
            separate files.",
        allowable: false,
    },
    Rule {
        name: "name-too-long",
        severity: Severity::Error,
        summary: "a name longer than dsd accepts",
        explanation: "Names (of nodes, schemas, fields, tools, lets) may be at most 128 bytes \
            long. A longer one is almost always pasted text or generated noise; dsd refuses it so \
            that no input can make every message and diagram carry it.",
        allowable: false,
    },
    Rule {
        name: "number-too-long",
        severity: Severity::Error,
        summary: "a number literal longer than dsd accepts",
        explanation: "Number literals may be at most 64 characters long, digit separators \
            included. No figure in a design needs more; write large and small figures with a unit \
            (`5 TB`, `2 ms`) or an exponent (`1e12`).",
        allowable: false,
    },
    Rule {
        name: "too-many-diagnostics",
        severity: Severity::Error,
        summary: "more diagnostics in one file than dsd shows",
        explanation: "dsd shows at most 500 diagnostics per file, in order, then one that counts \
            the rest by severity. A file with more is almost always generated or broken in one \
            repeated way: fix the first ones and check again. The limit keeps the memory and output \
            of a check bounded whatever a file holds. Its severity is the worst of those not shown.",
        allowable: false,
    },
    Rule {
        name: "invalid-encoding",
        severity: Severity::Error,
        summary: "a source file that is not UTF-8, or a name holding an invisible character",
        explanation: "dsd reads UTF-8 text. Re-save the file as UTF-8 (without changing its content). \
            Names may not hold bidirectional text controls (U+200E, U+200F, U+061C, U+202A to \
            U+202E, U+2066 to U+2069) or zero-width characters (U+200B, U+200C, U+200D, U+2060, \
            U+FEFF): they change how a name looks, or not at all, so two names that read the same \
            would be two different things. Strings may hold them.",
        allowable: false,
    },
    Rule {
        name: "unknown-name",
        severity: Severity::Error,
        summary: "a reference to a node, schema, field, tool, role, rule, unit or let that does not exist",
        explanation: "Every name a design uses must be declared: nodes with `source`/`node`, schemas \
            with `schema`, tools and roles in the standard library or an imported catalogue, \
            quantities with `let`, count nouns with `noun` (in the singular: `noun play` also \
            reads `plays`, `noun city` reads `cities`; an irregular plural is declared, `noun \
            person plural people`). The help line suggests the closest declared name.",
        allowable: false,
    },
    Rule {
        name: "duplicate-name",
        severity: Severity::Error,
        summary: "the same name declared twice",
        explanation: "Nodes, schemas (per version), lets, paths, layers and tools each have one \
            declaration. Rename one of them or remove the copy.",
        allowable: false,
    },
    Rule {
        name: "unknown-property",
        severity: Severity::Error,
        summary: "a property, requirement or clause word that this construct does not have",
        explanation: "Blocks hold `property value` pairs, and each construct knows its properties \
            (`partitions`, `threads`, `retain` on nodes; `volume`, `peak`, `latency` in \
            requirements; `cause`, `detect`, `recover` in failure blocks). A misspelt one would \
            silently drop a fact the checker needs, so it is an error with a suggestion.",
        allowable: false,
    },
    Rule {
        name: "invalid-value",
        severity: Severity::Error,
        summary: "a property whose value has the wrong shape",
        explanation: "Each property takes a value of a given shape: a quantity, a name, a string, a \
            comparison. The message says which shape was expected and what was found.",
        allowable: false,
    },
    Rule {
        name: "dimension-mismatch",
        severity: Severity::Error,
        summary: "quantities whose units do not agree",
        explanation: "Every number in dsd carries a unit, and dsd checks dimensions the way a \
            physicist would: `5M orders/day * 350 B` is bytes per time, `1 GB + 3 ms` is \
            meaningless, and `latency <= 2 GB` is not a latency. Step 2 of the reference \
            (estimate capacity) only works if the arithmetic is right; this rule makes it so.",
        allowable: false,
    },
    Rule {
        name: "invalid-quantity",
        severity: Severity::Error,
        summary: "arithmetic that overflows, divides by zero or has no meaning",
        explanation: "A quantity that overflows, divides by zero or yields no number is reported \
            here instead of being carried on as infinity or NaN.",
        allowable: false,
    },
    Rule {
        name: "import-error",
        severity: Severity::Error,
        summary: "an import that cannot be read, leaves the project root or forms a cycle",
        explanation: "`import \"file.dsd\"` reads a file relative to the importing one. It must stay \
            inside the project root (the folder of the file given to dsd), must exist, and \
            imports must not form a cycle.",
        allowable: false,
    },
    Rule {
        name: "missing-tradeoff",
        severity: Severity::Error,
        summary: "a tool choice without its reason and its cost",
        explanation: r#"Step 5 of the reference: every tool choice is a trade-off. `use TOOL for NODE`
must say `because "..."` (what the tool buys) and `accepting "..."` (what it costs),
both non-empty. "Kafka because it's good" is not a design decision; "Kafka because
we need replay and fan-out, accepting the operational overhead of a cluster" is.

Fails:
    use kafka for orders
      because   "replay for a week and fan-out to later consumers"

Fixed:
    use kafka for orders
      because   "replay for a week and fan-out to later consumers"
      accepting "a cluster to run and partitions to plan""#,
        allowable: true,
    },
    Rule {
        name: "tool-role-mismatch",
        severity: Severity::Error,
        summary: "a tool that cannot play the role of the node it is used for",
        explanation: r#"The reference's storage decision tree: each kind of store is chosen for what it
can do and gives something up. Redis is not an object store; Elasticsearch is not a
durable source of truth. A tool may only be used for a node whose role is among the
roles the catalogue gives it; the help line lists tools that fit the role.

Fails:
    node landing  : table_format     { retain 30 days }
    use redis for landing
      because   "fast writes"
      accepting "memory cost per GB"

Fixed:
    use delta_lake for landing
      because   "MERGE on order_id and time travel"
      accepting "a Spark-compatible engine to read it""#,
        allowable: true,
    },
    Rule {
        name: "allow-without-reason",
        severity: Severity::Error,
        summary: "an `allow` without a reason",
        explanation: "A rule can be silenced only with a reason, exactly like a trade-off: \
            `allow RULE because \"...\"`.",
        allowable: false,
    },
    Rule {
        name: "missing-requirement",
        severity: Severity::Error,
        summary: "a design with nodes or tools but without a requirement later steps need",
        explanation: r#"Step 1 of the reference: do not design until you have numbers. A system for 10,000
events a day is architecturally different from one for 10 million a second, so a
design that names nodes or tools must first state the requirements every later step
sizes against: `volume`, `peak`, `latency` (or `freshness`), `delivery`, `retention`
and `team`. Each missing one is reported with the question to ask.

Fails:
    requirements {
      volume     5M orders/day
      peak       10x
      latency    enrichment <= 1 s
      delivery   at_least_once
      retention  landing >= 30 days
    }                                   // how many engineers run this?

Fixed:
    requirements {
      volume     5M orders/day
      peak       10x
      latency    enrichment <= 1 s
      delivery   at_least_once
      retention  landing >= 30 days
      team       6
    }"#,
        allowable: true,
    },
    Rule {
        name: "missing-capacity-estimate",
        severity: Severity::Warning,
        summary: "a requirement no capacity estimate or check ever uses",
        explanation: r#"Step 2 of the reference: calculate before deciding. A `volume`, `peak` or `readers`
requirement that no `let` uses was asked for and then ignored; a `latency`,
`freshness` or `retention` requirement whose name matches no path, node or role
cannot be checked by anything. Derive what each number implies, and name SLAs after
the `path` they constrain.

Rates are facts too. A design-level `volume` that dsd cannot bind to a source (no
`volume … from SOURCE`, several sources, none whose schema or name is its noun)
counts records that enter nowhere; a source with no rate of its own whose records
reach a broker or a processor sized by its rate leaves that node's capacity checked
without them. Each is one finding, at the volume or at the source.

Fails:
    readers    200 managers                             // in requirements
    node landing  : table_format     { retain 30 days }  // what load do they put on it?

Fixed:
    node landing  : table_format     { retain 30 days  max_qps 100 queries/s }"#,
        allowable: true,
    },
    Rule {
        name: "non-idempotent-write",
        severity: Severity::Error,
        summary: "a write that duplicates rows when its upstream delivers twice",
        explanation: r#"Anti-pattern 5 of the reference: pipelines fail and restart, and without
idempotency a restart produces duplicate records. dsd follows duplicates along the
graph: under at-least-once delivery a producer retries, a broker is re-read from the
last committed offset, a restarted job redoes its last batch, and a flow with
`retries` calls again. Every write into a store reachable that way must name its
idempotency mechanism: `merge(key)`, `upsert(key)`, `on_conflict_do_nothing`,
`conditional_put(key)`, `dedup(event_id, 1 h)`, `overwrite partition(day)` or
`by_offset`. The message shows the path by which a record can arrive twice.

Fails:
    delivery   at_least_once
    flow orders -> enrich  stream
    flow enrich -> landing stream write append

Fixed:
    flow enrich -> landing stream write merge(order_id)"#,
        allowable: true,
    },
    Rule {
        name: "exactly-once-unsupported",
        severity: Severity::Error,
        summary: "exactly-once delivery required through a sink that is neither transactional nor idempotent",
        explanation: r#"`delivery exactly_once` holds end to end only if every sink on the way either
commits in the same transaction as the read (Kafka transactions, Flink's two-phase
commit into Kafka or a table format) or writes idempotently. One plain append into a
store, or a broker without transactions, turns the whole pipeline back into
at-least-once.

Fails:
    delivery   exactly_once
    node landing  : table_format     { retain 30 days }
    flow enrich -> landing stream write append

Fixed:
    flow enrich -> landing stream write merge(order_id)"#,
        allowable: true,
    },
    Rule {
        name: "no-schema-evolution",
        severity: Severity::Warning,
        summary: "a shared schema without an evolution policy, or a stream without a registry",
        explanation: r#"Anti-pattern 4 of the reference: schemas change, and a design that assumes they
are stable breaks within months. A schema emitted by a source or carried on a stream
crosses a team boundary, so it needs `evolution backward|forward|full via ...`; a
stream carrying it needs something to enforce that policy at produce time: a
`schema_registry` node, `via registry`, or a versioned topic name (`orders.v2`).

Fails:
    schema Order v1 {
      order_id     string     key
      customer_id  string     cardinality 10M
      placed_at    timestamp  event_time
      size raw 350 B, compressed 200 B
    }
    source app    : service          { emits Order v1 }

Fixed:
    schema Order v1 {
      order_id     string     key
      customer_id  string     cardinality 10M
      placed_at    timestamp  event_time
      size raw 350 B, compressed 200 B
      evolution backward via registry
    }"#,
        allowable: true,
    },
    Rule {
        name: "incompatible-schema-change",
        severity: Severity::Error,
        summary: "a reader fed a schema version it cannot read under the declared compatibility",
        explanation: r#"Schemas flow along edges. When a node `reads Order v1` and is fed `Order v2`, dsd
judges the change the way a schema registry does: under backward compatibility a new
field needs a default; under forward compatibility a removed field must have had
one; full needs both; and a field the reader expects that the writer no longer
sends, or a changed type, breaks decoding whatever the policy. A rename is a removal
plus an addition.

Fails:
    schema Order v2 {
      order_id     string     key
      customer_id  string     cardinality 10M
      channel      string
      placed_at    timestamp  event_time
      size raw 360 B, compressed 205 B
      evolution backward via registry
    }
    source app    : service          { emits Order v2 }
    node enrich   : stream_processor { per_event 2 ms  threads 2  reads Order v1 }

Fixed:
    schema Order v2 {
      order_id     string     key
      customer_id  string     cardinality 10M
      channel      string     default web
      placed_at    timestamp  event_time
      size raw 360 B, compressed 205 B
      evolution backward via registry
    }"#,
        allowable: true,
    },
    Rule {
        name: "uncovered-failure",
        severity: Severity::Error,
        summary: "a node on a declared path without a failure mode",
        explanation: r#"Step 7 and anti-pattern 7 of the reference: a design without a failure story is not
production-ready. For every component on a critical path, state what happens when it
fails, how long until recovery, what the downstream experiences, and how the failure
is detected. A design with no path and no failure block at all is reported once.

Fails:
    path enrichment = app -> orders -> enrich -> landing
    failure app     { detect produce_error_rate > 1 %;  recover retry within 5 min }
    failure orders  { detect under_replicated_partitions > 0;  recover replace broker within 30 min }
    failure enrich  { detect consumer_lag > 10000 orders;  recover replay from committed_offset within 15 min;  dlq enrich_dlq after 3 retries }
    // and none for landing

Fixed:
    failure landing { detect write_errors > 0;  recover retry with backoff within 10 min }"#,
        allowable: true,
    },
    Rule {
        name: "no-monitoring",
        severity: Severity::Warning,
        summary: "a failure mode without a detection threshold or a recovery time",
        explanation: r#"Step 7 asks which metrics you would monitor and what alerts you would set. A
failure block needs `detect METRIC > THRESHOLD`, so someone is paged, and a recovery
time (`recover ... within 30 min`), so everyone knows how long the effect lasts.

Fails:
    failure landing { detect write_errors > 0;  recover retry with backoff }

Fixed:
    failure landing { detect write_errors > 0;  recover retry with backoff within 10 min }"#,
        allowable: true,
    },
    Rule {
        name: "missing-dlq",
        severity: Severity::Warning,
        summary: "a stream processor with no dead-letter queue or retry policy",
        explanation: r#"A stream processor meets bad events one at a time: a malformed payload, a lookup
that times out. Without a retry policy and a dead-letter queue, one poison event
either blocks its partition or is silently dropped. Design 1 of the reference sends
events that fail after 3 retries to a DLQ topic.

Fails:
    node enrich   : stream_processor { per_event 2 ms  threads 2 }
    failure enrich  { detect consumer_lag > 10000 orders;  recover replay from committed_offset within 15 min }

Fixed:
    failure enrich  { detect consumer_lag > 10000 orders;  recover replay from committed_offset within 15 min;  dlq enrich_dlq after 3 retries }"#,
        allowable: true,
    },
    Rule {
        name: "latency-budget-exceeded",
        severity: Severity::Error,
        summary: "the latencies along a path add up to more than its SLA",
        explanation: r#"Latency adds up along a path: processing per event (`per_event`), lookups
(`lookup`, or a read's `latency`), batch intervals (a `batch every 5 min` hop can
add up to 5 minutes), and the latency floors the catalogue gives for the tools. dsd
sums them at the pessimistic end of every range and compares the sum with the SLA
named after the path (`latency NAME <= 2 s`). A batch job waits for its schedule
once, however many of its flows lie on the path (a nightly job's read and write are
one wait of a day). A lookup whose flow declares a latency (`read lookup by id
latency 300 ms`) counts on top of the node's `per_event`; declare only waits that
`per_event` does not already include. The message gives the exact total and by how
much it is over.

Fails:
    latency    enrichment <= 1 s
    flow orders -> enrich  batch every 5 min
    path enrichment = app -> orders -> enrich -> landing

Fixed:
    flow orders -> enrich  stream"#,
        allowable: true,
    },
    Rule {
        name: "capacity-exceeded",
        severity: Severity::Error,
        summary: "peak throughput above what partitions, brokers, threads or serving capacity provide",
        explanation: r#"Design for peak, not average: a system that handles the average fails at the
moment it matters. Rates come from the flow model: summed where flows merge,
scaled by a flow's `keep`, `fanout`, `errors` or fixed `rate` (a flow into a
failure's `dlq` carries 1% unless it says). At peak, a topic needs as many
partitions as its tightest limit asks: bytes written ÷ the per-partition rate
(Kafka 50–100 MB/s; Kinesis 1 MB/s), records written ÷ the per-partition record
limit (Kinesis 1,000/s), and bytes read by every consumer group ÷ the read limit
(Kinesis 2 MB/s shared); the message names the limit that binds. Its brokers must
absorb peak × replication at ~500 MB/s each. A consumer needs peak × time per event
threads (`threads` is the total across instances; `instances` alone means one
thread each), but only threads that get a partition work: instances beyond the
partitions they read sit idle, and so do threads unless the node declares
`concurrency per_key` or `per_record`. A serving node's `max_qps` must cover its
readers. An in-memory store (Redis, Memcached) with a stated `memory` must hold its
keys: the key field's `cardinality` (or what arrives within its `ttl`, if fewer) ×
the record's raw size, a floor before the store's own overhead. Checked at the pessimistic end: the slowest per-partition rate, the
longest time per event; needed and provided use the same rounding as `dsd report`
(8.0 threads of 8 is enough). Under global ordering, idle threads are the ordering
rule's finding, not this one.

Fails:
    volume     5M orders/day                                       // in requirements
    peak       10x                                                 // 579 orders/s
    node enrich   : stream_processor { per_event 2 ms  threads 1 }  // 500/s

Fixed:
    node enrich   : stream_processor { per_event 2 ms  threads 2 }  // 1,000/s"#,
        allowable: true,
    },
    Rule {
        name: "ordering-throughput-conflict",
        severity: Severity::Error,
        summary: "global ordering required while peak writes exceed one partition",
        explanation: r#"Anti-pattern 2 of the reference: one Kafka partition is one writer at ~100 MB/s at
most. Global ordering means one partition, so a design that requires global ordering
and has more than one partition's worth of peak writes has an unsolvable conflict.
Challenge the requirement: per-entity ordering (per customer, per payment) scales
horizontally.

Fails:
    peak       600000 orders/s                                    // 120 MB/s at 200 B
    node orders   : stream_broker    { partitions 12  replication 3  key customer_id  ordering global }

Fixed:
    node orders   : stream_broker    { partitions 12  replication 3  key customer_id  ordering per_key customer_id }
    node enrich   : stream_processor { per_event 2 ms  threads 1200  concurrency per_key }"#,
        allowable: true,
    },
    Rule {
        name: "hot-partition-key",
        severity: Severity::Warning,
        summary: "a partition key with too few distinct values, or a skewed one",
        explanation: r#"Records are spread over partitions by hashing the key. A key with fewer than about
ten distinct values per partition (50 cities over 12 partitions), or one declared
`skewed` (one city carries a third of the orders), loads a few partitions while the
rest idle, and consumers of the hot partitions fall behind. The reference keys
orders by customer_id: 10M+ customers, no hot partition.

Fails:
    city         string     cardinality 50                        // in Order v1
    node orders   : stream_broker    { partitions 12  replication 3  key city }

Fixed:
    node orders   : stream_broker    { partitions 12  replication 3  key customer_id }"#,
        allowable: true,
    },
    Rule {
        name: "weak-durability",
        severity: Severity::Warning,
        summary: "a topic with fewer than 3 replicas or weak acknowledgements",
        explanation: r#"A topic keeps acknowledged events through a broker loss only with replication 3,
`acks all` and `min_insync 2`, as Design 1 of the reference configures it. Fewer
replicas, `acks 1` or `min_insync 1` acknowledge writes that a single failure can
lose, which breaks at-least-once delivery.

Fails:
    node orders   : stream_broker    { partitions 12  replication 2  acks 1  key customer_id }

Fixed:
    node orders   : stream_broker    { partitions 12  replication 3  acks all  min_insync 2  key customer_id }"#,
        allowable: true,
    },
    Rule {
        name: "over-engineering",
        severity: Severity::Warning,
        summary: "streaming or more systems than the requirements and the team justify",
        explanation: r#"Anti-pattern 1 of the reference: Kafka → Spark → Snowflake without asking
requirements. A 5-person startup with 10k events a day does not need Kafka. Stream
when latency is a business requirement (here: an SLA under 15 minutes); batch is
simpler and cheaper for minutes to hours. Volume matters too: when every broker
carries under 10 records/s at peak (864,000 a day), a Postgres table and a job do
the same work with nothing to run. And a team can only run so many systems: more
self-managed systems than engineers is operational burden the team cannot sustain.
Counted are systems the team operates: not managed services, not its own code
(tools marked `code`: a Python job, dbt models, an API service), not the source
databases other teams run, and a tool that `runs_on` another is that one system.

Fails:
    latency    enrichment <= 1 day
    node orders   : stream_broker    { partitions 12  replication 3  key customer_id }
    node enrich   : stream_processor { per_event 2 ms  threads 2 }
    flow app    -> orders  stream carries Order v1
    flow orders -> enrich  stream
    flow enrich -> landing stream write merge(order_id)

Fixed:
    flow app -> landing batch daily carries Order v1 write merge(order_id)
    path enrichment = app -> landing                   // no broker, no consumer"#,
        allowable: true,
    },
    Rule {
        name: "oltp-analytics",
        severity: Severity::Error,
        summary: "analytical scans or bulk extraction on a production OLTP primary",
        explanation: r#"Anti-pattern 3 of the reference: analytical queries do full table scans, and full
table scans on the production database either get killed by the ops team or cause
latency spikes for real users. Read from a replica (`replica_of`) for moderate load,
or stream changes out with CDC into a warehouse; separate OLTP and OLAP by design,
not by luck.

Fails:
    source orders_db : oltp_database
    flow orders_db -> nightly batch daily read scan

Fixed:
    node orders_replica : oltp_database { replica_of orders_db }
    flow orders_db      -> orders_replica cdc
    flow orders_replica -> nightly batch daily read scan"#,
        allowable: true,
    },
    Rule {
        name: "warehouse-realtime-serving",
        severity: Severity::Error,
        summary: "a warehouse on a path whose SLA or refresh is under its cold-query time",
        explanation: r#"Anti-pattern 6 of the reference: Snowflake and BigQuery start cold queries in 1–5 s;
they are not real-time serving layers. A dashboard refreshing every 10 s, or an SLA
under the warehouse's cold-query time, served straight from a warehouse is slow and
expensive. Pre-compute aggregates with a streaming job, serve them from Redis, and
keep the warehouse for analysis.

Fails:
    node marts : warehouse
    node board : dashboard { refresh every 10 s }
    flow marts  -> board read scan

Fixed:
    node snapshot : kv_store
    flow enrich   -> snapshot stream write upsert(order_id)
    flow snapshot -> board read lookup by order_id"#,
        allowable: true,
    },
    Rule {
        name: "storage-access-mismatch",
        severity: Severity::Error,
        summary: "an access pattern the store cannot serve well",
        explanation: r#"The reference's storage decision tree: each store is chosen for the access it
serves, and gives something up. Object storage has no random access; a key-value
store answers keys, not scans; a graph database is poor at anything but traversal;
only a search engine has an inverted index, and a search engine is not a reliable
source of truth, so data indexed there must also live in a durable primary store.

Fails:
    node landing  : table_format     { retain 30 days }
    flow landing -> api read lookup by order_id

Fixed:
    node orders_kv : kv_store
    flow enrich    -> orders_kv stream write upsert(order_id)
    flow orders_kv -> api read lookup by order_id"#,
        allowable: true,
    },
    Rule {
        name: "retention-not-met",
        severity: Severity::Error,
        summary: "a store keeps data for less than the retention requirement",
        explanation: r#"Step 1 asks how long raw data must be retained; the stores that hold it must keep
it that long. dsd reads `retain` and storage `tier`s, assumes Kafka's default of 7
days for a topic that declares nothing, and caps by the tool's `retention_max`.

Fails:
    retention  landing >= 30 days
    node landing  : table_format     { retain 7 days }

Fixed:
    node landing  : table_format     { retain 30 days }"#,
        allowable: true,
    },
    Rule {
        name: "recovery-promise-unmet",
        severity: Severity::Error,
        summary: "a failure's `recover … within` cannot be met, or its outage outlives retention",
        explanation: r#"Step 7 asks, for every component, how long until it recovers. dsd checks each
`failure` block's `recover … within W` against what the design can do in the most
favourable case, so a finding is a promise that cannot be met at all: the node is
down for the block's `outage` (else for W) while records arrive at the average
rate; they wait in the nearest broker or store upstream, and every node between
stalls. When the node returns it drains the backlog at its capacity (threads that
get a partition ÷ `per_event`, no more than the topic serves) minus the average. The promise is broken when the drain alone exceeds W
(counted from the moment the node is back, so it holds however the promise is
measured), or when the outage outlives the broker's retention (`replayable`, else
`retain`, else the tool's default: Kinesis 24 h, Kafka 7 days), so the oldest
records expire unread. `dsd what-if FILE "down NODE for 1 h at peak"` shows the
same arithmetic at peak, with detection from the `detect` lines added (a time
threshold fires when the oldest waiting record is that old, a count when that
many have arrived, anything else at the first failed request).

Fails:
    node scorer    : stream_processor { per_event 50 ms  threads 8  instances 2  concurrency per_record }
    failure scorer {
      detect   p95 latency > 1.5 s
      recover  restart from committed_offset within 30 min
      dlq      scorer_dlq after 3 retries
      outage   2 h
    }
    // average 100/s × 2 h = 720,000 waiting; 8 threads × 20/s = 160/s;
    // 720,000 ÷ (160 − 100)/s = 3.3 h > 30 min

Fixed:
    node scorer    : stream_processor { per_event 50 ms  threads 32  instances 2  concurrency per_record }
    // 640/s: 720,000 ÷ (640 − 100)/s = 22 min"#,
        allowable: true,
    },
    Rule {
        name: "pii-exposed",
        severity: Severity::Error,
        summary: "a PII field reaching a node outside the compliance zone",
        explanation: r#"Step 1 asks about GDPR, DPDP and PCI-DSS. Fields marked `pii` flow along edges; they
may reach only nodes inside a `zone`, unless a node on the way masks or tokenises
them (`mask email phone`, `tokenize vpa`) or the node declares access control
(`access restricted`). A design under a `compliance` requirement with PII and no zone
at all is reported once.

Fails:
    address      string     pii                               // in Order v1
    zone restricted { app, orders, enrich }
    flow enrich -> landing stream write merge(order_id)      // landing is outside

Fixed:
    node enrich   : stream_processor { per_event 2 ms  threads 2  mask address }"#,
        allowable: true,
    },
    Rule {
        name: "missing-watermark",
        severity: Severity::Error,
        summary: "an event-time window on a stream without a late-data watermark",
        explanation: r#"Step 6 of the reference: late-arriving data. Events arrive out of order (mobile
networks, producer retries); an event-time window must say how long it waits for
them, or late events are dropped from their window or counted in the wrong one.
Declare the watermark as a hard problem.

Fails:
    node enrich   : stream_processor { per_event 2 ms  threads 2  window tumbling 1 min on placed_at }

Fixed:
    late_data Order.placed_at watermark 30 s at enrich"#,
        allowable: true,
    },
    Rule {
        name: "unsafe-backfill",
        severity: Severity::Error,
        summary: "a backfill that can disrupt production or duplicate data",
        explanation: r#"Design 4 of the reference: never `SELECT *` three years of orders from the
production primary. Read a replica, chunk by month, pause between chunks, skip
chunks already extracted so a restart is safe, and MERGE into the target, not
INSERT, because some rows already exist.

Fails:
    backfill orders_3y {
      from  orders_db
      to    landing
    }

Fixed:
    node orders_replica : oltp_database { replica_of orders_db }
    flow orders_db -> orders_replica cdc
    backfill orders_3y {
      from          orders_replica
      to            landing
      chunk         by month
      pause         5 s
      skip_existing
      write         merge(order_id)
    }"#,
        allowable: true,
    },
    Rule {
        name: "stale-serving",
        severity: Severity::Warning,
        summary: "the waits on a serving node's refresh path add up to more than the freshness requirement",
        explanation: r#"Design 5 of the reference: a 10-second refresh means data at most 10 seconds
stale. How old the data a reader sees can be is the sum of the waits on its way
in: each batch job waits for its schedule (jobs one orchestrator triggers in
order wait once, jobs on schedules of their own can each just miss the last run,
unless they state times of day: `schedule daily 01:00` then `daily 03:00` waits
the 2 h between them), each scheduled copy for its interval, each node with a
`refresh` for that. A `freshness` on a path sums that path's hops; on a node, its freshest way in. A
TTL is not the bound: while the writer runs it rewrites the entries, and the TTL
only decides what is served once the writer stops.

Fails:
    freshness  board <= 10 s
    node board    : dashboard { refresh every 1 min }

Fixed:
    node board    : dashboard { refresh every 5 s }"#,
        allowable: true,
    },
    Rule {
        name: "single-point-of-failure",
        severity: Severity::Warning,
        summary: "a serving path on a single instance with no replica or degradation path",
        explanation: r#"From the reference's architecture review: a single Redis instance for the online
store restarts during peak traffic — what then? A store or serving node with
`instances 1` on a path or behind a consumer needs a replica, or a declared
degradation path (`fallback NODE`, `degrade "serve stale features"`).

Fails:
    node snapshot : kv_store { instances 1 }
    flow snapshot -> board read lookup by order_id

Fixed:
    node snapshot : kv_store { instances 2 }"#,
        allowable: true,
    },
    Rule {
        name: "small-files",
        severity: Severity::Warning,
        summary: "batch writes into object storage far below ~100 MB per file",
        explanation: r#"Object storage charges 10–50 ms per PUT, and every query opens every file. A batch
interval that lands files far below ~100 MB (under 25 MB: daily volume × interval
÷ writers; a sink connector writes one file per partition per flush), more than
100 of them a day, fills the lake with small files that slow every scan. Compact, or flush less often.

Fails:
    node orders   : stream_broker    { partitions 12  replication 3  key customer_id }
    flow sink   -> archive batch every 5 min idempotent by_offset
    // 1 GB a day compressed, in 12 × 288 = 3,456 files: about 289 KB each

Fixed:
    node archive : object_store { compaction daily }"#,
        allowable: true,
    },
    Rule {
        name: "cost-ceiling-exceeded",
        severity: Severity::Error,
        summary: "the estimated monthly cost exceeds the cost requirement",
        explanation: r#"Step 1 asks whether there is a cost ceiling; the estimate must fit under it. dsd
sums the bill's priced lines: a node's stated `cost` (which stands for the whole
node), else its instances, shards, units, scans, vCPU-hours, credits and storage by
tier at the catalogue's prices, and shows the largest items. Lines the catalogue
cannot price add nothing, so a total over the ceiling is over it whatever they
cost; `dsd report` lists them with the figure to declare.

Fails:
    cost       <= $300/month
    node landing  : table_format     { retain 30 days  cost $450/month }

Fixed:
    cost       <= $500/month         // the ceiling agreed once the lake was priced"#,
        allowable: true,
    },
    Rule {
        name: "unreachable-node",
        severity: Severity::Warning,
        summary: "a node no flow reaches, or a source whose data goes nowhere",
        explanation: r#"Step 4: boxes and arrows. A node with no flow in or out, a store nothing writes,
or a source that feeds nothing is a box the design forgot to connect, and checks
that follow the flows cannot see it. Orchestrators and schema registries carry no
data and are exempt; declare a node filled by another team with `source`.

Fails:
    node audit : object_store

Fixed:
    flow orders -> audit batch daily write overwrite partition(day)"#,
        allowable: true,
    },
    Rule {
        name: "unused-allow",
        severity: Severity::Error,
        summary: "an `allow` that silences nothing",
        explanation: r#"`allow RULE because "..."` excuses a finding the design knowingly accepts. When the
finding goes away, the excuse must go too, or it silently hides the next finding of
that rule. Remove the `allow`, or narrow it to the node it is about with `on NODE`.

Fails:
    allow stale-serving because "the board tolerates a minute of staleness"

Fixed:
    // the allow removed: the board is fresh enough, nothing is excused"#,
        allowable: false,
    },
    Rule {
        name: "unfilled-placeholder",
        severity: Severity::Error,
        summary: "a `TODO` that `dsd init` left for a value or a reason",
        explanation: "`dsd init` writes a starter design whose numbers and reasons are placeholders: `TODO` where a value belongs (`volume TODO events/day`) and `\"TODO: ...\"` where a reason belongs. Each is an error until it is filled in, so nobody designs before answering step 1's questions. The comment on a value's line, or the placeholder's own text, asks the question.",
        allowable: false,
    },
];

/// A rule's failing and fixed designs: whole designs whose lines its
/// `Fails:` and `Fixed:` snippets are, printed by `dsd explain RULE --example`
/// and `--fixed`. They are the rule's fixture pair, `tests/rules/RULE/`, so
/// the design a reader is shown is the one the tests hold to exactly that
/// rule (failing) and to nothing (fixed).
pub fn example(name: &str) -> Option<(&'static str, &'static str)> {
    EXAMPLES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, fail, pass)| (*fail, *pass))
}

macro_rules! examples {
    ($($name:literal),* $(,)?) => {
        &[$((
            $name,
            include_str!(concat!("../tests/rules/", $name, "/fail.dsd")),
            include_str!(concat!("../tests/rules/", $name, "/pass.dsd")),
        )),*]
    };
}

const EXAMPLES: &[(&str, &str, &str)] = examples!(
    "capacity-exceeded",
    "cost-ceiling-exceeded",
    "exactly-once-unsupported",
    "hot-partition-key",
    "incompatible-schema-change",
    "latency-budget-exceeded",
    "missing-capacity-estimate",
    "missing-dlq",
    "missing-requirement",
    "missing-tradeoff",
    "missing-watermark",
    "no-monitoring",
    "no-schema-evolution",
    "non-idempotent-write",
    "oltp-analytics",
    "ordering-throughput-conflict",
    "over-engineering",
    "pii-exposed",
    "recovery-promise-unmet",
    "retention-not-met",
    "single-point-of-failure",
    "small-files",
    "stale-serving",
    "storage-access-mismatch",
    "tool-role-mismatch",
    "uncovered-failure",
    "unreachable-node",
    "unsafe-backfill",
    "unused-allow",
    "warehouse-realtime-serving",
    "weak-durability",
);

/// The line after a rule's snippets that says where the whole designs are.
pub fn example_hint(name: &str) -> Option<String> {
    example(name).map(|_| {
        format!(
            "The snippets are lines of one design: `dsd explain {name} --example` prints it\nwhole, failing, and `dsd explain {name} --fixed` prints it fixed."
        )
    })
}

pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// Whether a code is an error in the text itself (syntax, names, units, imports),
/// as opposed to a finding of the design rules. Outputs that need a design that
/// resolved (diagrams, reports) stop only on these.
pub fn is_front_end(name: &str) -> bool {
    find(name).is_none_or(|r| !r.allowable && r.name != "unused-allow")
}

pub fn default_severity(name: &str) -> Severity {
    find(name).map(|r| r.severity).unwrap_or(Severity::Error)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_kebab_case_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for r in super::RULES {
            assert!(
                r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.name
            );
            assert!(seen.insert(r.name), "duplicate rule {}", r.name);
            assert!(!r.summary.is_empty() && !r.explanation.is_empty());
        }
    }
}
