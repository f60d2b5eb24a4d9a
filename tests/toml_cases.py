#!/usr/bin/env python3
"""Run toml2json over tests/toml: every valid/NAME.toml must decode to the
tagged JSON in valid/NAME.json (compared as values: floats numerically,
date-times as written); every invalid/NAME.toml must be rejected (exit 1).

Usage: toml_cases.py TOML2JSON DIR [valid|invalid]"""
import json
import math
import os
import subprocess
import sys


def same(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) == {"type", "value"} and set(b) == {"type", "value"} and \
                isinstance(a["value"], str):
            if a["type"] != b["type"]:
                return False
            if a["type"] == "float":
                x, y = float(a["value"]), float(b["value"])
                return (math.isnan(x) and math.isnan(y)) or x == y
            if a["type"] == "integer":
                return int(a["value"]) == int(b["value"])
            if a["type"].startswith("datetime"):
                return a["value"].upper().replace(" ", "T") == b["value"].upper().replace(" ", "T")
            return a["value"] == b["value"]
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def main():
    exe, root, kind = sys.argv[1], sys.argv[2], sys.argv[3]
    failed = 0
    names = sorted(n for n in os.listdir(os.path.join(root, kind)) if n.endswith(".toml"))
    for name in names:
        path = os.path.join(root, kind, name)
        with open(path, "rb") as f:
            data = f.read()
        r = subprocess.run([exe], input=data, capture_output=True, timeout=30)
        if kind == "invalid":
            if r.returncode != 1 or not r.stderr:
                print(f"FAIL {name}: accepted, or no message (exit {r.returncode})")
                failed += 1
            continue
        if r.returncode != 0:
            print(f"FAIL {name}: rejected: {r.stderr.decode(errors='replace').strip()}")
            failed += 1
            continue
        with open(path[:-5] + ".json", encoding="utf-8") as f:
            want = json.load(f)
        got = json.loads(r.stdout)
        if not same(want, got):
            print(f"FAIL {name}:\n want {json.dumps(want, sort_keys=True)}\n got  {json.dumps(got, sort_keys=True)}")
            failed += 1
    print(f"{len(names) - failed} passed, {failed} failed")
    return 1 if failed or not names else 0


if __name__ == "__main__":
    sys.exit(main())
