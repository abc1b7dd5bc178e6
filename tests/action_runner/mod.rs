//! Runs action.yml's composite steps the way GitHub's runner does, on this
//! machine: each `shell: bash` step's `run:` script with its `${{ … }}`
//! expressions substituted, in `bash --noprofile --norc -eo pipefail`, with
//! fresh `GITHUB_OUTPUT`, `GITHUB_ENV`, `GITHUB_PATH` and
//! `GITHUB_STEP_SUMMARY` files whose contents are applied before the next step
//! (outputs to `steps.ID.outputs`, variables to the environment, folders to the
//! front of `PATH`), `if:` evaluated against the steps so far, and
//! `continue-on-error` honoured.
//!
//! Steps that install dsd are skipped: the test puts the `dsd` cargo built on
//! `PATH`. Steps that `uses:` another action are skipped, except
//! `actions/github-script`, whose script runs in node against a fake GitHub
//! (`github_script.js`) when node is installed.

pub mod expr;
pub mod yaml;

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The script ran and exited with this code.
    Ran { code: i32 },
    /// An install step; dsd is already on `PATH`.
    Install,
    /// Its `if:` was false.
    Condition,
    /// It `uses:` another action; `would_run` is its `if:`.
    Uses { would_run: bool },
}

#[derive(Clone, Debug)]
pub struct Step {
    pub name: String,
    pub outcome: Outcome,
    pub stdout: String,
    pub stderr: String,
    pub continue_on_error: bool,
}

#[derive(Debug)]
pub struct Run {
    pub steps: Vec<Step>,
    /// Every step's `GITHUB_STEP_SUMMARY`, in order.
    pub summary: String,
    /// `steps.ID.outputs`.
    pub outputs: BTreeMap<String, BTreeMap<String, String>>,
    /// Variables written to `GITHUB_ENV`.
    pub env: BTreeMap<String, String>,
    /// The github-script step's calls to the fake GitHub, when node ran it.
    pub github_calls: Option<Value>,
}

impl Run {
    pub fn step(&self, name: &str) -> &Step {
        self.steps
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no step `{name}` in {:?}", self.names()))
    }
    pub fn names(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.name.as_str()).collect()
    }
    /// The steps whose scripts failed (exit code not 0).
    pub fn failed(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter(|s| matches!(s.outcome, Outcome::Ran { code } if code != 0))
            .map(|s| s.name.as_str())
            .collect()
    }
    /// Whether the job fails: a failed step without `continue-on-error`.
    pub fn job_failed(&self) -> bool {
        self.steps.iter().any(|s| {
            matches!(s.outcome, Outcome::Ran { code } if code != 0) && !s.continue_on_error
        })
    }
}

pub struct Runner {
    /// The action's folder (`github.action_path`): the crate root.
    pub action_path: PathBuf,
    /// The checked-out repository (`GITHUB_WORKSPACE`).
    pub workspace: PathBuf,
    /// `runner.temp`; the runner's own files go in `_runner/` inside it.
    pub temp: PathBuf,
    /// Folders put first on `PATH` (the one holding `dsd`).
    pub path: Vec<PathBuf>,
    pub inputs: BTreeMap<String, String>,
    pub event_name: String,
    pub event: Value,
    pub repository: String,
    /// Bodies of the comments already on the pull request, for github-script.
    pub comments: Vec<String>,
}

/// An install step: the test's `dsd` is on `PATH` already. Matched by what the
/// step does, so a step that downloads a release binary is skipped too.
fn installs(step: &yaml::Yaml) -> bool {
    let name = step.str("name").unwrap_or("").to_lowercase();
    let run = step.str("run").unwrap_or("");
    name.contains("install")
        || name.contains("download")
        || ["cargo install", "curl ", "wget ", "gh release"]
            .iter()
            .any(|w| run.contains(w))
}

/// `NAME=value` lines and `NAME<<DELIMITER` blocks, as in `GITHUB_OUTPUT` and
/// `GITHUB_ENV`.
fn key_values(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((k, delim)) = line.split_once("<<") {
            let mut value = Vec::new();
            for l in lines.by_ref() {
                if l == delim {
                    break;
                }
                value.push(l);
            }
            out.push((k.to_string(), value.join("\n")));
        } else if let Some((k, v)) = line.split_once('=') {
            out.push((k.to_string(), v.to_string()));
        } else if !line.trim().is_empty() {
            panic!("not NAME=value: {line:?}");
        }
    }
    out
}

