#!/usr/bin/env python3
"""Alpine end to end: plans, updates and installs against APKINDEX.tar.gz
files served by tests/httpd.py on 127.0.0.1, laid out as Alpine's mirrors
are (vRELEASE/{main,community}/ARCH/APKINDEX.tar.gz, edge/...), written by
tests/apk_index.py in the format the mirrors serve.

    apk_test.py EXTDEPS HTTPD_PY SRCDIR CASE

Each case starts from a fresh cache and runs the real extdeps binary with
the compiled-in registry.
"""
import hashlib
import json
import os
import sys

EXTDEPS, HTTPD, SRCDIR, CASE = sys.argv[1:5]
sys.path.insert(0, os.path.join(SRCDIR, "tests"))
import apk_index  # noqa: E402
from e2e import ServedEnv, cases, check, run_case, transaction  # noqa: E402

WHEEL = os.path.join(SRCDIR, "tests", "fixtures", "projects", "alpine-wheel")
class Env(ServedEnv):
    def __init__(self):
        # this machine runs none of the targets unless a case says so
        super().__init__(HTTPD, EXTDEPS, prefix="extdeps-apk-",
                         os_release=b'ID=debian\nVERSION_ID="13"\n')
        # the default stall timeout, and no apk to find on PATH
        self.extra_env = {"EXTDEPS_TIMEOUT": None, "EXTDEPS_FETCH_TIMEOUT": None,
                          "PATH": "/nonexistent"}

    def start(self):
        ServedEnv.start(self, "--log", self.log, "--faults", self.faults)

    def fault(self, mode, name="APKINDEX"):
        ServedEnv.fault(self, mode, name)

    def plan(self, *more, distro="alpine:3.21", fmt="json", mirror=True):
        argv = ["--distro=" + distro, "--arch=x86_64", "plan", "--format=" + fmt]
        if mirror:
            argv.append("--mirror=" + self.url)
        rc, out, err = self.run(*(argv + list(more) + [WHEEL]))
        try:
            doc = json.loads(out) if fmt == "json" else out
        except ValueError:
            doc = None
        return rc, doc, err

    def snapshot(self):
        """The cached indexes and their hashes (no .solv, locks, temporaries)."""
        out = {}
        for dirpath, _, names in os.walk(os.path.join(self.cache, "extdeps", "apk")):
            for n in names:
                if n == "APKINDEX.tar.gz":
                    with open(os.path.join(dirpath, n), "rb") as f:
                        out[os.path.relpath(os.path.join(dirpath, n), self.cache)] = \
                            hashlib.sha256(f.read()).hexdigest()
        return out


def chosen(doc):
    """{depurl [stage]: (package, version)} of a JSON plan."""
    out = {}
    for dep in (doc or {}).get("dependencies", []):
        for p in dep.get("packages", []):
            if p.get("name"):
                out["%s %s" % (dep["depurl"], dep.get("stage"))] = (p["name"], p.get("version"))
    return out


def case_plan(env):
    apk_index.write_mirror(env.www)
    env.start()
    rc, doc, err = env.plan()
    check(rc == 0, "plan exits 0 (%d): %s" % (rc, err.strip()))
    got = chosen(doc)
    check(got.get("dep:generic/zlib host") == ("zlib-dev", "1.3.1-r2"), "zlib-dev from main: %s" % got)
    check(got.get("dep:generic/openblas host") == ("openblas-dev", "0.3.28-r0"),
          "openblas-dev from community")
    # mapped to pc:libcap and so:libcap.so.2: the packages providing them
    check(got.get("dep:generic/libcap host") == ("libcap-dev", "2.71-r0"), "pc:libcap is libcap-dev")
    check(got.get("dep:generic/libcap run") == ("libcap2", "2.71-r0"), "so:libcap.so.2 is libcap2")
    t = transaction(doc)
    check(t.get("musl-dev") == "1.2.5-r8" and t.get("libgfortran") == "14.2.0-r4",
          "the transaction reaches musl-dev (build-base) and libgfortran (openblas): %s" % sorted(t))
    check(doc.get("command") and doc["command"][:5] == ["apk", "add", "--no-cache", "--virtual",
                                                        ".extdeps-build"],
          "one apk add --virtual .extdeps-build: %s" % doc.get("command"))
    log = open(env.log).read().split("\n")
    check(any("/v3.21/main/x86_64/APKINDEX.tar.gz 200" in l for l in log) and
          any("/v3.21/community/x86_64/APKINDEX.tar.gz 200" in l for l in log),
          "main and community fetched from the mirror's v3.21")
    # a second plan reads the .solv caches, offline
    rc, doc2, err = env.plan("--offline", mirror=True)
    check(rc == 0 and chosen(doc2) == got, "an offline plan from the cache plans the same")
    return 0


