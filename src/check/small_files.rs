//! small-files: object storage charges 10–50 ms per PUT and every query opens every
//! file. A batch interval that lands files far below ~100 MB, with no compaction,
//! fills the lake with small files that slow every scan.

use super::{Ctx, Finding, show};
use crate::model::FlowMode;
use crate::units::{DAY, Dimension};

/// The file size a lake aims for; "far below" it is under a quarter of it.
const TARGET_FILE: f64 = 100e6;
const FAR_BELOW: f64 = TARGET_FILE / 4.0;
/// A hundred files a day (36,500 a year) is a count any engine lists quickly;
/// a few hundred or thousands a day, for years, are not.
const MAX_FILES_PER_DAY: f64 = 100.0;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in ctx.edge_of.iter().flatten() {
        let Some(flow) = ctx.flow(e.flow) else {
            continue;
        };
        let FlowMode::Batch { every: Some(every) } = &flow.mode else {
            continue;
        };
        let lake = ctx.is_role(e.dst, "object_store") || ctx.is_role(e.dst, "table_format");
        if !lake || flow.read.is_some() || ctx.prop(e.dst, "compaction").is_some() {
            continue;
        }
        // What this flow lands a day, as the lake stores it (Parquet is a fifth of
        // the raw bytes); not the lake's total: other flows write their own files.
        let parts = ctx.rates.edge.get(e.flow).map(Vec::as_slice).unwrap_or(&[]);
        let Some(daily) = crate::sizing::stored_per_day(ctx, e.dst, parts)
            .or_else(|| ctx.edge_daily_bytes(e.flow))
        else {
            continue;
        };
        // A sink connector writes one file per upstream partition per flush.
        let (writers, topic) = ctx.flush_writers(e.src);
        let per_flush = daily * every.hi / DAY;
        let file = per_flush / writers;
        let files_per_day = DAY / every.hi * writers;
        // A few small files a day are harmless; thousands a day are not.
        if file >= FAR_BELOW || files_per_day <= MAX_FILES_PER_DAY {
            continue;
        }
        out.push(Finding::new(
            ctx.diag(
                "small-files",
                flow.span,
                format!(
                    "`{}` gets files of about {} every {}, far below ~100 MB",
                    ctx.name(e.dst),
                    show(file, Dimension::BYTES),
                    every.display()
                ),
            )
            .label(match topic {
                Some(t) if writers > 1.0 => format!(
                    "{}/day × {} ÷ {} writers (one per partition of `{}`); {} files a day",
                    show(daily, Dimension::BYTES),
                    every.display(),
                    crate::units::format_number(writers),
                    ctx.name(t),
                    crate::units::format_number(files_per_day.round())
                ),
                Some(t) => format!(
                    "{}/day × {}, one writer (`{}` has one partition); {} files a day",
                    show(daily, Dimension::BYTES),
                    every.display(),
                    ctx.name(t),
                    crate::units::format_number(files_per_day.round())
                ),
                None => format!(
                    "{}/day × {}; {} files a day",
                    show(daily, Dimension::BYTES),
                    every.display(),
                    crate::units::format_number(files_per_day.round())
                ),
            })
            .also(ctx.file, ctx.name_span(e.dst), "no `compaction` declared")
            .with_help(format!(
                "add `compaction daily` to `{}` (or OPTIMIZE in a table format), or flush less often",
                ctx.name(e.dst)
            )),
            vec![e.dst],
        ));
    }
    out
}
