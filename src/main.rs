//! The `dsd` command line: reads files, calls the library, prints, sets the exit code.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use clap::{Args, Parser, Subcommand, ValueEnum};
use dsd::diagnostic::Diagnostic;
use dsd::emit;
use dsd::source::Span;
use std::io::{IsTerminal, Write};

use std::path::{Path, PathBuf};
use std::process::ExitCode;

// mimalloc: the compiler makes and frees many small strings and vectors, where
// mimalloc is much faster than glibc's malloc (see bench/RESULTS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "dsd",
    version,
    about = "A compiler for data-system designs written as code"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Use this project file instead of the `dsd.toml` found above the inputs.
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Print no summary lines (`dsd: 0 errors…`, `dsd: wrote N files…`); findings
    /// and errors are still printed.
    #[arg(long, short = 'q', global = true)]
    quiet: bool,
    /// When to colour what is printed for people: `auto` colours a terminal
    /// unless NO_COLOR is set, or FORCE_COLOR / CLICOLOR_FORCE asks for it.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
}

/// `--color`: 0 auto, 1 always, 2 never.
static COLOR: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// `--config PATH`, set once from the command line.
static CONFIG: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
/// `--quiet`.
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A summary line on standard error, unless `--quiet`.
macro_rules! summary {
    ($($arg:tt)*) => {
        if !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
            eprintln!($($arg)*);
        }
    };
}

#[derive(Subcommand)]
enum Command {
    /// Check designs: parse, resolve names, check units and trade-offs.
    Check {
        /// Files or folders (folders are searched for *.dsd files).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also show which of the seven design steps each design covers.
        #[arg(long)]
        coverage: bool,
        /// Make a rule an error, or `warnings` to fail on any warning.
        #[arg(long, value_name = "RULE|warnings")]
        deny: Vec<String>,
        /// Make a design rule a warning.
        #[arg(long, value_name = "RULE")]
        warn: Vec<String>,
        /// Silence a design rule everywhere (prefer `allow RULE because "..."` in the design).
        #[arg(long, value_name = "RULE")]
        allow: Vec<String>,
        /// The repository root that SARIF paths are relative to (default: the current folder).
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
        /// Apply `dsd.toml`'s `[check] exclude` to files named on the command line
        /// too (as pre-commit and editors pass every changed file).
        #[arg(long)]
        force_exclude: bool,
    },
    /// Print the sizing report: rates, throughput, storage, cost, backlog and the
    /// first bottleneck, each figure with its derivation.
    Report {
        /// The design file.
        path: PathBuf,
        #[command(flatten)]
        sizing: Sizing,
    },
    /// Ask what a failure does: a node down, brokers or a zone lost, a replay;
    /// each figure with its arithmetic, each of the design's promises checked.
    /// Exits 1 when a promise breaks.
    #[command(name = "what-if")]
    WhatIf {
        /// The design file.
        path: PathBuf,
        /// Scenarios, each one argument: `"down fraud for 1 h [at peak|average]"`,
        /// `"lose payments 2"`, `"lose zone"`, `"replay payments 7 days [at 5000/s]"`.
        /// None: `dsd.toml`'s `[what-if] scenarios`, else one outage per failure
        /// block that promises `recover … within`, at peak for that long.
        scenarios: Vec<String>,
        #[command(flatten)]
        sizing: Sizing,
    },
    /// The same design with a tool swapped, side by side: monthly cost, first
    /// bottleneck, path latencies, systems the team runs, findings added or removed.
    Compare {
        /// The design file.
        path: PathBuf,
        /// The swap: a node and the catalogue tool it would run (`payments=kinesis`).
        #[arg(long = "alt", value_name = "NODE=TOOL", required = true)]
        alt: Vec<String>,
        #[command(flatten)]
        sizing: Sizing,
    },
    /// Print a design as a Graphviz DOT graph.
    Dot {
        /// The design file.
        path: PathBuf,
        /// What to draw: all, overview, path:NAME or layer:NAME.
        #[arg(long, default_value = "all")]
        view: String,
    },
    /// Print a design as a Mermaid flowchart.
    Mermaid {
        /// The design file.
        path: PathBuf,
        /// What to draw: all, overview, path:NAME or layer:NAME.
        #[arg(long, default_value = "all")]
        view: String,
    },
    /// Write each design's diagrams and sizing report into a folder.
    Build {
        /// Design files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The output folder (created if missing).
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        /// Formats to write, comma-separated: dot, mermaid, svg, html, md, json.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "dot,mermaid,svg,html,md,json"
        )]
        emit: Vec<Emit>,
        /// What to draw: all, overview, path:NAME or layer:NAME. SVG and HTML of a
        /// design over 300 nodes default to the overview.
        #[arg(long)]
        view: Option<String>,
        /// How to lay out SVG: dsd's own layout, or Graphviz's `dot` if installed.
        #[arg(long, value_enum, default_value_t = Layout::Builtin)]
        layout: Layout,
    },
    /// Compare two versions of designs: what changed in the graph, the findings,
    /// and every sizing figure, cost and the first bottleneck first.
    Diff {
        /// BASE and HEAD (files or folders); with --git, the working-tree files or
        /// folders to compare (default: the current folder).
        paths: Vec<PathBuf>,
        /// Compare the working tree with this git revision (read with `git show`).
        #[arg(long, value_name = "REF")]
        git: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
        format: ReportFormat,
        /// Exit 1 on `new-findings`, or on `cost-increase=PCT` (percent).
        #[arg(long = "fail-on", value_name = "CONDITION")]
        fail_on: Vec<String>,
        /// Markdown: figure rows per design, the largest relative changes first
        /// (a flow's figures are one row), and items per list; `all` for every one.
        #[arg(long, value_name = "N|all", default_value = "10")]
        top: String,
        /// Markdown: at most this many bytes (at least 2,000). Each design's
        /// details shrink, the summary table stays, and a note says what was left
        /// out. A GitHub comment holds 65,536 characters.
        #[arg(long = "max-bytes", value_name = "N")]
        max_bytes: Option<usize>,
        /// Markdown: link changed lines to `URL/FILE#L3-L5`, e.g.
        /// `https://github.com/OWNER/REPO/blob/SHA` (files as `--git` names them,
        /// from the repository root).
        #[arg(long = "link-base", value_name = "URL")]
        link_base: Option<String>,
    },
    /// Format designs in the canonical layout (in place, or check only).
    Fmt {
        /// Files or folders (default: the current folder).
        paths: Vec<PathBuf>,
        /// Change nothing; exit 1 and show what would change.
        #[arg(long)]
        check: bool,
        /// Read a design from standard input and write it formatted to standard output.
        #[arg(long)]
        stdin: bool,
        /// Apply `dsd.toml`'s `[check] exclude` to files named on the command line too.
        #[arg(long)]
        force_exclude: bool,
    },
    /// Write a starter design that walks through the seven steps; its TODOs fail
    /// `dsd check` until they are answered.
    Init {
        /// The design's name (an identifier); the file is NAME.dsd.
        #[arg(default_value = "my_design")]
        name: String,
        /// The kind of system to start from.
        #[arg(long, default_value = "streaming", value_parser = ["streaming", "warehouse", "feature-store", "backfill", "dashboard"])]
        template: String,
        /// The folder to write into.
        #[arg(short = 'o', long = "out", default_value = ".")]
        out: PathBuf,
    },
    /// Run the language server over stdin and stdout.
    Lsp,
    /// Explain a rule, or list every rule.
    Explain {
        /// A rule name such as `missing-tradeoff`.
        rule: Option<String>,
        /// Print the whole failing design the rule's snippets come from.
        #[arg(long, requires = "rule", conflicts_with = "fixed")]
        example: bool,
        /// Print the same design, fixed: it checks clean.
        #[arg(long, requires = "rule")]
        fixed: bool,
    },
    /// Show a catalogue tool's figures with where each comes from, or list the tools.
    Catalogue {
        /// A tool name such as `kinesis`.
        tool: Option<String>,
    },
    /// Print a shell completion script: `dsd completions bash > /etc/bash_completion.d/dsd`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// What `report`, `what-if` and `compare` share: the output format and the
