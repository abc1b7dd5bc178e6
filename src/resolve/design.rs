//! Resolves one `design { ... }` block into a `model::Design`.

use super::{Resolver, Shape, atom_ident, ident_text, node_shape, version_of};
use crate::ast::{self, Atom, AtomKind, Cmp, Ident, Stmt};
use crate::diagnostic::Diagnostic;
use crate::model::*;
use crate::source::{FileId, Span};
use crate::suggest;
use crate::units::{DAY, Dimension, Quantity};
use std::collections::BTreeMap;

const FLOW_WORDS: &[&str] = &[
    "stream",
    "batch",
    "cdc",
    "every",
    "write",
    "read",
    "idempotent",
    "carries",
    "latency",
    "retries",
    "keep",
    "fanout",
    "errors",
    "rate",
    "via",
    "full_refresh",
    "incremental",
    "at",
    "daily",
    "hourly",
    "weekly",
];

pub fn resolve_design(r: &mut Resolver<'_>, d: &ast::Design, file: FileId) -> Design {
    r.scope.broken.clear();
    let saved_globals = r.scope.globals.clone();
    let saved_schemas = r.scope.schemas.len();
    // Room for what the statements declare, so no list grows by doubling (at
    // 10,000 nodes the copies were megabytes).
    let count = |f: fn(&Stmt) -> bool| d.stmts.iter().filter(|s| f(s)).count();
    let mut out = Design {
        name: d.name.clone(),
        title: d.title.as_ref().map(|t| t.value.clone()),
        file,
        requirements: Requirements::default(),
        lets: Vec::new(),
        schemas: Vec::new(),
        nodes: Vec::with_capacity(count(|s| matches!(s, Stmt::Node(_)))),
        flows: Vec::with_capacity(count(|s| matches!(s, Stmt::Flow(_)))),
        paths: Vec::new(),
        layers: Vec::new(),
        zones: Vec::new(),
        uses: Vec::new(),
        failures: Vec::with_capacity(count(|s| matches!(s, Stmt::Failure(_)))),
        allows: Vec::new(),
        hard_problems: Vec::new(),
        node_ids: BTreeMap::new(),
        span: d.span,
    };

    // Requirements first: lets may use `volume`, `peak`, `growth`, `team`.
    let mut seen_requirements = false;
    for s in &d.stmts {
        if let Stmt::Requirements(b) = s {
            if seen_requirements {
                r.push(
                    Diagnostic::new(
                        "duplicate-name",
                        file,
                        b.span,
                        "a design has one `requirements` block",
                    )
                    .label("second block")
                    .with_help("merge the two blocks"),
                );
            }
            seen_requirements = true;
            requirements(r, b, file, &mut out.requirements);
        }
    }
    what_if(r, &mut out.requirements);
    for (name, q) in requirement_bindings(&out.requirements) {
        r.scope.globals.insert(
            name.to_string(),
            Binding {
                name: name.to_string(),
                value: q.value.clone(),
                formula: name.to_string(),
                with_values: if out.requirements.overridden.iter().any(|o| o == name) {
                    format!("{} (--set)", q.value.display())
                } else {
                    q.value.display()
                },
                file,
                span: q.span,
            },
        );
    }

    // Schemas, so that lets can read `Payment.size.raw`.
    let mut schema_keys: BTreeMap<(String, u32), Span> = BTreeMap::new();
    for s in &d.stmts {
        if let Stmt::Schema(sd) = s
            && let Some(schema) = r.schema(sd, file)
        {
            let key = (schema.name.name.clone(), schema.version);
            if schema_keys.insert(key, schema.name.span).is_some() {
                r.duplicate(
                    &schema.name,
                    file,
                    &format!("schema version v{}", schema.version),
                );
            }
            r.scope.schemas.push(schema.clone());
            out.schemas.push(schema);
        }
    }

    // Lets, in order: a let sees the lets above it.
    let mut local: BTreeMap<String, Binding> = BTreeMap::new();
    for s in &d.stmts {
        if let Stmt::Let(l) = s {
            if local.contains_key(&l.name.name) {
                r.duplicate(&l.name, file, "a let");
            }
            if let Some(b) = r.eval_let(l, file, &local).map(|b| r.overridden(b)) {
                r.scope.globals.insert(b.name.clone(), b.clone());
                local.insert(b.name.clone(), b.clone());
                out.lets.push(b);
            } else {
                // Its error is reported; uses of it below are not reported again.
                r.scope.broken.insert(l.name.name.clone());
            }
        }
    }

    // Nodes.
    for s in &d.stmts {
        if let Stmt::Node(n) = s {
            if out.node_index(&n.name.name).is_some() {
                r.duplicate(&n.name, file, "a node");
                continue;
            }
            if n.role.name == "cloud" {
                // The role of the clouds' price sheets, not of a component.
                r.push(
                    Diagnostic::new(
                        "invalid-value",
                        file,
                        n.role.span,
                        "`cloud` is the role of a price sheet, not of a component",
                    )
                    .label("not a component's role")
                    .with_help(
                        "name the cloud in the requirements (`cloud aws`) and give the node the role of what runs there (`stream_broker`, `kv_store`, ...)",
                    ),
                );
            } else if !r.scope.catalogue.roles.contains_key(&n.role.name) {
                r.unknown_role(&n.role, file);
            }
            out.node_ids.insert(n.name.name.clone(), out.nodes.len());
            out.nodes.push(Node {
                name: n.name.clone(),
                is_source: n.kind == ast::NodeKind::Source,
                role: n.role.name.clone(),
                role_span: n.role.span,
                props: crate::model::Props::new(),
                emits: Vec::new(),
                reads: Vec::new(),
                tool: None,
                layer: None,
                span: n.span,
                set: Vec::new(),
            });
        }
    }
    let mut idx = 0;
    for s in &d.stmts {
        if let Stmt::Node(n) = s
            && out.nodes.get(idx).map(|x| x.span) == Some(n.span)
        {
            node_props(r, &mut out, idx, &n.block, file);
            if let Some(node) = out.nodes.get_mut(idx) {
                let prefix = format!("{}.", node.name.name);
                let keys: Vec<String> = r
                    .overrides
                    .values
                    .keys()
                    // Only a property a node can have: `fraud.thredz` stays
                    // unmatched and is reported, not set and ignored.
                    .filter(|k| {
                        k.strip_prefix(&prefix)
                            .is_some_and(|p| crate::ast::keys::NODE.contains(&p))
                    })
                    .cloned()
                    .collect();
                for key in keys {
                    if let (Some(prop), Some(q)) =
                        (key.strip_prefix(&prefix), r.overrides.take(&key))
                    {
                        let span = node
                            .props
                            .get(prop)
                            .map(|p| p.span)
                            .unwrap_or(node.name.span);
                        node.props.insert(
                            prop.to_string(),
                            Prop {
                                value: Value::Quantity(q),
                                span,
                            },
                        );
                        node.set.push(prop.to_string());
                    }
                }
            }
            idx += 1;
        }
    }

    // `volume … from NODE` names an origin: a source, or a node nothing feeds.
    for name in out.requirements.volume_from.clone() {
        let Some(i) = node_ref(r, &out, &name, file) else {
            continue;
        };
        let fed = d.stmts.iter().any(|s| match s {
            Stmt::Flow(f) => f.chain.iter().skip(1).any(|n| n.name == name.name),
            _ => false,
        });
        if fed && !out.nodes.get(i).is_some_and(|n| n.is_source) {
            r.push(
                Diagnostic::new(
                    "invalid-value",
                    file,
                    name.span,
                    format!("`volume … from {}`: `{}` is fed by flows, so its rate is what reaches it", name.name, name.name),
                )
                .label("not where records enter")
                .with_help("bind the volume to the source whose records it counts, or declare that node with `source`"),
            );
        }
    }

    for s in &d.stmts {
        match s {
            Stmt::Flow(f) => flows(r, &mut out, f, file),
            Stmt::Path(p) => path(r, &mut out, p, file),
            Stmt::Group(g) => group(r, &mut out, g, file),
            Stmt::Use(u) => tool_use(r, &mut out, u, file),
            Stmt::Failure(f) => failure(r, &mut out, f, file),
            Stmt::Allow(a) => allow(r, &mut out, a, file),
            Stmt::Hard(h) => hard(r, &mut out, h, file),
            _ => {}
        }
    }

    // A node's own `volume` is what an origin emits; on a node that flows feed
    // (other than by a read, whose direction depends on roles) it would be
    // ignored, so it is an error: what a fed node emits is its `output`.
    for (i, node) in out.nodes.iter().enumerate() {
        if node.is_source {
            continue;
        }
        let Some(p) = node.props.get("volume") else {
            continue;
        };
        let fed = out.flows.iter().any(|f| f.to == i && f.read.is_none());
        if fed {
            r.push(
                Diagnostic::new(
                    "invalid-value",
                    file,
                    p.span,
                    format!(
                        "`{}` is fed by flows, so its rate is what reaches it, not a `volume` of its own",
                        node.name.name
                    ),
                )
                .label("would be ignored")
                .with_help("to state what the node emits whatever reaches it (an aggregation), write `output 50 rows/min`; to size where records enter, put the `volume` on the source"),
            );
        }
    }

    r.scope.globals = saved_globals;
    r.scope.schemas.truncate(saved_schemas);
    out
}

