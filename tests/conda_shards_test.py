#!/usr/bin/env python3
"""Sharded conda repodata (CEP 16) against a real HTTP server.

    conda_shards_test.py EXTDEPS HTTPD_PY CONDA_SOLVE CASE

A channel shaped like conda-forge's (tests/conda_channel.py) is served by
tests/httpd.py on 127.0.0.1 twice: as repodata.json, and sharded as
tests/conda_shards.py writes it (an index repodata_shards.msgpack.zst per
subdir and one shard per package name under shards/).

Cases:
  agree     the same requests planned on both channels (tests/conda_solve.c)
            install the same packages, versions and builds; the json
            channel is read after the 404 of its shard index
  closure   `extdeps plan` of a project fetches the shards of the names its
            mapped packages reach through their depends, and no other; a
            second plan fetches none (the closure is kept as a .solv), and
            --offline plans from the cache
  corrupt   a shard whose bytes do not hash to its name is refused (exit 3,
            the checksum mismatch named), nothing of it is left in the
            cache, and the next plan fetches it right
  bomb      a shard of a few bytes that declares a map of four billion
            entries is refused as truncated (exit 3) without allocating them
  fifo      a FIFO in place of a cached shard or shard index is never waited
            on: the shard is fetched again, the index refused or fetched
  offline   with the index downloaded and no shard yet, an --offline plan
            says which shard is missing (exit 3); `update PROJECT` fetches
            the shards the project's plans read, and --offline then plans
  installed on this machine, the shards of what the active environment has
            installed are read too (conda starts its walk from both)
  expire    an update that downloads a new index removes the shards (and
            their validators) it no longer names, keeps the others, and the
            next plan fetches only the new shard
"""
import hashlib
import json
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conda_channel  # noqa: E402
from e2e import ServedEnv, cases, environ, fail, run_case  # noqa: E402

try:
    import conda_shards  # noqa: E402
except ImportError as e:
    print("skipped: %s (the bootstrap installs python3-msgpack and python3-zstandard)" % e)
    sys.exit(77)

EXTDEPS, HTTPD, SOLVE, CASE = sys.argv[1:5]