/// load and inputs the design is sized with.
#[derive(Args)]
struct Sizing {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    format: ReportFormat,
    /// Multiply the design's volume and peak by this factor.
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Override an input: a requirement, a let, NODE.PROPERTY or TOOL.FIGURE
    /// (`--set peak=5000 payments/s`).
    #[arg(long = "set", value_name = "NAME=QUANTITY")]
    set: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Each finding with its source lines and help, on stderr.
    Human,
    /// One line per finding on stdout: `FILE:LINE:COL: SEVERITY[RULE] MESSAGE — help: …`.
    Concise,
    Json,
    Sarif,
    Github,
}

/// Rule severities from the command line (and `dsd.toml`): what to deny, warn
/// about or silence, and whether warnings fail the run.
#[derive(Default)]
struct Policy {
    severity: std::collections::BTreeMap<String, Option<dsd::diagnostic::Severity>>,
    deny_warnings: bool,
}

impl Policy {
    fn from_flags(deny: &[String], warn: &[String], allow: &[String]) -> Result<Policy, String> {
        use dsd::diagnostic::Severity;
        let mut p = Policy::default();
        let names: Vec<&str> = dsd::rules::RULES.iter().map(|r| r.name).collect();
        let known = |n: &str| -> Result<(), String> {
            if dsd::rules::find(n).is_some() {
                Ok(())
            } else {
                Err(format!(
                    "no rule named `{n}`; {}",
                    dsd::suggest::help_for(n, names.clone(), "run `dsd explain` to list them")
                ))
            }
        };
        for n in deny {
            if n == "warnings" {
                p.deny_warnings = true;
                continue;
            }
            known(n)?;
            p.severity.insert(n.clone(), Some(Severity::Error));
        }
        for (list, sev, verb) in [
            (warn, Some(Severity::Warning), "--warn"),
            (allow, None, "--allow"),
        ] {
            for n in list {
                known(n)?;
                if dsd::rules::is_front_end(n) {
                    return Err(format!(
                        "{verb} {n}: `{n}` is an error in the text, not a design rule; fix it instead"
                    ));
                }
                p.severity.insert(n.clone(), sev);
            }
        }
        Ok(p)
    }

    /// The diagnostics with severities changed and silenced rules dropped.
    fn apply(&self, diags: &mut Vec<Diagnostic>) {
        dsd::project::apply_severities(&self.severity, diags);
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Emit {
    Dot,
    Mermaid,
    Svg,
    Html,
    Md,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Layout {
    Builtin,
    Graphviz,
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    /// Markdown, read in a terminal or a pull request (`md` is the same).
    #[value(name = "human", alias = "md")]
    Md,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn shown(p: &Path) -> String {
    if is_stdin(p) {
        return "<stdin>".to_string();
    }
    dsd::source::one_line_path(p)
}

/// `-` names standard input, as in most command-line tools.
fn is_stdin(p: &Path) -> bool {
    p.as_os_str() == "-"
}

/// A design's bytes: the file, or standard input for `-`, read up to the size
/// limit (one byte past it, so the parser can say it is too large).
fn read_input(p: &Path) -> Result<Vec<u8>, String> {
    if !is_stdin(p) {
        return dsd::source::read_source(p);
    }
    use std::io::Read;
    let limit = dsd::syntax::MAX_FILE_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    Ok(bytes)
}

fn one_line(text: &str) -> String {
    dsd::source::one_line(text)
}

/// The project of the first path (or the current folder): its `dsd.toml`,
/// printed and exit 2 when it is invalid.
fn project_of(paths: &[PathBuf]) -> Result<dsd::project::Project, ExitCode> {
    let start = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let found = match CONFIG.get() {
        Some(path) => dsd::project::Project::load(path),
        None => dsd::project::Project::find(&start),
    };
    found.map_err(|e| {
        for p in &e.problems {
            eprintln!("error: {}: {}", shown(&e.path), one_line(p));
        }
        ExitCode::from(2)
    })
}

/// `[stdlib]` names no input matched: exit 2, naming them.
fn unmatched_stdlib(c: &dsd::Compilation, project: &dsd::project::Project) -> bool {
    let from_project: Vec<&String> = c
        .unmatched
        .iter()
        .filter(|n| project.config.stdlib.iter().any(|(k, _)| k == *n))
        .collect();
    for n in &from_project {
        eprintln!(
            "error: {}: [stdlib] `{n}` names no let, NODE.PROPERTY or TOOL.FIGURE",
            dsd::config::FILE_NAME
        );
    }
    !from_project.is_empty()
}

/// One file of `dsd check`: compiled, or why it could not be read. What only
/// `--coverage` reads (the designs and the catalogue) is dropped otherwise, so
/// a folder of many designs holds their diagnostics and sources only.
fn check_one(
    f: &Path,
    what_if: &dsd::WhatIf,
    coverage: bool,
    cache: &std::sync::Arc<dsd::ParseCache>,
) -> Result<dsd::Compilation, String> {
    let name = shown(f);
    let bytes = read_input(f).map_err(|e| format!("cannot read {name}: {e}"))?;
    let (text, bad_utf8) = match String::from_utf8(bytes) {
        Ok(t) => (t, None),
        // Cut at the limit: the parser reports it too large, whatever the
        // last character was.
        Err(e) if e.as_bytes().len() > dsd::syntax::MAX_FILE_BYTES => {
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), None)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
        }
    };
    let loader = dsd::FsLoader::for_file(f).with_cache(cache.clone());
    let mut c = if bad_utf8.is_some() {
        dsd::compile(&name, "", &dsd::NoImports)
    } else {
        dsd::compile_with(&name, &text, &loader, what_if)
    };
    if let Some(at) = bad_utf8 {
        // Show the lossy text so the snippet points at the bad byte.
        c.sources = dsd::source::SourceMap::new();
        let id = c
            .sources
            .add(dsd::source::SourceFile::new(name.clone(), text));
        c.diagnostics = vec![
            Diagnostic::new(
                "invalid-encoding",
                id,
                Span::new(at, at + 1),
                format!("{name} is not valid UTF-8 at byte {at}"),
            )
            .label("invalid byte")
            .with_help("save the file as UTF-8"),
        ];
        c.designs.clear();
    }
    if !coverage {
        c.designs = Vec::new();
        c.catalogue = Default::default();
    }
    Ok(c)
}

fn check(
    paths: &[PathBuf],
    format: Format,
    color: Color,
    coverage: bool,
    policy: &Policy,
    root: &str,
    force_exclude: bool,
) -> ExitCode {
    let project = match project_of(paths) {
        Ok(p) => p,
        Err(code) => return code,
    };
    // The command line wins over the project file.
    let policy = &Policy {
        severity: project.severities(&policy.severity),
        deny_warnings: policy.deny_warnings,
    };
    let what_if = project.what_if();
    let (files, mut io_errors) = project.files(paths, force_exclude);
    // Files are compiled in parallel and gathered in their sorted order, so the
    // output is the same bytes on one core or many.
    use rayon::prelude::*;
    // A file imported by many designs is parsed once.
    let cache = std::sync::Arc::new(dsd::ParseCache::default());
    let compiled: Vec<Result<dsd::Compilation, String>> = files
        .par_iter()
        .map(|f| check_one(f, &what_if, coverage, &cache))
        .collect();
    let mut results = Vec::new();
    for c in compiled {
        let mut c = match c {
            Ok(c) => c,
            Err(e) => {
                io_errors.push(e);
                continue;
            }
        };
        if unmatched_stdlib(&c, &project) {
            return ExitCode::from(2);
        }
        policy.apply(&mut c.diagnostics);
        results.push(c);
    }

    let mut stderr = std::io::stderr().lock();
    for e in &io_errors {
        let _ = writeln!(stderr, "error: {e}");
    }
    let all: Vec<_> = results
        .iter()
        .flat_map(|c| c.diagnostics.iter().map(move |d| (&c.sources, d)))
        .collect();
    match format {
        Format::Sarif => {
            to_stdout(emit::sarif::render(&all, root).as_bytes());
        }
        Format::Github => {
            to_stdout(emit::github::render(&all, results.len()).as_bytes());
        }
        Format::Json => {
            let all: Vec<_> = results
                .iter()
                .flat_map(|c| c.diagnostics.iter().map(move |d| (&c.sources, d)))
                .collect();
            let tables = coverage.then(|| {
                results
                    .iter()
                    .flat_map(|c| {
                        let file = c
                            .sources
                            .get(c.main)
                            .map(|f| f.name.clone())
                            .unwrap_or_default();
                        c.designs.iter().map(move |d| {
                            let steps = dsd::check::coverage::coverage(&d.design, &c.catalogue);
                            emit::coverage::json(&d.design.name.name, &file, &steps)
                        })
                    })
                    .collect()
            });
            to_stdout(emit::json::render(&all, tables).as_bytes());
        }
        Format::Concise => {
            to_stdout(emit::human::concise(&all).as_bytes());
            if !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
                let diags: Vec<Diagnostic> = all.iter().map(|(_, d)| (*d).clone()).collect();
                let _ = writeln!(
                    stderr,
                    "dsd: {}",
                    emit::human::summary(&diags, results.len())
                );
            }
        }
        Format::Human => {
            let color = match color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => stderr_color(),
            };
            let mut all = Vec::new();
            for c in &results {
                let _ = stderr
                    .write_all(emit::human::render(&c.sources, &c.diagnostics, color).as_bytes());
                all.extend(c.diagnostics.iter().cloned());
            }
            if !QUIET.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = writeln!(stderr, "dsd: {}", emit::human::summary(&all, results.len()));
            }
            if coverage {
                for c in &results {
                    let file = c.sources.get(c.main).map(|f| f.name.as_str()).unwrap_or("");
                    for d in &c.designs {
                        let steps = dsd::check::coverage::coverage(&d.design, &c.catalogue);
                        to_stdout(
                            emit::coverage::human(&d.design.name.name, file, &steps).as_bytes(),
                        );
                    }
                }
            }
        }
    }
    let code = if !io_errors.is_empty() {
        ExitCode::from(2)
    } else if results.iter().any(dsd::Compilation::has_errors)
        || (policy.deny_warnings
            && results.iter().any(|c| {
                c.diagnostics
                    .iter()
                    .any(|d| d.severity == dsd::diagnostic::Severity::Warning)
            }))
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends here: freeing every tree and table one by one would only
    // cost time (about 5% of `dsd check` on a large design).
    std::mem::forget(results);
    code
}

