#!/usr/bin/env python3
"""extdeps's conda solutions against rattler's, a real conda solver.

    conda_agreement.py EXTDEPS HTTPD_PY CONDA_SOLVE RATTLER_PREFIX CASE

A channel shaped like conda-forge's (tests/conda_channel.py) is served by
tests/httpd.py on 127.0.0.1; `extdeps update` fetches it, and each request
(a list of match specs) is planned by CONDA_SOLVE (tests/conda_solve.c, the
plan `extdeps plan` makes) and solved by rattler's simpleSolve
(@conda-org/rattler from the npm registry, run with node by
tests/rattler_solve.cjs). The solutions must install the same packages at
the same versions, or both find none.

Cases:
  fixed      requests written here over the channel's core (python, numpy,
             scipy, BLAS variants, track_features, constrains, build numbers,
             timestamps, noarch): every one must agree, and so must
             `extdeps plan --format=json` for the ones a project can declare
  generated  300 requests drawn (seeded) over the core and a long tail of 400
             generated names: where the two differ, each must take the
             other's solution (a tie, not a bug); the share that agrees is
             printed and must be at least THRESHOLD (see there)

rattler is installed into RATTLER_PREFIX (npm install, once; a lock keeps
parallel tests from racing) unless $EXTDEPS_RATTLER_PREFIX names a prefix
that has it. Without node or npm, or when the package cannot be had, the
test exits 77 (skipped).
"""
import fcntl
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conda_channel  # noqa: E402

EXTDEPS, HTTPD, SOLVE, PREFIX, CASE = sys.argv[1:6]
RATTLER_VERSION = "0.3.5"
RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rattler_solve.cjs")
# The virtual packages both sides see: extdeps's from CONDA_OVERRIDE_*,
# rattler's (simpleSolve takes none) as records of a channel of their own.
VIRTUAL = {"__glibc": "2.36", "__linux": "6.1", "__unix": "0"}

# The share of generated requests that must agree. Where a request has
# several solutions that no solver rule orders (a newer A with an older B,
# or the reverse), conda's solvers differ among themselves: libsolv's (which
# mamba and conda use, and extdeps) decides in the order it meets the
# packages, rattler's resolvo in its own. compare() proves that every
# disagreement is such a tie (each solver takes the other's solution), so
# the share measures the ties only, and it is a property of the channel: on
# this one, 91.7 % (275 of 300; libsolv unpruned, as mamba uses it, 92.0 %).
# A wrong version order or match spec shows up as a failure in compare(),
# not here; 0.85 keeps this from passing should the ties grow to many more
# (extdeps no longer choosing as libsolv does, say a pruning that drops the
# builds libsolv would take), while a rattler release that breaks some ties
# otherwise does not fail it.
THRESHOLD = 0.85

FIXED = [
    ["numpy"],
    ["numpy <2"],
    ["numpy", "python 3.11.*"],
    ["python 3.10.*", "numpy"],
    ["scipy"],
    ["scipy", "numpy >=2"],
    ["python"],
    ["python 3.13.*"],
    ["python_abi 3.10.*"],
    ["python >=3.13.0rc1,<3.13.0"],
    ["libblas"],
    ["libblas * *mkl"],
    ["numpy", "libblas * *_openblas"],
    ["zlib"],
    ["libzlib 1.2.*"],
    # not "openssl 1.1.1*": conda (VersionOrder.startswith) and libsolv take
    # 1.1.1w for it, rattler does not
    ["openssl >=3.2,<3.3"],
    ["libgcc-ng"],
    ["libgcc-ng >=14.2"],
    ["tk <8.6.13", "libffi <3.4.6"],
    ["python-dateutil"],
    ["six", "python 3.12.*"],
    ["packaging", "python_abi 3.13.*"],
    ["numpy[version='>=2', build_number='>=1']"],
    ["numpy=1.26", "python=3.10"],
    ["numpy 2.0.2|2.1.1", "scipy <1.14"],
    ["python 3.14.*"],
    ["numpy 1.26.*", "python 3.13.*"],
]
# of those, the ones a project declares (dep:pypi/NAME@PEP 440), for `extdeps plan`
PLANNED = {("numpy",): "dep:pypi/numpy", ("numpy <2",): "dep:pypi/numpy@<2",
           ("scipy",): "dep:pypi/scipy", ("python-dateutil",): "dep:pypi/python-dateutil",
           ("libgcc-ng",): "dep:pypi/libgcc-ng"}


