#!/usr/bin/env python3
"""scripts/check-sample-names: mapped names checked against repositories.

usage: sample_names_test.py EXTDEPS SCRIPT SOURCE_ROOT fixture|samples

fixture: the fixture repositories (tests/fixtures/rpmmd/repo, conda/channel,
homebrew/formula.json) laid out as metadata samples, with the overlay
tests/fixtures/sample-names naming for each ecosystem a name they have, one
they spell otherwise and one they say nothing of: exactly the second is
reported as contradicted, with the real name, and the exit status is 1.

samples: the real metadata samples ($EXTDEPS_SAMPLE_DATA, else
../shared/data beside the source tree) against the registry: no mapped name
is contradicted. Skipped (77) where there are no samples, as on a clean clone.
"""
import os
import re
import subprocess
import sys
import tempfile

SKIP = 77


def run(script, extdeps, data, *extra):
    return subprocess.run([sys.executable, script, "--extdeps", extdeps, "--data", data] +
                          list(extra), capture_output=True, text=True, check=False)


def fixture(extdeps, script, root):
    fix = os.path.join(root, "tests", "fixtures")
    failures = []
    with tempfile.TemporaryDirectory() as data:
        for src, dst in (("rpmmd/repo", "rpm-md/fixture"), ("conda/channel", "conda/fixture"),
                         ("homebrew/formula.json", "homebrew/fixture/formula.json")):
            path = os.path.join(data, dst)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.symlink(os.path.join(fix, src), path)
        p = run(script, extdeps, data, "-v", "--mappings", os.path.join(fix, "sample-names"))
    print(p.stdout, end="")
    print(p.stderr, end="", file=sys.stderr)
    if p.returncode != 1:
        failures.append("exit status %d, expected 1" % p.returncode)
    out = p.stdout
    wrong = {"fedora": ("GDAL-devel", "gdal-devel"), "conda-forge": ("libgcc_ng", "libgcc-ng"),
             "homebrew": ("Proj", "proj")}
    right = {"fedora": "gdal-devel", "conda-forge": "zlib", "homebrew": "gdal"}
    absent = {"fedora": "sample-absent-devel", "conda-forge": "sample-absent",
              "homebrew": "sample-absent"}
    sections = dict(re.findall(r"^== (\S+) \(\S+\)\n((?:  .*\n)*)", out, re.M))
    for eco, (name, real) in wrong.items():
        sec = sections.get(eco, "")
        if not re.search(r"sample-names/%s\.yaml:\d+:\d+: dep:generic/sample-case: "
                         r"contradicted '%s' -- the sample spells it %s$"
                         % (re.escape(eco), re.escape(name), re.escape(real)), sec, re.M):
            failures.append("%s: '%s' not reported as contradicted by '%s'" % (eco, name, real))
        if "sample-right" in sec:
            failures.append("%s: '%s', which the repository has, reported" % (eco, right[eco]))
        if not re.search(r"dep:generic/sample-absent: not covered '%s'" % re.escape(absent[eco]),
                         sec):
            failures.append("%s: '%s' not reported as missing" % (eco, absent[eco]))
        if not re.search(r"^  %s +\d+ names checked, +\d+ missing from the sample: "
                         r"[1-9]\d* contradicted" % re.escape(eco), out, re.M):
            failures.append("%s: no summary counting the contradicted name" % eco)
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


def samples(extdeps, script, root):
    data = os.environ.get("EXTDEPS_SAMPLE_DATA",
                          os.path.join(os.path.dirname(root), "shared", "data"))
    if not os.path.isdir(data):
        print("no metadata samples at %s: skipped" % data)
        return SKIP
    p = run(script, extdeps, data)
    print(p.stdout, end="")
    print(p.stderr, end="", file=sys.stderr)
    return 0 if p.returncode == 0 else 1


def main(argv):
    if len(argv) != 5 or argv[4] not in ("fixture", "samples"):
        sys.exit(__doc__)
    extdeps, script, root, mode = argv[1:]
    return (fixture if mode == "fixture" else samples)(extdeps, script, root)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