/// A design's text and the loader of its imports; on failure the error is
/// printed and the exit status returned: 2 when it cannot be read, 1 when it
/// is not UTF-8.
fn read_design(path: &Path) -> Result<(String, dsd::FsLoader), u8> {
    let name = shown(path);
    let text = match read_input(path) {
        Ok(b) => match String::from_utf8(b) {
            Ok(t) => t,
            Err(e) if e.as_bytes().len() > dsd::syntax::MAX_FILE_BYTES => {
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
            Err(_) => {
                eprintln!("error: {name} is not valid UTF-8; run `dsd check {name}`");
                return Err(1);
            }
        },
        Err(e) => {
            eprintln!("error: cannot read {name}: {e}");
            return Err(2);
        }
    };
    Ok((text, dsd::FsLoader::for_file(path)))
}

/// A design compiled with `--scale` and `--set` (after `dsd.toml [stdlib]`), its
/// front-end errors printed; what `report` and `what-if` read. The error count
/// is returned with it: figures that depend on a bad line are not computed.
struct Scaled {
    text: String,
    loader: dsd::FsLoader,
    what_if: dsd::WhatIf,
    c: dsd::Compilation,
    errors: usize,
}

fn compile_scaled(path: &Path, sizing: &Sizing) -> Result<Scaled, ExitCode> {
    let (scale, set) = (sizing.scale, &sizing.set);
    // Beyond a millionfold either way no figure means anything, and the
    // arithmetic overflows.
    if !(scale.is_finite() && (1e-6..=1e6).contains(&scale)) {
        eprintln!(
            "error: --scale takes a factor from 0.000001 to 1,000,000, like `--scale 10`; got {scale:e}"
        );
        return Err(ExitCode::from(2));
    }
    let mut pairs = Vec::new();
    for item in set {
        match item.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
                pairs.push((k.trim().to_string(), v.trim().to_string()))
            }
            _ => {
                eprintln!(
                    "error: --set takes NAME=QUANTITY, like `--set peak=5000 payments/s`; got `{item}`"
                );
                return Err(ExitCode::from(2));
            }
        }
    }
    let (text, loader) = match read_design(path) {
        Ok(x) => x,
        Err(code) => return Err(ExitCode::from(code)),
    };
    let project = project_of(std::slice::from_ref(&path.to_path_buf()))?;
    // `dsd.toml [stdlib]` first, so `--set` of the same name wins.
    let mut set = project.config.stdlib.clone();
    set.extend(pairs);
    let what_if = dsd::WhatIf { set, scale };
    let c = dsd::compile_with(&shown(path), &text, &loader, &what_if);
    if unmatched_stdlib(&c, &project) {
        return Err(ExitCode::from(2));
    }
    if !c.unmatched.is_empty() {
        for n in &c.unmatched {
            eprintln!(
                "error: --set {n}: no requirement, let, NODE.PROPERTY or TOOL.FIGURE is named `{n}`"
            );
            // `fraud.thredz`: say which part is wrong.
            if let Some((_, prop)) = n.split_once('.') {
                let mut known: Vec<&str> = dsd::ast::keys::NODE.to_vec();
                known.extend(dsd::ast::keys::TOOL);
                if let Some(m) = dsd::suggest::did_you_mean(prop, known) {
                    eprintln!("  help: did you mean `{}`?", n.replacen(prop, m, 1));
                }
            }
        }
        return Err(ExitCode::from(2));
    }
    // Errors in the text are shown, and the report still says which figures they
    // leave uncomputed; the design rules' findings belong to `dsd check`.
    let errors = print_front_end_errors(&c);
    if errors > 0 {
        eprintln!(
            "dsd: {} in the design; figures that depend on them are marked not computed",
            if errors == 1 {
                "1 error".to_string()
            } else {
                format!("{errors} errors")
            }
        );
    }
    Ok(Scaled {
        text,
        loader,
        what_if,
        c,
        errors,
    })
}

