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

# Runs a command RUNS times: prints "median-seconds peak-MB" or, if a run fails,
# "FAIL seconds reason".
measure() {
    local runs=$1 cmd=$2 times=() peak=0
    for _ in $(seq "$runs"); do
        if ! /usr/bin/time -f "%e %M" -o "$work/t" bash -c "$cmd" >"$work/out" 2>&1; then
            local why
            why=$(grep -m1 -oE "out of memory|heap out of memory|Killed|[A-Za-z]*Error[^.]*" "$work/out" || echo "exit $?")
            echo "FAIL $(tail -1 "$work/t" | cut -d' ' -f1) $why"
            return
        fi
        read -r t m < <(tail -1 "$work/t")
        times+=("$t")
        (( m > peak )) && peak=$m
    done
    python3 -c "import statistics,sys; print(statistics.median(map(float, sys.argv[2:])), int(sys.argv[1])//1024)" "$peak" "${times[@]}"
}
# median seconds of `hyperfine` over dsd (fast enough for many runs)
median() {
    hyperfine -N --runs "$1" --warmup "$2" --export-json "$work/h.json" "$3" >/dev/null
    python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['median'])" "$work/h.json"
}
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
    rows+="| $n | \`dsd check\` | $(fmt_s "$t_dsd") | $m_dsd MB | 1x |"$'\n'
    for peer in "likec4 validate|$c4_cmd" "likec4 validate --no-layout|$c4n_cmd" "D2.js compile|$d2_cmd"; do
        label=${peer%%|*}
        read -r a b c < <(measure "$runs" "${peer#*|}")
        if [ "$a" = FAIL ]; then
            rows+="| $n | \`$label\` | fails after $(fmt_s "$b"): $c | — | — |"$'\n'
        else
            ratio=$(python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):,.0f}x')" "$a" "$t_dsd")
            rows+="| $n | \`$label\` | $(fmt_s "$a") | $b MB | $ratio |"$'\n'
        fi
    done
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

printf '%s\n' "$table" | python3 bench/splice.py compare
echo "compare.sh: wrote bench/RESULTS.md" >&2