fn node() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

impl Runner {
    pub fn run(&self) -> Run {
        let text = std::fs::read_to_string(self.action_path.join("action.yml"))
            .unwrap_or_else(|e| panic!("action.yml: {e}"));
        let action = yaml::parse(&text);
        let own = self.temp.join("_runner");
        std::fs::create_dir_all(&own).unwrap_or_else(|e| panic!("{e}"));
        let event_path = own.join("event.json");
        std::fs::write(&event_path, self.event.to_string()).unwrap_or_else(|e| panic!("{e}"));
        let sha = "0123456789abcdef0123456789abcdef01234567";
        let mut ctx = json!({
            "github": {
                "event_name": self.event_name,
                "event": self.event,
                "action_path": self.action_path,
                "workspace": self.workspace,
                "repository": self.repository,
                "server_url": "https://github.com",
                "sha": sha,
                "run_id": "42",
                "token": "fake-token",
            },
            "runner": { "temp": self.temp, "os": "Linux" },
            "inputs": {},
            "steps": {},
            "env": {},
        });
        // Inputs: the defaults (themselves expressions), then the test's values.
        let mut inputs = serde_json::Map::new();
        for (name, spec) in action.get("inputs").map(yaml::Yaml::entries).unwrap_or(&[]) {
            let default = spec.str("default").unwrap_or("");
            let ev = expr::Eval {
                ctx: &ctx,
                success: true,
            };
            inputs.insert(name.clone(), Value::String(ev.substitute(default)));
        }
        for (k, v) in &self.inputs {
            assert!(inputs.contains_key(k), "action.yml has no input `{k}`");
            inputs.insert(k.clone(), Value::String(v.clone()));
        }
        ctx["inputs"] = Value::Object(inputs);
        let base_path = std::env::var_os("PATH").unwrap_or_default();
        let mut path: Vec<PathBuf> = self.path.clone();
        let mut env: BTreeMap<String, String> = BTreeMap::new();
        let mut run = Run {
            steps: Vec::new(),
            summary: String::new(),
            outputs: BTreeMap::new(),
            env: BTreeMap::new(),
            github_calls: None,
        };
        let mut success = true;
        let steps = action
            .get("runs")
            .and_then(|r| r.get("steps"))
            .map(yaml::Yaml::list)
            .unwrap_or(&[]);
        assert!(!steps.is_empty(), "action.yml has no steps");
        for (n, step) in steps.iter().enumerate() {
            let name = step
                .str("name")
                .map(str::to_string)
                .unwrap_or_else(|| format!("step {n}"));
            let continue_on_error = step.str("continue-on-error") == Some("true");
            let mut record = Step {
                name: name.clone(),
                outcome: Outcome::Install,
                stdout: String::new(),
                stderr: String::new(),
                continue_on_error,
            };
            if installs(step) {
                run.steps.push(record);
                continue;
            }
            let ev = expr::Eval { ctx: &ctx, success };
            let wanted = ev.condition(step.str("if").unwrap_or("success()"));
            let uses = step.str("uses");
            let script = match (uses, wanted) {
                (_, false) => {
                    record.outcome = match uses {
                        Some(_) => Outcome::Uses { would_run: false },
                        None => Outcome::Condition,
                    };
                    run.steps.push(record);
                    continue;
                }
                (Some(u), true) if u.starts_with("actions/github-script@") && node() => {
                    let script = step
                        .get("with")
                        .and_then(|w| w.str("script"))
                        .unwrap_or_else(|| panic!("`{name}` has no script"));
                    let file = own.join(format!("step-{n}.js"));
                    std::fs::write(&file, script).unwrap_or_else(|e| panic!("{e}"));
                    let harness = self
                        .action_path
                        .join("tests/action_runner/github_script.js");
                    vec![
                        "node".to_string(),
                        harness.display().to_string(),
                        file.display().to_string(),
                        event_path.display().to_string(),
                    ]
                }
                (Some(_), true) => {
                    record.outcome = Outcome::Uses { would_run: true };
                    run.steps.push(record);
                    continue;
                }
                (None, true) => {
                    assert_eq!(step.str("shell"), Some("bash"), "`{name}`: shell");
                    let body = ev.substitute(step.str("run").unwrap_or(""));
                    let file = own.join(format!("step-{n}.sh"));
                    std::fs::write(&file, body).unwrap_or_else(|e| panic!("{e}"));
                    vec![
                        "bash".into(),
                        "--noprofile".into(),
                        "--norc".into(),
                        "-eo".into(),
                        "pipefail".into(),
                        file.display().to_string(),
                    ]
                }
            };
            let files: BTreeMap<&str, PathBuf> = [
                "GITHUB_OUTPUT",
                "GITHUB_ENV",
                "GITHUB_PATH",
                "GITHUB_STEP_SUMMARY",
            ]
            .into_iter()
            .map(|k| {
                let f = own.join(format!("step-{n}-{k}"));
                std::fs::write(&f, "").unwrap_or_else(|e| panic!("{e}"));
                (k, f)
            })
            .collect();
            let mut cmd = Command::new(&script[0]);
            cmd.args(&script[1..]).current_dir(&self.workspace);
            let mut full_path = std::env::join_paths(path.iter().rev())
                .unwrap_or_default()
                .into_string()
                .unwrap_or_default();
            if !full_path.is_empty() {
                full_path.push(':');
            }
            full_path.push_str(&base_path.to_string_lossy());
            cmd.env("PATH", full_path)
                .env("CI", "true")
                .env("GITHUB_ACTIONS", "true")
                .env("GITHUB_WORKSPACE", &self.workspace)
                .env("GITHUB_ACTION_PATH", &self.action_path)
                .env("GITHUB_EVENT_NAME", &self.event_name)
                .env("GITHUB_EVENT_PATH", &event_path)
                .env("GITHUB_REPOSITORY", &self.repository)
                .env("GITHUB_SERVER_URL", "https://github.com")
                .env("GITHUB_SHA", sha)
                .env("GITHUB_RUN_ID", "42")
                .env("RUNNER_TEMP", &self.temp)
                .env("RUNNER_OS", "Linux")
                .env(
                    "FAKE_COMMENTS",
                    serde_json::to_string(&self.comments).unwrap_or_default(),
                );
            for (k, f) in &files {
                cmd.env(k, f);
            }
            cmd.envs(&env);
            for (k, v) in step.get("env").map(yaml::Yaml::entries).unwrap_or(&[]) {
                let yaml::Yaml::Str(v) = v else {
                    panic!("`{name}`: env {k} is not a string")
                };
                cmd.env(k, ev.substitute(v));
            }
            let out = cmd
                .output()
                .unwrap_or_else(|e| panic!("`{name}`: cannot run {}: {e}", script[0]));
            let code = out.status.code().unwrap_or(-1);
            record.outcome = Outcome::Ran { code };
            record.stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            record.stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            let read = |k: &str| std::fs::read_to_string(&files[k]).unwrap_or_default();
            let outputs = key_values(&read("GITHUB_OUTPUT"));
            for (k, v) in key_values(&read("GITHUB_ENV")) {
                ctx["env"][k.as_str()] = Value::String(v.clone());
                run.env.insert(k.clone(), v.clone());
                env.insert(k, v);
            }
            for line in read("GITHUB_PATH").lines().filter(|l| !l.trim().is_empty()) {
                path.push(PathBuf::from(line));
            }
            run.summary.push_str(&read("GITHUB_STEP_SUMMARY"));
            if uses.is_some() && code == 0 {
                let last = record.stdout.lines().last().unwrap_or("null");
                run.github_calls = Some(serde_json::from_str(last).unwrap_or(Value::Null));
            }
            if code != 0 && !continue_on_error {
                success = false;
            }
            let outcome = if code == 0 { "success" } else { "failure" };
            let conclusion = if code == 0 || continue_on_error {
                "success"
            } else {
                "failure"
            };
            if let Some(id) = step.str("id") {
                let map: BTreeMap<String, String> = outputs.into_iter().collect();
                ctx["steps"][id] = json!({
                    "outputs": map,
                    "outcome": outcome,
                    "conclusion": conclusion,
                });
                run.outputs.insert(id.to_string(), map);
            }
            run.steps.push(record);
        }
        run
    }
}

/// Which folder holds `program`, for putting it on `PATH`.
pub fn folder_of(program: &str) -> PathBuf {
    Path::new(program)
        .parent()
        .unwrap_or_else(|| panic!("{program} has no folder"))
        .to_path_buf()
}
