#!/usr/bin/env bash
# Runs one fuzz target for a while: fuzz/run.sh TARGET [SECONDS]
#   TARGET: parse | check | fmt | quantity | config | lsp | diff
# The corpus starts from the repo's own designs (examples, test fixtures, the
# stdlib, the templates) or, for quantity, from fuzz/seeds/quantity. Crashes land
# in fuzz/artifacts/TARGET/; the grown corpus in fuzz/corpus/TARGET/ (not kept).
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain builds it
# with RUSTC_BOOTSTRAP=1 and no sanitizer (dsd has no unsafe code to check).
# Do not pause a running fuzzer (kill -STOP): its timer counts the pause, and
# the input it was running is reported as a timeout.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh parse|check|fmt|quantity|config|lsp|diff [SECONDS]}
seconds=${2:-600}
corpus=corpus/$target
mkdir -p "$corpus" "artifacts/$target"
extra=()
if [ -d "seeds/$target" ]; then
    cp "seeds/$target"/* "$corpus/"
fi
if [ "$target" = lsp ]; then
    # A Content-Length may not make the server allocate what it says.
    extra=(-malloc_limit_mb=256)
fi
if [ "$target" = quantity ] || [ "$target" = lsp ] || [ "$target" = config ]; then
    :
else
    # Seeds: every .dsd in the repo, named by a hash so reruns do not duplicate.
    find ../examples ../tests ../stdlib ../templates -name '*.dsd' -print0 |
        while IFS= read -r -d '' f; do cp "$f" "$corpus/seed-$(sha1sum "$f" | cut -c1-16)"; done
fi
export RUSTC_BOOTSTRAP=1
cargo fuzz run -O -s none "$target" "$corpus" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=30 -rss_limit_mb=2048 \
    -dict=dsd.dict -print_final_stats=1 "${extra[@]}"
