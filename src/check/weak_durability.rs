//! weak-durability: a broker topic loses acknowledged writes when a broker dies if
//! it keeps fewer than 3 replicas, or acknowledges before enough replicas have the
//! write. Design 1: "6 partitions, replication_factor=3, acks=all, min.insync.replicas=2".

use super::{Ctx, Finding};
use crate::model::{Delivery, RoleKind};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let lossless = ctx.delivery() != Delivery::AtMostOnce;
    for i in 0..ctx.design.nodes.len() {
        if ctx.kind(i) != Some(RoleKind::Broker) {
            continue;
        }
        let mut weak: Vec<(crate::source::Span, String)> = Vec::new();
        if let Some(r) = ctx.quantity(i, "replication")
            && r.lo < 3.0
        {
            weak.push((
                ctx.prop_span(i, "replication"),
                format!("replication {}: one broker loss can lose data", r.display()),
            ));
        }
        if lossless {
            if let Some(acks) = ctx.words(i, "acks").first()
                && acks != "all"
                && acks != "-1"
            {
                weak.push((
                    ctx.prop_span(i, "acks"),
                    format!("acks {acks}: the leader confirms before replicas have the write"),
                ));
            }
            if let Some(m) = ctx.quantity(i, "min_insync")
                && m.lo < 2.0
            {
                weak.push((
                    ctx.prop_span(i, "min_insync"),
                    format!(
                        "min_insync {}: a write on one replica counts as durable",
                        m.display()
                    ),
                ));
            }
        }
        let Some((first_span, first_msg)) = weak.first().cloned() else {
            continue;
        };
        let mut diag = ctx
            .diag(
                "weak-durability",
                first_span,
                format!("topic `{}` can lose acknowledged events", ctx.name(i)),
            )
            .label(first_msg);
        for (span, msg) in weak.iter().skip(1) {
            diag = diag.also(ctx.file, *span, msg.clone());
        }
        out.push(Finding::new(
            diag.with_help("use `replication 3  acks all  min_insync 2` for topics whose events must not be lost"),
            vec![i],
        ));
    }
    out
}
