#!/usr/bin/env bash
# Times dsd itself against the targets of issue 9 and writes the table into
# bench/RESULTS.md (between the targets markers). Whole processes with
# hyperfine, peak memory with GNU time, the language server's re-check with the
# divan bench. Run it on a quiet machine.
#
#     bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "run.sh: GNU time (/usr/bin/time) is needed" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
dsd=$PWD/target/release/dsd
for n in 1000 10000 100000; do python3 bench/gen.py "$n" > "$work/d$n.dsd"; done
python3 bench/gen.py 100000 --files 50 -o "$work/m100k"
"$dsd" fmt --stdin < "$work/d10000.dsd" > "$work/f10000.dsd"
# Issue 20: a folder of 700 renamed copies of the Razorpay example (16 nodes
# each, 11,200 in all) against one generated file of 11,200 nodes.
mkdir -p "$work/copies"
for i in $(seq 1 700); do
    sed "s/design razorpay_payments/design razorpay_$i/" examples/razorpay_payments.dsd > "$work/copies/r$i.dsd"
done
python3 bench/gen.py 11200 > "$work/d11200.dsd"

median_ms() { # command -> median in ms over 20 runs
    hyperfine -N --warmup 3 --runs "${RUNS:-20}" --export-json "$work/h.json" "$1" >/dev/null 2>&1 ||
        hyperfine -N --warmup 3 --runs "${RUNS:-20}" -i --export-json "$work/h.json" "$1" >/dev/null
    python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['results'][0]['median']*1000, 1))" "$work/h.json"
}
peak_mb() {
    /usr/bin/time -f %M -o "$work/mem" "$@" >/dev/null 2>&1 || true
    echo $(( $(tail -1 "$work/mem") / 1024 ))
}
row() { # label, command words...
    local label=$1; shift
    local t m
    t=$(median_ms "$*"); m=$(peak_mb "$@")
    echo "| $label | $t ms | $m MB |"
}

rows=$(
    row "\`dsd check\` 1,000 nodes (150 KB)" "$dsd" check "$work/d1000.dsd"
    row "\`dsd check\` 10,000 nodes (1.6 MB)" "$dsd" check "$work/d10000.dsd"
    row "\`dsd check\` 100,000 nodes (16 MB)" "$dsd" check "$work/d100000.dsd"
    row "\`dsd check\` 100,000 nodes, schemas in 50 imported files" "$dsd" check "$work/m100k/main.dsd"
    # Issue 20's pair, timed in alternation (bench/paired.py) so that both
    # meet the same load: their ratio is the measure.
    read -r t_copies t_one ratio < <(python3 bench/paired.py "${RUNS:-20}" "$dsd" check "$work/copies" --vs "$dsd" check "$work/d11200.dsd")
    [ -n "${ratio:-}" ] || { echo "run.sh: bench/paired.py failed" >&2; exit 2; }
    echo "| \`dsd check\` 11,200 nodes in one generated file (1.8 MB) | $t_one ms | $(peak_mb "$dsd" check "$work/d11200.dsd") MB |"
    echo "| \`dsd check\` a folder of 700 copies of the Razorpay example (11,200 nodes, 8.2 MB) | $t_copies ms | $(peak_mb "$dsd" check "$work/copies") MB |"
    echo "| … the folder's time over the one file's, run for run, alternated (median of ${RUNS:-20}) | ${ratio} × | — |"
    row "\`dsd fmt --check\` 10,000 nodes" "$dsd" fmt --check "$work/f10000.dsd"
    row "\`dsd report\` 10,000 nodes" "$dsd" report "$work/d10000.dsd"
    row "\`dsd build --emit svg,html\` 10,000 nodes" "$dsd" build "$work/d10000.dsd" -o "$work/out" --emit svg,html
)
divan=$(cargo bench --quiet --bench pipeline -- lsp_recheck lsp_workspace 2>/dev/null || true)
median_of() { # a divan row's first word -> its median
    # A nested row starts with its parent's `│`; without it, the third
    # column is the median.
    printf '%s\n' "$divan" | grep -E "^\s*(│\s*)?(├|╰)─ $1 " | sed -E 's/^\s*│//' | awk -F'│' '{print $3}' | xargs
}
lsp=$(median_of 1000)
ws_edit=$(median_of lsp_workspace_edit)
ws_used=$(median_of lsp_workspace_edit_used)

table="<!-- targets:start (written by bench/run.sh; do not edit by hand) -->
## dsd against its targets ($(date -u +%Y-%m-%d))

Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $("$dsd" --version).
Median of ${RUNS:-20} runs (hyperfine), peak RSS (GNU time). Designs from \`bench/gen.py\`.

| command | median | peak memory |
|---|---:|---:|
${rows}
| language server re-check, 1,000 nodes, one-character edit (divan median) | ${lsp:-not measured} | — |
| language server, one-character edit in a file imported by 50 files of 200 nodes that do not name what changed (divan median) | ${ws_edit:-not measured} | — |
| … the same edit when all 50 use it (divan median) | ${ws_used:-not measured} | — |
<!-- targets:end -->"

printf '%s\n' "$table" | python3 bench/splice.py targets
echo "run.sh: wrote bench/RESULTS.md" >&2