fn report(path: &Path, sizing: &Sizing) -> ExitCode {
    let Scaled {
        text,
        loader,
        what_if,
        c,
        errors,
    } = match compile_scaled(path, sizing) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let reports = dsd::reports(&shown(path), &text, &loader, &what_if, &c);
    let out = match sizing.format {
        ReportFormat::Md => reports
            .iter()
            .map(emit::report::markdown)
            .collect::<Vec<_>>()
            .join("\n"),
        ReportFormat::Json => emit::report::render(&reports),
    };
    to_stdout(out.as_bytes());
    if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The design book's scenarios: the project's `[what-if]`, else one outage per
/// failure block. A project scenario that names another design's node is left
/// out of this design's book.
fn book_scenarios(
    design: &dsd::model::Design,
    catalogue: &dsd::model::Catalogue,
    project: &dsd::project::Project,
) -> Vec<dsd::whatif::Outcome> {
    let ctx = dsd::flow::Ctx::new(design, catalogue);
    let named: Vec<dsd::whatif::Scenario> = project
        .config
        .scenarios
        .iter()
        .filter_map(|t| dsd::whatif::Scenario::parse(t).ok())
        .collect();
    dsd::whatif::or_defaults(&ctx, &named)
        .iter()
        .filter_map(|s| dsd::whatif::run(&ctx, s).ok())
        .collect()
}

fn what_if(path: &Path, named: &[String], sizing: &Sizing) -> ExitCode {
    let mut scenarios = Vec::new();
    let mut bad = false;
    let from_project = if named.is_empty() {
        match project_of(std::slice::from_ref(&path.to_path_buf())) {
            Ok(p) => p.config.scenarios.clone(),
            Err(code) => return code,
        }
    } else {
        Vec::new()
    };
    for text in named.iter().chain(&from_project) {
        match dsd::whatif::Scenario::parse(text) {
            Ok(s) => scenarios.push(s),
            Err(e) => {
                eprintln!("error: `{text}`: {e}");
                bad = true;
            }
        }
    }
    if bad {
        return ExitCode::from(2);
    }
    let Scaled { c, errors, .. } = match compile_scaled(path, sizing) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let mut outcomes = Vec::new();
    let mut unknown = false;
    for d in &c.designs {
        let ctx = dsd::flow::Ctx::new(&d.design, &c.catalogue);
        let list = dsd::whatif::or_defaults(&ctx, &scenarios);
        let mut done = Vec::new();
        for s in &list {
            match dsd::whatif::run(&ctx, s) {
                Ok(o) => done.push(o),
                Err(e) => {
                    eprintln!("error: {}: {}: {e}", d.design.name.name, s.text());
                    unknown = true;
                }
            }
        }
        if list.is_empty() {
            eprintln!(
                "dsd: `{}` has no failure block that promises `recover … within`, so there is no default scenario; name one, like `dsd what-if {} \"down NODE for 1 h\"`",
                d.design.name.name,
                shown(path)
            );
        }
        outcomes.push((d.design.name.name.clone(), done));
    }
    if unknown {
        return ExitCode::from(2);
    }
    let designs: Vec<emit::whatif::Design<'_>> = outcomes
        .iter()
        .map(|(name, o)| emit::whatif::Design { name, outcomes: o })
        .collect();
    let out = match sizing.format {
        ReportFormat::Md => emit::whatif::markdown(&designs),
        ReportFormat::Json => emit::whatif::json(&designs),
    };
    to_stdout(out.as_bytes());
    let broken = outcomes
        .iter()
        .flat_map(|(_, o)| o)
        .any(|o| o.verdicts.iter().any(|v| !v.ok));
    if errors > 0 || broken {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn compare(path: &Path, alts: &[String], sizing: &Sizing) -> ExitCode {
    let mut parsed = Vec::new();
    for a in alts {
        match dsd::compare::Alt::parse(a) {
            Ok(x) => parsed.push(x),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let Scaled { c, errors, .. } = match compile_scaled(path, sizing) {
        Ok(x) => x,
        Err(code) => return code,
    };
    if errors > 0 {
        eprintln!(
            "dsd: fix the design's errors first; a comparison of a design that does not compile means nothing"
        );
        return ExitCode::from(1);
    }
    let mut out = String::new();
    for d in &c.designs {
        let mut other = d.design.clone();
        for a in &parsed {
            match dsd::compare::apply(&other, &c.catalogue, a) {
                Ok(x) => other = x,
                Err(e) => {
                    eprintln!("error: --alt {}={}: {e}", a.node, a.tool);
                    return ExitCode::from(2);
                }
            }
        }
        let base = dsd::compare::side(&d.design, &c.catalogue, sizing.scale);
        let alt = dsd::compare::side(&other, &c.catalogue, sizing.scale);
        out.push_str(&match sizing.format {
            ReportFormat::Md => dsd::compare::markdown(&d.design.name.name, &parsed, &base, &alt),
            ReportFormat::Json => dsd::compare::json(&d.design.name.name, &parsed, &base, &alt),
        });
    }
    to_stdout(out.as_bytes());
    ExitCode::SUCCESS
}

/// Whether to colour what goes to standard error.
fn stderr_color() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match COLOR.load(std::sync::atomic::Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ if set("NO_COLOR") => false,
        _ if set("FORCE_COLOR") || set("CLICOLOR_FORCE") => true,
        _ => std::io::stderr().is_terminal(),
    }
}

/// The errors in a design's text (not design findings), printed to standard
/// error; returns how many there were.
fn print_front_end_errors(c: &dsd::Compilation) -> usize {
    let front_end: Vec<Diagnostic> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && dsd::rules::is_front_end(d.code))
        .cloned()
        .collect();
    if !front_end.is_empty() {
        let _ = std::io::stderr()
            .lock()
            .write_all(emit::human::render(&c.sources, &front_end, stderr_color()).as_bytes());
    }
    front_end.len()
}

/// Compiles one file for drawing: the compilation, or a printed error and an exit code.
fn compile_for_output(path: &Path) -> Result<dsd::Compilation, ExitCode> {
    let project = project_of(std::slice::from_ref(&path.to_path_buf()))?;
    compile_with_reports(path, &project)
        .map(|(c, _)| c)
        .map_err(ExitCode::from)
}

/// `compile_for_output` with each design's report, its bill as it grows
/// included; the project's `[stdlib]` and `[rules]` applied.
fn compile_with_reports(
    path: &Path,
    project: &dsd::project::Project,
) -> Result<(dsd::Compilation, Vec<dsd::sizing::Report>), u8> {
    let (text, loader) = read_design(path)?;
    let what_if = project.what_if();
    let mut c = dsd::compile_with(&shown(path), &text, &loader, &what_if);
    if unmatched_stdlib(&c, project) {
        return Err(2);
    }
    project.apply(&mut c.diagnostics);
    if print_front_end_errors(&c) > 0 {
        eprintln!("dsd: fix the errors above before drawing {}", shown(path));
        return Err(1);
    }
    let reports = dsd::reports(&shown(path), &text, &loader, &what_if, &c);
    Ok((c, reports))
}

/// Every design of a compilation as a diagram in the view asked for.
fn diagrams(
    c: &dsd::Compilation,
    view: &emit::diagram::View,
) -> Result<Vec<emit::diagram::Diagram>, String> {
    c.designs
        .iter()
        .map(|d| {
            let report = dsd::sizing::size(&d.design, &c.catalogue, 1.0);
            emit::diagram::build(&d.design, &c.catalogue, &report, &c.diagnostics).view(view)
        })
        .collect()
}

fn print_diagram(
    path: &Path,
    view: &str,
    render: fn(&emit::diagram::Diagram) -> String,
) -> ExitCode {
    let view = match emit::diagram::View::parse(view) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let c = match compile_for_output(path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match diagrams(&c, &view) {
        Ok(ds) => {
            let text: Vec<String> = ds.iter().map(render).collect();
            to_stdout(text.join("\n").as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// SVG laid out by Graphviz's `dot`, or why it could not be.
fn graphviz_svg(dot_text: &str) -> Result<String, String> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|_| {
            "Graphviz's `dot` is not installed; drop `--layout graphviz` to use dsd's own layout"
                .to_string()
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(dot_text.as_bytes())
            .map_err(|e| format!("cannot feed dot: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("dot failed: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "dot failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn build(
    paths: &[PathBuf],
    out: &Path,
    emits: &[Emit],
    view: Option<&str>,
    layout: Layout,
) -> ExitCode {
    let view = match view.map(emit::diagram::View::parse).transpose() {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let project = match project_of(paths) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (files, io_errors) = project.files(paths, false);
    for e in &io_errors {
        eprintln!("error: {e}");
    }
    if let Err(e) = safe_out_dir(out) {
        eprintln!("error: will not write into {}: {e}", shown(out));
        return ExitCode::from(2);
    }
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("error: cannot create {}: {e}", shown(out));
        return ExitCode::from(2);
    }
    let mut status = if io_errors.is_empty() { 0 } else { 2 };
    let mut written = 0;
    // Each output file once: two designs of one name (in two folders, or twice
    // in one file) would overwrite each other's files.
    let mut made: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for f in &files {
        let (c, mut reports) = match compile_with_reports(f, &project) {
            Ok(c) => c,
            Err(code) => {
                status = status.max(code);
                continue;
            }
        };
        let full = match diagrams(&c, &emit::diagram::View::All) {
            Ok(ds) => ds,
            Err(e) => {
                eprintln!("error: {}: {e}", shown(f));
                status = 2;
                continue;
            }
        };
        reports.reverse();
        for (d, checked) in full.into_iter().zip(&c.designs) {
            // File names come from design names, which are identifiers: no
            // separators, so nothing is written outside `out`.
            let stem = d.name.replace(['/', '\\', '.', ':'], "_");
            let Some(report) = reports.pop() else {
                continue;
            };
            if let Some(first) = made.get(&stem) {
                eprintln!(
                    "error: {}: design `{}` would overwrite the files of the design of that name in {first}; rename one, or build them into separate --out folders",
                    shown(f),
                    one_line(&d.name)
                );
                status = 2;
                continue;
            }
            made.insert(stem.clone(), shown(f));
            // The view asked for; unasked, pictures of big designs show the overview.
            let big = d.boxes.len() > emit::diagram::OVERVIEW_OVER;
            let drawn = match &view {
                Some(v) => d.clone().view(v),
                None => Ok(d.clone()),
            };
            let drawn = match drawn {
                Ok(x) => x,
                Err(e) => {
                    eprintln!("error: {e}");
                    status = 2;
                    continue;
                }
            };
            let picture = if view.is_none() && big {
                let mut o = d.clone().overview();
                o.note = Some(format!(
                    "{} nodes, drawn as one box per layer; use --view to draw a path or a layer",
                    d.boxes.len()
                ));
                o
            } else {
                drawn.clone()
            };
            let svg = if emits.iter().any(|e| matches!(e, Emit::Svg | Emit::Html)) {
                match layout {
                    Layout::Builtin => Some(emit::svg::render(&picture)),
                    Layout::Graphviz => match graphviz_svg(&emit::dot::render(&picture)) {
                        Ok(s) => Some(s),
                        Err(e) => {
                            eprintln!("error: {e}");
                            status = 2;
                            None
                        }
                    },
                }
            } else {
                None
            };
            let mut outputs: Vec<(&str, String)> = Vec::new();
            for e in emits {
                match e {
                    Emit::Dot => outputs.push(("dot", emit::dot::render(&drawn))),
                    Emit::Mermaid => outputs.push(("mmd", emit::mermaid::render(&drawn))),
                    Emit::Svg => {
                        if let Some(s) = &svg {
                            outputs.push(("svg", s.clone()));
                        }
                    }
                    Emit::Html => {
                        if let Some(s) = &svg {
                            let scenarios = book_scenarios(&checked.design, &c.catalogue, &project);
                            let book = emit::html::Book {
                                design: &checked.design,
                                catalogue: &c.catalogue,
                                sources: &c.sources,
                                diagnostics: &c.diagnostics,
                                report: &report,
                                svg: s,
                                scenarios: &scenarios,
                            };
                            outputs.push(("html", emit::html::render(&book)));
                        }
                    }
                    Emit::Md => outputs.push(("md", emit::report::markdown(&report))),
                    Emit::Json => {
                        outputs.push(("json", emit::report::render(std::slice::from_ref(&report))))
                    }
                }
            }
            for (ext, text) in outputs {
                let target = out.join(format!("{stem}.{ext}"));
                if let Err(e) = safe_target(out, &target) {
                    eprintln!("error: will not write {}: {e}", shown(&target));
                    status = 2;
                    continue;
                }
                match replace_file(&target, &text, None) {
                    Ok(()) => written += 1,
                    Err(e) => {
                        eprintln!("error: cannot write {}: {e}", shown(&target));
                        status = 2;
                    }
                }
            }
        }
    }
    summary!("dsd: wrote {written} files to {}", shown(out));
    ExitCode::from(status)
}

/// Checks that writing `target` writes a file directly inside `out`: its name
/// has no folder part, and it is not a symbolic link (which a checked-out
/// repository could point anywhere, such as a file in the user's home).
fn safe_target(out: &Path, target: &Path) -> Result<(), String> {
    if target.parent() != Some(out) || target.file_name().is_none() {
        return Err(format!("it is not a file directly in {}", shown(out)));
    }
    match std::fs::symlink_metadata(target) {
        Ok(m) if m.file_type().is_symlink() => {
            Err("it is a symbolic link; remove it and build again".into())
        }
        Ok(m) if !m.is_file() => Err("something that is not a file is in the way".into()),
        _ => Ok(()),
    }
}

/// Reads files of a git revision with `git show`, for the base side of `dsd diff
/// --git`: `prefix` is the checked file's folder relative to the repository root.
struct GitLoader {
    reference: String,
    repo: PathBuf,
    prefix: String,
}

fn git(repo: &Path, args: &[&str]) -> Result<String, String> {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(repo)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

impl dsd::Loader for GitLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        let full = if self.prefix.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.prefix)
        };
        git(&self.repo, &["show", &format!("{}:{full}", self.reference)])
    }
}

/// One file on both sides of a diff; `None` where it does not exist.
struct DiffPair {
    name: String,
    /// The file as the comment shows and links it: the head file as given, or
    /// from the repository root with `--git`.
    path: String,
    base: Option<(String, Box<dyn dsd::Loader>)>,
    head: Option<(String, Box<dyn dsd::Loader>)>,
}

fn fs_side(path: &Path) -> Option<(String, Box<dyn dsd::Loader>)> {
    let (text, loader) = read_design(path).ok()?;
    Some((text, Box::new(loader)))
}

fn dsd_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    let project = dsd::project::Project::find(path)
        .map_err(|e| format!("{}: {}", shown(&e.path), e.problems.join("; ")))?;
    let (files, errors) = project.files(&[path.to_path_buf()], false);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(files),
    }
}

fn diff_pairs(paths: &[PathBuf], reference: Option<&str>) -> Result<Vec<DiffPair>, String> {
    let mut pairs = Vec::new();
    match reference {
        None => {
            let [base, head] = paths else {
                return Err(
                    "`dsd diff` takes BASE and HEAD (files or folders), or --git REF".into(),
                );
            };
            if base.is_dir() && head.is_dir() {
                let rel = |root: &Path, f: &Path| shown(f.strip_prefix(root).unwrap_or(f));
                let mut names = std::collections::BTreeMap::new();
                for f in dsd_files(base)? {
                    let key = rel(base, &f);
                    names.entry(key).or_insert((None, None)).0 = Some(f);
                }
                for f in dsd_files(head)? {
                    let key = rel(head, &f);
                    names.entry(key).or_insert((None, None)).1 = Some(f);
                }
                for (name, (b, h)) in names {
                    pairs.push(DiffPair {
                        path: shown(&head.join(&name)),
                        name,
                        base: b.as_deref().and_then(fs_side),
                        head: h.as_deref().and_then(fs_side),
                    });
                }
            } else {
                // Two files named on the command line must both be readable: a
                // missing one is a mistake in the command, not a design added or
                // removed (that is what folders and --git are for).
                for p in [base, head] {
                    if let Err(e) = std::fs::File::open(p) {
                        return Err(format!("cannot read {}: {e}", shown(p)));
                    }
                    if p.is_dir() {
                        return Err(format!(
                            "{} is a folder and the other side is a file; give two files or two folders",
                            shown(p)
                        ));
                    }
                }
                pairs.push(DiffPair {
                    name: shown(head),
                    path: shown(head),
                    base: fs_side(base),
                    head: fs_side(head),
                });
            }
        }
        Some(reference) => {
            let here = std::env::current_dir().map_err(|e| e.to_string())?;
            let repo = PathBuf::from(git(&here, &["rev-parse", "--show-toplevel"])?.trim());
            let roots: Vec<PathBuf> = if paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                paths.to_vec()
            };
            let mut seen = std::collections::BTreeSet::new();
            for root in &roots {
                let abs =
                    std::fs::canonicalize(root).map_err(|e| format!("{}: {e}", shown(root)))?;
                let rel_root = shown(abs.strip_prefix(&repo).unwrap_or(&abs));
                // Files at the revision under this path, and files in the working tree.
                let listed = git(
                    &repo,
                    &[
                        "ls-tree",
                        "-r",
                        "--name-only",
                        reference,
                        "--",
                        if rel_root.is_empty() { "." } else { &rel_root },
                    ],
                )?;
                let mut files: std::collections::BTreeSet<String> = listed
                    .lines()
                    .filter(|l| l.ends_with(".dsd"))
                    .map(str::to_string)
                    .collect();
                if abs.is_file() {
                    files.insert(rel_root.clone());
                } else {
                    for f in dsd_files(&abs)? {
                        let a = std::fs::canonicalize(&f).unwrap_or(f);
                        files.insert(shown(a.strip_prefix(&repo).unwrap_or(&a)));
                    }
                }
                for rel in files {
                    if !seen.insert(rel.clone()) {
                        continue;
                    }
                    let prefix = rel
                        .rsplit_once('/')
                        .map(|(d, _)| d.to_string())
                        .unwrap_or_default();
                    let base = git(&repo, &["show", &format!("{reference}:{rel}")])
                        .ok()
                        .map(|text| {
                            let loader: Box<dyn dsd::Loader> = Box::new(GitLoader {
                                reference: reference.to_string(),
                                repo: repo.clone(),
                                prefix,
                            });
                            (text, loader)
                        });
                    let path = repo.join(&rel);
                    let head = if path.is_file() { fs_side(&path) } else { None };
                    pairs.push(DiffPair {
                        path: rel.clone(),
                        name: rel,
                        base,
                        head,
                    });
                }
            }
        }
    }
    Ok(pairs)
}

/// One design of one side of a diff, with its report and its findings.
fn diff_side<'a>(
    c: &'a Option<dsd::Compilation>,
    reports: &'a [(dsd::sizing::Report, usize)],
    name: &str,
) -> Option<dsd::diff::Side<'a>> {
    let comp = c.as_ref()?;
    let i = comp
        .designs
        .iter()
        .position(|d| d.design.name.name == name)?;
    let report = &reports.iter().find(|(_, k)| *k == i)?.0;
    let checked = comp.designs.get(i)?;
    let span = checked.design.span;
    let findings = comp
        .diagnostics
        .iter()
        .filter(|d| {
            d.primary.file == comp.main
                && span.start <= d.primary.span.start
                && d.primary.span.end <= span.end
        })
        .collect();
    Some(dsd::diff::Side {
        design: &checked.design,
        report,
        findings,
    })
}

/// `--link-base`: an http(s) URL that stays one Markdown link target (no
/// space, quote, angle bracket, parenthesis or backslash), without a final `/`.
fn link_base(url: &str) -> Result<String, String> {
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url
            .chars()
            .all(|c| c.is_ascii_graphic() && !"()<>\"'\\`".contains(c));
    if ok {
        Ok(url.trim_end_matches('/').to_string())
    } else {
        Err(format!(
            "--link-base takes an http(s) URL without spaces, quotes, `<>`, `()` or `\\`; got `{url}`"
        ))
    }
}

fn diff(
    paths: &[PathBuf],
    reference: Option<&str>,
    format: ReportFormat,
    fail_on: &[String],
    options: (&str, Option<usize>, Option<&str>),
) -> ExitCode {
    let (top, max_bytes, link) = options;
    let top = match top {
        "all" => None,
        n => match n.parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) => {
                eprintln!("error: --top takes a number of rows or `all`; got `{n}`");
                return ExitCode::from(2);
            }
        },
    };
    if let Some(max) = max_bytes
        && max < emit::diff::MIN_BYTES
    {
        eprintln!(
            "error: --max-bytes takes {} or more; got {max}",
            emit::diff::MIN_BYTES
        );
        return ExitCode::from(2);
    }
    let link_base = match link.map(link_base).transpose() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let options = emit::diff::Options {
        top,
        max_bytes,
        link_base,
    };
    let mut fail_new = false;
    let mut fail_cost: Option<f64> = None;
    for f in fail_on {
        match f.split_once('=') {
            None if f == "new-findings" => fail_new = true,
            // A percentage: finite and not negative (`NaN` compared false with
            // every change, so the gate never failed).
            Some(("cost-increase", pct))
                if pct
                    .trim_end_matches('%')
                    .parse::<f64>()
                    .is_ok_and(|p| p.is_finite() && p >= 0.0) =>
            {
                fail_cost = pct.trim_end_matches('%').parse::<f64>().ok();
            }
            _ => {
                eprintln!(
                    "error: --fail-on takes `new-findings` or `cost-increase=PCT` (a percentage, 0 or more); got `{f}`"
                );
                return ExitCode::from(2);
            }
        }
    }
    let pairs = match diff_pairs(paths, reference) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    // The head's project settings judge both sides, so a rule `allow`ed in
    // dsd.toml is not a new finding.
    let project = match project_of(paths) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let what_if = project.what_if();
    let compile = |side: &Option<(String, Box<dyn dsd::Loader>)>, name: &str| {
        side.as_ref().map(|(text, loader)| {
            let mut c = dsd::compile_with(name, text, loader.as_ref(), &what_if);
            project.apply(&mut c.diagnostics);
            c
        })
    };
    let mut diffs = Vec::new();
    for p in &pairs {
        let (b, h) = (compile(&p.base, &p.name), compile(&p.head, &p.name));
        let sides = |c: &Option<dsd::Compilation>| -> Vec<(dsd::sizing::Report, usize)> {
            c.as_ref()
                .map(|c| {
                    c.designs
                        .iter()
                        .enumerate()
                        .map(|(i, d)| (dsd::sizing::size(&d.design, &c.catalogue, 1.0), i))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (br, hr) = (sides(&b), sides(&h));
        let mut names: Vec<String> = Vec::new();
        for c in [&b, &h].into_iter().flatten() {
            for d in &c.designs {
                if !names.contains(&d.design.name.name) {
                    names.push(d.design.name.name.clone());
                }
            }
        }
        // The file's changed lines; each design keeps those inside it.
        let changed = p.head.as_ref().map(|(text, _)| {
            let base = p.base.as_ref().map(|(t, _)| t.as_str()).unwrap_or("");
            (text, dsd::diff::changed_lines(base, text))
        });
        for name in names {
            let (old, new) = (diff_side(&b, &br, &name), diff_side(&h, &hr, &name));
            let mut d = dsd::diff::diff(old.as_ref(), new.as_ref());
            d.file = Some(p.path.clone());
            if let (Some((text, lines)), Some(c)) = (&changed, &h)
                && let Some(design) = c.designs.iter().find(|x| x.design.name.name == name)
                && design.design.file == c.main
            {
                d.lines = dsd::diff::lines_within(lines, text, design.design.span);
            }
            diffs.push(d);
        }
    }
    let out = match format {
        ReportFormat::Md => emit::diff::comment(&diffs, &options),
        ReportFormat::Json => emit::diff::json(&diffs),
    };
    to_stdout(out.as_bytes());
    let new_findings = diffs.iter().any(|d| !d.new_findings.is_empty());
    let cost_up = fail_cost.is_some_and(|limit| {
        diffs.iter().any(|d| {
            d.cost
                .as_ref()
                .and_then(|c| c.percent())
                .is_some_and(|p| p > limit)
        })
    });
    if (fail_new && new_findings) || cost_up {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The lines that differ, `-` before and `+` after, with their line numbers.
/// What `fmt` would change, as a unified diff `patch -p0` applies (three lines
/// of context, `@@ -a,b +c,d @@` hunks), from `similar`'s Myers diff.
fn line_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, name)
        .to_string()
}

fn fmt(paths: &[PathBuf], check: bool, stdin: bool, force_exclude: bool) -> ExitCode {
    use std::io::Read;
    if stdin {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            eprintln!("error: cannot read standard input: {e}");
            return ExitCode::from(2);
        }
        return match dsd::fmt::format(&text) {
            Ok(out) => {
                to_stdout(out.as_bytes());
                ExitCode::SUCCESS
            }
            Err(errors) => {
                report_syntax("<stdin>", &text, errors);
                ExitCode::from(1)
            }
        };
    }
    let roots: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let project = match project_of(&roots) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (files, io_errors) = project.files(&roots, force_exclude);
    for e in &io_errors {
        eprintln!("error: {e}");
    }
    let mut status = if io_errors.is_empty() { 0u8 } else { 2 };
    let mut changed = 0;
    for f in &files {
        let name = shown(f);
        let text = match dsd::source::read_source(f) {
            Ok(b) if b.len() > dsd::syntax::MAX_FILE_BYTES => {
                eprintln!(
                    "error: {name} is over {} bytes, the most dsd reads",
                    dsd::syntax::MAX_FILE_BYTES
                );
                status = 2;
                continue;
            }
            Ok(b) => match String::from_utf8(b) {
                Ok(t) => t,
                Err(_) => {
                    eprintln!("error: cannot read {name}: it is not valid UTF-8");
                    status = 2;
                    continue;
                }
            },
            Err(e) => {
                eprintln!("error: cannot read {name}: {e}");
                status = 2;
                continue;
            }
        };
        match dsd::fmt::format(&text) {
            Ok(out) if out == text => {}
            Ok(out) => {
                if check {
                    changed += 1;
                    to_stdout(line_diff(&name, &text, &out).as_bytes());
                    status = status.max(1);
                } else {
                    match rewrite(f, &out) {
                        Ok(()) => changed += 1,
                        Err(e) => {
                            eprintln!("error: cannot write {name}: {e}");
                            status = 2;
                        }
                    }
                }
            }
            Err(errors) => {
                report_syntax(&name, &text, errors);
                status = status.max(1);
            }
        }
    }
    let verb = if check {
        "would reformat"
    } else {
        "reformatted"
    };
    summary!("dsd: {verb} {changed} of {} files", files.len());
    ExitCode::from(status)
}

/// Replaces a file's text the way an editor saves: the new text goes to a
/// fresh file beside it, which is then renamed over it, so a failed write
/// leaves the old file whole. A path that is a symbolic link is refused: the
/// link may point outside the project, and `fmt` rewrites only the project's
/// own files.
fn rewrite(path: &Path, text: &str) -> Result<(), String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if meta.file_type().is_symlink() {
        return Err("it is a symbolic link; dsd fmt rewrites only regular files".into());
    }
    if !meta.is_file() {
        return Err("it is not a regular file".into());
    }
    replace_file(path, text, Some(meta.permissions()))
}

/// Writes `text` as the file `path` without ever writing through what is there:
/// the text goes to a new file beside it (created exclusively, so not through a
/// link planted under that name), which is then renamed over `path`. A symbolic
/// or hard link at `path` is replaced, never followed, and a failed write leaves
/// the old file whole.
fn replace_file(
    path: &Path,
    text: &str,
    permissions: Option<std::fs::Permissions>,
) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{base}.dsd-tmp-{}", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        if let Some(p) = permissions {
            f.set_permissions(p)?;
        }
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.to_string());
    }
    Ok(())
}

