#!/usr/bin/env python3
"""Times two commands in alternation and prints the median of each and the
median of their per-round ratio (A / B), all in ms except the ratio.

    bench/paired.py ROUNDS CMD_A... --vs CMD_B...

Timed one after the other (as hyperfine does, all of A then all of B), two
commands meet different load on a shared machine, and their ratio moves by
more than the difference it is meant to show. Alternating them, one A and one
B a round, puts both under the same load; the median ratio of the rounds is
then the figure to compare with a target such as "A takes at most 1.5 times
B". Output goes to /dev/null; a command that exits with a status other than
0 stops the script with status 2 (a failing command is not the one meant).
"""
import statistics
import subprocess
import sys
import time


def timed(cmd):
    start = time.perf_counter()
    status = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    took = (time.perf_counter() - start) * 1000
    if status.returncode != 0:
        print(f"paired.py: {' '.join(cmd)} exited with {status.returncode}", file=sys.stderr)
        sys.exit(2)
    return took


def main():
    args = sys.argv[1:]
    if len(args) < 4 or "--vs" not in args:
        sys.exit("usage: paired.py ROUNDS CMD_A... --vs CMD_B...")
    rounds = int(args[0])
    split = args.index("--vs")
    a, b = args[1:split], args[split + 1 :]
    for _ in range(3):  # warm the page cache and the CPU's clocks
        timed(a)
        timed(b)
    ta, tb = [], []
    for i in range(rounds):
        # Which goes first alternates too, so neither always runs just after
        # the other has heated the caches.
        if i % 2 == 0:
            ta.append(timed(a))
            tb.append(timed(b))
        else:
            tb.append(timed(b))
            ta.append(timed(a))
    ratio = statistics.median(x / y for x, y in zip(ta, tb))
    print(f"{statistics.median(ta):.1f} {statistics.median(tb):.1f} {ratio:.2f}")


main()