def write_json(root, repodata):
    for subdir, data in repodata.items():
        os.makedirs(os.path.join(root, subdir), exist_ok=True)
        with open(os.path.join(root, subdir, "repodata.json"), "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)


def spec_name(spec):
    spec = spec.split("::")[-1]
    for i, ch in enumerate(spec):
        if ch in " =<>!~[":
            return spec[:i]
    return spec


def closure(repodata, names):
    """The names NAMES reach through the depends of every record of them."""
    by_name = {}
    for data in repodata.values():
        for section in ("packages", "packages.conda"):
            for rec in data[section].values():
                by_name.setdefault(rec["name"], []).append(rec)
    seen, todo = set(), list(names)
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        for rec in by_name.get(n, []):
            todo += [spec_name(d) for d in rec["depends"]]
    return seen


class Env(ServedEnv):
    def __init__(self):
        super().__init__(HTTPD, EXTDEPS, prefix="extdeps-conda-shards-")
        self.channel = conda_channel.channel(seed=3, extra=150)
        write_json(os.path.join(self.www, "json-forge"), self.channel.repodata)
        self.hashes = conda_shards.write(os.path.join(self.www, "json-forge"),
                                         os.path.join(self.www, "shard-forge"))
        self.start("--log", self.log, "--faults", self.faults)
        self.json_url, self.shard_url = self.url + "/json-forge", self.url + "/shard-forge"
        self.prefix = None

    def environ(self):
        return environ(self.cache, CONDA_OVERRIDE_CUDA="", CONDA_OVERRIDE_GLIBC="2.36",
                       EXTDEPS_FETCH_TIMEOUT="1", CONDA_PREFIX=self.prefix or None)

    def run(self, args, timeout=None):
        return subprocess.run(args, env=self.environ(), capture_output=True, text=True,
                              timeout=timeout)

    def update(self, url, *more):
        r = self.run([EXTDEPS, "--distro=conda-forge", "update", "--platform=linux-64",
                      "--channel=" + url] + list(more))
        if r.returncode != 0:
            fail("update %s: %d %s" % (url, r.returncode, r.stderr))
        return r

    def solve(self, url, specs):
        r = self.run([SOLVE, "--online", os.path.join(self.cache, "extdeps"), "linux-64", url]
                     + specs)
        if r.returncode not in (0, 1):
            fail("conda_solve %s on %s: %d %s" % (specs, url, r.returncode, r.stderr))
        return r.returncode, r.stdout

    def project(self, depurls):
        proj = os.path.join(self.tmp, "proj")
        os.makedirs(proj, exist_ok=True)
        with open(os.path.join(proj, "pyproject.toml"), "w") as f:
            f.write('[project]\nname = "shards"\nversion = "0"\n\n[external]\nhost-requires = [%s]\n'
                    % ", ".join('"%s"' % u for u in depurls))
        return proj

    def plan(self, depurls, extra=(), timeout=None, platform=True):
        proj = self.project(depurls)
        return self.run([EXTDEPS, "--distro=conda-forge", "plan"]
                        + (["--platform=linux-64"] if platform else [])
                        + ["--channel=" + self.shard_url, "--format=json"] + list(extra) + [proj],
                        timeout)

    def shard_requests(self, since=0):
        """{(subdir, hex)} of the shards requested, with their statuses."""
        out = {}
        for _, path, status in self.requests()[since:]:
            parts = path.split("/")
            if "shards" in parts and parts[-1].endswith(".msgpack.zst"):
                out[(parts[-3], parts[-1][:-len(".msgpack.zst")])] = status
        return out

    def expected(self, names):
        return {(sd, h[n]) for sd, h in self.hashes.items() for n in closure(self.channel.repodata, names)
                if n in h}

    def cached_shards(self):
        out = []
        for d, _, files in os.walk(os.path.join(self.cache, "extdeps", "conda")):
            if os.path.basename(d) == "shards":
                out += [os.path.join(d, n) for n in files]
        return out


def case_agree(env):
    env.update(env.json_url)
    statuses = {(p.split("/")[-1], s) for _, p, s in env.requests()}
    if ("repodata_shards.msgpack.zst", "404") not in statuses or ("repodata.json", "200") not in statuses:
        fail("the json channel was not read after its index's 404: %s" % sorted(statuses))
    env.update(env.shard_url)
    rng = random.Random(17)
    sets = [["numpy"], ["scipy"], ["python 3.11.*"], ["numpy <2", "python 3.12.*"],
            ["libopenblas"], ["python-dateutil"]]
    sets += [conda_channel.specs(rng, env.channel) for _ in range(40)]
    solved = 0
    for specs in sets:
        a, b = env.solve(env.json_url, specs), env.solve(env.shard_url, specs)
        if a != b:
            fail("%s: repodata.json gives %s, shards give %s" % (specs, a, b))
        solved += a[0] == 0
    if solved < len(sets) // 2:
        fail("only %d of %d requests solved: the comparison says little" % (solved, len(sets)))
    print("%d requests, %d solvable, the same plans from both forms" % (len(sets), solved))


def case_closure(env):
    r = env.plan(["dep:pypi/numpy"])
    if r.returncode != 0:
        fail("plan: %d %s %s" % (r.returncode, r.stdout, r.stderr))
    got = env.shard_requests()
    want = env.expected(["numpy"])
    total = sum(len(h) for h in env.hashes.values())
    if set(got) != want or any(s != "200" for s in got.values()):
        fail("fetched %d shards %s, expected the %d of numpy's closure %s"
             % (len(got), sorted(got), len(want), sorted(want)))
    if not 0 < len(want) < total / 4:
        fail("numpy's closure has %d of %d shards: the test shows nothing" % (len(want), total))
    if "repodata.json" in {p.split("/")[-1] for _, p, _ in env.requests()}:
        fail("repodata.json was fetched from a sharded channel")
    names = {s["name"] for s in json.loads(r.stdout)["transaction"]}
    if "numpy" not in names:
        fail("plan without numpy: %s" % r.stdout)
    before = len(env.requests())
    for extra in ((), ("--offline",)):
        again = env.plan(["dep:pypi/numpy"], extra)
        if again.returncode != 0 or again.stdout != r.stdout:
            fail("plan again %s: %d %s" % (extra, again.returncode, again.stderr))
    if env.shard_requests(before):
        fail("cached shards were fetched again: %s" % env.shard_requests(before))
    # the request's closure is kept as a .solv of its own (CACHE_LAYOUT-KEY-rSLOT)
    solv = os.listdir(os.path.join(env.cache, "extdeps", "conda"))
    if not any(re.search(r"-r[0-9]+\.solv$", n) for n in solv):
        fail("no closure cache: %s" % solv)
    print("%d of %d shards fetched" % (len(want), total))


def case_corrupt(env):
    numpy = env.hashes["linux-64"]["numpy"]
    env.fault("corrupt", numpy)
    r = env.plan(["dep:pypi/numpy"])
    if r.returncode != 3 or "checksum mismatch" not in r.stderr or numpy not in r.stderr:
        fail("corrupt shard: %d %s" % (r.returncode, r.stderr))
    for path in env.cached_shards():
        name = os.path.basename(path)
        if not name.endswith(".msgpack.zst") and not name.endswith(".msgpack.zst.meta"):
            fail("left in the cache: %s" % name)
        if name.endswith(".msgpack.zst"):
            with open(path, "rb") as f:
                if hashlib.sha256(f.read()).hexdigest() + ".msgpack.zst" != name:
                    fail("a cached shard does not hash to its name: %s" % name)
        if name.startswith(numpy):
            fail("the corrupt shard was kept: %s" % name)
    os.unlink(env.faults)
    r = env.plan(["dep:pypi/numpy"])
    if r.returncode != 0:
        fail("plan after the fault: %d %s" % (r.returncode, r.stderr))


def case_fifo(env):
    """A FIFO in place of a cached shard, or of the cached shard index, is
    never waited on: the shard is damaged and fetched again; the index
    makes the plan fail with a message, or is fetched again."""
    conda = os.path.join(env.cache, "extdeps", "conda")

    def fifo_plan(what, paths, extra=()):
        for p in paths:
            os.unlink(p)
            os.mkfifo(p)
        for n in os.listdir(conda):
            if n.endswith(".solv"):
                os.unlink(os.path.join(conda, n))
        try:
            return env.plan(["dep:pypi/numpy"], extra, timeout=30)
        except subprocess.TimeoutExpired:
            fail("a FIFO in place of the cached %s was waited on" % what)

    r = env.plan(["dep:pypi/numpy"])
    if r.returncode != 0:
        fail("plan: %d %s" % (r.returncode, r.stderr))
    numpy = env.hashes["linux-64"]["numpy"]
    shard = [p for p in env.cached_shards() if os.path.basename(p) == numpy + ".msgpack.zst"]
    if len(shard) != 1:
        fail("numpy's shard is not cached: %s" % env.cached_shards())
    again = fifo_plan("shard", shard)
    if again.returncode != 0 or again.stdout != r.stdout:
        fail("plan with a FIFO shard: %d %s" % (again.returncode, again.stderr))
    index = [os.path.join(d, n) for d, _, files in os.walk(conda) for n in files
             if n.startswith("repodata_shards")]
    if not index:
        fail("no shard index in the cache")
    again = fifo_plan("shard index", index, ["--offline"])
    if again.returncode not in (0, 3) or (again.returncode and not again.stderr):
        fail("plan with a FIFO index: %d %s" % (again.returncode, again.stderr))


def case_offline(env):
    env.update(env.shard_url)
    r = env.plan(["dep:pypi/numpy"], ["--offline"])
    if r.returncode != 3 or "--offline forbids downloading it" not in r.stderr or "shard of" not in r.stderr:
        fail("offline plan without shards: %d %s" % (r.returncode, r.stderr))
    if env.shard_requests():
        fail("--offline fetched shards")
    # update with the project fetches what its plans read: --offline then plans
    u = env.update(env.shard_url, env.project(["dep:pypi/numpy"]))
    if "what its plans read is cached" not in u.stdout:
        fail("update PROJECT said: %s" % u.stdout)
    if set(env.shard_requests()) != env.expected(["numpy"]):
        fail("update PROJECT fetched %s, not numpy's closure" % sorted(env.shard_requests()))
    before = len(env.requests())
    r = env.plan(["dep:pypi/numpy"], ["--offline"])
    if r.returncode != 0 or "numpy" not in {s["name"] for s in json.loads(r.stdout)["transaction"]}:
        fail("offline plan after update PROJECT: %d %s" % (r.returncode, r.stderr))
    if len(env.requests()) != before:
        fail("the offline plan made requests")


def case_installed(env):
    """On this machine, the names installed in the active environment are loaded too."""
    prefix = os.path.join(env.tmp, "prefix")
    os.makedirs(os.path.join(prefix, "conda-meta"))
    with open(os.path.join(prefix, "conda-meta", "six-1.16.0-pyhd8ed1ab_1.json"), "w") as f:
        json.dump({"name": "six", "version": "1.16.0", "build": "pyhd8ed1ab_1",
                   "build_number": 1, "depends": ["python"], "subdir": "noarch"}, f)
    if "six" in closure(env.channel.repodata, ["numpy"]):
        fail("six is in numpy's closure: the test shows nothing")
    env.prefix = prefix
    r = env.plan(["dep:pypi/numpy"], platform=False)
    if r.returncode != 0:
        fail("plan: %d %s %s" % (r.returncode, r.stdout, r.stderr))
    got, want = set(env.shard_requests()), env.expected(["numpy", "six"])
    if got != want:
        fail("fetched %s, expected the closure of numpy and six %s" % (sorted(got), sorted(want)))


def case_bomb(env):
    import msgpack
    import zstandard
    subdir = os.path.join(env.www, "shard-forge", "linux-64")
    old = env.hashes["linux-64"]["numpy"]
    os.unlink(os.path.join(subdir, "shards", old + ".msgpack.zst"))
    # {"packages": a map32 of 0xffffffff entries}, and nothing after
    blob = zstandard.ZstdCompressor().compress(b"\x81\xa8packages\xdf\xff\xff\xff\xff")
    new = hashlib.sha256(blob).digest()
    with open(os.path.join(subdir, "shards", new.hex() + ".msgpack.zst"), "wb") as f:
        f.write(blob)
    index_path = os.path.join(subdir, "repodata_shards.msgpack.zst")
    with open(index_path, "rb") as f:
        index = msgpack.unpackb(zstandard.ZstdDecompressor().decompress(f.read()))
    index["shards"]["numpy"] = new
    with open(index_path, "wb") as f:
        f.write(zstandard.ZstdCompressor().compress(msgpack.packb(index, use_bin_type=True)))
    # the limit makes an allocation of the declared entries fail loudly
    r = env.run(["prlimit", "--as=%d" % (1 << 31), "--"] + [EXTDEPS, "--version"])
    limit = ["prlimit", "--as=%d" % (1 << 31), "--"] if r.returncode == 0 else []
    proj = os.path.join(env.tmp, "proj")
    os.makedirs(proj, exist_ok=True)
    with open(os.path.join(proj, "pyproject.toml"), "w") as f:
        f.write('[project]\nname = "b"\nversion = "0"\n\n[external]\n'
                'host-requires = ["dep:pypi/numpy"]\n')
    r = env.run(limit + [EXTDEPS, "--distro=conda-forge", "plan", "--platform=linux-64",
                         "--channel=" + env.shard_url, proj])
    if r.returncode != 3 or "truncated msgpack data" not in r.stderr:
        fail("msgpack bomb: %d %s" % (r.returncode, r.stderr))


def case_expire(env):
    env.update(env.shard_url)
    if env.plan(["dep:pypi/numpy"]).returncode != 0:
        fail("first plan failed")
    before = {os.path.basename(p) for p in env.cached_shards()}
    old = env.hashes["linux-64"]["numpy"]
    if old + ".msgpack.zst" not in before:
        fail("numpy's shard was not cached: %s" % sorted(before))
    # the channel publishes a new build of numpy: its shard, and the index, change
    packages = env.channel.repodata["linux-64"]["packages.conda"]
    fn, rec = max((kv for kv in packages.items() if kv[1]["name"] == "numpy"),
                  key=lambda kv: kv[0])
    packages[fn.replace(".conda", "_1.conda")] = dict(rec, build_number=rec["build_number"] + 1,
                                                     build=rec["build"] + "_1")
    write_json(os.path.join(env.www, "json-forge"), env.channel.repodata)
    env.hashes = conda_shards.write(os.path.join(env.www, "json-forge"),
                                    os.path.join(env.www, "shard-forge"))
    new = env.hashes["linux-64"]["numpy"]
    env.update(env.shard_url)
    after = {os.path.basename(p) for p in env.cached_shards()}
    if any(n.startswith(old) for n in after):
        fail("the old shard of numpy is still cached: %s" % sorted(after))
    kept = {n for n in before if not n.startswith(old)}
    if not kept or not kept <= after:
        fail("shards still named were removed: %s" % sorted(kept - after))
    since = len(env.requests())
    r = env.plan(["dep:pypi/numpy"])
    if r.returncode != 0:
        fail("plan after the update: %d %s" % (r.returncode, r.stderr))
    if set(env.shard_requests(since)) != {("linux-64", new)}:
        fail("fetched %s, expected only numpy's new shard" % sorted(env.shard_requests(since)))
    print("%d shards kept, numpy's old shard removed" % len(kept))


CASES = cases(case_agree, case_bomb, case_closure, case_corrupt, case_expire, case_fifo,
              case_offline, case_installed)


if __name__ == "__main__":
    sys.exit(run_case(Env, CASES, CASE))
