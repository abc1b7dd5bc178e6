#!/usr/bin/env bash
# Builds the VS Code extension (TypeScript, vscode-languageclient) with npm and
# runs its TextMate grammar test (vscode-tmgrammar-test). Fails loudly when npm
# cannot install what it needs.
set -euo pipefail
cd "$(dirname "$0")/../editors/vscode"
fail() { echo "check-editor: FAILED: $*" >&2; exit 1; }
command -v npm >/dev/null || fail "npm is not installed"
npm ci --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci could not install the extension's packages"
npm run --silent compile || fail "the extension does not compile"
[ -f out/extension.js ] || fail "no out/extension.js"
npm test --silent > /tmp/dsd-grammar-test.log 2>&1 || { cat /tmp/dsd-grammar-test.log >&2; fail "the grammar test failed"; }
echo "check-editor: the VS Code extension builds and its grammar test passes"
