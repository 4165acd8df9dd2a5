#!/usr/bin/env python3
"""Converts a corpus with the reference OpenCC (PyPI opencc==1.4.2) for the differential test.

Usage: opencc-reference.py CORPUS.json OUT.json CONFIG[,CONFIG...]
CORPUS.json is a JSON list of documents; OUT.json receives {config: [converted document, ...]}.
One process and one converter per config convert the whole corpus.
"""
import json
import sys

import opencc

corpus_path, out_path, configs = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
with open(corpus_path, encoding="utf-8") as f:
    documents = json.load(f)
if opencc.__version__ != "1.4.2":
    sys.exit(f"reference must be opencc 1.4.2, found {opencc.__version__}")
result = {}
for name in configs:
    converter = opencc.OpenCC(name)
    result[name] = [converter.convert(doc) for doc in documents]
with open(out_path, "w", encoding="utf-8") as f:
    json.dump(result, f, ensure_ascii=False)