/// Refuses an output folder that is, or sits under, a symbolic link inside the
/// current folder: a repository can plant `out -> ~/.ssh`, and `-o out` would
/// write there. Links above the current folder (the system's own) are its
/// owner's business.
fn safe_out_dir(out: &Path) -> Result<(), String> {
    let here = std::env::current_dir().map_err(|e| e.to_string())?;
    let full = if out.is_absolute() {
        out.to_path_buf()
    } else {
        here.join(out)
    };
    for a in full.ancestors() {
        if !a.starts_with(&here) || a == here {
            break;
        }
        if std::fs::symlink_metadata(a).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "{} is a symbolic link; dsd writes only into real folders",
                shown(a.strip_prefix(&here).unwrap_or(a))
            ));
        }
    }
    Ok(())
}

/// Syntax errors of a file the formatter leaves alone.
fn report_syntax(name: &str, text: &str, errors: Vec<dsd::syntax::SyntaxError>) {
    let mut sources = dsd::source::SourceMap::new();
    let id = sources.add(dsd::source::SourceFile::new(name, text));
    let diags: Vec<Diagnostic> = errors
        .into_iter()
        .map(|e| {
            Diagnostic::new(e.code, id, e.span, e.message)
                .label(e.label)
                .with_help(e.help)
        })
        .collect();
    let color = stderr_color();
    let _ = std::io::stderr()
        .lock()
        .write_all(emit::human::render(&sources, &diags, color).as_bytes());
    eprintln!("dsd: {name} has syntax errors; it was left as it is");
}

