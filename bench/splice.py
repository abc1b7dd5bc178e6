#!/usr/bin/env python3
"""Replaces the section between `<!-- NAME:start ... -->` and `<!-- NAME:end -->`
in bench/RESULTS.md with the text on standard input (which carries its own
markers), or appends it if the section is not there yet.

    bench/splice.py targets < table.md
"""
import re
import sys

name = sys.argv[1]
new = sys.stdin.read().rstrip("\n")
path = "bench/RESULTS.md"
text = open(path).read()
pat = re.compile(r"<!-- " + re.escape(name) + r":start.*?<!-- " + re.escape(name) + r":end -->", re.S)
text = pat.sub(lambda m: new, text) if pat.search(text) else text.rstrip() + "\n\n" + new + "\n"
open(path, "w").write(text)
