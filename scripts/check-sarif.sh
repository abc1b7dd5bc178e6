#!/usr/bin/env bash
# Validates dsd's SARIF against the official SARIF 2.1.0 JSON schema and with
# Microsoft's SARIF validator, both shipped in the npm package
# @microsoft/sarif-multitool-linux (pinned in scripts/sarif/). Installs what it
# needs (npm, and Python's jsonschema with pip); fails loudly if it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "check-sarif: FAILED: $*" >&2; exit 1; }

PKG=scripts/sarif/node_modules/@microsoft/sarif-multitool-linux
if [ ! -f "$PKG/sarif-2.1.0.json" ]; then
  echo "check-sarif: installing @microsoft/sarif-multitool-linux with npm"
  (cd scripts/sarif && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null) \
    || fail "cannot install @microsoft/sarif-multitool-linux with npm"
fi
chmod +x "$PKG/Sarif.Multitool"
if ! python3 -c "import jsonschema" 2>/dev/null; then
  echo "check-sarif: installing jsonschema with pip"
  python3 -m pip install --quiet jsonschema || fail "cannot install jsonschema with pip"
fi

DSD=${DSD:-target/debug/dsd}
[ -x "$DSD" ] || cargo build --quiet || fail "cannot build dsd"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Every rule's failing fixture and the examples: every code, errors and warnings.
"$DSD" check --format sarif tests/rules/*/fail.dsd tests/fixtures/errors/*.dsd examples > "$work/all.sarif" || true
[ -s "$work/all.sarif" ] || fail "dsd wrote no SARIF"

python3 - "$PKG/sarif-2.1.0.json" "$work/all.sarif" <<'PY' || fail "the SARIF does not validate against the 2.1.0 schema"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(log))
for e in errors[:20]:
    print(f"  {list(e.absolute_path)}: {e.message}", file=sys.stderr)
rules = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
used = {r["ruleId"] for r in log["runs"][0]["results"]}
missing = used - rules
if missing:
    print(f"  results name rules the driver does not list: {sorted(missing)}", file=sys.stderr)
sys.exit(1 if errors or missing else 0)
PY

"$PKG/Sarif.Multitool" validate "$work/all.sarif" -o "$work/validation.sarif" > "$work/validate.log" 2>&1 \
  || { cat "$work/validate.log" >&2; fail "Sarif.Multitool validate failed"; }
if grep -q " error " "$work/validate.log"; then
  grep " error " "$work/validate.log" >&2; fail "Sarif.Multitool reported errors"
fi
# The GitHub Action and the pre-commit hooks that carry these outputs parse as YAML.
python3 -c "import yaml" 2>/dev/null || python3 -m pip install --quiet pyyaml || fail "cannot install pyyaml"
python3 - <<'PY' || fail "action.yml or .pre-commit-hooks.yaml is not valid"
import yaml
action = yaml.safe_load(open("action.yml"))
assert action["runs"]["using"] == "composite"
steps = " ".join(s.get("run", "") for s in action["runs"]["steps"])
for cmd in ("dsd check --format sarif", "dsd check --format github", "dsd diff --git"):
    assert cmd in steps, cmd
hooks = {h["id"] for h in yaml.safe_load(open(".pre-commit-hooks.yaml"))}
assert {"dsd-check", "dsd-fmt"} <= hooks, hooks
PY

results=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['runs'][0]['results']))" "$work/all.sarif")
echo "check-sarif: $results results over every rule validate against the SARIF 2.1.0 schema and Microsoft's validator"