def case_version_order(env):
    """The newest by apk's rules: 1.2.3 over 1.2.3_rc1, r10 over r9, 3.1_p2
    over 3.1-r5 (a _p is after the release)."""
    pkgs = apk_index.main_repo()
    apk_index.write_mirror(env.www, main=pkgs)
    env.start()
    project = os.path.join(env.tmp, "order")
    apk_index.write(os.path.join(project, "pyproject.toml"), b"[project]\nname='o'\nversion='1'\n")
    mappings = os.path.join(env.tmp, "mappings")
    apk_index.write(os.path.join(mappings, "alpine.yaml"), (
        "schema: 1\necosystem: alpine\nmappings:\n"
        "  dep:generic/zlib: {specs: [order-rc, order-rev, order-p]}\n").encode())
    apk_index.write(os.path.join(project, "pyproject.toml"), (
        "[project]\nname = 'order'\nversion = '1'\n[external]\n"
        "host-requires = ['dep:generic/zlib']\n").encode())
    rc, out, err = env.run("--distro=alpine:3.21", "--arch=x86_64", "--mappings=" + mappings,
                           "plan", "--format=json", "--mirror=" + env.url, project)
    t = transaction(json.loads(out) if rc == 0 else None)
    check(t.get("order-rc") == "1.2.3-r0", "1.2.3-r0 is newer than 1.2.3_rc1-r0: %s" % err.strip())
    check(t.get("order-rev") == "2.0-r10", "2.0-r10 is newer than 2.0-r9")
    check(t.get("order-p") == "3.1_p2-r0", "3.1_p2-r0 is newer than 3.1-r5")
    return 0


def case_edge(env):
    """edge has no 'v'; an aarch64 target reads aarch64's indexes."""
    apk_index.write_mirror(env.www, release="edge", arch="aarch64",
                           main=[apk_index.pkg("zlib-dev", "1.3.1-r9", arch="aarch64",
                                               provides=["pc:zlib=1.3.1"])],
                           community=[apk_index.pkg("openblas-dev", "0.3.29-r0", arch="aarch64")])
    env.start()
    rc, out, err = env.run("--distro=alpine:edge", "--arch=arm64", "update", "--mirror=" + env.url)
    check(rc == 0, "update of edge for arm64 (aarch64): %s" % err.strip())
    log = open(env.log).read()
    check("/edge/main/aarch64/APKINDEX.tar.gz 200" in log, "edge/main/aarch64 fetched")
    return 0


def broken(env, mode, expect):
    """A good update, then a broken index served: exit 3 naming what is
    wrong, the cached indexes untouched, the cache still plans."""
    apk_index.write_mirror(env.www)
    env.start()
    rc, out, err = env.run("--distro=alpine:3.21", "--arch=x86_64", "update", "--mirror=" + env.url)
    check(rc == 0, "first update: %s" % err.strip())
    before = env.snapshot()
    check(len(before) == 2, "two indexes cached: %s" % before)
    # new content, so that the request is not answered 304
    apk_index.write_mirror(env.www, main=apk_index.main_repo() + [apk_index.pkg("new", "1-r0")])
    env.fault(mode)
    rc, out, err = env.run("--distro=alpine:3.21", "--arch=x86_64", "update", "--mirror=" + env.url)
    check(rc == 3, "%s: exit 3 (got %d)" % (mode, rc))
    check(expect in err, "%s: the message says %r: %s" % (mode, expect, err.strip()))
    check(env.snapshot() == before, "%s: the cached indexes are untouched" % mode)
    check(not [n for d, _, ns in os.walk(env.cache) for n in ns if ".fetch" in n or "XXXX" in n],
          "%s: no half-written file left" % mode)
    env.fault(None)
    rc, doc, err = env.plan("--offline")
    check(rc == 0 and chosen(doc).get("dep:generic/zlib host") == ("zlib-dev", "1.3.1-r2"),
          "%s: the previous indexes still plan" % mode)