/// Applies `--set` to the requirements, then `--scale` to volume and peak.
fn what_if(r: &mut Resolver<'_>, req: &mut Requirements) {
    for (name, slot) in [
        ("volume", &mut req.volume),
        ("growth", &mut req.growth),
        ("team", &mut req.team),
        ("readers", &mut req.readers),
    ] {
        if let Some(q) = r.overrides.take(name) {
            let span = slot.as_ref().map(|s| s.span).unwrap_or_default();
            *slot = Some(Spanned { value: q, span });
            req.overridden.push(name.to_string());
        }
    }
    if let Some(q) = r.overrides.take("peak") {
        req.overridden.push("peak".into());
        let span = req.peak.as_ref().map(|s| s.span).unwrap_or_default();
        if q.dim.is_dimensionless() {
            req.peak_factor = Some(Spanned { value: q, span });
        } else {
            req.peak_factor = None;
            req.peak = Some(Spanned { value: q, span });
        }
    }
    // A factor applies to the (possibly new) volume.
    if let (Some(f), Some(v)) = (&req.peak_factor, &req.volume)
        && let Ok(mut peak) = v.value.mul(&f.value)
    {
        peak.per = None;
        req.peak = Some(Spanned {
            value: peak,
            span: f.span,
        });
    }
    let scale = r.overrides.scale;
    if scale != 1.0 {
        for q in [&mut req.volume, &mut req.peak].into_iter().flatten() {
            q.value.lo *= scale;
            q.value.hi *= scale;
        }
    }
}

/// The requirements a `let` may name.
fn requirement_bindings(req: &Requirements) -> Vec<(&'static str, Spanned<Quantity>)> {
    let mut v = Vec::new();
    for (name, q) in [
        ("volume", &req.volume),
        ("peak", &req.peak),
        ("growth", &req.growth),
        ("team", &req.team),
        ("readers", &req.readers),
    ] {
        if let Some(q) = q {
            v.push((name, q.clone()));
        }
    }
    if let Some(c) = &req.cost {
        v.push((
            "cost",
            Spanned {
                value: c.value.clone(),
                span: c.span,
            },
        ));
    }
    v
}

fn unknown_node(r: &mut Resolver<'_>, d: &Design, name: &Ident, file: FileId) {
    let names: Vec<&str> = d.nodes.iter().map(|n| n.name.name.as_str()).collect();
    let help = suggest::help_for(
        &name.name,
        names,
        "declare it with `node NAME : ROLE` or `source NAME : ROLE`",
    );
    r.push(
        Diagnostic::new(
            "unknown-name",
            file,
            name.span,
            format!("unknown node `{}`", name.name),
        )
        .label("no node of this name")
        .with_help(help),
    );
}

fn node_ref(r: &mut Resolver<'_>, d: &Design, name: &Ident, file: FileId) -> Option<usize> {
    let i = d.node_index(&name.name);
    if i.is_none() {
        unknown_node(r, d, name, file);
    }
    i
}

fn schema_ref(r: &mut Resolver<'_>, name: &Ident, version: Option<u32>, file: FileId) -> bool {
    if !r.scope.schemas.iter().any(|s| s.name.name == name.name) {
        unknown_schema(r, &name.name, name.span, file);
        return false;
    }
    if let Some(v) = version
        && !r
            .scope
            .schemas
            .iter()
            .any(|s| s.name.name == name.name && s.version == v)
    {
        let have: Vec<String> = r
            .scope
            .schemas
            .iter()
            .filter(|s| s.name.name == name.name)
            .map(|s| format!("v{}", s.version))
            .collect();
        r.push(
            Diagnostic::new(
                "unknown-name",
                file,
                name.span,
                format!("schema `{}` has no version v{v}", name.name),
            )
            .label("no such version")
            .with_help(format!("declared versions: {}", have.join(", "))),
        );
        return false;
    }
    true
}

fn unknown_schema(r: &mut Resolver<'_>, name: &str, span: Span, file: FileId) {
    let names: Vec<&str> = r
        .scope
        .schemas
        .iter()
        .map(|s| s.name.name.as_str())
        .collect();
    let help = suggest::help_for(name, names, "declare it with `schema NAME v1 { ... }`");
    r.push(
        Diagnostic::new(
            "unknown-name",
            file,
            span,
            format!("unknown schema `{name}`"),
        )
        .label("no schema of this name")
        .with_help(help),
    );
}

/// A `Schema.field` reference.
fn field_ref(r: &mut Resolver<'_>, text: &str, span: Span, file: FileId) -> bool {
    let Some((schema, field)) = text.split_once('.') else {
        r.push(
            Diagnostic::new(
                "invalid-value",
                file,
                span,
                format!("`{text}` must name a schema field"),
            )
            .label("expected `Schema.field`")
            .with_help("write it as `Payment.occurred_at`"),
        );
        return false;
    };
    let candidates: Vec<&Schema> = r
        .scope
        .schemas
        .iter()
        .filter(|s| s.name.name == schema)
        .collect();
    if candidates.is_empty() {
        let at = Span::new(span.start as usize, span.start as usize + schema.len());
        unknown_schema(r, schema, at, file);
        return false;
    }
    if candidates.iter().any(|s| s.field(field).is_some()) {
        return true;
    }
    let names: Vec<&str> = candidates
        .iter()
        .flat_map(|s| s.fields.iter().map(|f| f.name.name.as_str()))
        .collect();
    let help = suggest::help_for(field, names, &format!("add the field to schema `{schema}`"));
    let fstart = span.start as usize + schema.len() + 1;
    r.push(
        Diagnostic::new(
            "unknown-name",
            file,
            Span::new(fstart, fstart + field.len()),
            format!("schema `{schema}` has no field `{field}`"),
        )
        .label("no such field")
        .with_help(help),
    );
    false
}

fn cmp_bound(
    r: &mut Resolver<'_>,
    p: &ast::Property,
    want: Option<(Dimension, &str)>,
    default_cmp: Cmp,
    file: FileId,
) -> Option<Bound> {
    let mut i = 0;
    let mut target = None;
    if let Some(id) = p.value.first().and_then(atom_ident) {
        target = Some(id);
        i = 1;
    }
    let mut cmp = default_cmp;
    if let Some(Atom {
        kind: AtomKind::Cmp(c),
        ..
    }) = p.value.get(i)
    {
        cmp = *c;
        i += 1;
    }
    let rest = ast::Property {
        key: p.key.clone(),
        value: p.value.get(i..).unwrap_or(&[]).to_vec(),
        span: p.span,
    };
    let value = r.expect_quantity(&rest, want, file)?;
    Some(Bound {
        target,
        cmp,
        value,
        span: p.span,
    })
}

