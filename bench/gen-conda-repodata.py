#!/usr/bin/env python3
"""Write a synthetic conda repodata.json of conda-forge's linux-64 size.

    bench/gen-conda-repodata.py OUT [RECORDS] [SUBDIR]   (default 300000, linux-64)

Records look like conda-forge's: names from a pool of ~25,000, a quarter of
the records on 100 popular names (hundreds of builds each, as python or
numpy have), several versions and builds each, 2-10 depends written as match
specs (ranges, pins, build globs) drawn from a few specs per depended-on name
(the real repodata samples have 0.15-0.25 distinct depends strings per
record; this has about 0.3), some constrains, md5/sha256/size/timestamp/
license. Like a real channel, the metadata is consistent: a package depends
only on names listed before it (no cycles), and every spec matches some
versions of its name, so a request has a solution and its closure is a part
of the channel, not all of it. Two thirds go to "packages.conda", the rest to
"packages". Deterministic (seeded).
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
# scipy among the popular names (hundreds of builds); gdal further down, so
# that its dependencies reach over the 1,500 names before it, as the real
# one's closure of ~100 packages does
names[8] = "scipy"
names[1500] = "gdal"
index = {n: i for i, n in enumerate(names)}
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


# First the records' names, versions and builds; then their depends, which
# refer to what exists.
records = []
for i in range(count):
    name = rng.choice(names[:100]) if rng.random() < 0.25 else rng.choice(names)
    bn = rng.randint(0, 5)
    tag = "_cpython" if index[name] < 100 and rng.random() < 0.5 else ""
    records.append((name, version_of(name), bn, "h%07x%s_%d" % (rng.getrandbits(28), tag, bn)))

released = {}
cpython = set()
for name, version, _, build in records:
    released.setdefault(name, []).append(version)
    if "_cpython" in build:
        cpython.add(name)
present = sorted(released, key=index.get)
popular = [n for n in present if index[n] < 2000]


def major_minor(v):
    a, b = v.split(".")[:2]
    return int(a), int(b)


# The specs a package is depended on with: a few per name, as in the real
# repodata, where about one depends entry in five is a spec not seen before;
# each matches some released version of the name.
spec_cache = {}


def specs_of(n):
    specs = spec_cache.get(n)
    if specs is None:
        r = random.Random(n)
        specs = [n]
        for _ in range(r.randint(2, 12)):
            a, b = major_minor(r.choice(released[n]))
            k = r.random()
            if k < 0.5:
                specs.append("%s >=%d.%d,<%d.0a0" % (n, a, b, a + 1))
            elif k < 0.75:
                specs.append("%s >=%d.%d" % (n, a, b))
            elif k < 0.9 or n not in cpython:
                specs.append("%s %d.%d.*" % (n, a, b))
            else:
                specs.append("%s %d.%d.* *_cpython" % (n, a, b))
        spec_cache[n] = specs
    return specs


def below(pool, name):
    """The names of POOL listed before NAME (POOL is sorted by index)."""
    lo, hi = 0, len(pool)
    while lo < hi:
        mid = (lo + hi) // 2
        if index[pool[mid]] < index[name]:
            lo = mid + 1
        else:
            hi = mid
    return lo


def dep(name):
    pool = popular if rng.random() < 0.7 else present
    n = below(pool, name)
    if n == 0:
        return None
    return rng.choice(specs_of(pool[rng.randrange(n)]))


packages, conda = {}, {}
for i, (name, version, bn, build) in enumerate(records):
    depends = sorted({d for d in (dep(name) for _ in range(rng.randint(2, 10))) if d})
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
        other = rng.choice(present)
        rec["constrains"] = ["%s >=%s" % (other, min(released[other], key=major_minor))]
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
