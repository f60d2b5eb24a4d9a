"""A conda channel shaped like conda-forge's, for tests/conda_agreement.py.

channel(seed, extra) returns {subdir: repodata} for linux-64 and noarch in
the real repodata.json format (info.subdir, repodata_version 1, "packages"
and "packages.conda"; records with build, build_number, depends,
constrains, license, md5, sha256, size, subdir, timestamp in milliseconds,
track_features, noarch). The core is written out as conda-forge packages
it: the compiler runtime, python 3.10-3.13 with python_abi pinning its
builds (and a PyPy build de-prioritised by track_features), numpy 1.26 and
2.x built per Python, BLAS variants (openblas, and mkl carrying
track_features), libzlib/zlib split, openssl 1.1.1 and 3.x, noarch python
and generic packages, build numbers and timestamps that decide between
otherwise equal builds. With EXTRA > 0, that many more names are drawn
(seeded) as the long tail of the channel: 1-6 versions of each, several
builds per version (per Python for extension modules), dependencies on
names listed before (no cycles) written in the spec forms conda-forge uses
(bare names, lower bounds, run_exports-style "<x.0a0" upper bounds, "x.*",
alternatives, a few upper bounds), some constrains, and a few builds needing a newer glibc than the
test's virtual __glibc 2.36.

specs(rng, repodata) draws a request of 1-4 match specs over the names of a
channel, in conda's syntax.
"""
import hashlib
import random

PYTHONS = [("3.10", "3.10.14", "cp310"), ("3.11", "3.11.9", "cp311"),
           ("3.12", "3.12.4", "cp312"), ("3.13", "3.13.0", "cp313")]


def _hash(*parts):
    return "h" + hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()[:7]


class Channel:
    def __init__(self):
        self.repodata = {s: {"info": {"subdir": s}, "packages": {}, "packages.conda": {},
                             "removed": [], "repodata_version": 1}
                         for s in ("linux-64", "noarch")}
        self.ts = 1690000000000
        self.names = []     # in order of definition: depends only look back
        self.versions = {}  # name -> [version]

    def add(self, name, version, build, build_number, depends=(), constrains=(),
            subdir="linux-64", track_features=None, noarch=None, tarbz2=False, ts_step=86400000):
        self.ts += ts_step
        rec = {"build": build, "build_number": build_number, "depends": list(depends),
               "license": "BSD-3-Clause", "md5": hashlib.md5((name + version + build).encode()).hexdigest(),
               "name": name,
               "sha256": hashlib.sha256((name + version + build).encode()).hexdigest(),
               "size": 10000 + len(name) * 1000, "subdir": subdir, "timestamp": self.ts,
               "version": version}
        if constrains:
            rec["constrains"] = list(constrains)
        if track_features:
            rec["track_features"] = track_features
        if noarch:
            rec["noarch"] = noarch
        fn = "%s-%s-%s%s" % (name, version, build, ".tar.bz2" if tarbz2 else ".conda")
        self.repodata[subdir]["packages" if tarbz2 else "packages.conda"][fn] = rec
        if name not in self.versions:
            self.names.append(name)
            self.versions[name] = []
        if version not in self.versions[name]:
            self.versions[name].append(version)
        return rec


