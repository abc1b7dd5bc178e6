#!/usr/bin/env bash
# Builds the VS Code extension (TypeScript, vscode-languageclient) with npm,
# runs its TextMate grammar test (vscode-tmgrammar-test), then packages it with
# the pinned @vscode/vsce: packaging must print no warning, and the .vsix must
# hold the esbuild bundle and the grammar but no sources and no node_modules.
# Fails loudly when npm cannot install what it needs.
set -euo pipefail
cd "$(dirname "$0")/../editors/vscode"
fail() { echo "check-editor: FAILED: $*" >&2; exit 1; }
command -v npm >/dev/null || fail "npm is not installed"
command -v unzip >/dev/null || fail "unzip is not installed (needed to list the .vsix)"
npm ci --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci could not install the extension's packages"
npm run --silent compile || fail "the extension does not compile"
[ -f out/extension.js ] || fail "no out/extension.js"
if grep -q 'require("vscode-languageclient' out/extension.js; then
  fail "out/extension.js is not bundled: it still requires vscode-languageclient at run time"
fi
npm test --silent > /tmp/dsd-grammar-test.log 2>&1 || { cat /tmp/dsd-grammar-test.log >&2; fail "the grammar test failed"; }

# Package exactly as a user would (vsce runs vscode:prepublish, the minified bundle).
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
vsix="$tmp/dsd.vsix"
log="$tmp/vsce.log"
npx --no-install @vscode/vsce package --out "$vsix" </dev/null >"$log" 2>&1 \
  || { cat "$log" >&2; fail "vsce could not package the extension"; }
# vsce's " WARNING " lines, esbuild's "[WARNING]" and any other warning; the
# "> command" lines npm echoes for the prepublish scripts are not output.
warnings="$(grep -v '^> ' "$log" | grep -Ei 'warning' || true)"
if [ -n "$warnings" ]; then
  cat "$log" >&2
  fail "vsce package printed a warning: $(head -1 <<<"$warnings")"
fi
[ -f "$vsix" ] || { cat "$log" >&2; fail "vsce reported success but wrote no $vsix"; }
unzip -l "$vsix" > "$tmp/contents.txt" || fail "cannot list the .vsix"
if grep -Eq ' extension/(node_modules|src)/' "$tmp/contents.txt"; then
  cat "$tmp/contents.txt" >&2
  fail "the .vsix ships node_modules/ or src/ (see .vscodeignore)"
fi
for f in extension/package.json extension/out/extension.js extension/syntaxes/dsd.tmLanguage.json \
         extension/snippets/dsd.json extension/language-configuration.json extension/LICENSE.txt; do
  grep -q " $f\$" "$tmp/contents.txt" || { cat "$tmp/contents.txt" >&2; fail "the .vsix lacks $f"; }
done
echo "check-editor: the VS Code extension builds, its grammar test passes and it packages into a .vsix with no warning"
