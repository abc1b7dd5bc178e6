//! The monthly bill: one line per thing a cloud charges for — instances that run
//! all month, shards, write units and provisioned capacity, throughput, bytes
//! scanned, a batch job's vCPU-hours, warehouse credits, storage by tier — each
//! with its formula and the catalogue figure it priced at. A line whose price
//! the catalogue does not have is shown unpriced, with what to declare; it is
//! never priced at another tool's or another tier's figure.

use super::{Check, Section, Sizer, bytes_total, parts_at, peak_at, q, record_size, tier_list};
use crate::flow::{show, time_in_words};
use crate::model::RoleKind;
use crate::units::{DAY, Dimension, MONTH, Quantity, TimeUnit, format_number};

/// Hours in the month the bill is for: 365 × 24 ÷ 12.
const HOURS_PER_MONTH: f64 = MONTH / 3600.0;

/// A monthly amount in the currency of `price`, shown per month.
fn monthly(per_month: f64, price: &Quantity) -> Quantity {
    Quantity {
        lo: per_month / MONTH,
        hi: per_month / MONTH,
        dim: Dimension {
            time: -1,
            money: 1,
            bytes: 0,
            currency: price.dim.currency,
        },
        noun: None,
        per: TimeUnit::month(),
        shown: None,
    }
}

/// Money per month: `$1,533/month`.
fn is_monthly(c: &Quantity) -> bool {
    c.dim.money == 1 && c.dim.time == -1 && c.dim.bytes == 0
}

/// A price as shown in a derivation: `msk price_instance_hour $0.21/h`, with
/// `(declared in costs.dsd)` when the project, not the catalogue, set it.
fn priced(s: &Sizer<'_, '_>, i: usize, figure: &str) -> Option<(Quantity, String)> {
    priced_in(s, i, s.ctx.tool(i)?, figure)
}

/// The price sheet of the cloud the design names (`cloud aws`), if the
/// catalogue has one.
fn cloud_sheet<'c>(s: &Sizer<'c, '_>) -> Option<&'c crate::model::ToolInfo> {
    let cloud = s.ctx.design.requirements.cloud.as_ref()?;
    s.ctx.catalogue.tools.get(&cloud.value)
}

/// `priced` for a figure of `tool`, which may be the cloud's sheet rather than
/// the node's own tool.
fn priced_in(
    s: &Sizer<'_, '_>,
    i: usize,
    tool: &crate::model::ToolInfo,
    figure: &str,
) -> Option<(Quantity, String)> {
    let p = tool.figures.get(figure)?;
    let mut shown = p.clone();
    if figure.ends_with("_hour") {
        shown.per = TimeUnit::hour(); // `$0.21/h`, as written, not per month
    }
    let mut what = format!("{} {figure} {}", tool.name, shown.display());
    match tool.sources.get(figure) {
        Some(src) if src.is_override() => {
            let files = |_| "the project's catalogue".to_string();
            what.push_str(&format!(" ({})", src.describe(&files)));
        }
        // A price read for one region says which, and that it is another
        // region's when the node runs elsewhere.
        Some(crate::model::FigureSource::Cited { region, .. })
            if region != "every region" && figure.starts_with("price_") =>
        {
            match s.ctx.region(i) {
                // A price read for no one region: say so, as the page does.
                _ if region.contains(' ') => what.push_str(&format!(" ({region})")),
                Some(here) if here != *region => what.push_str(&format!(
                    " ({region} list price; `{}` runs in {here}, whose price may differ)",
                    s.ctx.name(i)
                )),
                _ => what.push_str(&format!(" ({region} list price)")),
            }
        }
        _ => {}
    }
    Some((p.clone(), what))
}

/// Price per byte-second of a store, or of one of its tiers. The first tier
/// (`standard`, `hot`) is the store's own price; any other tier needs its own
/// figure (`price_infrequent`) or a tool of that name (`glacier`).
fn price_of(
    s: &Sizer<'_, '_>,
    i: usize,
    tier: Option<&str>,
    first: bool,
) -> Option<(Quantity, String)> {
    let tools = &s.ctx.catalogue.tools;
    if let Some(t) = tier {
        if let Some(found) = priced(s, i, &format!("price_{t}")) {
            return Some(found);
        }
        if let Some(p) = tools.get(t).and_then(|x| x.figures.get("price_storage")) {
            return Some((p.clone(), format!("{t} price_storage {}", p.display())));
        }
        if !first {
            return None;
        }
    }
    if let Some(found) = priced(s, i, "price_storage") {
        return Some(found);
    }
    // Object storage with no tool, and a table format (its files live in object
    // storage): the reference's "~$0.02/GB/month".
    let table_format = s.ctx.is_role(i, "table_format");
    if (s.ctx.tool(i).is_none() && s.ctx.is_role(i, "object_store")) || table_format {
        return tools
            .get("s3")
            .and_then(|t| t.figures.get("price_storage"))
            .map(|p| (p.clone(), format!("object storage price {}", p.display())));
    }
    None
}

/// Roles whose nodes run all month on instances of their own.
fn runs_all_month(s: &Sizer<'_, '_>, i: usize) -> bool {
    let Some(node) = s.ctx.node(i) else {
        return false;
    };
    if node.is_source {
        return false; // another team's system
    }
    matches!(
        node.role.as_str(),
        "stream_broker"
            | "kv_store"
            | "oltp_database"
            | "search_engine"
            | "timeseries_db"
            | "graph_db"
            | "stream_processor"
            | "warehouse"
    )
}

struct Bill {
    /// (monthly amount, figure id)
    lines: Vec<(Quantity, String)>,
    /// Labels of the lines that could not be priced.
    unpriced: Vec<String>,
}

impl Bill {
    fn add(
        &mut self,
        s: &mut Sizer<'_, '_>,
        id: String,
        label: String,
        value: Quantity,
        derivation: String,
        inputs: Vec<String>,
    ) {
        s.push(
            id.clone(),
            Section::Cost,
            label,
            value.clone(),
            derivation,
            inputs,
        );
        self.lines.push((value, id));
    }
    fn unpriced(&mut self, s: &mut Sizer<'_, '_>, id: String, label: String, why: String) {
        s.missing(id, Section::Cost, label.clone(), why);
        self.unpriced.push(label);
    }
}