fn requirements(r: &mut Resolver<'_>, b: &ast::Block, file: FileId, req: &mut Requirements) {
    req.span = Some(b.span);
    let before = r.diags.len();
    requirement_props(r, b, file, req);
    let placeholder = b.props.iter().any(|p| {
        p.value
            .iter()
            .any(|a| matches!(&a.kind, AtomKind::Word(w) if w == crate::placeholder::WORD))
    });
    // A requirement written with an error is not missing: later passes say so.
    if r.diags.len() > before || placeholder {
        for p in &b.props {
            let name = p.key.name.as_str();
            let unset = match name {
                "volume" => req.volume.is_none(),
                "peak" => req.peak.is_none(),
                "growth" => req.growth.is_none(),
                "team" => req.team.is_none(),
                "readers" => req.readers.is_none(),
                "delivery" => req.delivery.is_none(),
                "cost" => req.cost.is_none(),
                _ => false,
            };
            if unset && !req.rejected.iter().any(|x| x == name) {
                req.rejected.push(name.to_string());
                r.scope.broken.insert(name.to_string());
            }
        }
    }
}

fn requirement_props(r: &mut Resolver<'_>, b: &ast::Block, file: FileId, req: &mut Requirements) {
    let time = Some((Dimension::TIME, "a time, like `2 s`"));
    // A `volume` written above with an error of its own: a factor `peak` then has
    // its volume, and the volume's error is the one to fix.
    let mut volume_written = false;
    for p in &b.props {
        let spanned = |q: Option<Quantity>| {
            q.map(|value| Spanned {
                value,
                span: p.span,
            })
        };
        match p.key.name.as_str() {
            "volume" => {
                volume_written = true;
                // `volume 8bn bid_requests/day from exchange, ssp_feed`: the
                // quantity, then the origins it counts.
                let from = p
                    .value
                    .iter()
                    .position(|a| matches!(&a.kind, AtomKind::Word(w) if w == "from"));
                let quantity = match from {
                    Some(k) => ast::Property {
                        value: p.value.get(..k).map(<[Atom]>::to_vec).unwrap_or_default(),
                        ..p.clone()
                    },
                    None => p.clone(),
                };
                if let Some(k) = from {
                    let names = p.value.get(k + 1..).unwrap_or(&[]);
                    for a in names {
                        match &a.kind {
                            AtomKind::Word(w) => req.volume_from.push(Ident {
                                name: w.clone(),
                                span: a.span,
                            }),
                            AtomKind::Comma => {}
                            _ => r.push(
                                Diagnostic::new(
                                    "invalid-value",
                                    file,
                                    a.span,
                                    "`volume … from` takes the names of the sources it counts",
                                )
                                .label("not a node name")
                                .with_help("write `volume 8bn bid_requests/day from exchange` (or `from a, b`)"),
                            ),
                        }
                    }
                    if names.is_empty() {
                        r.push(
                            Diagnostic::new(
                                "invalid-value",
                                file,
                                p.span,
                                "`volume … from` names no source",
                            )
                            .label("from what?")
                            .with_help("name the source whose records the volume counts: `volume 8bn bid_requests/day from exchange`"),
                        );
                    }
                }
                req.volume = spanned(r.expect_quantity(
                    &quantity,
                    Some((Dimension::RATE, "a rate, like `5M payments/day`")),
                    file,
                ))
            }
            "peak" => {
                let Some(q) = r.expect_quantity(p, None, file) else {
                    continue;
                };
                if q.dim.is_dimensionless() {
                    // `peak 10x`: a factor over the average from `volume`.
                    match &req.volume {
                        Some(v) => {
                            if let Ok(mut peak) = v.value.mul(&q) {
                                peak.per = None;
                                req.peak = Some(Spanned { value: peak, span: p.span });
                                req.peak_factor = Some(Spanned { value: q, span: p.span });
                            }
                        }
                        None if volume_written => {}
                        None => r.push(
                            Diagnostic::new("invalid-value", file, p.span, "`peak` as a factor needs `volume` above it")
                                .label("a factor of what?")
                                .with_help("write `volume 5M orders/day` before `peak 10x`, or give the peak as a rate: `peak 580 orders/s`"),
                        ),
                    }
                } else if let Some(q) = r.check_dim(
                    q,
                    Some((
                        Dimension::RATE,
                        "a rate, like `2000 payments/s`, or a factor like `10x`",
                    )),
                    "peak",
                    file,
                    p.span,
                ) {
                    req.peak = Some(Spanned {
                        value: q,
                        span: p.span,
                    });
                }
            }
            "latency" => req.latency.extend(cmp_bound(r, p, time, Cmp::Le, file)),
            "freshness" => req.freshness.extend(cmp_bound(r, p, time, Cmp::Le, file)),
            "retention" => req.retention.extend(cmp_bound(r, p, time, Cmp::Ge, file)),
            "cost" => req.cost = cmp_bound(r, p, None, Cmp::Le, file),
            "growth" => {
                let q = r.expect_quantity(p, None, file);
                let (g, per) = growth(r, q, p, file);
                req.growth = spanned(g);
                req.growth_per = per;
            }
            "team" => {
                req.team = spanned(r.expect_quantity(
                    p,
                    Some((Dimension::NONE, "a head count, like `8`")),
                    file,
                ))
            }
            "readers" => req.readers = spanned(r.expect_quantity(p, None, file)),
            "delivery" => {
                let d = match p.value.first().and_then(ident_text) {
                    Some("at_most_once") => Some(Delivery::AtMostOnce),
                    Some("at_least_once") => Some(Delivery::AtLeastOnce),
                    Some("exactly_once") => Some(Delivery::ExactlyOnce),
                    _ => None,
                };
                match d {
                    Some(value) => {
                        req.delivery = Some(Spanned {
                            value,
                            span: p.span,
                        })
                    }
                    None => {
                        let word = p.value.first().and_then(ident_text).unwrap_or("");
                        let help = suggest::help_for(
                            word,
                            vec!["at_most_once", "at_least_once", "exactly_once"],
                            "write `delivery at_least_once`, `exactly_once` or `at_most_once`",
                        );
                        r.push(
                            Diagnostic::new(
                                "invalid-value",
                                file,
                                p.span,
                                "`delivery` takes at_most_once, at_least_once or exactly_once",
                            )
                            .label("not a delivery guarantee")
                            .with_help(help),
                        );
                    }
                }
            }
            "compliance" => req.compliance.extend(p.value.iter().filter_map(atom_ident)),
            "cloud" => {
                let word = p.value.first().and_then(ident_text);
                match word {
                    Some(w) if crate::cloud::CLOUDS.contains(&w) && p.value.len() == 1 => {
                        req.cloud = Some(Spanned {
                            value: w.to_string(),
                            span: p.span,
                        })
                    }
                    _ => {
                        let help = suggest::help_for(
                            word.unwrap_or(""),
                            crate::cloud::CLOUDS.to_vec(),
                            "write `cloud aws`, `cloud gcp`, `cloud azure` or `cloud on_prem`",
                        );
                        r.push(
                            Diagnostic::new(
                                "invalid-value",
                                file,
                                p.span,
                                "`cloud` takes aws, gcp, azure or on_prem",
                            )
                            .label("not a cloud dsd knows")
                            .with_help(help),
                        );
                    }
                }
            }
            "region" => {
                // `cloud` may be written below `region`: the region is checked
                // against the cloud the block names wherever it names it.
                let cloud = b
                    .props
                    .iter()
                    .find(|q| q.key.name == "cloud")
                    .and_then(|q| q.value.first())
                    .and_then(ident_text);
                if let Some(value) = region_of(r, p, cloud, file) {
                    req.region = Some(Spanned {
                        value,
                        span: p.span,
                    });
                }
            }
            other => {
                let words: Vec<String> = p.value.iter().map(atom_text).collect();
                req.other.insert(
                    other.to_string(),
                    Spanned {
                        value: words.join(" "),
                        span: p.span,
                    },
                );
            }
        }
    }
}

