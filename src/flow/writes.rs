//! What a write into a store does with a record delivered twice: the mechanisms
//! a flow names, whether the store can carry them out, and so whether the write
//! absorbs duplicates. `non-idempotent-write`, `exactly-once-unsupported`,
//! `unsafe-backfill` and the replay scenario of `dsd what-if` all ask this.

use super::Ctx;
use crate::model::{Flow, Value, WriteKind};

/// `a store`, `an object store`.
pub fn article(word: &str) -> String {
    let vowel = word.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {word}", if vowel { "an" } else { "a" })
}

/// Why a store cannot carry out a write mechanism, when it cannot: object storage
/// has no row-level update, so MERGE, upsert and on-conflict need a table format
/// or a database; a transactional write needs a sink that takes part in
/// transactions.
pub fn unsupported_write(ctx: &Ctx<'_>, kind: WriteKind, dst: usize) -> Option<String> {
    let what = || match ctx.tool(dst) {
        Some(t) => format!("`{}` ({})", ctx.name(dst), t.title),
        None => format!("`{}`", ctx.name(dst)),
    };
    match kind {
        // An upsert by key into object storage is a PUT to that key, idempotent
        // when each record is its own object; in Parquet/ORC/Avro files many rows
        // share one object and no row can be replaced.
        WriteKind::Merge | WriteKind::OnConflictDoNothing if ctx.cannot(dst, "row_update") => {
            Some(no_row_update(ctx, kind, dst, &what()))
        }
        WriteKind::Upsert if ctx.cannot(dst, "row_update") && ctx.prop(dst, "format").is_some() => {
            Some(no_row_update(ctx, kind, dst, &what()))
        }
        WriteKind::Transactional if !ctx.tool_flag(dst, "transactional") => {
            Some(match ctx.tool(dst) {
                Some(_) => format!("{} does not take part in transactions", what()),
                None => format!(
                    "no tool is chosen for `{}`, so nothing shows it takes part in a transaction",
                    ctx.name(dst)
                ),
            })
        }
        _ => None,
    }
}

fn no_row_update(ctx: &Ctx<'_>, kind: WriteKind, dst: usize, what: &str) -> String {
    format!(
        "{what} is {} with no row-level update: `{}` needs a table format (Delta Lake, Iceberg, Hudi) or a database",
        article(
            &ctx.node(dst)
                .map(|n| n.role.replace('_', " "))
                .unwrap_or_else(|| "store".into())
        ),
        kind.word()
    )
}

/// The mechanisms a flow's write names (`write`, then `idempotent`).
pub fn mechanisms(flow: &Flow) -> impl Iterator<Item = WriteKind> + '_ {
    flow.write
        .iter()
        .chain(flow.idempotent.iter())
        .map(|w| w.kind)
}

/// Whether a write into `dst` over `flow` absorbs duplicates: the write names a
/// mechanism the store can carry out, or it names none and a step-6 `dedup ... at
/// dst` does. A write that says `append` appends, whatever step 6 declares.
pub fn absorbs_duplicates(ctx: &Ctx<'_>, flow: &Flow, dst: usize) -> bool {
    // A replica applies its primary's log by position.
    let replica = matches!(ctx.prop(dst, "replica_of").map(|p| &p.value), Some(Value::Name(n)) if ctx.design.node_index(&n.name) == Some(flow.from));
    if replica
        || mechanisms(flow).any(|k| k.is_idempotent() && unsupported_write(ctx, k, dst).is_none())
    {
        return true;
    }
    // `dedup Payment.payment_id at decisions via conditional_put`
    flow.write.is_none()
        && flow.idempotent.is_none()
        && ctx
            .dedup_at
            .get(&dst)
            .is_some_and(|(via, _)| via.is_none_or(|k| unsupported_write(ctx, k, dst).is_none()))
}