/// How to price a figure a tool lacks: `tool msk : stream_broker { price_instance_hour $…/h }`.
fn declare(s: &Sizer<'_, '_>, i: usize, figure: &str, example: &str) -> String {
    let (tool, role) = match (s.ctx.tool(i), s.ctx.node(i)) {
        (Some(t), Some(n)) => (t.name.clone(), n.role.clone()),
        (None, Some(n)) => ("TOOL".to_string(), n.role.clone()),
        _ => ("TOOL".to_string(), "ROLE".to_string()),
    };
    format!(
        "the catalogue has no sourced `{figure}` for `{tool}`; declare your price in a project catalogue: `tool {tool} : {role} {{ {figure} {example} }}`"
    )
}

pub(super) fn cost(s: &mut Sizer<'_, '_>) {
    let d = s.ctx.design;
    let mut bill = Bill {
        lines: Vec::new(),
        unpriced: Vec::new(),
    };
    let mut clusters_done: Vec<String> = Vec::new();
    for i in 0..d.nodes.len() {
        let name = s.ctx.name(i).to_string();
        if let Some(c) = s.ctx.quantity(i, "cost").cloned()
            && is_monthly(&c)
        {
            // What the design says a node costs stands for the whole node.
            let derivation = format!("`{name}` cost {}", c.display());
            bill.add(
                s,
                format!("cost.{name}.stated"),
                format!("`{name}` stated cost"),
                c,
                derivation,
                Vec::new(),
            );
            continue;
        }
        compute(s, &mut bill, i, &name, &mut clusters_done);
        usage(s, &mut bill, i, &name);
        storage(s, &mut bill, i, &name);
        broker_disk(s, &mut bill, i, &name);
        cross_zone(s, &mut bill, i, &name);
    }
    between_regions(s, &mut bill);
    total(s, &bill);
}

/// Data a self-managed broker copies to followers in other zones: each record
/// goes to `replication − 1` brokers, placed one per zone (rack-aware), and a
/// cloud bills every GB as it leaves one zone and again as it enters the next.
/// A managed service (MSK, Confluent) does not bill its own replication.
fn cross_zone(s: &mut Sizer<'_, '_>, bill: &mut Bill, i: usize, name: &str) {
    let rf = s.ctx.replication(i);
    if s.ctx.tool(i).is_none()
        || s.ctx.kind(i) != Some(RoleKind::Broker)
        || s.ctx.tool_flag(i, "managed")
        || rf < 2.0
    {
        return;
    }
    let Some(cloud) = s
        .ctx
        .design
        .requirements
        .cloud
        .as_ref()
        .map(|c| c.value.clone())
    else {
        return; // no cloud stated: zones may be racks the team owns
    };
    if cloud == "on_prem" {
        return;
    }
    let Some(bytes) = bytes_total(s.ctx, parts_at(s, i), false, super::Size::Wire) else {
        return;
    };
    let moved = bytes.hi * MONTH * (rf - 1.0);
    let id = format!("cost.{name}.cross_zone");
    let label = format!("`{name}` replication between zones");
    let how = format!(
        "average {} × {} copies to brokers in other zones (replication {}) = {}/month × 2 (billed leaving one zone and entering the other)",
        bytes.display(),
        format_number(rf - 1.0),
        format_number(rf),
        q(moved, Dimension::BYTES).display(),
    );
    // Billed twice: as each GB leaves one zone and as it enters the next.
    transfer(s, bill, i, (id, label), how, moved * 2.0, "price_cross_az");
}

/// Data a flow carries from a node in one region to a node in another.
fn between_regions(s: &mut Sizer<'_, '_>, bill: &mut Bill) {
    let d = s.ctx.design;
    for (f, flow) in d.flows.iter().enumerate() {
        let (Some(from), Some(to)) = (s.ctx.region(flow.from), s.ctx.region(flow.to)) else {
            continue;
        };
        if from == to {
            continue;
        }
        let parts = s.ctx.rates.edge.get(f).map(Vec::as_slice).unwrap_or(&[]);
        let Some(bytes) = bytes_total(s.ctx, parts, false, super::Size::Wire) else {
            continue;
        };
        let (a, b) = (s.ctx.name(flow.from), s.ctx.name(flow.to));
        let moved = bytes.hi * MONTH;
        let id = format!("cost.transfer.{a}.{b}");
        let label = format!("`{a}` → `{b}` between regions");
        let how = format!(
            "average {} from {from} to {to} = {}/month",
            bytes.display(),
            q(moved, Dimension::BYTES).display()
        );
        transfer(
            s,
            bill,
            flow.to,
            (id, label),
            how,
            moved,
            "price_inter_region",
        );
    }
}

/// `bytes` moved a month at the `figure` (per GB) of the cloud the design
/// names; unpriced, saying what to declare or name, when its sheet lacks it.
fn transfer(
    s: &mut Sizer<'_, '_>,
    bill: &mut Bill,
    i: usize,
    (id, label): (String, String),
    how: String,
    bytes: f64,
    figure: &str,
) {
    match cloud_sheet(s).and_then(|c| priced_in(s, i, c, figure)) {
        Some((price, what)) => {
            let value = monthly(bytes * price.hi, &price);
            let derivation = format!("{how} × {what} = {}", value.display());
            bill.add(s, id, label, value, derivation, Vec::new());
        }
        None => {
            let what_to_do = match &s.ctx.design.requirements.cloud {
                Some(c) => format!(
                    "the catalogue has no sourced `{figure}` for `{0}`; declare it in a project catalogue: `tool {0} : cloud {{ {figure} $…/GB }}`",
                    c.value
                ),
                None => format!(
                    "the catalogue has no sourced `{figure}` for `CLOUD`; name the cloud in the requirements (`cloud aws`)"
                ),
            };
            bill.unpriced(s, id, label, format!("{how}, but {what_to_do}"));
        }
    }
}