/// `region "us-east-1"` (or a plain name, `region westeurope`): the region code,
/// checked against the cloud's list where dsd has one.
pub(crate) fn region_of(
    r: &mut Resolver<'_>,
    p: &ast::Property,
    cloud: Option<&str>,
    file: FileId,
) -> Option<String> {
    let code = match p.value.as_slice() {
        [a] => match &a.kind {
            AtomKind::Str(s) | AtomKind::Word(s) => s.clone(),
            _ => String::new(),
        },
        _ => String::new(),
    };
    if code.is_empty() {
        r.push(
            Diagnostic::new(
                "invalid-value",
                file,
                p.span,
                "`region` takes a region code",
            )
            .label("expected a region code")
            .with_help("write the code in quotes: `region \"us-east-1\"`"),
        );
        return None;
    }
    if let Some((message, known)) = crate::cloud::unknown_region(cloud, &code) {
        let help = suggest::help_for(
            &code,
            known,
            &format!(
                "AWS's region codes are listed at {}",
                crate::cloud::AWS_REGIONS_SOURCE
            ),
        );
        r.push(
            Diagnostic::new("invalid-value", file, p.span, message)
                .label("unknown region")
                .with_help(help),
        );
        return None;
    }
    Some(code)
}

/// `growth 2x` (the factor the design must absorb) or `growth 2x/year` (a factor
/// per period, which also gives the bill year by year): the factor, and the period
/// it is per.
fn growth(
    r: &mut Resolver<'_>,
    q: Option<Quantity>,
    p: &ast::Property,
    file: FileId,
) -> (Option<Quantity>, Option<crate::units::TimeUnit>) {
    let q = match q {
        Some(q) => q,
        None => return (None, None),
    };
    if q.dim.same_as(Dimension::NONE) {
        return (Some(q), None);
    }
    if q.dim.same_as(Dimension::RATE)
        && q.noun.is_none()
        && let Some(per) = q.per
    {
        let secs = f64::from(per.seconds);
        let factor = Quantity {
            lo: q.lo * secs,
            hi: q.hi * secs,
            dim: Dimension::NONE,
            noun: None,
            per: None,
            shown: None,
        };
        if factor.lo >= 1.0 {
            return (Some(factor), Some(per));
        }
        r.push(
            Diagnostic::new(
                "invalid-value",
                file,
                p.span,
                format!(
                    "`growth {}x/{}` shrinks the load: a growth factor is at least 1x",
                    crate::units::format_number(factor.lo),
                    per.name
                ),
            )
            .label("less than 1x a period")
            .with_help(format!(
                "write the factor the load is multiplied by each {}: 40% more a year is `1.4x/year`",
                per.name
            )),
        );
        return (None, None);
    }
    let at = match (p.value.first(), p.value.last()) {
        (Some(a), Some(b)) => a.span.to(b.span),
        _ => p.key.span,
    };
    r.push(
        Diagnostic::new(
            "dimension-mismatch",
            file,
            at,
            format!(
                "`growth` must be a factor or a factor per period, but `{}` is {}",
                q.display(),
                q.dim.describe()
            ),
        )
        .label(format!("this is {}", q.dim.describe()))
        .with_help("write a factor, like `2x`, or a factor per period, like `2x/year`"),
    );
    (None, None)
}

fn atom_text(a: &Atom) -> String {
    match &a.kind {
        AtomKind::Word(w)
        | AtomKind::Unit(w)
        | AtomKind::Generic(w)
        | AtomKind::Clock(w)
        | AtomKind::Str(w)
        | AtomKind::Text(w) => w.clone(),
        AtomKind::Number(n) => match &n.hi {
            Some(h) => format!("{}..{}", n.lo, h),
            None => n.lo.clone(),
        },
        AtomKind::Call { name, args } => format!(
            "{}({})",
            name.name,
            args.iter().map(atom_text).collect::<Vec<_>>().join(", ")
        ),
        AtomKind::Cmp(c) => c.as_str().to_string(),
        AtomKind::Arrow => "->".into(),
        AtomKind::Comma => ",".into(),
        AtomKind::Percent => "%".into(),
    }
}

fn node_props(r: &mut Resolver<'_>, d: &mut Design, idx: usize, block: &ast::Block, file: FileId) {
    for p in &block.props {
        let key = p.key.name.as_str();
        if d.nodes.get(idx).is_some_and(|n| n.props.contains_key(key))
            && !matches!(key, "emits" | "reads" | "writes")
        {
            r.push(
                Diagnostic::new(
                    "duplicate-name",
                    file,
                    p.key.span,
                    format!("property `{key}` is set twice"),
                )
                .label("set again here")
                .with_help("keep one value"),
            );
            continue;
        }
        let value = match node_shape(key) {
            Shape::Count => r
                .expect_quantity(p, Some((Dimension::NONE, "a number")), file)
                .map(Value::Quantity),
            Shape::Dim(dim, what) => r
                .expect_quantity(p, Some((dim, what)), file)
                .map(Value::Quantity),
            Shape::AnyQuantity => r.expect_quantity(p, None, file).map(Value::Quantity),
            Shape::Name if p.key.name == "concurrency" => {
                match p.value.first().and_then(atom_ident) {
                    Some(id)
                        if matches!(
                            id.name.as_str(),
                            "per_partition" | "per_key" | "per_record"
                        ) =>
                    {
                        Some(Value::Name(id))
                    }
                    _ => {
                        bad_shape(
                            r,
                            p,
                            "`per_partition` (one thread per partition at a time, the default), `per_key` (one thread per key at a time) or `per_record` (any record at any time)",
                            file,
                        );
                        None
                    }
                }
            }
            Shape::Name if p.key.name == "region" => {
                let cloud = d.requirements.cloud.as_ref().map(|c| c.value.clone());
                region_of(r, p, cloud.as_deref(), file).map(|code| {
                    Value::Name(Ident {
                        name: code,
                        span: p.span,
                    })
                })
            }
            Shape::Name => p
                .value
                .first()
                .and_then(atom_ident)
                .map(Value::Name)
                .or_else(|| {
                    bad_shape(r, p, "a name", file);
                    None
                }),
            Shape::NodeRef => match p.value.first().and_then(atom_ident) {
                Some(id) => {
                    if d.node_index(&id.name).is_none() {
                        unknown_node(r, d, &id, file);
                    }
                    Some(Value::Name(id))
                }
                None => {
                    bad_shape(r, p, "a node name", file);
                    None
                }
            },
            Shape::SchemaRef => match p.value.first().and_then(atom_ident) {
                Some(id) => {
                    let version = version_of(p.value.get(1));
                    if schema_ref(r, &id, version, file)
                        && let Some(n) = d.nodes.get_mut(idx)
                    {
                        match key {
                            "emits" | "writes" => n.emits.push((id.clone(), version)),
                            _ => n.reads.push((id.clone(), version)),
                        }
                    }
                    Some(Value::Name(id))
                }
                None => {
                    bad_shape(r, p, "a schema name", file);
                    None
                }
            },
            Shape::Text => match p.value.first().map(|a| &a.kind) {
                Some(AtomKind::Str(s)) => Some(Value::Text(ast::StrLit {
                    value: s.clone(),
                    span: p.span,
                })),
                _ => {
                    bad_shape(r, p, "a quoted string", file);
                    None
                }
            },
            Shape::Words => Some(Value::Words(p.value.iter().map(atom_text).collect())),
            Shape::Flag => Some(Value::Flag),
        };
        if let (Some(value), Some(n)) = (value, d.nodes.get_mut(idx)) {
            n.props.insert(
                key.to_string(),
                Prop {
                    value,
                    span: p.span,
                },
            );
        }
    }
}