def _core(c):
    c.add("_libgcc_mutex", "0.1", "conda_forge", 0, tarbz2=True)
    for v, bn in (("12.2.0", 19), ("13.2.0", 7), ("14.1.0", 0)):
        h = _hash("gcc", v)
        c.add("libgomp", v, "%s_%d" % (h, bn), bn, ["_libgcc_mutex 0.1 conda_forge"])
        c.add("_openmp_mutex", "4.5", "2_gnu", 16 + bn,
              ["_libgcc_mutex 0.1 conda_forge", "libgomp >=%s" % v.split(".")[0]],
              ["openmp_impl 9999"], ts_step=1000)
        c.add("libgcc-ng", v, "%s_%d" % (h, bn), bn,
              ["_libgcc_mutex 0.1 conda_forge", "_openmp_mutex >=4.5", "__glibc >=2.17,<3.0.a0"],
              ["libgomp %s %s_%d" % (v, h, bn)])
        c.add("libstdcxx-ng", v, "%s_%d" % (h, bn), bn, ["libgcc-ng %s %s_%d" % (v, h, bn)])
    # the newest libgcc-ng build needs a newer glibc than the machine's
    c.add("libgcc-ng", "14.2.0", "hb9d3cd8_1", 1, ["_libgcc_mutex 0.1 conda_forge",
                                                   "__glibc >=2.39,<3.0.a0"])
    for v, bn in (("1.2.13", 5), ("1.3.1", 1), ("1.3.1", 2)):
        h = _hash("zlib", v, bn)
        c.add("libzlib", v, "%s_%d" % (h, bn), bn, ["libgcc-ng >=12"], ["zlib %s *_%d" % (v, bn)])
        c.add("zlib", v, "%s_%d" % (h, bn), bn, ["libgcc-ng >=12", "libzlib %s %s_%d" % (v, h, bn)])
    for v in ("1.1.1w", "3.1.5", "3.2.1", "3.3.1"):
        for bn in (0, 1):
            c.add("openssl", v, "%s_%d" % (_hash("openssl", v), bn), bn,
                  ["ca-certificates", "libgcc-ng >=12"])
    c.add("ca-certificates", "2024.2.2", "hbcca054_0", 0)
    c.add("ca-certificates", "2024.7.4", "hbcca054_0", 0)
    for v in ("3.4.2", "3.4.6"):
        c.add("libffi", v, _hash("libffi", v) + "_5", 5, ["libgcc-ng >=9.4.0"])
    for v in ("8.6.12", "8.6.13"):
        c.add("tk", v, "noxft_%s_101" % _hash("tk", v), 101,
              ["libgcc-ng >=12", "libzlib >=1.2.13,<2.0.0a0"])
    c.add("tzdata", "2024a", "h0c530f3_0", 0, subdir="noarch", noarch="generic")
    c.add("tzdata", "2024b", "hc8b5060_0", 0, subdir="noarch", noarch="generic")
    for mm, full, cp in PYTHONS:
        c.add("python_abi", mm, "5_" + cp, 5, constrains=["python %s.* *_cpython" % mm])
        deps = ["libffi >=3.4,<4.0a0", "libgcc-ng >=12", "libzlib >=1.2.13,<2.0.0a0",
                "openssl >=3.%d,<4.0a0" % (1 if mm < "3.12" else 2), "tk >=8.6.13,<8.7.0a0",
                "tzdata"]
        for bn in (0, 1):
            c.add("python", full, "%s_%d_cpython" % (_hash("python", full), bn), bn, deps)
        if mm == "3.13":
            # an rc before the release, and the free-threading build, which
            # its python_abi puts behind a feature
            c.add("python", "3.13.0rc1", "h9ebbce0_100_cpython", 100, deps)
            c.add("python_abi", mm, "5_cp313t", 5, constrains=["python 3.13.* *_cp313t"],
                  track_features="py_freethreading")
            c.add("python", full, "h4f6b6c6_0_cp313t", 0, deps + ["python_abi 3.13.* *_cp313t"])
        if mm == "3.10":
            c.add("python_abi", mm, "5_pypy310_pp73", 5, constrains=["python 3.10.* *_73_pypy"],
                  track_features="pypy")
            c.add("python", full, "0_73_pypy", 0,
                  deps + ["pypy3.10 7.3.*", "python_abi 3.10.* *_pypy310_pp73"])
    c.add("pypy3.10", "7.3.16", _hash("pypy", "7.3.16") + "_0", 0, ["libgcc-ng >=12"])
    # BLAS: openblas and mkl builds of libblas; mkl's carry a feature
    for ov in ("0.3.25", "0.3.27"):
        c.add("libopenblas", ov, "pthreads_%s_0" % _hash("openblas", ov), 0,
              ["libgcc-ng >=12", "libgfortran-ng", "libgfortran5 >=12.3.0"],
              ["openblas >=%s,<%s.1.0a0" % (ov, ov)])
    c.add("libgfortran5", "13.2.0", _hash("gfortran", 13) + "_7", 7, [])
    c.add("libgfortran-ng", "13.2.0", _hash("gfortran", 13) + "_7", 7, ["libgfortran5 13.2.0 *_7"])
    c.add("mkl", "2024.1.0", "ha957f24_693", 693, ["_openmp_mutex * *_llvm", "_openmp_mutex >=4.5"])
    for bn in (20, 22):
        for impl, dep, tf in (("openblas", "libopenblas >=0.3.27,<1.0a0", None),
                              ("mkl", "mkl >=2024.1.0,<2025.0a0", "blas_mkl")):
            b = "%d_linux64_%s" % (bn, impl)
            c.add("libblas", "3.9.0", b, bn, [dep], ["liblapacke 3.9.0 %d_*_%s" % (bn, impl)],
                  track_features=tf)
            c.add("libcblas", "3.9.0", b, bn, ["libblas 3.9.0 " + b], track_features=tf)
            c.add("liblapack", "3.9.0", b, bn, ["libblas 3.9.0 " + b], track_features=tf)
    for nv in ("1.26.4", "2.0.2", "2.1.1"):
        for mm, full, cp in PYTHONS:
            if nv == "1.26.4" and mm == "3.13":
                continue
            py = "py%s" % mm.replace(".", "")
            for bn in (0, 1):
                c.add("numpy", nv, "%s%s_%d" % (py, _hash("numpy", nv, mm), bn), bn,
                      ["libblas >=3.9.0,<4.0a0", "libcblas >=3.9.0,<4.0a0",
                       "liblapack >=3.9.0,<4.0a0", "libgcc-ng >=12", "libstdcxx-ng >=12",
                       "python >=%s,<%s.0a0" % (mm, _next_minor(mm)), "python_abi %s.* *_%s" % (mm, cp)],
                      ["numpy-base <0a0"])
    for sv, npmin in (("1.13.1", "1.22.4"), ("1.14.1", "1.23.5")):
        for mm, full, cp in PYTHONS[:3]:
            py = "py%s" % mm.replace(".", "")
            c.add("scipy", sv, "%s%s_0" % (py, _hash("scipy", sv, mm)), 0,
                  ["libblas >=3.9.0,<4.0a0", "libcblas >=3.9.0,<4.0a0", "libgcc-ng >=12",
                   "libgfortran-ng", "libgfortran5 >=12.3.0", "liblapack >=3.9.0,<4.0a0",
                   "libstdcxx-ng >=12", "numpy >=%s,<2.3" % npmin,
                   "python >=%s,<%s.0a0" % (mm, _next_minor(mm)), "python_abi %s.* *_%s" % (mm, cp)])
    for pv in ("23.2", "24.0", "24.1"):
        c.add("packaging", pv, "pyhd8ed1ab_0", 0, ["python >=3.8"], subdir="noarch", noarch="python")
    c.add("six", "1.16.0", "pyh6c4a22f_0", 0, ["python"], subdir="noarch", noarch="python")
    c.add("six", "1.16.0", "pyhd8ed1ab_1", 1, ["python >=3.9"], subdir="noarch", noarch="python")
    c.add("python-dateutil", "2.9.0", "pyhd8ed1ab_0", 0, ["python >=3.7", "six >=1.5"],
          subdir="noarch", noarch="python")