/// Instances, shards, credits or vCPU-hours: what keeps the node running.
fn compute(
    s: &mut Sizer<'_, '_>,
    bill: &mut Bill,
    i: usize,
    name: &str,
    clusters_done: &mut Vec<String>,
) {
    let Some(tool) = s.ctx.tool(i) else { return };
    let has = |f: &str| tool.figures.contains_key(f);
    let tool_name = tool.name.clone();
    // Shards: Kinesis bills every shard-hour, used or not.
    if has("put_unit") || has("price_partition_hour") {
        shards(s, bill, i, name);
        return;
    }
    if has("price_throughput") || has("write_unit") {
        return; // priced by use, below
    }
    if has("price_rpu_hour") {
        rpu_hours(s, bill, i, name);
        return;
    }
    if tool.figures.keys().any(|k| k.starts_with("credits_")) {
        // Layers in one warehouse share its compute: a node that states a
        // `warehouse_size` is a virtual warehouse of its own; the others run on
        // those. With no size stated anywhere, one unpriced line for them all.
        let same = nodes_on(s, &tool_name);
        let sized = |j: usize| !s.ctx.words(j, "warehouse_size").is_empty();
        if sized(i) {
            credits(s, bill, i, name);
        } else if !same.iter().any(|&j| sized(j)) && same.first() == Some(&i) {
            let label = format!("{} warehouse credits", names(s, &same));
            bill.unpriced(
                s,
                format!("cost.{name}.credits"),
                label,
                format!(
                    "no node on `{tool_name}` states a `warehouse_size` (xsmall, small, medium, large, xlarge) and how long it is `active` a day"
                ),
            );
        }
        return;
    }
    if s.ctx.is_role(i, "batch_processor") {
        batch(s, bill, i, name);
        return;
    }
    if !runs_all_month(s, i) {
        return;
    }
    // Brokers of one tool in one design are one cluster: its brokers are billed
    // once, for every topic on it.
    let broker = s.ctx.kind(i) == Some(RoleKind::Broker);
    let members: Vec<usize> = if broker {
        if clusters_done.contains(&tool_name) {
            return;
        }
        clusters_done.push(tool_name.clone());
        nodes_on(s, &tool_name)
            .into_iter()
            .filter(|&j| s.ctx.kind(j) == Some(RoleKind::Broker))
            .collect()
    } else {
        vec![i]
    };
    let label = if members.len() > 1 {
        format!("{} on one {tool_name} cluster", names(s, &members))
    } else {
        format!("`{name}` instances")
    };
    let count = instance_count(s, i, &members);
    let id = format!("cost.{name}.instances");
    let price = instance_price(s, i);
    hourly(s, bill, (id, label), count, price);
}

/// The nodes the design puts on one tool, in design order.
fn nodes_on(s: &Sizer<'_, '_>, tool: &str) -> Vec<usize> {
    (0..s.ctx.design.nodes.len())
        .filter(|&j| s.ctx.tool(j).is_some_and(|t| t.name == tool))
        .collect()
}