fn bad_shape(r: &mut Resolver<'_>, p: &ast::Property, what: &str, file: FileId) {
    let at = p.value.first().map(|a| a.span).unwrap_or(p.key.span);
    r.push(
        Diagnostic::new(
            "invalid-value",
            file,
            at,
            format!("`{}` takes {what}", p.key.name),
        )
        .label(format!("expected {what}"))
        .with_help(format!("write it as `{} ...` with {what}", p.key.name)),
    );
}

fn write_spec(
    r: &mut Resolver<'_>,
    atoms: &[Atom],
    i: &mut usize,
    file: FileId,
    clause: &str,
) -> Option<WriteSpec> {
    let a = atoms.get(*i)?;
    *i += 1;
    let (word, args, span) = match &a.kind {
        AtomKind::Word(w) => (w.clone(), Vec::new(), a.span),
        AtomKind::Call { name, args } => (name.name.clone(), args.clone(), a.span),
        _ => (String::new(), Vec::new(), a.span),
    };
    let Some(kind) = WriteKind::from_word(&word) else {
        let help = suggest::help_for(
            &word,
            WriteKind::WORDS.to_vec(),
            &format!("mechanisms are: {}", WriteKind::WORDS.join(", ")),
        );
        r.push(
            Diagnostic::new(
                "unknown-name",
                file,
                span,
                format!("`{word}` is not a write or idempotency mechanism"),
            )
            .label(format!("after `{clause}`"))
            .with_help(help),
        );
        return None;
    };
    let mut key = args.first().and_then(|x| match &x.kind {
        AtomKind::Word(_) => atom_ident(x),
        AtomKind::Call { args, .. } => args.first().and_then(atom_ident),
        _ => None,
    });
    // `dedup(event_id, 1 h)`: the window is the quantity among the arguments.
    let mut window = None;
    if let Some(pos) = args
        .iter()
        .position(|x| matches!(x.kind, AtomKind::Number(_)))
    {
        let mut j = pos;
        window = r.atoms_quantity(&args, &mut j, file).map(|q| Box::new(q.0));
    }
    if kind == WriteKind::Overwrite
        && key.is_none()
        && let Some(Atom {
            kind: AtomKind::Call { name, args },
            ..
        }) = atoms.get(*i)
        && name.name == "partition"
    {
        key = args.first().and_then(atom_ident);
        *i += 1;
    }
    Some(WriteSpec {
        kind,
        key,
        window,
        span,
    })
}

fn flows(r: &mut Resolver<'_>, d: &mut Design, f: &ast::FlowDecl, file: FileId) {
    let ends: Vec<Option<usize>> = f.chain.iter().map(|n| node_ref(r, d, n, file)).collect();
    let mut mode = FlowMode::Unspecified;
    let mut carries = None;
    let mut write = None;
    let mut read = None;
    let mut idempotent = None;
    let mut latency = None;
    let mut retries = None;
    let mut factor: Option<(RateFactor, Span)> = None;
    let mut via = None;
    let mut full_refresh = false;
    let atoms = &f.clauses;
    let mut i = 0;
    while let Some(a) = atoms.get(i) {
        i += 1;
        let word = ident_text(a).unwrap_or("");
        match word {
            "stream" => mode = FlowMode::Stream,
            "cdc" => mode = FlowMode::Cdc,
            "batch" => {
                if !matches!(mode, FlowMode::Batch { .. }) {
                    mode = FlowMode::Batch { every: None };
                }
            }
            "daily" | "hourly" | "weekly" => {
                let secs = match word {
                    "daily" => DAY,
                    "hourly" => 3600.0,
                    _ => 7.0 * DAY,
                };
                mode = FlowMode::Batch {
                    every: Some(Box::new(Quantity {
                        lo: secs,
                        hi: secs,
                        dim: Dimension::TIME,
                        noun: None,
                        per: None,
                        shown: None,
                    })),
                };
            }
            "every" => {
                let p = quantity_clause(word, a, atoms, &mut i);
                if let Some(q) =
                    r.expect_quantity(&p, Some((Dimension::TIME, "a time, like `5 min`")), file)
                {
                    mode = FlowMode::Batch {
                        every: Some(Box::new(q)),
                    };
                }
            }
            "at" => {
                i += 1; // `at 02:00`
            }
            "write" => write = write_spec(r, atoms, &mut i, file, "write"),
            "idempotent" => idempotent = write_spec(r, atoms, &mut i, file, "idempotent"),
            "read" => {
                let kind_atom = atoms.get(i);
                i += 1;
                let kind = match kind_atom.and_then(ident_text) {
                    Some("lookup") => Some(ReadKind::Lookup),
                    Some("scan") => Some(ReadKind::Scan),
                    Some("range") => Some(ReadKind::Range),
                    Some("search") => Some(ReadKind::Search),
                    Some("traverse") => Some(ReadKind::Traverse),
                    _ => None,
                };
                let span = kind_atom.map(|k| k.span).unwrap_or(a.span);
                match kind {
                    Some(kind) => {
                        let mut on = None;
                        if matches!(atoms.get(i).and_then(ident_text), Some("by" | "on")) {
                            on = atoms.get(i + 1).and_then(atom_ident);
                            i += 2;
                        }
                        read = Some(ReadSpec { kind, on, span });
                    }
                    None => r.push(
                        Diagnostic::new("invalid-value", file, span, "`read` takes lookup, scan, range, search or traverse")
                            .label("not an access pattern")
                            .with_help("write `read lookup by customer_id`, `read scan` or `read range on event_time`"),
                    ),
                }
            }
            "carries" => {
                if let Some(id) = atoms.get(i).and_then(atom_ident) {
                    i += 1;
                    let version = version_of(atoms.get(i));
                    if version.is_some() {
                        i += 1;
                    }
                    if schema_ref(r, &id, version, file) {
                        carries = Some((id, version));
                    }
                }
            }
            "latency" | "retries" => {
                let p = quantity_clause(word, a, atoms, &mut i);
                let want = if word == "latency" {
                    Some((Dimension::TIME, "a time, like `5 ms`"))
                } else {
                    Some((Dimension::NONE, "a count"))
                };
                let q = r.expect_quantity(&p, want, file);
                if word == "latency" {
                    latency = q
                } else {
                    retries = q
                }
            }
            "keep" | "fanout" | "errors" | "rate" => {
                let p = quantity_clause(word, a, atoms, &mut i);
                let want = if word == "rate" {
                    (Dimension::RATE, "a rate, like `24 rows/day`")
                } else if word == "fanout" {
                    (
                        Dimension::NONE,
                        "a count of records out per record in, like `3`",
                    )
                } else {
                    (Dimension::NONE, "a fraction, like `10%`")
                };
                let Some(q) = r.expect_quantity(&p, Some(want), file) else {
                    continue;
                };
                let span = p.value.last().map(|l| a.span.to(l.span)).unwrap_or(a.span);
                let (fac, bad) = match word {
                    "keep" => (
                        RateFactor::Keep(q.hi),
                        (q.lo <= 0.0 || q.hi > 1.0).then_some(
                            "`keep` is the fraction of records a flow passes on, above 0% and at most 100%; for more records out than in, write `fanout N`",
                        ),
                    ),
                    "errors" => (
                        RateFactor::Errors(q.hi),
                        (q.lo < 0.0 || q.hi > 1.0)
                            .then_some("`errors` is the fraction of records that fail, from 0% to 100%"),
                    ),
                    "fanout" => (
                        RateFactor::Fanout(q.hi),
                        (q.lo < 1.0).then_some(
                            "`fanout` is records out per record in, at least 1; to drop records, write `keep 10%`",
                        ),
                    ),
                    _ => (
                        RateFactor::Fixed(q.clone()),
                        (q.lo < 0.0).then_some("a rate cannot be negative"),
                    ),
                };
                if let Some(help) = bad {
                    r.push(
                        Diagnostic::new(
                            "invalid-value",
                            file,
                            span,
                            format!("`{word} {}` is out of range", q.display()),
                        )
                        .label("out of range")
                        .with_help(help),
                    );
                } else if let Some((_, first)) = &factor {
                    r.push(
                        Diagnostic::new(
                            "invalid-value",
                            file,
                            span,
                            format!("a flow takes one rate factor, and this one has two (`{word}` here)"),
                        )
                        .label("second rate factor")
                        .also(file, *first, "the first")
                        .with_help("keep one of `keep`, `fanout`, `errors` and `rate`; split the flow through a node to apply two"),
                    );
                } else {
                    factor = Some((fac, span));
                }
            }
            "via" => {
                via = atoms.get(i).and_then(atom_ident);
                i += 1;
            }
            "full_refresh" => full_refresh = true,
            "incremental" => {}
            _ => {
                let shown = if word.is_empty() {
                    atom_text(a)
                } else {
                    word.to_string()
                };
                let help = suggest::help_for(
                    &shown,
                    FLOW_WORDS.to_vec(),
                    &format!("flow clauses are: {}", FLOW_WORDS.join(", ")),
                );
                r.push(
                    Diagnostic::new(
                        "unknown-property",
                        file,
                        a.span,
                        format!("`{shown}` is not a flow clause"),
                    )
                    .label("unknown clause")
                    .with_help(help),
                );
            }
        }
    }
    for pair in ends.windows(2) {
        if let [Some(from), Some(to)] = pair {
            d.flows.push(Flow {
                from: *from,
                to: *to,
                mode: mode.clone(),
                carries: carries.clone(),
                write: write.clone(),
                read: read.clone(),
                idempotent: idempotent.clone(),
                latency: latency.clone().map(Box::new),
                retries: retries.clone().map(Box::new),
                factor: factor.as_ref().map(|(f, _)| Box::new(f.clone())),
                via: via.clone(),
                full_refresh,
                span: f.span,
            });
        }
    }
}

