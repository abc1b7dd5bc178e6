#!/usr/bin/env bash
# Checks dsd's diagrams with the real tools: every example's DOT through Graphviz
# `dot -Tsvg` (any warning fails), and every example's Mermaid through the Mermaid
# library (mermaid-cli in Debian's headless Chromium). Installs what it needs:
# graphviz and chromium with apt, mermaid-cli with npm (no browser download).
# If a tool cannot be installed this script says so and fails; it never skips.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "check-diagrams: FAILED: $*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else fail "need root (or sudo) to install $*"; fi
}

if ! command -v dot >/dev/null || ! command -v chromium >/dev/null; then
  echo "check-diagrams: installing graphviz and chromium with apt"
  as_root apt-get update -qq || fail "apt-get update did not work"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz chromium >/dev/null \
    || fail "cannot install graphviz and chromium with apt"
fi
command -v dot >/dev/null || fail "Graphviz's dot is not installed"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is not installed"

MMDC=scripts/mermaid/node_modules/.bin/mmdc
if [ ! -x "$MMDC" ]; then
  echo "check-diagrams: installing mermaid-cli with npm"
  (cd scripts/mermaid && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || fail "cannot install @mermaid-js/mermaid-cli with npm"
fi

DSD=${DSD:-target/debug/dsd}
[ -x "$DSD" ] || cargo build --quiet || fail "cannot build dsd"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inputs=(examples/*.dsd tests/fixtures/diagrams/*.dsd)
checked=0
for f in "${inputs[@]}"; do
  stem=$(basename "$f" .dsd)
  for view in all overview; do
    "$DSD" dot --view "$view" "$f" > "$work/$stem.$view.dot" || fail "dsd dot $f"
    if ! dot -Tsvg "$work/$stem.$view.dot" -o "$work/$stem.$view.svg" 2> "$work/dot.err"; then
      cat "$work/dot.err" >&2; fail "dot rejected $f ($view)"
    fi
    if [ -s "$work/dot.err" ]; then
      cat "$work/dot.err" >&2; fail "dot warned on $f ($view)"
    fi
    "$DSD" mermaid --view "$view" "$f" > "$work/$stem.$view.mmd" || fail "dsd mermaid $f"
    if ! "$MMDC" -q -p scripts/mermaid/puppeteer.json -i "$work/$stem.$view.mmd" \
         -o "$work/$stem.$view.mmd.svg" > "$work/mmdc.log" 2>&1; then
      cat "$work/mmdc.log" >&2; fail "Mermaid rejected $f ($view)"
    fi
    checked=$((checked + 2))
  done
done
echo "check-diagrams: $checked diagrams from ${#inputs[@]} designs rendered by Graphviz and Mermaid without error"
