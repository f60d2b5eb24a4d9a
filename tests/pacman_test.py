#!/usr/bin/env python3
"""Arch Linux end to end: `extdeps update` and `plan --distro=arch` against
sync databases served by tests/httpd.py on 127.0.0.1, laid out as Arch's
mirrors are ($repo/os/$arch/$repo.db), written by
tests/fixtures/pacman/make_fixtures.py in repo-add's format.

    pacman_test.py EXTDEPS HTTPD_PY SRCDIR CASE

Each case starts from a fresh cache on a machine that is not Arch (a
Debian os-release under EXTDEPS_ROOT), unless it says otherwise.
"""
import hashlib
import json
import os
import shutil
import sys

EXTDEPS, HTTPD, SRCDIR, CASE = sys.argv[1:5]
FIX = os.path.join(SRCDIR, "tests", "fixtures", "pacman")
sys.path.insert(0, FIX)
import make_fixtures as mf  # noqa: E402

sys.path.insert(0, os.path.join(SRCDIR, "tests"))
from e2e import ServedEnv, cases, check, packages, parse, run_case, transaction  # noqa: E402

GDAL = os.path.join(SRCDIR, "examples", "gdal-proj")
SCIPY = os.path.join(SRCDIR, "examples", "scipy-like")
SUB = os.path.join("pacman", "arch-x86_64")

class Env(ServedEnv):
    def __init__(self):
        super().__init__(HTTPD, EXTDEPS, prefix="extdeps-pacman-",
                         os_release='ID=debian\nVERSION_ID="13"\nVERSION_CODENAME=trixie\n')
        self.projects = os.path.join(self.tmp, "projects")
        # the fixtures are Arch as it was when its Python was 3.12
        self.extra_env["EXTDEPS_PYTHON_VERSION"] = "3.12"

    def serve(self, core=None, extra=None, top="archlinux"):
        """core.db and extra.db (bytes; None: the fixtures') under
        TOP/$repo/os/x86_64."""
        for repo, data, pkgs in (("core", core, mf.CORE), ("extra", extra, mf.EXTRA)):
            mf.write(os.path.join(self.www, top, repo, "os", "x86_64", repo + ".db"),
                     data if data is not None else mf.sync_db(pkgs))

    def mirror(self, fault=None, top="archlinux"):
        return "--mirror=%s%s/%s" % (self.url, "/f:%s:extra" % fault if fault else "", top)

    def run(self, *args):
        return ServedEnv.run(self, *args, timeout=60)

    def update(self, *more):
        rc, out, err = self.run("update", "--distro=arch", "--arch=x86_64", "--format=json",
                                *more)
        return rc, parse(out), err

    def plan(self, project, *more):
        rc, out, err = self.run("plan", "--distro=arch", "--arch=x86_64", "--format=json",
                                *(list(more) + [project]))
        return rc, parse(out), err

    def project(self, name, *deps):
        d = os.path.join(self.projects, name)
        mf.write(os.path.join(d, "pyproject.toml"),
                 '[project]\nname = "%s"\nversion = "1"\n[external]\nhost-requires = [%s]\n'
                 % (name, ", ".join('"%s"' % x for x in deps)))
        return d

    def cache_files(self):
        """Every file of the target's cache directory and its hash, the
        lock, .solv caches and core.db's validators aside (a fault's URL
        is another URL to them)."""
        d = os.path.join(self.cache, "extdeps", SUB)
        out = {}
        for n in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            if n in (".lock", "core.db.meta") or n.endswith(".solv"):
                continue
            with open(os.path.join(d, n), "rb") as f:
                out[n] = hashlib.sha256(f.read()).hexdigest()
        return out


def case_update(env):
    env.serve()
    env.start()
    rc, doc, err = env.update(env.mirror())
    check(rc == 0, "update exits 0 (%s)" % err.strip())
    check(doc and doc["downloaded"] == 2 and doc["files"] == 2 and doc["bytes"] > 0,
          "core.db and extra.db downloaded: %s" % doc)
    check(set(env.cache_files()) == {"core.db", "extra.db", "extra.db.meta"},
          "the cache holds both databases: %s" % env.cache_files())
    rc, doc, err = env.update(env.mirror())
    check(rc == 0 and doc and doc["downloaded"] == 0 and doc["unchanged"] == 2,
          "second update: nothing downloaded anew: %s (%s)" % (doc, err.strip()))
    # a Server line with $repo and $arch, as mirror lists write them
    rc, doc, err = env.update("--mirror=%s/archlinux/$repo/os/$arch" % env.url)
    check(rc == 0 and doc and doc["files"] == 2, "--mirror with $repo/$arch (%s)" % err.strip())
    rc, _, err = env.update("--offline")
    check(rc == 3 and "--offline" in err, "update --offline: exit 3: %s" % err.strip())