/// A flow clause that takes a quantity (`latency 5 ms`, `keep 10%`) as a property,
/// so it is typed like any other.
fn quantity_clause(word: &str, a: &Atom, atoms: &[Atom], i: &mut usize) -> ast::Property {
    ast::Property {
        key: Ident {
            name: word.into(),
            span: a.span,
        },
        value: take_quantity_atoms(atoms, i),
        span: a.span,
    }
}

/// Takes a number and its unit word(s) from a clause list.
fn take_quantity_atoms(atoms: &[Atom], i: &mut usize) -> Vec<Atom> {
    let mut out = Vec::new();
    if let Some(a) = atoms.get(*i)
        && matches!(a.kind, AtomKind::Number(_))
    {
        out.push(a.clone());
        *i += 1;
        if let Some(u) = atoms.get(*i) {
            let is_unit = match &u.kind {
                AtomKind::Unit(_) | AtomKind::Percent => true,
                AtomKind::Word(w) => !FLOW_WORDS.contains(&w.as_str()),
                _ => false,
            };
            if is_unit {
                out.push(u.clone());
                *i += 1;
            }
        }
    }
    out
}

fn path(r: &mut Resolver<'_>, d: &mut Design, p: &ast::PathDecl, file: FileId) {
    if d.paths.iter().any(|x| x.name.name == p.name.name) {
        r.duplicate(&p.name, file, "a path");
        return;
    }
    let hops: Vec<Option<usize>> = p.hops.iter().map(|h| node_ref(r, d, h, file)).collect();
    if hops.iter().any(Option::is_none) {
        return;
    }
    let hops: Vec<usize> = hops.into_iter().flatten().collect();
    for (k, w) in hops.windows(2).enumerate() {
        if let [a, b] = w
            && !d.flows.iter().any(|f| f.from == *a && f.to == *b)
        {
            let (Some(ha), Some(hb)) = (p.hops.get(k), p.hops.get(k + 1)) else {
                continue;
            };
            r.push(
                Diagnostic::new(
                    "unknown-name",
                    file,
                    ha.span.to(hb.span),
                    format!(
                        "path `{}` goes from `{}` to `{}`, but no flow connects them",
                        p.name.name, ha.name, hb.name
                    ),
                )
                .label("no such flow")
                .with_help(format!(
                    "add `flow {} -> {} ...` or fix the path",
                    ha.name, hb.name
                )),
            );
        }
    }
    d.paths.push(Path {
        name: p.name.clone(),
        hops,
        span: p.span,
    });
}

fn group(r: &mut Resolver<'_>, d: &mut Design, g: &ast::GroupDecl, file: FileId) {
    let is_layer = g.kind == ast::GroupKind::Layer;
    let list = if is_layer { &d.layers } else { &d.zones };
    if list.iter().any(|x| x.name.name == g.name.name) {
        r.duplicate(&g.name, file, if is_layer { "a layer" } else { "a zone" });
        return;
    }
    let mut members = Vec::new();
    for m in &g.members {
        if let Some(i) = node_ref(r, d, m, file) {
            if is_layer && let Some(n) = d.nodes.get_mut(i) {
                if let Some(prev) = &n.layer {
                    let prev = prev.clone();
                    r.push(
                        Diagnostic::new(
                            "duplicate-name",
                            file,
                            m.span,
                            format!("node `{}` is already in layer `{prev}`", m.name),
                        )
                        .label("second layer")
                        .with_help("a node belongs to one layer"),
                    );
                    continue;
                }
                n.layer = Some(g.name.name.clone());
            }
            members.push(i);
        }
    }
    let group = Group {
        name: g.name.clone(),
        title: g.title.as_ref().map(|t| t.value.clone()),
        members,
        span: g.span,
    };
    if is_layer {
        d.layers.push(group)
    } else {
        d.zones.push(group)
    }
}