/// "`payments`, `decisions`": node names for a label.
fn names(s: &Sizer<'_, '_>, nodes: &[usize]) -> String {
    nodes
        .iter()
        .map(|&j| format!("`{}`", s.ctx.name(j)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `count` units running all month at the tool's price per hour: instances,
/// brokers, shards.
fn hourly(
    s: &mut Sizer<'_, '_>,
    bill: &mut Bill,
    (id, label): (String, String),
    (count, how): (f64, String),
    price: Result<(Quantity, String), String>,
) {
    match price {
        Ok((price, what)) => {
            let value = monthly(count * price.hi * 3600.0 * HOURS_PER_MONTH, &price);
            let derivation = format!(
                "{} {how} × {what} × {} h/month = {}",
                format_number(count),
                format_number(HOURS_PER_MONTH),
                value.display()
            );
            bill.add(s, id, label, value, derivation, Vec::new());
        }
        Err(missing) => {
            let why = format!("{} {how}, but {missing}", format_number(count));
            bill.unpriced(s, id, label, why);
        }
    }
}

/// What one instance of a node costs an hour: its `instance_type`'s price on
/// its tool or on the cloud's sheet, else the tool's own `price_instance_hour`
/// (a managed service's broker or node); else what to state or declare.
fn instance_price(s: &Sizer<'_, '_>, i: usize) -> Result<(Quantity, String), String> {
    let sheet = cloud_sheet(s);
    let tool = s.ctx.tool(i);
    if let Some(kind) = s.ctx.words(i, "instance_type").first() {
        let figure = format!("price_{kind}_hour");
        return tool
            .and_then(|t| priced_in(s, i, t, &figure))
            .or_else(|| sheet.and_then(|c| priced_in(s, i, c, &figure)))
            .ok_or_else(|| {
                let at = sheet.map_or("TOOL".to_string(), |c| c.name.clone());
                let known = sheet.map(instance_types).unwrap_or_default();
                let listed = if known.is_empty() {
                    String::new()
                } else {
                    format!(" (it prices {})", known.join(", "))
                };
                format!(
                    "the catalogue has no sourced `{figure}`{listed}; declare your price in a project catalogue: `tool {at} : cloud {{ {figure} $…/h }}`"
                )
            });
    }
    if let Some(found) = priced(s, i, "price_instance_hour") {
        return Ok(found);
    }
    match sheet {
        Some(c) if !s.ctx.tool_flag(i, "managed") && !instance_types(c).is_empty() => Err(format!(
            "it states no `instance_type`; the `{}` sheet prices {} (`instance_type {}`), or declare the tool's own `price_instance_hour`",
            c.name,
            instance_types(c).join(", "),
            instance_types(c).first().map_or("", String::as_str)
        )),
        _ => Err(declare(s, i, "price_instance_hour", "$0.21/h")),
    }
}

/// The instance types a price sheet prices: `price_c5_2xlarge_hour` → `c5_2xlarge`.
fn instance_types(sheet: &crate::model::ToolInfo) -> Vec<String> {
    sheet
        .figures
        .keys()
        .filter_map(|k| k.strip_prefix("price_")?.strip_suffix("_hour"))
        .filter(|k| *k != "instance" && *k != "partition")
        .map(str::to_string)
        .collect()
}

/// How many instances run: what the design states, else what the load needs
/// (brokers: write I/O ÷ per-broker limit, at least the tool's minimum), else one.
fn instance_count(s: &Sizer<'_, '_>, i: usize, members: &[usize]) -> (f64, String) {
    let stated = members
        .iter()
        .filter_map(|&j| {
            s.ctx
                .quantity(j, "brokers")
                .or_else(|| s.ctx.quantity(j, "instances"))
                .map(|q| q.hi)
        })
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
    if let Some(n) = stated {
        let what = if s.ctx.kind(i) == Some(RoleKind::Broker) {
            "brokers"
        } else {
            "instances"
        };
        return (n, format!("{what} (stated)"));
    }
    let min = s.ctx.tool_figure(i, "min_instances").map(|q| q.hi);
    if s.ctx.kind(i) == Some(RoleKind::Broker) {
        let io: f64 = members
            .iter()
            .filter_map(|&j| s.value(&format!("broker.{}.write_io", s.ctx.name(j))))
            .map(|q| q.hi)
            .sum();
        let per = s.ctx.broker_limit(i, "per_broker");
        let needed = per
            .filter(|p| *p > 0.0)
            .map(|p| super::units_needed(io / p).max(1.0));
        return match (needed, min) {
            (Some(n), Some(m)) if m >= n => (
                m,
                format!(
                    "brokers (the tool's minimum of {}; the load needs {})",
                    format_number(m),
                    format_number(n)
                ),
            ),
            (Some(n), _) => (n, "brokers (needed by write I/O)".to_string()),
            (None, Some(m)) => (m, "brokers (the tool's minimum)".to_string()),
            (None, None) => (1.0, "broker (none stated)".to_string()),
        };
    }
    match min {
        Some(m) => (m, "instances (the tool's minimum)".to_string()),
        None => (1.0, "instance (no `instances` stated)".to_string()),
    }
}

/// Shard-hours: the shards the design provisions, else what the load needs.
fn shards(s: &mut Sizer<'_, '_>, bill: &mut Bill, i: usize, name: &str) {
    let id = format!("cost.{name}.shards");
    let label = format!("`{name}` shard-hours");
    let (count, how) = match s.ctx.quantity(i, "partitions") {
        Some(p) => (p.hi, "shards (stated)".to_string()),
        None => {
            let parts = parts_at(s, i);
            let bytes = bytes_total(s.ctx, parts, true, super::Size::Wire).map(|b| b.hi);
            let (_, peak) = crate::flow::rates::total(parts);
            let by_bytes = bytes
                .zip(s.ctx.broker_limit(i, "per_partition"))
                .map(|(b, p)| b / p);
            let by_records = peak
                .map(|r| r.hi)
                .zip(s.ctx.broker_limit(i, "per_partition_records"))
                .map(|(r, p)| r / p);
            match (by_bytes, by_records) {
                (None, None) => {
                    let why = format!("no rate reaches `{name}` and it states no `partitions`");
                    bill.unpriced(s, id, label, why);
                    return;
                }
                (a, b) => {
                    let n = super::units_needed(a.unwrap_or(0.0).max(b.unwrap_or(0.0))).max(1.0);
                    (n, "shards (needed at peak)".to_string())
                }
            }
        }
    };
    let price = priced(s, i, "price_partition_hour")
        .ok_or_else(|| declare(s, i, "price_partition_hour", "$0.015/h"));
    hourly(s, bill, (id, label), (count, how), price);
}

/// A batch job: (vCPUs × price per vCPU-hour + memory × price per GB-hour) ×
/// hours a run × runs a month.
fn batch(s: &mut Sizer<'_, '_>, bill: &mut Bill, i: usize, name: &str) {
    let id = format!("cost.{name}.compute");
    let label = format!("`{name}` vCPU-hours");
    let Some(cores) = s.ctx.quantity(i, "cores").map(|c| c.hi) else {
        if s.ctx.tool_flag(i, "code") {
            return; // a script the orchestrator's workers run
        }
        bill.unpriced(s, id, label, format!("`{name}` states no `cores`"));
        return;
    };
    let (run, run_how) = match s.ctx.quantity(i, "run_time") {
        Some(t) => (t.hi, format!("run_time {}", t.display())),
        None => match s.value(&format!("node.{name}.scan_time")) {
            Some(t) => (t.hi, format!("scan time {}", t.display())),
            None => {
                bill.unpriced(
                    s,
                    id,
                    label,
                    format!("`{name}` states no `run_time` and its scan time is not computed"),
                );
                return;
            }
        },
    };
    let every = time_in_words(&s.ctx.words(i, "schedule")).or_else(|| {
        s.ctx
            .data_in
            .get(i)
            .into_iter()
            .flatten()
            .filter_map(|e| s.ctx.flow(e.flow))
            .find_map(|f| match &f.mode {
                crate::model::FlowMode::Batch { every: Some(e) } => Some(e.hi),
                _ => None,
            })
    });
    let Some(every) = every.filter(|e| *e > 0.0) else {
        bill.unpriced(
            s,
            id,
            label,
            format!("`{name}` has no `schedule` or batch flow that says how often it runs"),
        );
        return;
    };
    let runs = MONTH / every;
    let Some((vcpu, vcpu_what)) = priced(s, i, "price_vcpu_hour") else {
        let why = declare(s, i, "price_vcpu_hour", "$0.05/h");
        bill.unpriced(s, id, label, why);
        return;
    };
    let hours = run / 3600.0;
    let mut per_hour = cores * vcpu.hi * 3600.0;
    let mut rate = format!("{} vCPU × {vcpu_what}", format_number(cores));
    if let Some(mem) = s.ctx.quantity(i, "memory")
        && let Some((gb, gb_what)) = priced(s, i, "price_gb_hour")
    {
        per_hour += mem.hi / 1e9 * gb.hi * 3600.0;
        rate = format!("({rate} + {} × {gb_what})", mem.display());
    }
    let value = monthly(per_hour * hours * runs, &vcpu);
    let derivation = format!(
        "{rate} × {} h a run ({run_how}) × {} runs/month (every {}) = {}",
        format_number(hours),
        format_number(runs),
        show(every, Dimension::TIME),
        value.display()
    );
    bill.add(s, id, label, value, derivation, Vec::new());
}

/// A serverless warehouse billed in capacity-unit hours: units × hours active a
/// month × price per unit-hour.
fn rpu_hours(s: &mut Sizer<'_, '_>, bill: &mut Bill, i: usize, name: &str) {
    let id = format!("cost.{name}.rpu_hours");
    let label = format!("`{name}` RPU-hours");
    let (Some(rpus), Some(active)) = (
        s.ctx.quantity(i, "rpus").map(|q| q.hi),
        s.ctx.quantity(i, "active").map(|a| a.hi),
    ) else {
        let why = format!(
            "`{name}` states no `rpus` (its base capacity, like `rpus 8`) and `active` share of the day (like `active 8 h/day`)"
        );
        bill.unpriced(s, id, label, why);
        return;
    };
    let Some((price, what)) = priced(s, i, "price_rpu_hour") else {
        return;
    };
    let hours = active * HOURS_PER_MONTH;
    let value = monthly(rpus * hours * price.hi * 3600.0, &price);
    let derivation = format!(
        "{} RPUs × {} h/month (active {} of the day) × {what} = {}",
        format_number(rpus),
        format_number(hours),
        show(active * DAY, Dimension::TIME),
        value.display()
    );
    bill.add(s, id, label, value, derivation, Vec::new());
}

/// A warehouse billed in credits: credits per hour at its size × hours active ×
/// price per credit.
fn credits(s: &mut Sizer<'_, '_>, bill: &mut Bill, i: usize, name: &str) {
    let id = format!("cost.{name}.credits");
    let label = format!("`{name}` warehouse credits");
    let Some(size) = s.ctx.words(i, "warehouse_size").first().cloned() else {
        return;
    };
    let Some((per_hour, per_what)) = priced(s, i, &format!("credits_{size}")) else {
        bill.unpriced(
            s,
            id,
            label,
            format!("the catalogue has no `credits_{size}` for this tool"),
        );
        return;
    };
    let Some(active) = s.ctx.quantity(i, "active").map(|a| a.hi) else {
        bill.unpriced(
            s,
            id,
            label,
            format!("`{name}` states no `active` share of the day (like `active 8 h/day`)"),
        );
        return;
    };
    let Some((price, what)) = priced(s, i, "price_compute") else {
        let why = declare(s, i, "price_compute", "$3/credit");
        bill.unpriced(s, id, label, why);
        return;
    };
    let hours = active * HOURS_PER_MONTH;
    let credits = per_hour.hi * 3600.0 * hours;
    let value = monthly(credits * price.hi, &price);
    let derivation = format!(
        "{per_what} × {} h/month (active {} of the day) × {what} = {}",
        format_number(hours),
        show(active * DAY, Dimension::TIME),
        value.display()
    );
    bill.add(s, id, label, value, derivation, Vec::new());
}

/// What the node is billed for by use: write units, provisioned capacity,
/// throughput, bytes scanned.
fn usage(s: &mut Sizer<'_, '_>, bill: &mut Bill, i: usize, name: &str) {
    let Some(tool) = s.ctx.tool(i) else { return };
    let has = |f: &str| tool.figures.contains_key(f);
    if has("put_unit") {
        units(
            s,
            bill,
            i,
            name,
            "put_unit",
            "price_put_unit",
            "PUT payload units",
            "$0.000000014/write",
        );
    } else if has("write_unit") {
        let provisioned = s
            .ctx
            .words(i, "capacity")
            .first()
            .is_some_and(|w| w == "provisioned");
        if provisioned {
            capacity(s, bill, i, name);
        } else {
            units(
                s,
                bill,
                i,
                name,
                "write_unit",
                "price_write",
                "on-demand write units",
                "$0.000000625/write",
            );
        }
    }
    if has("read_unit") {
        lookups(s, bill, i, name);
    }
    if has("price_put") {
        object_puts(s, bill, i, name);
    }
    if has("price_throughput") {
        throughput(s, bill, i, name);
    }
    if s.ctx.quantity(i, "scans").is_some() || has("price_scan") {
        scans(s, bill, i, name);
    }
}

/// Records a month × units each (a record's size ÷ the unit, rounded up) × price.
#[allow(clippy::too_many_arguments)]
fn units(
    s: &mut Sizer<'_, '_>,
    bill: &mut Bill,
    i: usize,
    name: &str,
    unit_figure: &str,
    price_figure: &str,
    what_units: &str,
    example: &str,
) {
    let id = format!(
        "cost.{name}.{}",
        if unit_figure == "put_unit" {
            "puts"
        } else {
            "writes"
        }
    );
    let label = format!("`{name}` {what_units}");
    let (Some(unit), Some(size)) = (
        s.ctx.tool_figure(i, unit_figure).cloned(),
        record_size(s, i),
    ) else {
        bill.unpriced(s, id, label, format!("no record size reaches `{name}`"));
        return;
    };
    let (avg, _) = crate::flow::rates::total(parts_at(s, i));
    let Some(avg) = avg else {
        bill.unpriced(s, id, label, format!("no rate reaches `{name}`"));
        return;
    };
    let rate = (avg.hi, format!("average {}", avg.display()));
    let units = (unit_figure, unit, size);
    per_unit(
        s,
        bill,
        i,
        (id, label),
        rate,
        units,
        (price_figure, example),
        ("units", "record"),
    );
}

/// Requests a month × units each (the item's size ÷ the unit, rounded up) ×
/// the price per unit: write units a record, read units a lookup, PUT payload
/// units. `rate` is the requests a second and how they were counted; `counted`
/// names the units and what one is for.
#[allow(clippy::too_many_arguments)]
fn per_unit(
    s: &mut Sizer<'_, '_>,
    bill: &mut Bill,
    i: usize,
    (id, label): (String, String),
    (per_s, rate): (f64, String),
    (unit_figure, unit, size): (&str, Quantity, Quantity),
    (price_figure, example): (&str, &str),
    (counted, each_one): (&str, &str),
) {
    let each = (size.hi / unit.hi).ceil().max(1.0);
    let per_month = per_s * MONTH * each;
    let Some((price, what)) = priced(s, i, price_figure) else {
        let why = format!(
            "{} {counted} a month, but {}",
            format_number(per_month),
            declare(s, i, price_figure, example)
        );
        bill.unpriced(s, id, label, why);
        return;
    };
    let value = monthly(per_month * price.hi, &price);
    let derivation = format!(
        "{rate} × {} s/month × {} unit{} a {each_one} ({} ÷ {unit_figure} {}, rounded up) × {what} = {}",
        format_number(MONTH),
        format_number(each),
        if each == 1.0 { "" } else { "s" },
        size.display(),
        unit.display(),
        value.display()
    );
    bill.add(s, id, label, value, derivation, Vec::new());
}

/// On-demand reads: every record of a node that looks a key up in the store is
/// one read (`read lookup`), of as many read units as the store's item takes.
fn lookups(s: &mut Sizer<'_, '_>, bill: &mut Bill, i: usize, name: &str) {
    let d = s.ctx.design;
    let readers: Vec<usize> = d
        .flows
        .iter()
        .filter(|f| {
            f.to == i
                && f.read
                    .as_ref()
                    .is_some_and(|r| r.kind == crate::model::ReadKind::Lookup)
        })
        .map(|f| f.from)
        .collect();
    if readers.is_empty() {
        return;
    }
    let id = format!("cost.{name}.reads");
    let label = format!("`{name}` on-demand read units");
    let mut per_s = 0.0;
    let mut terms = Vec::new();
    for &r in &readers {
        let (avg, _) = crate::flow::rates::total(parts_at(s, r));
        let Some(avg) = avg else {
            let why = format!(
                "no rate reaches `{}`, which looks keys up in `{name}`",
                s.ctx.name(r)
            );
            bill.unpriced(s, id, label, why);
            return;
        };
        per_s += avg.hi;
        terms.push(format!("`{}` {}", s.ctx.name(r), avg.display()));
    }
    let (Some(unit), Some(size)) = (
        s.ctx.tool_figure(i, "read_unit").cloned(),
        record_size(s, i),
    ) else {
        bill.unpriced(s, id, label, format!("no record size reaches `{name}`"));
        return;
    };
    let rate = (
        per_s,
        format!("a lookup a record: average {}", terms.join(" + ")),
    );
    let units = ("read_unit", unit, size);
    let price = ("price_read", "$0.000000125/read");
    per_unit(
        s,
        bill,
        i,
        (id, label),
        rate,
        units,
        price,
        ("read units", "read"),
    );
}

/// PUT requests into object storage: each batch flow writes a file per writer
/// per flush (a sink connector: one per partition it drains).
fn object_puts(s: &mut Sizer<'_, '_>, bill: &mut Bill, i: usize, name: &str) {
    let d = s.ctx.design;
    let mut files = 0.0;
    let mut terms = Vec::new();
    for f in d.flows.iter().filter(|f| f.to == i && f.read.is_none()) {
        let crate::model::FlowMode::Batch { every: Some(every) } = &f.mode else {
            continue;
        };
        if every.hi <= 0.0 {
            continue;
        }
        let (writers, topic) = s.ctx.flush_writers(f.from);
        let per_day = DAY / every.hi * writers;
        files += per_day;
        terms.push(match topic {
            Some(t) if writers > 1.0 => format!(
                "`{}` every {} × {} writers (one per partition of `{}`)",
                s.ctx.name(f.from),
                every.display(),
                format_number(writers),
                s.ctx.name(t)
            ),
            _ => format!("`{}` every {}", s.ctx.name(f.from), every.display()),
        });
    }
    if files <= 0.0 {
        return;
    }
    let Some((price, what)) = priced(s, i, "price_put") else {
        return;
    };
    let per_month = files * MONTH / DAY;
    let value = monthly(per_month * price.hi, &price);
    let derivation = format!(
        "a file a flush: {} = {} file{}/day × {} days/month × {what} = {}",
        terms.join(" + "),
        format_number(files.round()),
        if files.round() == 1.0 { "" } else { "s" },
        format_number(MONTH / DAY),
        value.display()
    );
    bill.add(
        s,
        format!("cost.{name}.put_requests"),
        format!("`{name}` PUT requests"),
        value,
        derivation,
        Vec::new(),
    );
}

/// Provisioned write capacity: units for the peak rate × price per unit-month.
fn capacity(s: &mut Sizer<'_, '_>, bill: &mut Bill, i: usize, name: &str) {
    let id = format!("cost.{name}.capacity");
    let label = format!("`{name}` provisioned write capacity");
    let (Some(unit), Some(size), Some(peak)) = (
        s.ctx.tool_figure(i, "write_unit").cloned(),
        record_size(s, i),
        peak_at(s, i),
    ) else {
        bill.unpriced(
            s,
            id,
            label,
            format!("no peak rate and record size reach `{name}`"),
        );
        return;
    };
    let each = (size.hi / unit.hi).ceil().max(1.0);
    let wcu = super::units_needed(peak.hi * each);
    let Some((price, what)) = priced(s, i, "price_write_capacity") else {
        let why = declare(s, i, "price_write_capacity", "$0.47/month");
        bill.unpriced(s, id, label, why);
        return;
    };
    let value = monthly(wcu * price.hi * MONTH, &price);
    let derivation = format!(
        "peak {} × {} unit{} a record = {} write capacity units × {what} = {}",
        peak.display(),
        format_number(each),
        if each == 1.0 { "" } else { "s" },
        format_number(wcu),
        value.display()
    );
    bill.add(s, id, label, value, derivation, Vec::new());
}

/// Bytes published and delivered a month × price per byte: a topic bills its
/// publishes and each subscription's deliveries.
fn throughput(s: &mut Sizer<'_, '_>, bill: &mut Bill, i: usize, name: &str) {
    let id = format!("cost.{name}.throughput");
    let label = format!("`{name}` throughput");
    let Some(bytes) = bytes_total(s.ctx, parts_at(s, i), false, super::Size::Wire) else {
        bill.unpriced(
            s,
            id,
            label,
            format!("no rate and record size reach `{name}`"),
        );
        return;
    };
    let Some((price, what)) = priced(s, i, "price_throughput") else {
        return;
    };
    let copies = 1.0 + s.ctx.consumers(i) as f64;
    let per_month = bytes.hi * MONTH * copies;
    let value = monthly(per_month * price.hi, &price);
    let derivation = format!(
        "average {} × {} s/month × {} (publish + {} subscription{}) = {} × {what} = {}",
        bytes.display(),
        format_number(MONTH),
        format_number(copies),
        format_number(copies - 1.0),
        if copies == 2.0 { "" } else { "s" },
        q(per_month, Dimension::BYTES).display(),
        value.display()
    );
    bill.add(s, id, label, value, derivation, Vec::new());
}

/// Bytes scanned a month × price per byte scanned.
fn scans(s: &mut Sizer<'_, '_>, bill: &mut Bill, i: usize, name: &str) {
    let id = format!("cost.{name}.scans");
    let label = format!("`{name}` bytes scanned");
    let Some(scanned) = s.ctx.quantity(i, "scans").cloned() else {
        bill.unpriced(
            s,
            id,
            label,
            format!("`{name}` states no `scans` (bytes scanned a month, like `scans 10 TB/month`)"),
        );
        return;
    };
    let Some((price, what)) = priced(s, i, "price_scan") else {
        let why = declare(s, i, "price_scan", "$5/TB");
        bill.unpriced(s, id, label, why);
        return;
    };
    let per_month = scanned.hi * MONTH;
    let value = monthly(per_month * price.hi, &price);
    let derivation = format!(
        "{} ({} a month) × {what} = {}",
        scanned.display(),
        q(per_month, Dimension::BYTES).display(),
        value.display()
    );
    bill.add(s, id, label, value, derivation, Vec::new());
}

/// A self-run or provisioned broker's disk: average bytes a second × retention ×
/// replication factor, at the tool's `price_storage`. Brokers billed by shard or
/// throughput (Kinesis, Pub/Sub) include their storage in those prices.
fn broker_disk(s: &mut Sizer<'_, '_>, bill: &mut Bill, i: usize, name: &str) {
    if s.ctx.kind(i) != Some(RoleKind::Broker) {
        return;
    }
    let Some(tool) = s.ctx.tool(i) else { return };
    if ["put_unit", "price_partition_hour", "price_throughput"]
        .iter()
        .any(|f| tool.figures.contains_key(*f))
    {
        return;
    }
    let Some(retain) = s.ctx.quantity(i, "retain").map(|r| r.hi) else {
        return;
    };
    let Some(bytes) = bytes_total(s.ctx, parts_at(s, i), false, super::Size::Wire) else {
        return;
    };
    let rf = s.ctx.replication(i);
    let held = bytes.hi * retain * rf;
    let id = format!("cost.{name}.disk");
    let label = format!("`{name}` broker disk");
    let how = format!(
        "average {} × {} × replication {} = {}",
        bytes.display(),
        q(retain, Dimension::TIME).display(),
        format_number(rf),
        q(held, Dimension::BYTES).display()
    );
    // A broker the team runs itself keeps its log on the cloud's block storage.
    let managed = s.ctx.tool_flag(i, "managed");
    let price = priced(s, i, "price_storage").or_else(|| {
        cloud_sheet(s)
            .filter(|_| !managed)
            .and_then(|c| priced_in(s, i, c, "price_disk"))
    });
    match price {
        Some((price, what)) => {
            let value = monthly(held * price.hi * MONTH, &price);
            let derivation = format!("{how} × {what} = {}", value.display());
            bill.add(s, id, label, value, derivation, Vec::new());
        }
        None => {
            let why = format!(
                "{how}, but {}",
                declare(s, i, "price_storage", "$0.10/GB/month")
            );
            bill.unpriced(s, id, label, why);
        }
    }
}

/// Bytes held × price, by tier; and the reference's archive estimate.
fn storage(s: &mut Sizer<'_, '_>, bill: &mut Bill, i: usize, name: &str) {
    let Some(held) = s.value(&format!("store.{name}.retained")) else {
        return;
    };
    let tiers = tier_list(&s.ctx.words(i, "tier"));
    if tiers.is_empty() {
        let Some((price, what)) = price_of(s, i, None, true) else {
            if s.ctx.tool(i).is_some() {
                let id = format!("cost.{name}.storage");
                let why = declare(s, i, "price_storage", "$0.023/GB/month");
                bill.unpriced(s, id, format!("`{name}` storage per month"), why);
            }
            return;
        };
        let Ok(mut value) = held.mul(&price) else {
            return;
        };
        value.per = TimeUnit::month();
        let derivation = format!("{} × {what} = {}", held.display(), value.display());
        bill.add(
            s,
            format!("cost.{name}.storage"),
            format!("`{name}` storage per month"),
            value,
            derivation,
            vec![format!("store.{name}.retained")],
        );
        return;
    }
    for (k, (tier, _)) in tiers.iter().enumerate() {
        let Some(tier_held) = s.value(&format!("store.{name}.tier.{tier}")) else {
            continue;
        };
        let id = format!("cost.{name}.tier.{tier}");
        let label = format!("`{name}` tier {tier} per month");
        let Some((price, what)) = price_of(s, i, Some(tier), k == 0) else {
            let why = format!(
                "{} in tier `{tier}`, but {}",
                tier_held.display(),
                declare(s, i, &format!("price_{tier}"), "$0.0125/GB/month")
            );
            bill.unpriced(s, id, label, why);
            continue;
        };
        let Ok(mut value) = tier_held.mul(&price) else {
            continue;
        };
        value.per = TimeUnit::month();
        // A class that bills each object for a minimum time (S3 Standard-IA 30
        // days, Deep Archive 180) costs that minimum when objects leave sooner.
        let span = tiers.get(k).map_or(0.0, |t| t.1)
            - k.checked_sub(1)
                .and_then(|p| tiers.get(p))
                .map_or(0.0, |t| t.1);
        let minimum = s
            .ctx
            .tool_figure(i, &format!("min_duration_{tier}"))
            .map(|m| m.hi)
            .filter(|m| span > 0.0 && *m > span);
        let mut held_text = tier_held.display();
        if let Some(min) = minimum {
            value.lo *= min / span;
            value.hi *= min / span;
            let (min_t, span_t) = (
                q(min, Dimension::TIME).display(),
                q(span, Dimension::TIME).display(),
            );
            held_text = format!(
                "{held_text} × {min_t} ÷ {span_t} (objects leave after {span_t}, but `{tier}` bills each for at least {min_t})"
            );
        }
        let derivation = format!("{held_text} × {what} = {}", value.display());
        bill.add(
            s,
            id,
            label,
            value,
            derivation,
            vec![format!("store.{name}.tier.{tier}")],
        );
    }
    // The reference's archive estimate: everything at the coldest tier's price
    // for the whole retention.
    let last = tiers.last().cloned();
    let retain = s
        .ctx
        .quantity(i, "retain")
        .map(|r| r.hi)
        .or(last.as_ref().map(|t| t.1));
    if let (Some((last, _)), Some(retain)) = (last, retain)
        && let Some((price, what)) = price_of(s, i, Some(&last), tiers.len() == 1)
        && let Ok(monthly) = held.mul(&price)
    {
        let months = retain / MONTH;
        let over = Quantity {
            lo: monthly.lo * retain,
            hi: monthly.hi * retain,
            dim: Dimension {
                time: 0,
                ..monthly.dim
            },
            noun: None,
            per: None,
            shown: None,
        };
        let derivation = format!(
            "{} × {what} × {} months = {}",
            held.display(),
            format_number(months),
            over.display()
        );
        s.push(
            format!("cost.{name}.archive_total"),
            Section::Cost,
            format!(
                "`{name}` all in {last} over {}",
                q(retain, Dimension::TIME).display()
            ),
            over,
            derivation,
            vec![format!("store.{name}.retained")],
        );
    }
}

/// The bill's total, its largest lines, and the ceiling check.
fn total(s: &mut Sizer<'_, '_>, bill: &Bill) {
    let d = s.ctx.design;
    if bill.lines.is_empty() && bill.unpriced.is_empty() {
        return;
    }
    let currency = bill.lines.first().and_then(|(c, _)| c.dim.currency);
    if !bill.lines.iter().all(|(c, _)| c.dim.currency == currency) {
        s.missing(
            "cost.total".into(),
            Section::Cost,
            "Monthly cost".into(),
            "the lines are in different currencies".into(),
        );
        return;
    }
    let lo: f64 = bill.lines.iter().map(|(c, _)| c.lo).sum();
    let hi: f64 = bill.lines.iter().map(|(c, _)| c.hi).sum();
    let sum = Quantity {
        lo,
        hi,
        dim: Dimension {
            time: -1,
            money: 1,
            bytes: 0,
            currency,
        },
        noun: None,
        per: TimeUnit::month(),
        shown: None,
    };
    let parts: Vec<String> = bill.lines.iter().map(|(c, _)| c.display()).collect();
    let mut derivation = if parts.is_empty() {
        format!("no line is priced = {}", sum.display())
    } else {
        format!("{} = {}", parts.join(" + "), sum.display())
    };
    let partial = !bill.unpriced.is_empty();
    if partial {
        derivation.push_str(&format!(
            "; not priced, so the bill is at least this: {}",
            bill.unpriced.join(", ")
        ));
    }
    s.push(
        "cost.total".into(),
        Section::Cost,
        if partial {
            "Monthly cost (priced lines)".into()
        } else {
            "Monthly cost".into()
        },
        sum.clone(),
        derivation,
        bill.lines.iter().map(|(_, id)| id.clone()).collect(),
    );
    // The largest lines, so a reviewer sees where the money goes.
    if bill.lines.len() > 1 && hi > 0.0 {
        let mut top: Vec<&(Quantity, String)> = bill.lines.iter().collect();
        top.sort_by(|a, b| b.0.hi.total_cmp(&a.0.hi).then_with(|| a.1.cmp(&b.1)));
        let shown: Vec<String> = top
            .iter()
            .take(5)
            .map(|(c, id)| {
                let label = s.figure_label(id).unwrap_or_else(|| id.clone());
                format!(
                    "{label} {} ({}%)",
                    c.display(),
                    format_number((c.hi / hi * 100.0).round())
                )
            })
            .collect();
        let largest = top
            .first()
            .map(|(c, _)| c.clone())
            .unwrap_or_else(|| sum.clone());
        s.push(
            "cost.largest".into(),
            Section::Cost,
            "Largest lines of the bill".into(),
            largest,
            shown.join("; "),
            top.iter().take(5).map(|(_, id)| id.clone()).collect(),
        );
    }
    if let Some(ceiling) = &d.requirements.cost
        && ceiling.value.dim.money == 1
        && ceiling.value.dim.time == -1
    {
        let at_least = if partial {
            " (priced lines only: the bill is at least this)"
        } else {
            ""
        };
        s.checks.push(Check {
            id: "cost.ceiling".into(),
            label: "monthly cost".into(),
            needed: hi * MONTH,
            provided: ceiling.value.hi * MONTH,
            unit: "per month",
            ok: hi <= ceiling.value.hi,
            scales: true,
            headroom: if hi > 0.0 {
                ceiling.value.hi / hi
            } else {
                f64::INFINITY
            },
            derivation: format!(
                "{}{at_least} against the ceiling {}",
                sum.display(),
                ceiling.value.display()
            ),
            node: None,
            at: "",
            binding: String::new(),
            runs_out_within_growth: false,
        });
    }
}
