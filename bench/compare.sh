#!/usr/bin/env bash
# Times dsd beside LikeC4 and D2 on the same generated models, in one run, and
# writes the table into bench/RESULTS.md (between the compare markers).
#
#     bench/compare.sh            # 1,000 and 10,000 nodes, 3 runs each
#     RUNS=1 bench/compare.sh     # one run each (the peers take minutes at 10k)
#
# Needs: cargo, python3, node/npm (installs bench/peers from its lock file),
# hyperfine and GNU time (apt-get install hyperfine time).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
sizes=${SIZES:-"1000 10000"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in hyperfine python3 node npm; do
    command -v "$tool" >/dev/null || { echo "compare.sh: $tool is needed" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "compare.sh: GNU time (/usr/bin/time) is needed" >&2; exit 2; }

cargo build --release --quiet
dsd=$PWD/target/release/dsd
(cd bench/peers && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
likec4=$PWD/bench/peers/node_modules/.bin/likec4
d2js=$PWD/bench/peers/d2-compile.mjs

# median seconds of `hyperfine --runs N` over one command
median() {
    local json=$work/h.json
    hyperfine -N --runs "$1" --warmup "$2" --export-json "$json" "$3" >/dev/null 2>&1 ||
        hyperfine --runs "$1" --warmup "$2" --export-json "$json" "$3" >/dev/null
    python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['median'])" "$json"
}
# peak resident memory in MB of one run
peak() {
    /usr/bin/time -f %M -o "$work/mem" bash -c "$1" >/dev/null 2>&1 || true
    echo $(( $(tail -1 "$work/mem") / 1024 ))
}
fmt_s() { python3 -c "import sys; v=float(sys.argv[1]); print(f'{v*1000:.0f} ms' if v < 1 else f'{v:.1f} s')" "$1"; }

rows=""
for n in $sizes; do
    python3 bench/gen.py "$n" > "$work/d$n.dsd"
    mkdir -p "$work/c4-$n"
    python3 bench/gen.py "$n" --format likec4 > "$work/c4-$n/model.c4"
    python3 bench/gen.py "$n" --format d2 > "$work/d$n.d2"

    echo "compare.sh: $n nodes" >&2
    dsd_cmd="$dsd check $work/d$n.dsd"
    c4_cmd="$likec4 validate $work/c4-$n"
    c4n_cmd="$likec4 validate --no-layout $work/c4-$n"
    d2_cmd="node $d2js $work/d$n.d2"
    t_dsd=$(median 10 3 "$dsd_cmd"); m_dsd=$(peak "$dsd_cmd")
    t_c4=$(median "$runs" 0 "$c4_cmd"); m_c4=$(peak "$c4_cmd")
    t_c4n=$(median "$runs" 0 "$c4n_cmd")
    t_d2=$(median "$runs" 0 "$d2_cmd"); m_d2=$(peak "$d2_cmd")
    ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):,.0f}x')" "$1" "$t_dsd"; }
    rows+="| $n | \`dsd check\` | $(fmt_s "$t_dsd") | $m_dsd MB | 1x |"$'\n'
    rows+="| $n | \`likec4 validate\` | $(fmt_s "$t_c4") | $m_c4 MB | $(ratio "$t_c4") |"$'\n'
    rows+="| $n | \`likec4 validate --no-layout\` | $(fmt_s "$t_c4n") | — | $(ratio "$t_c4n") |"$'\n'
    rows+="| $n | D2.js \`compile\` | $(fmt_s "$t_d2") | $m_d2 MB | $(ratio "$t_d2") |"$'\n'
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
table="<!-- compare:start (written by bench/compare.sh; do not edit by hand) -->
## dsd beside LikeC4 and D2 ($(date -u +%Y-%m-%d))

Machine: $(nproc) cores ($cpu), $(free -g | awk '/Mem:/{print $2}') GiB. Versions: $("$dsd" --version),
likec4 $("$likec4" --version 2>/dev/null | tail -1), @terrastruct/d2 $(node -p "require('$PWD/bench/peers/node_modules/@terrastruct/d2/package.json').version"),
node $(node --version). The same generated graph in each language (\`bench/gen.py N
--format dsd|likec4|d2\`): five layers, 4N/5 labelled edges. Median of $runs runs
(dsd: 10), whole process, peak RSS from GNU time. dsd also proves units, delivery,
schemas, failures and budgets; the peers only parse, link and (D2, LikeC4 by
default) lay out.

| nodes | command | median | peak memory | dsd is faster by |
|---:|---|---:|---:|---:|
${rows}<!-- compare:end -->"

python3 - "$table" <<'EOF'
import re, sys
path = "bench/RESULTS.md"
text = open(path).read()
new = sys.argv[1]
pat = re.compile(r"<!-- compare:start.*?<!-- compare:end -->", re.S)
text = pat.sub(lambda m: new, text) if pat.search(text) else text.rstrip() + "\n\n" + new + "\n"
open(path, "w").write(text)
EOF
echo "compare.sh: wrote bench/RESULTS.md" >&2