def case_truncated(env):
    broken(env, "truncate", "cannot download")
    return 0


def case_corrupt(env):
    # a NUL in the middle of the gzip data: the download is whole, the
    # stream fails its check
    broken(env, "corruptonce", "truncated or corrupt APKINDEX")
    return 0


def case_garbage(env):
    broken(env, "garbage", "not an APKINDEX.tar.gz")
    return 0


def case_oversized(env):
    broken(env, "huge", "larger than")
    return 0


def case_first_corrupt(env):
    """A corrupt index and nothing cached: exit 3, nothing cached."""
    apk_index.write_mirror(env.www)
    good = open(os.path.join(env.www, "v3.21", "main", "x86_64", "APKINDEX.tar.gz"), "rb").read()
    # cut inside the index's stream, as a proxy that drops the connection
    # and still answers 200 with the length it got would
    apk_index.write(os.path.join(env.www, "v3.21", "main", "x86_64", "APKINDEX.tar.gz"),
                    good[: len(good) - 30])
    env.start()
    rc, doc, err = env.plan()
    check(rc == 3, "plan: exit 3 (got %d)" % rc)
    check("v3.21/main/x86_64/APKINDEX.tar.gz" in err and "truncated or corrupt APKINDEX" in err,
          "the message names the file and what is wrong: %s" % err.strip())
    check(not any(k.endswith("main/APKINDEX.tar.gz") for k in env.snapshot()),
          "nothing cached for main")
    return 0


def host_root(env):
    """An Alpine 3.21 machine whose repositories are the served mirror's."""
    apk_index.write_root(env.root, mirror=env.url)


def case_host(env):
    """This machine is Alpine: its repositories file names the mirror, its
    installed database what is there; install --dry-run prints the one
    apk add, which keeps what an earlier install asked for."""
    apk_index.write_mirror(env.www)
    env.start()
    host_root(env)
    rc, out, err = env.run("plan", "--format=json", WHEEL)
    doc = json.loads(out) if out.startswith("{") else None
    check(rc == 0, "plan on this machine: %s" % err.strip())
    states = {d["depurl"] + " " + d["stage"]: d["packages"][0].get("state")
              for d in (doc or {}).get("dependencies", []) if d.get("packages")}
    check(states.get("dep:generic/zlib host") == "installed", "zlib-dev is installed: %s" % states)
    check(states.get("dep:generic/openblas host") == "new", "openblas-dev is new")
    rc, out, err = env.run("install", "--dry-run", WHEEL)
    expect = ("alpine 3.21 (x86_64): 6 packages to ask for: build-base libxml2-dev openblas-dev libcap-dev libcap2 "
              "python3-dev\n"
              "transaction: 15 new, 0 upgraded; download 15.0 kB, disk space +45.0 kB\n"
              "would run: apk add --no-cache --virtual .extdeps-build zlib-dev pkgconf build-base "
              "libxml2-dev openblas-dev libcap-dev libcap2 python3-dev\n")
    check(rc == 0 and out == expect, "install --dry-run: %s%s" % (out, err))
    # not root, not asked to be: the command, exit 1
    rc, out, err = env.run("install", WHEEL)
    if os.geteuid() != 0:
        check(rc == 1 and "--as-root" in (out + err), "install without root: exit 1 (%d)" % rc)
    # check reads the installed database by package and by what packages provide
    rc, out, err = env.run("check", "--stage=host", "--format=json", WHEEL)
    doc = json.loads(out) if out.startswith("{") else {}
    zlib = [r for r in doc.get("dependencies", []) if r.get("depurl") == "dep:generic/zlib"]
    check(zlib and zlib[0].get("satisfied") is True and
          zlib[0]["evidence"]["what"] == "zlib-dev" and zlib[0]["evidence"]["database"] == "apk",
          "check: zlib satisfied from apk's database: %s" % (zlib or out[:300] + err))
    return 0


CASES = cases(case_plan, case_version_order, case_edge, case_truncated, case_corrupt, case_garbage,
              case_oversized, case_first_corrupt, case_host)


if __name__ == "__main__":
    sys.exit(run_case(Env, CASES, CASE))
