#!/usr/bin/env python3
"""The share of the DepURLs real projects declare that each ecosystem maps.

usage: corpus_coverage.py EXTDEPS CORPUS [--check] [--json]

CORPUS (tests/corpus/adopters.txt) lists the DepURLs of public projects'
[external] tables under a header per project and file. Every distinct
DepURL is written into one generated pyproject.toml and mapped with
'EXTDEPS map --distro=TARGET --format=json' for each target; a DepURL
counts once, by the id extdeps reads it as (draft spellings and aliases
resolve to the same id).

For each target the report gives the DepURLs mapped to packages, those the
registry says the ecosystem does not package ("unavailable"), those known
but not mapped there yet, and those unknown, then two shares: mapped of
all, and mapped of those the ecosystem packages (all but unavailable).

With --check the exit status is 1 unless every DepURL is known to the
registry and debian:12, fedora:41 and conda-forge each map at least the
share of the DepURLs they package that GOALS gives.
"""
import json
import os
import subprocess
import sys
import tempfile

TARGETS = ["debian:12", "debian:13", "ubuntu:24.04", "fedora:41", "conda-forge",
           "homebrew", "nixpkgs", "arch", "alpine:3.21", "opensuse-leap:15.6",
           "opensuse-tumbleweed"]
# the least share of what each of these targets packages (all the corpus's
# DepURLs but those the registry marks unavailable there) that must map
GOALS = {"debian:12": 0.95, "fedora:41": 0.95, "conda-forge": 0.95}


def read_corpus(path):
    """[(source, depurl)] in file order."""
    items, source = [], None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                if not line.endswith("]") or " " not in line:
                    sys.exit(f"{path}:{n}: expected [OWNER/REPOSITORY PATH]")
                source = line[1:-1]
                continue
            if source is None:
                sys.exit(f"{path}:{n}: a DepURL before the first [project file] header")
            items.append((source, line))
    return items


def write_project(root, depurls):
    lines = ["[project]", 'name = "corpus"', 'version = "0"', "", "[external]",
             "host-requires = ["]
    lines += [f"  {json.dumps(d)}," for d in depurls]
    lines.append("]")
    path = os.path.join(root, "pyproject.toml")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def map_target(extdeps, project, target):
    """{depurl id: status} as 'map' reports them for TARGET."""
    res = subprocess.run([extdeps, "map", f"--distro={target}", "--format=json", project],
                         capture_output=True, text=True, check=False)
    if res.returncode not in (0, 1):
        sys.exit(f"map --distro={target} failed ({res.returncode}): {res.stderr}")
    doc = json.loads(res.stdout)
    statuses = {}
    for dep in doc["dependencies"]:
        key = dep["depurl"] + (("@" + dep["version"]) if dep.get("version") else "")
        statuses[key] = dep["status"]
    return statuses


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    extdeps, corpus = argv[1], argv[2]
    check, as_json = "--check" in argv[3:], "--json" in argv[3:]
    items = read_corpus(corpus)
    written = list(dict.fromkeys(d for _, d in items))
    projects = {s.split(" ")[0] + " " + s.split(" ")[1].rstrip(":") for s, _ in items}
    report, failures = {}, []
    with tempfile.TemporaryDirectory() as tmp:
        project = write_project(tmp, written)
        for target in TARGETS:
            st = map_target(extdeps, project, target)
            count = {k: sum(1 for v in st.values() if v == k)
                     for k in ("mapped", "unavailable", "unmapped", "unknown")}
            total = len(st)
            packaged = total - count["unavailable"]
            share_all = count["mapped"] / total if total else 0.0
            share_packaged = count["mapped"] / packaged if packaged else 1.0
            report[target] = dict(count, total=total, share=share_all,
                                  share_packaged=share_packaged,
                                  unknown_ids=sorted(k for k, v in st.items() if v == "unknown"),
                                  unmapped_ids=sorted(k for k, v in st.items() if v == "unmapped"))
            if target in GOALS:
                need, got = GOALS[target], share_packaged
                if got < need:
                    failures.append(f"{target}: {got:.1%} mapped, under {need:.0%}")
            if count["unknown"]:
                failures.append(f"{target}: unknown DepURLs: "
                                + ", ".join(report[target]["unknown_ids"]))
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{len(items)} DepURLs in {len(projects)} files, {len(written)} as written, "
              f"{report[TARGETS[0]]['total']} distinct")
        print(f"{'target':<14}{'mapped':>7}{'unavail':>8}{'unmapped':>9}{'unknown':>8}"
              f"{'of all':>9}{'of packaged':>13}")
        for t in TARGETS:
            r = report[t]
            print(f"{t:<14}{r['mapped']:>7}{r['unavailable']:>8}{r['unmapped']:>9}"
                  f"{r['unknown']:>8}{r['share']:>9.1%}{r['share_packaged']:>13.1%}")
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    return 1 if check and failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
