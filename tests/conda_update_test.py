#!/usr/bin/env python3
"""`extdeps update` for a conda channel against a real HTTP server.

    conda_update_test.py EXTDEPS HTTPD_PY CONDA_SOLVE CASE

Serves a copy of tests/fixtures/conda/channel with tests/httpd.py on
127.0.0.1 and checks what `extdeps update --distro=conda-forge` leaves in the
cache, then loads and solves it offline with CONDA_SOLVE (tests/conda_solve.c).
"""
import os
import shutil
import subprocess
import sys

EXTDEPS, HTTPD, SOLVE, CASE = sys.argv[1:5]
FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "conda", "channel")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import ServedEnv, cases, environ, fail, run_case  # noqa: E402


class Env(ServedEnv):
    def __init__(self):
        super().__init__(HTTPD, EXTDEPS, prefix="extdeps-conda-update-")
        shutil.copytree(FIXTURE, os.path.join(self.www, "fixture-forge"))
        self.start("--log", self.log)
        # the channel's URL
        self.url += "/fixture-forge"

    def environ(self):
        return environ(self.cache, EXTDEPS_FETCH_TIMEOUT="1", CONDA_OVERRIDE_GLIBC="2.36")

    def update(self, channel=None, extra=()):
        return subprocess.run([EXTDEPS, "--distro=conda-forge", "update", "--platform=linux-64",
                               "--channel=" + (channel or self.url)] + list(extra),
                              env=self.environ(), capture_output=True, text=True)

    def files(self):
        out = []
        for d, _, names in os.walk(os.path.join(self.cache, "extdeps", "conda")):
            out += [os.path.relpath(os.path.join(d, n), self.cache) for n in names
                    if n.startswith("repodata") and not n.endswith(".meta")]
        return sorted(out)

    def solve(self, *specs):
        return subprocess.run([SOLVE, os.path.join(self.cache, "extdeps"), "linux-64", self.url]
                              + list(specs), env=self.environ(), capture_output=True, text=True)


def case_fresh(env):
    r = env.update()
    if r.returncode != 0:
        fail("update: %d %s" % (r.returncode, r.stderr))
    names = [os.path.basename(os.path.dirname(f)) + "/" + os.path.basename(f) for f in env.files()]
    # no .zst on this server: the plain files, after a 404 for each .zst
    if names != ["linux-64/repodata.json", "noarch/repodata.json"]:
        fail("cache holds %s" % names)
    statuses = sorted((p.split("/")[-1], s) for _, p, s in env.requests())
    if ("repodata.json.zst", "404") not in statuses or ("repodata.json", "200") not in statuses:
        fail("requests %s" % statuses)
    s = env.solve("numpy")
    if s.returncode != 0 or "numpy 1.26.4 py312h_1" not in s.stdout:
        fail("solve: %d %s %s" % (s.returncode, s.stdout, s.stderr))


def case_unchanged(env):
    if env.update().returncode != 0:
        fail("first update")
    before = len(env.requests())
    r = env.update()
    if r.returncode != 0:
        fail("second update: %s" % r.stderr)
    again = env.requests()[before:]
    if not any(s == "304" for _, _, s in again) or any(s == "200" for _, _, s in again):
        fail("second update was not conditional: %s" % again)


def case_zst(env):
    zstd = shutil.which("zstd")
    if not zstd:
        sys.exit(77)
    for sub in ("linux-64", "noarch"):
        p = os.path.join(env.www, "fixture-forge", sub, "repodata.json")
        subprocess.run([zstd, "-q", "-f", p, "-o", p + ".zst"], check=True)
    r = env.update()
    if r.returncode != 0:
        fail("update: %s" % r.stderr)
    if not all(f.endswith(".zst") for f in env.files()) or len(env.files()) != 2:
        fail("cache holds %s" % env.files())
    s = env.solve("python 3.11.*")
    if s.returncode != 0 or "python 3.11.8 hab_0_cpython" not in s.stdout:
        fail("solve: %s %s" % (s.stdout, s.stderr))
    # a .zst that is no zstd (zeros): refused at its first bytes, the
    # cached copy kept
    kept = {f: open(os.path.join(env.cache, f), "rb").read() for f in env.files()}
    with open(os.path.join(env.www, "fixture-forge", "linux-64", "repodata.json.zst"), "wb") as f:
        f.write(bytes(1 << 16))
    r = env.update()
    if r.returncode != 3 or "not zstd data" not in r.stderr:
        fail("update of a .zst of zeros: %d %s" % (r.returncode, r.stderr))
    if {f: open(os.path.join(env.cache, f), "rb").read() for f in env.files()} != kept:
        fail("the cached .zst files changed: %s" % env.files())


def case_not_found(env):
    r = env.update(channel=env.url.replace("fixture-forge", "no-such-channel"))
    if r.returncode != 3 or "no linux-64 metadata" not in r.stderr:
        fail("update of a missing channel: %d %s" % (r.returncode, r.stderr))


def case_offline(env):
    r = env.update(extra=["--offline"])
    if r.returncode != 3 or "--offline" not in r.stderr:
        fail("offline update: %d %s" % (r.returncode, r.stderr))
    s = env.solve("numpy")
    if s.returncode != 3 or "extdeps update" not in s.stderr:
        fail("offline load without metadata: %d %s" % (s.returncode, s.stderr))


CASES = cases(case_fresh, case_unchanged, case_zst, case_not_found, case_offline)


if __name__ == "__main__":
    sys.exit(run_case(Env, CASES, CASE))