fn init(name: &str, template: &str, out: &Path) -> ExitCode {
    if !dsd::templates::valid_name(name) {
        eprintln!(
            "error: `{name}` is not a design name: use letters, digits and `_`, starting with a letter"
        );
        return ExitCode::from(2);
    }
    let Some(text) = dsd::templates::render(template, name) else {
        eprintln!("error: no template `{template}`");
        return ExitCode::from(2);
    };
    let target = out.join(format!("{name}.dsd"));
    // Not `exists()`: a dangling symbolic link would be written through.
    if std::fs::symlink_metadata(&target).is_ok() {
        eprintln!(
            "error: {} already exists; choose another name",
            shown(&target)
        );
        return ExitCode::from(2);
    }
    if let Err(e) = safe_out_dir(out) {
        eprintln!("error: will not write into {}: {e}", shown(out));
        return ExitCode::from(2);
    }
    // Created exclusively: nothing there, not even a dangling link, is written
    // through.
    let created = std::fs::create_dir_all(out).and_then(|_| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .and_then(|mut f| f.write_all(text.as_bytes()))
    });
    if let Err(e) = created {
        eprintln!("error: cannot write {}: {e}", shown(&target));
        return ExitCode::from(2);
    }
    eprintln!(
        "dsd: wrote {}; answer each TODO (`dsd check {}` lists them), then `dsd build {} -o out`",
        shown(&target),
        shown(&target),
        shown(&target)
    );
    ExitCode::SUCCESS
}