def skip(msg):
    print("SKIP: " + msg)
    sys.exit(77)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def rattler_module():
    """The path of rattler's CommonJS entry, installed when needed."""
    if not shutil.which("node"):
        skip("no node on PATH")
    prefix = os.environ.get("EXTDEPS_RATTLER_PREFIX") or PREFIX
    entry = os.path.join(prefix, "node_modules", "@conda-org", "rattler", "dist", "rattler.node.cjs")
    os.makedirs(prefix, exist_ok=True)
    with open(os.path.join(prefix, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(entry):
            if not shutil.which("npm"):
                skip("no npm on PATH to install @conda-org/rattler")
            r = subprocess.run(["npm", "install", "--prefix", prefix, "--no-audit", "--no-fund",
                                "--no-save", "@conda-org/rattler@" + RATTLER_VERSION],
                               capture_output=True, text=True, timeout=300)
            if r.returncode != 0 or not os.path.exists(entry):
                skip("npm install @conda-org/rattler@%s failed: %s" %
                     (RATTLER_VERSION, (r.stderr or r.stdout).strip()[-400:]))
    r = subprocess.run(["node", "-e", "require(process.argv[1])", entry], capture_output=True,
                       text=True)
    if r.returncode != 0:
        skip("node cannot load rattler (%s): %s" % (
            subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip(),
            r.stderr.strip()[-400:]))
    return entry


def write_channel(root, repodata):
    for subdir, data in repodata.items():
        os.makedirs(os.path.join(root, subdir), exist_ok=True)
        with open(os.path.join(root, subdir, "repodata.json"), "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)


def virtual_channel():
    c = conda_channel.Channel()
    for name, version in VIRTUAL.items():
        c.add(name, version, "0", 0)
    return c.repodata


class Env:
    def __init__(self, channel):
        self.tmp = tempfile.mkdtemp(prefix="extdeps-conda-agreement-")
        www = os.path.join(self.tmp, "www")
        write_channel(os.path.join(www, "agree-forge"), channel.repodata)
        write_channel(os.path.join(www, "virtual"), virtual_channel())
        self.cache = os.path.join(self.tmp, "cache")
        self.proc = subprocess.Popen([sys.executable, HTTPD, www], stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        base = "http://127.0.0.1:%d/" % int(self.proc.stdout.readline())
        self.url, self.virtual_url = base + "agree-forge", base + "virtual"

    def close(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def env(self):
        e = dict(os.environ)
        e.update({"XDG_CACHE_HOME": self.cache, "NO_COLOR": "1", "CONDA_OVERRIDE_CUDA": ""})
        e.update({"CONDA_OVERRIDE_" + n[2:].upper(): v for n, v in VIRTUAL.items() if n != "__unix"})
        e.pop("CI", None)
        e.pop("CONDA_PREFIX", None)
        return e

    def update(self):
        r = subprocess.run([EXTDEPS, "--distro=conda-forge", "update", "--platform=linux-64",
                            "--channel=" + self.url], env=self.env(), capture_output=True, text=True)
        if r.returncode != 0:
            fail("update: %d %s" % (r.returncode, r.stderr))

    def extdeps(self, specs):
        """{(name, version): build} planned, or None when there is no solution."""
        r = subprocess.run([SOLVE, os.path.join(self.cache, "extdeps"), "linux-64", self.url] + specs,
                           env=self.env(), capture_output=True, text=True)
        if r.returncode == 1:
            return None
        if r.returncode != 0:
            fail("conda_solve %s: %d %s" % (specs, r.returncode, r.stderr))
        return {(n, v): b for n, v, b in (l.split(" ") for l in r.stdout.splitlines())}

    def plan(self, depurl):
        """{(name, version)} of `extdeps plan --format=json` for a project asking DEPURL."""
        proj = os.path.join(self.tmp, "proj")
        os.makedirs(proj, exist_ok=True)
        with open(os.path.join(proj, "pyproject.toml"), "w") as f:
            f.write('[project]\nname = "agree"\nversion = "0"\n\n[external]\nhost-requires = ["%s"]\n'
                    % depurl)
        r = subprocess.run([EXTDEPS, "--distro=conda-forge", "plan", "--platform=linux-64",
                            "--channel=" + self.url, "--format=json", proj],
                           env=self.env(), capture_output=True, text=True)
        if r.returncode != 0:
            fail("plan %s: %d %s %s" % (depurl, r.returncode, r.stdout, r.stderr))
        return {(s["name"], s["version"]) for s in json.loads(r.stdout)["transaction"]}

    def rattler(self, entry, sets):
        """Per set, {(name, version): build} or None, as rattler solves it."""
        job = {"channels": [self.url, self.virtual_url], "platforms": ["linux-64", "noarch"],
               "sets": sets}
        r = subprocess.run(["node", RUNNER, entry], input=json.dumps(job), capture_output=True,
                           text=True, timeout=1200)
        if r.returncode != 0:
            fail("rattler: %d %s" % (r.returncode, r.stderr[-2000:]))
        out = []
        for res in json.loads(r.stdout):
            if "error" in res:
                if "Cannot solve the request" not in res["error"]:
                    fail("rattler: %s" % res["error"])
                out.append(None)
            else:
                out.append({(n, v): b for n, v, b in res["packages"] if not n.startswith("__")})
        return out


def show(sol):
    return "no solution" if sol is None else " ".join(
        "%s=%s=%s" % (n, v, b) for (n, v), b in sorted(sol.items()))


def differ(a, b):
    """How two solutions differ in packages and versions, or None."""
    if a is None or b is None:
        return None if a is None and b is None else "extdeps: %s\n    rattler: %s" % (show(a), show(b))
    if set(a) == set(b):
        return None
    return "extdeps only: %s\n    rattler only: %s" % (
        " ".join("%s=%s" % k for k in sorted(set(a) - set(b))),
        " ".join("%s=%s" % k for k in sorted(set(b) - set(a))))


def pins(sol):
    return ["%s ==%s %s" % (n, v, b) for (n, v), b in sorted(sol.items())]


def compare(env, entry, sets):
    """Solve SETS both ways. A disagreement where both found a solution must
    be one of preference: each solver accepts the other's solution when asked
    for it exactly (every package pinned to its version and build); else an
    order or match spec differs, a bug. Solutions of one side only are
    always bugs (or a difference of conda's own solvers, kept out of FIXED)."""
    theirs = env.rattler(entry, sets)
    agree, builds, diffs, bugs, ties = 0, 0, [], [], []
    for specs, t in zip(sets, theirs):
        ours = env.extdeps(specs)
        d = differ(ours, t)
        if not d:
            agree += 1
            builds += ours == t
            continue
        diffs.append("  %s:\n    %s" % (" ".join(repr(s) for s in specs), d))
        if ours is None or t is None:
            bugs.append(diffs[-1])
        else:
            ties.append((specs, ours, t))
    if ties:
        cross = env.rattler(entry, [pins(ours) for _, ours, _ in ties])
        for (specs, ours, t), r in zip(ties, cross):
            mine = env.extdeps(pins(t))
            if r is None or mine is None or set(mine) != set(t) or set(r) != set(ours):
                bugs.append("  %s:\n    extdeps takes rattler's solution: %s; rattler takes extdeps's: %s"
                            % (" ".join(repr(s) for s in specs), mine is not None and set(mine) == set(t),
                               r is not None and set(r) == set(ours)))
    return agree, builds, diffs, bugs, theirs


def case_fixed(env, entry):
    agree, builds, diffs, bugs, theirs = compare(env, entry, FIXED)
    print("fixed: %d of %d requests agree (%d with the same builds too)" % (agree, len(FIXED), builds))
    if diffs:
        fail("extdeps and rattler differ:\n" + "\n".join(diffs))
    solved = sum(t is not None for t in theirs)
    if solved < len(FIXED) - 4:  # python 3.14, numpy 1.26 on 3.13, mkl, glibc 2.39
        fail("only %d requests have solutions: the channel is broken" % solved)
    for specs, t in zip(FIXED, theirs):
        depurl = PLANNED.get(tuple(specs))
        if depurl and env.plan(depurl) != set(t):
            fail("extdeps plan %s: %s, rattler: %s" % (depurl, sorted(env.plan(depurl)), show(t)))


def case_generated(env, entry, channel):
    rng = random.Random(725)
    sets = [conda_channel.specs(rng, channel) for _ in range(300)]
    agree, builds, diffs, bugs, theirs = compare(env, entry, sets)
    solved = sum(t is not None for t in theirs)
    share = agree / len(sets)
    print("generated: %d of %d requests agree (%.1f %%; %d with the same builds too); "
          "rattler solved %d, found none for %d" % (agree, len(sets), 100 * share, builds,
                                                   solved, len(sets) - solved))
    if diffs:
        print("requests that differ (each solver takes the other's solution):\n" +
              "\n".join(diffs[:20]))
    if bugs:
        fail("extdeps and rattler disagree on what satisfies a request:\n" + "\n".join(bugs))
    if solved < len(sets) // 2:
        fail("only %d requests have solutions: the generated channel is broken" % solved)
    if share < THRESHOLD:
        fail("agreement %.3f below %.2f" % (share, THRESHOLD))


def main():
    if CASE not in ("fixed", "generated"):
        fail("no case " + CASE)
    entry = rattler_module()
    channel = conda_channel.channel(seed=17, extra=400 if CASE == "generated" else 0)
    env = Env(channel)
    try:
        env.update()
        if CASE == "fixed":
            case_fixed(env, entry)
        else:
            case_generated(env, entry, channel)
    finally:
        env.close()
    print("PASS")


if __name__ == "__main__":
    main()