fn tool_use(r: &mut Resolver<'_>, d: &mut Design, u: &ast::UseDecl, file: FileId) {
    let tool = r.scope.catalogue.tools.get(&u.tool.name).cloned();
    if tool.is_none() {
        let names: Vec<&str> = r.scope.catalogue.tools.keys().map(String::as_str).collect();
        let help = suggest::help_for(
            &u.tool.name,
            names,
            "declare it in a catalogue with `tool NAME : ROLE { ... }` and import it",
        );
        r.push(
            Diagnostic::new(
                "unknown-name",
                file,
                u.tool.span,
                format!("unknown tool `{}`", u.tool.name),
            )
            .label("not in the catalogue")
            .with_help(help),
        );
    }
    // Step 5: every tool choice states what it buys and what it costs.
    let because = u
        .because
        .as_ref()
        .map(|b| b.value.trim().to_string())
        .unwrap_or_default();
    let accepting = u
        .accepting
        .as_ref()
        .map(|b| b.value.trim().to_string())
        .unwrap_or_default();
    for (clause, text, lit) in [
        ("because", &because, &u.because),
        ("accepting", &accepting, &u.accepting),
    ] {
        let placeholder = says_nothing(text);
        if text.is_empty() || placeholder {
            let span = lit.as_ref().map(|l| l.span).unwrap_or(u.span);
            let (msg, label) = if placeholder {
                (
                    format!(
                        "the `{clause}` clause of `use {}` says nothing: \"{text}\"",
                        u.tool.name
                    ),
                    "a placeholder, not a trade-off",
                )
            } else if lit.is_some() {
                (
                    format!("the `{clause}` clause of `use {}` is empty", u.tool.name),
                    "empty",
                )
            } else {
                (
                    format!("`use {}` has no `{clause}` clause", u.tool.name),
                    "trade-off not stated",
                )
            };
            let help = if clause == "because" {
                format!(
                    "say what `{}` buys here: `because \"replay and fan-out to two consumers\"`",
                    u.tool.name
                )
            } else {
                format!(
                    "say what choosing `{}` costs: `accepting \"cluster operations and partition planning\"`",
                    u.tool.name
                )
            };
            r.push(
                Diagnostic::new("missing-tradeoff", file, span, msg)
                    .label(label)
                    .with_help(help),
            );
        }
    }
    let mut nodes = Vec::new();
    for n in &u.nodes {
        let Some(i) = node_ref(r, d, n, file) else {
            continue;
        };
        nodes.push(i);
        let Some(node) = d.nodes.get(i) else { continue };
        if let Some(prev) = &node.tool {
            let prev = prev.clone();
            r.push(
                Diagnostic::new("duplicate-name", file, n.span, format!("node `{}` already uses `{prev}`", n.name))
                    .label("second tool")
                    .with_help("a node is implemented by one tool; split it into two nodes if it really is two systems"),
            );
            continue;
        }
        if let Some(t) = &tool
            && !t.roles.contains(&node.role)
            && r.scope.catalogue.roles.contains_key(&node.role)
        {
            let gives_up = r
                .scope
                .catalogue
                .roles
                .get(&node.role)
                .map(|x| x.title.clone())
                .unwrap_or_default();
            // What plays the role, on the design's cloud: its own services
            // first, then tools that run anywhere; never another cloud's.
            let cloud = d.requirements.cloud.as_ref().map(|c| c.value.as_str());
            let mut fits: Vec<(bool, String)> = r
                .scope
                .catalogue
                .tools
                .values()
                .filter(|x| x.roles.contains(&node.role))
                .filter(|x| cloud.is_none_or(|c| x.cloud.as_deref().is_none_or(|t| t == c)))
                .map(|x| (x.cloud.is_none(), x.name.clone()))
                .collect();
            fits.sort();
            let fits: Vec<String> = fits.into_iter().map(|(_, n)| n).take(6).collect();
            let help = if fits.is_empty() {
                format!("`{}` plays: {}", t.name, t.roles.join(", "))
            } else {
                format!(
                    "`{}` plays {}; for a {} ({gives_up}) consider: {}",
                    t.name,
                    t.roles.join(", "),
                    node.role,
                    fits.join(", ")
                )
            };
            r.push(
                Diagnostic::new(
                    "tool-role-mismatch",
                    file,
                    u.tool.span,
                    format!(
                        "`{}` cannot play the role `{}` of node `{}`",
                        t.name, node.role, n.name
                    ),
                )
                .label(format!("{} is not a {}", t.name, node.role))
                .also(
                    file,
                    node.role_span,
                    format!("`{}` is declared a {}", n.name, node.role),
                )
                .with_help(help),
            );
        }
        if let Some(node) = d.nodes.get_mut(i) {
            node.tool = Some(u.tool.name.clone());
        }
    }
    d.uses.push(ToolUse {
        tool: u.tool.clone(),
        nodes,
        because,
        accepting,
        span: u.span,
    });
}

fn failure(r: &mut Resolver<'_>, d: &mut Design, f: &ast::FailureDecl, file: FileId) {
    let Some(node) = node_ref(r, d, &f.node, file) else {
        return;
    };
    let mut out = Failure {
        node,
        cause: None,
        effect: None,
        detect: Vec::new(),
        recover: None,
        recover_within: None,
        dlq: None,
        outage: None,
        degrades: false,
        fallback: None,
        span: f.span,
    };
    for p in &f.block.props {
        match p.key.name.as_str() {
            "cause" | "effect" => {
                let text = match p.value.first().map(|a| &a.kind) {
                    Some(AtomKind::Str(s) | AtomKind::Text(s)) => s.clone(),
                    _ => {
                        let key = &p.key.name;
                        r.push(
                            Diagnostic::new(
                                "invalid-value",
                                file,
                                p.value.first().map_or(p.key.span, |a| a.span),
                                format!("`{key}` needs text"),
                            )
                            .label("no text")
                            .with_help(format!(
                                "write what happens after it, to the end of the line (`{key} broker's disk fills - writes rejected`) or quoted (`{key} \"...\"`)"
                            )),
                        );
                        continue;
                    }
                };
                if p.key.name == "cause" {
                    out.cause = Some(text)
                } else {
                    out.effect = Some(text)
                }
            }
            "detect" | "alert" => {
                let Some(cmp_at) = p
                    .value
                    .iter()
                    .position(|a| matches!(a.kind, AtomKind::Cmp(_)))
                else {
                    r.push(
                        Diagnostic::new("invalid-value", file, p.span, "`detect` needs a metric, a comparison and a threshold")
                            .label("no threshold")
                            .with_help("write `detect p95 latency > 1.5 s` or `detect consumer_lag > 10000 events`"),
                    );
                    continue;
                };
                let metric: Vec<String> = p
                    .value
                    .get(..cmp_at)
                    .unwrap_or(&[])
                    .iter()
                    .map(atom_text)
                    .collect();
                let cmp = match p.value.get(cmp_at).map(|a| &a.kind) {
                    Some(AtomKind::Cmp(c)) => *c,
                    _ => Cmp::Gt,
                };
                let rest = ast::Property {
                    key: p.key.clone(),
                    value: p.value.get(cmp_at + 1..).unwrap_or(&[]).to_vec(),
                    span: p.span,
                };
                if let Some(threshold) = r.expect_quantity(&rest, None, file) {
                    out.detect.push(Detection {
                        metric,
                        cmp,
                        threshold,
                        span: p.span,
                    });
                }
            }
            "recover" => {
                // Free text counts word by word (`retry with backoff`).
                let words: Vec<String> = p
                    .value
                    .iter()
                    .flat_map(|a| match &a.kind {
                        AtomKind::Text(t) => t.split_whitespace().map(str::to_string).collect(),
                        _ => vec![atom_text(a)],
                    })
                    .collect();
                if let Some(w) = p.value.iter().position(|a| ident_text(a) == Some("within")) {
                    let mut j = w + 1;
                    let q = take_quantity_atoms(&p.value, &mut j);
                    let prop = ast::Property {
                        key: Ident {
                            name: "within".into(),
                            span: p.span,
                        },
                        value: q,
                        span: p.span,
                    };
                    out.recover_within = r.expect_quantity(
                        &prop,
                        Some((Dimension::TIME, "a time, like `30 min`")),
                        file,
                    );
                }
                out.recover = Some(Spanned {
                    value: words,
                    span: p.span,
                });
            }
            "dlq" => {
                let name = p.value.first().map(atom_text).unwrap_or_default();
                out.dlq = Some(Spanned {
                    value: name,
                    span: p.span,
                });
            }
            "fallback" => {
                out.degrades = true;
                // `fallback offline_store` names a node; `fallback "defaults"` does not.
                out.fallback = p
                    .value
                    .first()
                    .and_then(atom_ident)
                    .and_then(|n| d.node_index(&n.name));
            }
            "degrade" => out.degrades = true,
            "outage" | "rto" => {
                let mut j = 0;
                if p.value.first().and_then(atom_ident).is_some()
                    && !matches!(p.value.first().map(|a| &a.kind), Some(AtomKind::Number(_)))
                {
                    j = 1; // `outage fraud 4 h`
                }
                let rest = ast::Property {
                    key: p.key.clone(),
                    value: p.value.get(j..).unwrap_or(&[]).to_vec(),
                    span: p.span,
                };
                let q =
                    r.expect_quantity(&rest, Some((Dimension::TIME, "a time, like `4 h`")), file);
                if p.key.name == "outage" {
                    out.outage = q
                } else if out.recover_within.is_none() {
                    out.recover_within = q
                }
            }
            _ => {}
        }
    }
    out.detect.shrink_to_fit();
    d.failures.push(out);
}