/// Runs a command that writes into a `String`, then writes that out; a closed
/// pipe (`dsd explain | head -1`) is not an error worth a panic.
fn printed(command: impl FnOnce(&mut String) -> ExitCode) -> ExitCode {
    let mut out = String::new();
    let code = command(&mut out);
    to_stdout(out.as_bytes());
    code
}

/// The first failed write to standard output, if any: `main` reports it and
/// exits 2, whatever the command would have returned (`dsd explain >
/// /dev/full` said nothing and exited 0). A closed pipe (`dsd explain | head`)
/// is not a failure: the reader has what it wanted.
static STDOUT_FAILED: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Writes the whole of `bytes` to standard output, remembering a failure.
fn to_stdout(bytes: &[u8]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let result = out.write_all(bytes).and_then(|()| out.flush());
    match result {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            if let Ok(mut failed) = STDOUT_FAILED.lock()
                && failed.is_none()
            {
                *failed = Some(e.to_string());
            }
        }
    }
}

/// `writeln!` into a `String`, which cannot fail.
macro_rules! outln {
    ($out:expr) => {
        $out.push('\n')
    };
    ($out:expr, $($arg:tt)*) => {{
        $out.push_str(&format!($($arg)*));
        $out.push('\n');
    }};
}

fn explain(rule: Option<&str>, example: bool, fixed: bool) -> ExitCode {
    printed(|out| explain_into(out, rule, example, fixed))
}