def case_plan(env):
    env.serve()
    env.start()
    # downloaded on demand
    rc, doc, err = env.plan(GDAL, env.mirror())
    check(rc == 0, "plan exits 0 (%s)" % err.strip())
    check(doc and doc["target"]["ecosystem"] == "arch" and doc["target"]["backend"] == "pacman"
          and not doc["target"]["this_machine"], "target: %s" % (doc or {}).get("target"))
    check(set(packages(doc, "dep:generic/gdal", whole=True)) == {"gdal"}, "gdal: %s"
          % packages(doc, "dep:generic/gdal", whole=True))
    trans = transaction(doc)
    # gdal's dependencies, through provides and versioned depends
    want = {"gdal": "3.10.0-1", "proj": "9.5.0-1", "geos": "3.13.0-1", "hdf5": "1.14.5-1",
            "libxml2": "2.13.5-1", "sqlite": "3.47.1-1", "zlib": "1:1.3.1-2",
            "glibc": "2.40+r16+gaa533d58ff-2"}
    check(all(trans.get(k) == v for k, v in want.items()),
          "transaction holds %s: %s" % (want, trans))
    argv = (doc or {}).get("command") or []
    check(argv[:5] == ["pacman", "-S", "--needed", "--noconfirm", "--asdeps"] and
          "gdal" in argv, "the install command is pacman -S --needed --noconfirm --asdeps: %s"
          % argv)
    # then the cache serves --offline, with no server at all
    env.stop()
    rc, doc2, err = env.plan(GDAL, "--offline")
    check(rc == 0 and transaction(doc2) == trans,
          "--offline plan from the cache, same transaction (%s)" % err.strip())


def case_versions(env):
    env.serve()
    env.start()
    ok = env.project("xml-ok", "dep:generic/libxml2@>=2.13")
    rc, doc, err = env.plan(ok, env.mirror())
    check(rc == 0 and packages(doc, "dep:generic/libxml2", whole=True).get("libxml2", {}).get("version")
          == "2.13.5-1", "libxml2 >=2.13 met by 2.13.5-1 (%s)" % err.strip())
    # the upstream release 2.13.5 meets <=2.13.5, whatever its pkgrel
    le = env.project("xml-le", "dep:generic/libxml2@<=2.13.5")
    rc, doc, err = env.plan(le, "--offline")
    check(rc == 0, "libxml2 <=2.13.5 met by 2.13.5-1 (%s)" % err.strip())
    bad = env.project("xml-bad", "dep:generic/libxml2@>=2.14")
    rc, doc, err = env.plan(bad, "--offline")
    dep = [d for d in (doc or {}).get("dependencies", []) if d["depurl"] == "dep:generic/libxml2"]
    pkg = dep[0]["packages"][0] if dep and dep[0]["packages"] else {}
    check(rc == 1 and pkg.get("state") == "missing" and
          "the repositories have 2.13.5-1" in pkg.get("message", ""),
          "libxml2 >=2.14 is missing, naming what there is: %s" % pkg)


def case_host_mirror(env):
    """No --mirror: the Server the host's pacman.conf includes."""
    env.serve(top="mirror/archlinux")
    env.start()
    mf.write(os.path.join(env.root, "etc", "pacman.conf"), mf.PACMAN_CONF)
    mf.write(os.path.join(env.root, "etc", "pacman.d", "mirrorlist"),
             "#Server = http://127.0.0.1:1/nowhere/$repo/os/$arch\n"
             "Server = %s/mirror/archlinux/$repo/os/$arch\n" % env.url)
    rc, doc, err = env.update()
    check(rc == 0 and doc and doc["downloaded"] == 2,
          "update from the host's mirror list (%s)" % err.strip())


