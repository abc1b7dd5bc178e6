//! storage-access-mismatch: the storage decision tree — each store is chosen for
//! the access it serves well. A point lookup on object storage, a scan of a
//! key-value store or a search engine as the only copy of data fights the store.

use super::{Ctx, Finding};
use crate::model::{ReadKind, RoleKind};

fn kind_name(k: ReadKind) -> &'static str {
    match k {
        ReadKind::Lookup => "point lookup",
        ReadKind::Scan => "scan",
        ReadKind::Range => "range query",
        ReadKind::Search => "full-text search",
        ReadKind::Traverse => "graph traversal",
    }
}

fn advice(k: ReadKind) -> &'static str {
    match k {
        ReadKind::Lookup => {
            "serve point lookups from a key-value store (Redis, DynamoDB) or an OLTP database, loaded from this store"
        }
        ReadKind::Scan => {
            "scan columnar data in object storage, a table format or a warehouse; a key-value store answers keys, not scans"
        }
        ReadKind::Range => {
            "time-range queries belong in a time-series DB, a warehouse or a table partitioned by time"
        }
        ReadKind::Search => {
            "full-text search needs an inverted index: a search engine (Elasticsearch, OpenSearch) fed from the primary store"
        }
        ReadKind::Traverse => "multi-hop traversal needs a graph database (Neo4j, Neptune)",
    }
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let d = ctx.design;
    let mut out = Vec::new();
    for (fi, flow) in d.flows.iter().enumerate() {
        let Some(read) = &flow.read else { continue };
        let Some(edge) = ctx.edge_of.get(fi).copied().flatten() else {
            continue;
        };
        let store = edge.src;
        if !matches!(ctx.kind(store), Some(RoleKind::Store | RoleKind::Broker)) {
            continue;
        }
        // A range within one partition key (a sort key, a clustering column) is
        // what DynamoDB, Cassandra and Bigtable are built for; a range on the
        // partition key itself spans every partition.
        let on_partition_key = read.on.as_ref().is_some_and(|f| {
            ctx.words(store, "key")
                .first()
                .is_some_and(|k| *k == f.name)
        });
        let in_partition = ctx.tool_flag(store, "partition_range") && !on_partition_key;
        let fits = match read.kind {
            // Objects fetched whole by key (tiles, documents) are what object
            // storage serves; a row looked up inside Parquet files is not.
            ReadKind::Lookup => {
                !ctx.cannot(store, "point_lookup")
                    || (ctx.is_role(store, "object_store") && ctx.prop(store, "format").is_none())
            }
            ReadKind::Scan => !ctx.cannot(store, "scan"),
            ReadKind::Range => ctx.can(store, "range") || ctx.can(store, "scan") || in_partition,
            ReadKind::Search => ctx.can(store, "search"),
            ReadKind::Traverse => ctx.can(store, "traverse"),
        };
        // A reader's declared `fallback` is read only when its main store misses
        // (Design 3: the latest batch features on a cache miss): a slow read
        // there is the degraded mode, not the access pattern.
        let fallback = ctx
            .words(edge.dst, "fallback")
            .iter()
            .any(|w| w == ctx.name(store));
        if fits || fallback {
            continue;
        }
        let role = d.nodes.get(store).map(|n| n.role.as_str()).unwrap_or("");
        let role_name = super::article(role);
        out.push(Finding::new(
            ctx.diag(
                "storage-access-mismatch",
                read.span,
                format!(
                    "a {} on `{}`, {role_name}, which does not serve it",
                    kind_name(read.kind),
                    ctx.name(store)
                ),
            )
            .label(format!("{} here", kind_name(read.kind)))
            .also(
                ctx.file,
                d.nodes.get(store).map(|n| n.role_span).unwrap_or(read.span),
                format!("`{}` is {role_name}", ctx.name(store)),
            )
            .with_help(if read.kind == ReadKind::Range && ctx.tool_flag(store, "partition_range") {
                "this range runs on the partition key, so it reads every partition: range on a sort key (clustering column) within one partition key instead, or keep a copy partitioned by time"
            } else if read.kind == ReadKind::Range && ctx.kind(store) == Some(RoleKind::Store) && ctx.cannot(store, "scan") {
                "ranges within one partition key are served by DynamoDB, Cassandra, ScyllaDB or Bigtable (`use dynamodb`); time-range queries across keys belong in a time-series DB, a warehouse or a table partitioned by time"
            } else {
                advice(read.kind)
            }),
            vec![store, edge.dst],
        ));
    }
    // A search engine needs a primary store: its data is kept durably if some node
    // on its way in is durable or also sends its data on to a durable store (a
    // topic that feeds both an archive, through a sink, and the indexer). One
    // pass back from the durable stores, one forward from what reaches them.
    let durable = |i: usize| {
        ctx.kind(i) == Some(RoleKind::Store)
            && ctx.can(i, "durable")
            && !ctx.cannot(i, "source_of_truth")
    };
    let n = d.nodes.len();
    // Nodes whose data reaches a durable store (through a sink connector, say),
    // then everything downstream of them.
    let reaches = ctx.reach((0..n).filter(|i| durable(*i)), false);
    let kept = ctx.reach(
        (0..n).filter(|i| reaches.get(*i).copied().unwrap_or(false)),
        true,
    );
    for s in 0..n {
        if !ctx.cannot(s, "source_of_truth") || ctx.kind(s) != Some(RoleKind::Store) {
            continue;
        }
        let ins = ctx.data_in.get(s).map(Vec::as_slice).unwrap_or(&[]);
        if ins.is_empty() || kept.get(s).copied().unwrap_or(false) {
            continue;
        }
        out.push(Finding::new(
            ctx.diag(
                "storage-access-mismatch",
                ctx.name_span(s),
                format!("`{}` is the only store of the data it holds, but a search engine is not a source of truth", ctx.name(s)),
            )
            .label("no durable primary store upstream")
            .with_help("write the data to a durable primary store (object storage, a table format, an OLTP database) and index it from there"),
            vec![s],
        ));
    }
    out
}