fn explain_into(out: &mut String, rule: Option<&str>, example: bool, fixed: bool) -> ExitCode {
    match rule {
        None => {
            for r in dsd::rules::RULES {
                outln!(
                    out,
                    "{:<30} {:<8} {}",
                    r.name,
                    r.severity.as_str(),
                    r.summary
                );
            }
            ExitCode::SUCCESS
        }
        Some(name) => match dsd::rules::find(name) {
            Some(r) if example || fixed => match dsd::rules::example(r.name) {
                Some((failing, fixed_design)) => {
                    out.push_str(if fixed { fixed_design } else { failing });
                    ExitCode::SUCCESS
                }
                None => {
                    eprintln!(
                        "error: `{}` is not a finding about a design, so it has no example design; run `dsd explain {}` to read about it",
                        r.name, r.name
                    );
                    ExitCode::from(2)
                }
            },
            Some(r) => {
                outln!(
                    out,
                    "{} ({})\n\n{}\n\n{}",
                    r.name,
                    r.severity.as_str(),
                    r.summary,
                    r.explanation
                );
                if let Some(hint) = dsd::rules::example_hint(r.name) {
                    outln!(out, "\n{hint}");
                }
                ExitCode::SUCCESS
            }
            None => {
                let names: Vec<&str> = dsd::rules::RULES.iter().map(|r| r.name).collect();
                eprintln!(
                    "error: no rule named `{name}`; {}",
                    dsd::suggest::help_for(name, names, "run `dsd explain` to list them")
                );
                ExitCode::from(2)
            }
        },
    }
}

/// `dsd catalogue [TOOL]`: the standard library's tools, or one tool's figures,
/// each with the page, date and region it comes from.
fn catalogue(tool: Option<&str>) -> ExitCode {
    printed(|out| catalogue_into(out, tool))
}

fn catalogue_into(out: &mut String, tool: Option<&str>) -> ExitCode {
    let compiled = dsd::compile("<catalogue>", "", &dsd::NoImports);
    let tools = &compiled.catalogue.tools;
    let Some(name) = tool else {
        for t in tools.values() {
            outln!(out, "{:<26} {:<34} {}", t.name, t.roles.join(", "), t.title);
        }
        return ExitCode::SUCCESS;
    };
    let Some(t) = tools.get(name) else {
        let names: Vec<&str> = tools.keys().map(String::as_str).collect();
        eprintln!(
            "error: no tool named `{name}` in the catalogue; {}",
            dsd::suggest::help_for(name, names, "run `dsd catalogue` to list them")
        );
        return ExitCode::from(2);
    };
    outln!(out, "{} — {}", t.name, t.title);
    outln!(out, "roles: {}", t.roles.join(", "));
    if !t.flags.is_empty() {
        outln!(out, "flags: {}", t.flags.join(", "));
    }
    if let Some(on) = &t.runs_on {
        outln!(out, "runs on: {on}");
    }
    if let Some(cloud) = &t.cloud {
        outln!(out, "cloud: {cloud} (its own service)");
    }
    if t.figures.is_empty() {
        outln!(
            out,
            "\nno figures: the catalogue has no sourced limit or price for it"
        );
        return ExitCode::SUCCESS;
    }
    outln!(out);
    for (figure, value, source) in t.figure_rows() {
        outln!(out, "{figure:<24} {value:<18} {source}");
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let code = run(Cli::parse());
    match STDOUT_FAILED.lock().ok().and_then(|mut f| f.take()) {
        Some(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            ExitCode::from(2)
        }
        None => code,
    }
}

fn run(cli: Cli) -> ExitCode {
    if let Some(c) = cli.config {
        let _ = CONFIG.set(c);
    }
    QUIET.store(cli.quiet, std::sync::atomic::Ordering::Relaxed);
    let color = cli.color;
    COLOR.store(
        match color {
            Color::Auto => 0,
            Color::Always => 1,
            Color::Never => 2,
        },
        std::sync::atomic::Ordering::Relaxed,
    );
    match cli.command {
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "dsd", &mut out);
            to_stdout(&out);
            ExitCode::SUCCESS
        }
        Command::Check {
            paths,
            format,
            coverage,
            deny,
            warn,
            allow,
            root,
            force_exclude,
        } => {
            let policy = match Policy::from_flags(&deny, &warn, &allow) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let root = root.map(|r| shown(&r)).unwrap_or_default();
            check(
                &paths,
                format,
                color,
                coverage,
                &policy,
                &root,
                force_exclude,
            )
        }
        Command::Explain {
            rule,
            example,
            fixed,
        } => explain(rule.as_deref(), example, fixed),
        Command::Catalogue { tool } => catalogue(tool.as_deref()),
        Command::Diff {
            paths,
            git,
            format,
            fail_on,
            top,
            max_bytes,
            link_base,
        } => diff(
            &paths,
            git.as_deref(),
            format,
            &fail_on,
            (&top, max_bytes, link_base.as_deref()),
        ),
        Command::Fmt {
            paths,
            check,
            stdin,
            force_exclude,
        } => fmt(&paths, check, stdin, force_exclude),
        Command::Lsp => match dsd::lsp::run() {
            Ok(code) => ExitCode::from(code),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Init {
            name,
            template,
            out,
        } => init(&name, &template, &out),
        Command::Dot { path, view } => print_diagram(&path, &view, emit::dot::render),
        Command::Mermaid { path, view } => print_diagram(&path, &view, emit::mermaid::render),
        Command::Build {
            paths,
            out,
            emit,
            view,
            layout,
        } => build(&paths, &out, &emit, view.as_deref(), layout),
        Command::Report { path, sizing } => report(&path, &sizing),
        Command::WhatIf {
            path,
            scenarios,
            sizing,
        } => what_if(&path, &scenarios, &sizing),
        Command::Compare { path, alt, sizing } => compare(&path, &alt, &sizing),
    }
}
