//! storage-access-mismatch: the storage decision tree — each store is chosen for
//! the access it serves well. A point lookup on object storage, a scan of a
//! key-value store or a search engine as the only copy of data fights the store.

use super::{Ctx, Finding};
use crate::model::{ReadKind, RoleKind};
use std::collections::VecDeque;

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
        let fits = match read.kind {
            ReadKind::Lookup => !ctx.cannot(store, "point_lookup"),
            ReadKind::Scan => !ctx.cannot(store, "scan"),
            ReadKind::Range => ctx.can(store, "range") || ctx.can(store, "scan"),
            ReadKind::Search => ctx.can(store, "search"),
            ReadKind::Traverse => ctx.can(store, "traverse"),
        };
        if fits {
            continue;
        }
        let role_name = d.nodes.get(store).map(|n| n.role.as_str()).unwrap_or("");
        out.push(Finding::new(
            ctx.diag(
                "storage-access-mismatch",
                read.span,
                format!(
                    "a {} on `{}`, a {role_name}, which does not serve it",
                    kind_name(read.kind),
                    ctx.name(store)
                ),
            )
            .label(format!("{} here", kind_name(read.kind)))
            .also(
                ctx.file,
                d.nodes.get(store).map(|n| n.role_span).unwrap_or(read.span),
                format!("`{}` is a {role_name}", ctx.name(store)),
            )
            .with_help(advice(read.kind)),
            vec![store, edge.dst],
        ));
    }
    // A search engine needs a primary store: durable upstream, or a sibling write.
    let durable = |i: usize| {
        ctx.kind(i) == Some(RoleKind::Store)
            && ctx.can(i, "durable")
            && !ctx.cannot(i, "source_of_truth")
    };
    let n = d.nodes.len();
    let mut below_durable = vec![false; n];
    let mut queue: VecDeque<usize> = (0..n).filter(|i| durable(*i)).collect();
    while let Some(i) = queue.pop_front() {
        for e in ctx.data_out.get(i).map(Vec::as_slice).unwrap_or(&[]) {
            if let Some(m) = below_durable.get_mut(e.dst)
                && !*m
            {
                *m = true;
                queue.push_back(e.dst);
            }
        }
    }
    let writes_durable: Vec<bool> = (0..n)
        .map(|i| {
            ctx.data_out
                .get(i)
                .is_some_and(|es| es.iter().any(|e| durable(e.dst)))
        })
        .collect();
    for s in 0..n {
        if !ctx.cannot(s, "source_of_truth") || ctx.kind(s) != Some(RoleKind::Store) {
            continue;
        }
        let ins = ctx.data_in.get(s).map(Vec::as_slice).unwrap_or(&[]);
        if ins.is_empty()
            || below_durable.get(s).copied().unwrap_or(false)
            || ins
                .iter()
                .any(|e| writes_durable.get(e.src).copied().unwrap_or(false))
        {
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