fn allow(r: &mut Resolver<'_>, d: &mut Design, a: &ast::AllowDecl, file: FileId) {
    if let Some(rule) = crate::rules::find(&a.rule.name)
        && !rule.allowable
    {
        r.push(
            Diagnostic::new(
                "invalid-value",
                file,
                a.rule.span,
                format!("`{}` cannot be allowed", a.rule.name),
            )
            .label("an error in the text, not a design risk")
            .with_help(
                "fix the error; `allow` excuses only the design rules (`dsd explain` lists them)",
            ),
        );
    }
    if crate::rules::find(&a.rule.name).is_none() {
        let help = suggest::help_for(
            &a.rule.name,
            crate::rules::RULES.iter().map(|x| x.name).collect(),
            "run `dsd explain` to list the rules",
        );
        r.push(
            Diagnostic::new(
                "unknown-name",
                file,
                a.rule.span,
                format!("unknown rule `{}`", a.rule.name),
            )
            .label("no rule of this name")
            .with_help(help),
        );
    }
    let because = a
        .because
        .as_ref()
        .map(|b| b.value.trim().to_string())
        .unwrap_or_default();
    if because.is_empty() {
        r.push(
            Diagnostic::new(
                "allow-without-reason",
                file,
                a.span,
                format!("`allow {}` gives no reason", a.rule.name),
            )
            .label("no reason")
            .with_help(format!(
                "write `allow {} because \"...\"`: a rule is silenced only with a reason",
                a.rule.name
            )),
        );
    }
    let on =
        a.on.iter()
            .filter_map(|n| node_ref(r, d, n, file))
            .collect();
    d.allows.push(Allow {
        rule: a.rule.clone(),
        on,
        because,
        span: a.span,
    });
}

fn hard(r: &mut Resolver<'_>, d: &mut Design, h: &ast::HardProblem, file: FileId) {
    use ast::HardKind::*;
    let mut props = BTreeMap::new();
    let subject = h.args.first().and_then(atom_ident);
    match h.kind {
        LateData | Dedup => {
            if let Some(s) = &subject {
                field_ref(r, &s.name, s.span, file);
            } else {
                r.push(
                    Diagnostic::new(
                        "invalid-value",
                        file,
                        h.keyword_span,
                        format!("`{}` needs a `Schema.field`", h.kind.keyword()),
                    )
                    .label("what field?")
                    .with_help(if h.kind == LateData {
                        "write `late_data Payment.occurred_at watermark 10 min`"
                    } else {
                        "write `dedup Payment.payment_id at fraud within 1 h`"
                    }),
                );
            }
            let mut i = 1;
            while let Some(a) = h.args.get(i) {
                i += 1;
                match ident_text(a) {
                    Some(w @ ("watermark" | "within" | "lateness")) => {
                        let q = take_quantity_atoms(&h.args, &mut i);
                        let prop = ast::Property {
                            key: Ident {
                                name: w.into(),
                                span: a.span,
                            },
                            value: q,
                            span: a.span,
                        };
                        if let Some(q) = r.expect_quantity(
                            &prop,
                            Some((Dimension::TIME, "a time, like `10 min`")),
                            file,
                        ) {
                            props.insert(
                                w.to_string(),
                                Prop {
                                    value: Value::Quantity(q),
                                    span: a.span,
                                },
                            );
                        }
                    }
                    Some(w @ ("at" | "on")) => {
                        if let Some(n) = h.args.get(i).and_then(atom_ident) {
                            i += 1;
                            if node_ref(r, d, &n, file).is_some() {
                                props.insert(
                                    w.to_string(),
                                    Prop {
                                        value: Value::Name(n),
                                        span: a.span,
                                    },
                                );
                            }
                        }
                    }
                    Some("via") => {
                        let mut j = i;
                        if let Some(ws) = write_spec(r, &h.args, &mut j, file, "via") {
                            props.insert(
                                "via".into(),
                                Prop {
                                    value: Value::Words(vec![ws.kind.word().to_string()]),
                                    span: ws.span,
                                },
                            );
                        }
                        i = j;
                    }
                    _ => {}
                }
            }
        }
        Backfill => {
            if let Some(b) = &h.block {
                for p in &b.props {
                    match p.key.name.as_str() {
                        "from" | "to" => {
                            if let Some(n) = p.value.first().and_then(atom_ident)
                                && node_ref(r, d, &n, file).is_some()
                            {
                                props.insert(
                                    p.key.name.clone(),
                                    Prop {
                                        value: Value::Name(n),
                                        span: p.span,
                                    },
                                );
                            }
                        }
                        "pause" | "range" => {
                            if let Some(q) = r.expect_quantity(
                                p,
                                Some((Dimension::TIME, "a time, like `5 s`")),
                                file,
                            ) {
                                props.insert(
                                    p.key.name.clone(),
                                    Prop {
                                        value: Value::Quantity(q),
                                        span: p.span,
                                    },
                                );
                            }
                        }
                        "size" => {
                            if let Some(q) = r.expect_quantity(
                                p,
                                Some((Dimension::BYTES, "a size, like `284 GB`")),
                                file,
                            ) {
                                props.insert(
                                    p.key.name.clone(),
                                    Prop {
                                        value: Value::Quantity(q),
                                        span: p.span,
                                    },
                                );
                            }
                        }
                        "rows" | "parallel" | "rate" => {
                            if let Some(q) = r.expect_quantity(p, None, file) {
                                props.insert(
                                    p.key.name.clone(),
                                    Prop {
                                        value: Value::Quantity(q),
                                        span: p.span,
                                    },
                                );
                            }
                        }
                        "write" => {
                            let mut i = 0;
                            if let Some(ws) = write_spec(r, &p.value, &mut i, file, "write") {
                                props.insert(
                                    "write".into(),
                                    Prop {
                                        value: Value::Words(vec![ws.kind.word().to_string()]),
                                        span: ws.span,
                                    },
                                );
                            }
                        }
                        _ => {
                            props.insert(
                                p.key.name.clone(),
                                Prop {
                                    value: Value::Words(p.value.iter().map(atom_text).collect()),
                                    span: p.span,
                                },
                            );
                        }
                    }
                }
            }
        }
        SchemaChange => {
            if let Some(s) = &subject {
                schema_ref(r, s, None, file);
            }
        }
        CostControl | CrossRegion => {}
    }
    d.hard_problems.push(HardProblem {
        kind: h.kind,
        subject,
        props,
        span: h.span,
    });
}

/// A clause written to fill the slot, not to state a trade-off: every choice
/// buys something and costs something, so "nothing" or "n/a" is not an answer.
/// A `"TODO: …"` is unfilled-placeholder's. Only the first clause is judged: "nothing: it is fully managed" still says
/// nothing, "nothing beyond the licence" names a cost.
fn says_nothing(text: &str) -> bool {
    let first = text
        .split([':', ';', ',', '—', '–', '('])
        .next()
        .unwrap_or(text)
        .split(" - ")
        .next()
        .unwrap_or(text);
    let words: String = first
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '/' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    !text.is_empty()
        && matches!(
            words.as_str(),
            "nothing"
                | "none"
                | "n/a"
                | "na"
                | "tbd"
                | "no cost"
                | "no costs"
                | "no downside"
                | "no downsides"
                | "no tradeoff"
                | "no trade off"
                | "no tradeoffs"
                | "no trade offs"
                | "nothing really"
                | "nothing much"
        )
}
