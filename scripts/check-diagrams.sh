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

# SVG laid out by Graphviz through dsd, too.
"$DSD" build examples/razorpay_payments.dsd -o "$work/gv" --emit svg --layout graphviz 2> "$work/gv.err" \
  || { cat "$work/gv.err" >&2; fail "dsd build --layout graphviz"; }
grep -q "<svg" "$work/gv/razorpay_payments.svg" || fail "no SVG from --layout graphviz"

# The design book in headless Chromium: it renders, logs nothing to the console
# (a blocked request would), and fetches nothing.
artifacts=target/check-diagrams
mkdir -p "$artifacts"
"$DSD" build examples -o "$work/book" --emit html 2> /dev/null || fail "dsd build --emit html"
for page in "$work"/book/*.html; do
  stem=$(basename "$page" .html)
  if grep -E -o "(https?:)?//[a-zA-Z0-9.-]+" "$page" | grep -v "^http://www.w3.org$" | grep -q .; then
    fail "$stem.html refers to another host"
  fi
  rm -rf "$work/profile"
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --window-size=1200,2200 --enable-logging=stderr --v=0 \
    --screenshot="$artifacts/$stem.png" "file://$page" 2> "$work/chromium.log" \
    || { tail -20 "$work/chromium.log" >&2; fail "Chromium could not render $stem.html"; }
  [ -s "$artifacts/$stem.png" ] || fail "no screenshot of $stem.html"
  if grep -q "CONSOLE" "$work/chromium.log"; then
    grep "CONSOLE" "$work/chromium.log" >&2; fail "$stem.html logged to the console"
  fi
  checked=$((checked + 1))
done
echo "check-diagrams: $checked diagrams and pages from ${#inputs[@]} designs rendered by Graphviz, Mermaid and Chromium without error; screenshots in $artifacts/"
