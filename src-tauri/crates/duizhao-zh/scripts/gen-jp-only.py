#!/usr/bin/env python3
"""Regenerates src/jp_only.txt: Japanese shinjitai that are not Chinese forms.

A character qualifies when it is a key of OpenCC's JPShinjitaiCharacters.txt that does not map to
itself, is encodable in neither GB2312 nor Big5, and occurs in none of OpenCC's Chinese character
tables (ST/TS characters, the Taiwan and Hong Kong variant tables), so Hong Kong forms such as 説
are never taken for Japanese. Usage: scripts/gen-jp-only.py > src/jp_only.txt
"""
import pathlib

DICT = pathlib.Path(__file__).resolve().parent.parent / "dict"


def entries(name):
    for line in (DICT / name).read_text(encoding="utf-8").split("\n"):
        line = line.rstrip("\r")
        if not line or line.startswith("#") or "\t" not in line:
            continue
        key, values = line.split("\t", 1)
        yield key, values.split(" ")


def encodable(ch, encoding):
    try:
        ch.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


chinese = set()
for name in ["STCharacters.txt", "TSCharacters.txt", "TSCharactersExt.txt", "TWVariants.txt",
             "TWVariantsRev.txt", "HKVariants.txt", "HKVariantsRev.txt"]:
    for key, values in entries(name):
        chinese.update(key)
        for v in values:
            chinese.update(v)

out = sorted(
    key for key, values in entries("JPShinjitaiCharacters.txt")
    if len(key) == 1 and key not in values and key not in chinese
    and not encodable(key, "gb2312") and not encodable(key, "big5")
)
print("".join(out))
