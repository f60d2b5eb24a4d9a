#!/usr/bin/env python3
"""Write a synthetic conda repodata.json of conda-forge's linux-64 size.

    bench/gen-conda-repodata.py OUT [RECORDS] [SUBDIR]   (default 300000, linux-64)

Records look like conda-forge's: names from a pool of ~25,000, several
versions and builds each, 2-10 depends written as match specs (ranges, pins,
build globs) drawn from a few specs per depended-on name (the real repodata
samples have 0.15-0.25 distinct depends strings per record; this has about
0.3), some constrains, md5/sha256/size/timestamp/license. Two thirds
go to "packages.conda", the rest to "packages". Deterministic (seeded).
"""
import json
import random
import sys

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 300000
subdir = sys.argv[3] if len(sys.argv) > 3 else "linux-64"
rng = random.Random(725)

names = ["pkg%05d" % i for i in range(25000)]
names[:8] = ["python", "numpy", "libblas", "libgcc-ng", "openssl", "zlib", "libzlib", "ca-certificates"]
versions = {}


def version_of(name):
    v = versions.get(name)
    if v is None:
        major = rng.randint(0, 30)
        v = versions[name] = [major, rng.randint(0, 20), rng.randint(0, 10)]
    v[2] += 1
    if v[2] > 12:
        v[1] += 1
        v[2] = 0
    s = "%d.%d.%d" % tuple(v)
    r = rng.random()
    if r < 0.03:
        s += "rc%d" % rng.randint(1, 3)
    elif r < 0.04:
        s += ".post%d" % rng.randint(1, 3)
    return s


# The specs a package is depended on with: a few per name, as in the real
# repodata, where about one depends entry in five is a spec not seen before.
spec_cache = {}


def specs_of(n):
    specs = spec_cache.get(n)
    if specs is None:
        r = random.Random(n)
        specs = [n]
        for _ in range(r.randint(2, 12)):
            lo = (r.randint(0, 5), r.randint(0, 20))
            k = r.random()
            if k < 0.5:
                specs.append("%s >=%d.%d,<%d.0a0" % (n, lo[0], lo[1], lo[0] + 1))
            elif k < 0.75:
                specs.append("%s >=%d.%d" % (n, lo[0], lo[1]))
            elif k < 0.9:
                specs.append("%s %d.%d.*" % (n, lo[0], lo[1]))
            else:
                specs.append("%s %d.%d.* *_cpython" % (n, lo[0], lo[1]))
        spec_cache[n] = specs
    return specs


def dep(rng):
    n = rng.choice(names[:2000] if rng.random() < 0.7 else names)
    return rng.choice(specs_of(n))


packages, conda = {}, {}
for i in range(count):
    # a quarter of the records go to 100 popular names (~750 builds each, as
    # python or numpy have on conda-forge), the rest spread over all names
    name = rng.choice(names[:100]) if rng.random() < 0.25 else rng.choice(names)
    version = version_of(name)
    bn = rng.randint(0, 5)
    build = "h%07x_%d" % (rng.getrandbits(28), bn)
    depends = [dep(rng) for _ in range(rng.randint(2, 10))]
    if rng.random() < 0.2:
        depends.append("__glibc >=2.17,<3.0.a0")
    rec = {
        "build": build,
        "build_number": bn,
        "depends": depends,
        "license": "BSD-3-Clause",
        "md5": "%032x" % rng.getrandbits(128),
        "name": name,
        "sha256": "%064x" % rng.getrandbits(256),
        "size": rng.randint(2000, 50000000),
        "subdir": subdir,
        "timestamp": 1600000000000 + i,
        "version": version,
    }
    if rng.random() < 0.15:
        rec["constrains"] = ["%s >=%d" % (rng.choice(names), rng.randint(1, 5))]
    if rng.random() < 0.01:
        rec["track_features"] = "pypy"
    fn = "%s-%s-%s" % (name, version, build)
    if rng.random() < 0.66:
        conda[fn + ".conda"] = rec
    else:
        packages[fn + ".tar.bz2"] = rec

with open(out, "w") as f:
    json.dump({"info": {"subdir": subdir}, "packages": packages, "packages.conda": conda,
               "removed": [], "repodata_version": 1}, f, indent=1, sort_keys=True)