def _next_minor(mm):
    a, b = mm.split(".")
    return "%s.%d" % (a, int(b) + 1)


def _version(rng, state):
    state[2] += 1
    if state[2] > rng.randint(3, 12):
        state[1] += 1
        state[2] = 0
    v = "%d.%d.%d" % tuple(state)
    r = rng.random()
    if r < 0.04:
        v += "rc1"
    elif r < 0.06:
        v += ".post1"
    elif r < 0.08:
        v = "%d.%d%s" % (state[0], state[1], "abcdefgh"[state[2] % 8])
    return v


def _dep_spec(rng, c, name):
    """A dependency on NAME as conda-forge writes them: mostly bare or a
    lower bound, run_exports-style ranges that admit the newest version,
    and now and then a pin; every one matches some version."""
    vs = c.versions[name]
    v = rng.choice(vs[:max(1, (len(vs) + 1) // 2)])
    parts = v.split(".")
    r = rng.random()
    if r < 0.35:
        return name
    if r < 0.65:
        return "%s >=%s" % (name, v)
    if r < 0.80 and parts[0].isdigit():
        return "%s >=%s,<%d.0a0" % (name, v, int(vs[-1].split(".")[0]) + 1)
    if r < 0.87 and len(parts) >= 2:
        return "%s %s.*" % (name, ".".join(parts[:2]))
    if r < 0.93 and len(vs) > 1:
        return "%s <%s" % (name, rng.choice(vs[1:]))
    if len(vs) > 1:
        return "%s %s" % (name, "|".join(rng.sample(vs, 2)))
    return "%s >=%s" % (name, v)


def _tail(c, rng, count):
    base = len(c.names)
    for i in range(count):
        name = "lib%s%03d" % (rng.choice(["geo", "img", "net", "xml", "mat", "io", "ssl", "z"]), i)
        nver = rng.choice([1, 1, 2, 3, 4, 6])
        state = [rng.randint(0, 9), rng.randint(0, 9), 0]
        ext = rng.random() < 0.3       # an extension module: a build per Python
        noarch = not ext and rng.random() < 0.15
        pool = c.names[:]
        ndeps = rng.randint(0, min(4, len(pool)))
        for _ in range(nver):
            v = _version(rng, state)
            deps = [_dep_spec(rng, c, d) for d in rng.sample(pool, ndeps)
                    if d not in ("python", "python_abi") and not d.startswith("_")]
            deps = _one_per_name(deps)
            cons = []
            if rng.random() < 0.1:
                other = rng.choice(pool)
                if other != name and not other.startswith("_"):
                    cons.append(_dep_spec(rng, c, other))
            builds = rng.choice([1, 1, 2, 3])
            for bn in range(builds):
                glibc = ["__glibc >=2.39,<3.0.a0"] if rng.random() < 0.03 else []
                if ext:
                    for mm, full, cp in PYTHONS[rng.randint(0, 2):]:
                        c.add(name, v, "py%s%s_%d" % (mm.replace(".", ""), _hash(name, v, mm), bn), bn,
                              deps + ["python >=%s,<%s.0a0" % (mm, _next_minor(mm)),
                                      "python_abi %s.* *_%s" % (mm, cp)] + glibc, cons)
                elif noarch:
                    c.add(name, v, "pyhd8ed1ab_%d" % bn, bn, deps + ["python >=3.9"], cons,
                          subdir="noarch", noarch="python")
                else:
                    tf = "debug" if rng.random() < 0.03 else None
                    c.add(name, v, "%s_%d" % (_hash(name, v, bn), bn), bn, deps + glibc, cons,
                          track_features=tf)
    return base


def _one_per_name(deps):
    seen, out = set(), []
    for d in deps:
        n = d.split(" ")[0]
        if n not in seen:
            seen.add(n)
            out.append(d)
    return out


def channel(seed=0, extra=0):
    c = Channel()
    _core(c)
    if extra:
        _tail(c, random.Random(seed), extra)
    return c


def specs(rng, c):
    """A request of 1-4 match specs over the names of C."""
    names = [n for n in c.names if not n.startswith("_")]
    out = []
    for name in rng.sample(names, rng.randint(1, 4)):
        vs = c.versions[name]
        v = rng.choice(vs)
        parts = v.split(".")
        r = rng.random()
        if r < 0.35:
            out.append(name)
        elif r < 0.50:
            out.append("%s >=%s" % (name, v))
        elif r < 0.60:
            out.append("%s <=%s" % (name, v))
        elif r < 0.68 and len(parts) >= 2:
            out.append("%s %s.*" % (name, ".".join(parts[:2])))
        elif r < 0.74:
            out.append("%s==%s" % (name, v))
        elif r < 0.80:
            out.append("%s=%s" % (name, parts[0]))
        elif r < 0.86:
            out.append("%s !=%s" % (name, v))
        elif r < 0.92:
            builds = sorted(rec["build"] for sd in c.repodata.values()
                            for key in ("packages", "packages.conda")
                            for rec in sd[key].values() if rec["name"] == name)
            b = rng.choice(builds)
            out.append("%s %s %s" % (name, "*", b.split("_")[0] + "*"))
        else:
            out.append("%s[version='>=%s', build_number='>=1']" % (name, vs[0]))
    return out