def case_arch_host(env):
    """An Arch machine: its sync databases and installed set, then the
    target named and downloaded for, then a fresh container."""
    mf.write_root(env.root)
    env.serve()
    env.start()
    rc, out, err = env.run("plan", "--format=json", SCIPY)
    doc = json.loads(out) if rc in (0, 1) else None
    check(rc == 0 and doc["target"]["this_machine"], "plan on the machine (%s)" % err.strip())
    check(packages(doc, "dep:generic/pkg-config", whole=True).get("pkgconf", {}).get("state") == "installed",
          "pkgconf is installed: %s" % packages(doc, "dep:generic/pkg-config", whole=True))
    check(not os.path.exists(os.path.join(env.cache, "extdeps", SUB)),
          "nothing downloaded for this machine")
    # a fresh container: no sync databases, but what update downloaded
    shutil.rmtree(os.path.join(env.root, "var", "lib", "pacman", "sync"))
    rc, out, err = env.run("plan", SCIPY)
    check(rc == 3 and "pacman -Sy" in err, "no sync databases: exit 3: %s" % err.strip())
    rc, _, err = env.update(env.mirror())
    check(rc == 0, "update --distro=arch on the machine (%s)" % err.strip())
    rc, out, err = env.run("plan", "--format=json", SCIPY)
    check(rc == 0 and json.loads(out)["target"]["this_machine"],
          "plan from the download, installed set kept (%s)" % err.strip())


def broken(env, expect, fault=None, extra=None):
    """A good update, then one that fails EXPECTing a message: exit 3, the
    cache as it was, no temporary file left, the next plan still good."""
    env.serve()
    env.start()
    rc, _, err = env.update(env.mirror())
    check(rc == 0, "first update exits 0 (%s)" % err.strip())
    before = env.cache_files()
    # something new to download
    env.serve(extra=extra if extra is not None else
              mf.sync_db(mf.EXTRA + [("newer", "1.0-1", [], [])]))
    rc, _, err = env.update(env.mirror(fault))
    check(rc == 3, "exit 3 (got %d)" % rc)
    check(expect in err, "message says %r: %s" % (expect, err.strip()))
    check(env.cache_files() == before, "the previous good copy is kept, nothing else written: %s"
          % sorted(env.cache_files()))
    rc, doc, err = env.plan(GDAL, "--offline")
    check(rc == 0 and "gdal" in transaction(doc), "the previous metadata still plans (%s)"
          % err.strip())


def case_truncated(env):
    # cut in transfer: fewer bytes than announced
    broken(env, "truncated", fault="truncate")


def case_truncated_file(env):
    # served whole, but the file itself is cut: the gzip stream ends early
    data = mf.sync_db(mf.EXTRA)
    broken(env, "truncated or corrupt: it does not decompress whole", extra=data[:len(data) // 2])


def case_corrupt(env):
    data = bytearray(mf.sync_db(mf.EXTRA))
    data[len(data) // 2] ^= 0xff
    broken(env, "extra.db' is not usable, the cached copy is kept: the sync database is "
           "truncated or corrupt", extra=bytes(data))


def case_garbage(env):
    broken(env, "not a pacman sync database", fault="garbage")


def case_oversized(env):
    broken(env, "larger than", fault="huge")


def case_trailing(env):
    # more after the archive's end than any tar's padding
    broken(env, "more than 1048576 bytes after its archive's end",
           extra=mf.gzip.compress(mf.sync_tar(mf.EXTRA) + b"x" * (2 << 20), mtime=0))


def case_empty(env):
    broken(env, "lists no package", extra=mf.gzip.compress(b"\0" * 10240, mtime=0))


def case_fixtures(env):
    """The committed fixtures are what make_fixtures.py writes."""
    mf.write_root(os.path.join(env.tmp, "again", "root"))
    for dirpath, _, names in os.walk(os.path.join(FIX, "root")):
        for n in names:
            p = os.path.join(dirpath, n)
            q = os.path.join(env.tmp, "again", os.path.relpath(p, FIX))
            with open(p, "rb") as a, open(q, "rb") as b:
                check(a.read() == b.read(), "%s as make_fixtures.py writes it"
                      % os.path.relpath(p, FIX))


CASES = cases(case_update, case_plan, case_versions, case_host_mirror, case_arch_host,
              case_truncated, case_truncated_file, case_corrupt, case_garbage, case_oversized,
              case_empty, case_trailing, case_fixtures)


if __name__ == "__main__":
    sys.exit(run_case(Env, CASES, CASE))
