#!/usr/bin/env python3
"""Every id of the PEP 804 central registry is known to extdeps.

usage: pep804_ids_test.py EXTDEPS IDS_FILE

IDS_FILE (tests/fixtures/pep804-central/ids.txt) holds the ids the central
registry publishes, one a line. Each must resolve with 'EXTDEPS mappings
show ID', as a definition, an alias or a DepURL of a type a rule covers;
those that do not are named and the exit status is 1.
"""
import subprocess
import sys


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    extdeps, path = argv[1], argv[2]
    with open(path, encoding="utf-8") as f:
        ids = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    unknown = []
    for depurl in ids:
        res = subprocess.run([extdeps, "mappings", "show", depurl], capture_output=True,
                             text=True, check=False)
        if res.returncode != 0:
            unknown.append(f"{depurl}: {res.stderr.strip()}")
    for u in unknown:
        print("unknown: " + u)
    print(f"{len(ids) - len(unknown)} passed, {len(unknown)} failed")
    return 1 if unknown or not ids else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
