#!/usr/bin/env python3
"""dnf (fedora), Homebrew and nixpkgs targets end to end, against a real HTTP
server on 127.0.0.1 serving fixture repositories in the real formats.

    eco_e2e_test.py EXTDEPS HTTPD_PY SRCDIR ECO CASE

ECO is fedora, homebrew or nixpkgs; CASE one of the names in CASES. Each run
builds the served tree from the committed fixtures (tests/fixtures/rpmmd,
tests/fixtures/homebrew, tests/fixtures/nix) in a temporary directory,
starts tests/httpd.py on it and runs the real extdeps binary with a fresh
XDG_CACHE_HOME and the mapping overlay tests/fixtures/e2e/mappings.
"""
import json
import os
import shutil
import subprocess
import sys

EXTDEPS, HTTPD, SRCDIR, ECO, CASE = sys.argv[1:6]
FIX = os.path.join(SRCDIR, "tests", "fixtures")
MAPPINGS = os.path.join(FIX, "e2e", "mappings")
PROJECTS = os.path.join(FIX, "projects")
sys.path.insert(0, os.path.join(SRCDIR, "tests"))
from e2e import (ServedEnv, brotli_stored, cases, check, packages, parse, rpmmd,  # noqa: E402
                 run_case, write)


class Tree:
    """The served tree: www/fedora/repodata, www/brew/formula.json,
    www/nix/nixos-24.11/packages.json.br."""

    def __init__(self, top):
        self.www = os.path.join(top, "www")
        self.meta_name = None

    def write(self, rel, data):
        write(os.path.join(self.www, rel), data)

    def fedora(self, primary=None, declared_size=None):
        """repodata/repomd.xml naming repodata/HASH-primary.xml.gz and
        HASH-filelists.xml.gz, as createrepo lays them out; DECLARED_SIZE
        overrides the size repomd.xml states for the primary."""
        if primary is None:
            with open(os.path.join(FIX, "rpmmd", "primary.xml"), "rb") as f:
                primary = f.read()
        with open(os.path.join(FIX, "rpmmd", "filelists.xml"), "rb") as f:
            filelists = f.read()
        # faults select files by the start of their base name
        self.meta_name = rpmmd(os.path.join(self.www, "fedora"),
                               [("primary", primary, declared_size),
                                ("filelists", filelists, None)])

    def homebrew(self, text=None):
        if text is None:
            with open(os.path.join(FIX, "homebrew", "formula.json"), "rb") as f:
                text = f.read()
        self.write("brew/formula.json", text)

    def nixpkgs(self, text=None):
        if text is None:
            with open(os.path.join(FIX, "nix", "packages.json"), "rb") as f:
                text = f.read()
        self.write("nix/nixos-24.11/packages.json.br", brotli_stored(text))

    def build(self, **kw):
        getattr(self, ECO)(**kw)


# Per ecosystem: the target, the --mirror path under the server, the cache
# directory and file that update fills, the metadata file faults apply to.
TARGETS = {
    "fedora": ("fedora:41", "/fedora", "dnf/fedora-41-x86_64", "repomd.xml", "primary"),
    "homebrew": ("homebrew", "/brew", "brew/formulae", "formula.json", "formula"),
    "nixpkgs": ("nixpkgs:24.11", "/nix", "nix/nixos-24.11", "packages.json.br", "packages"),
}
DISTRO, MIRROR, CACHE_SUB, CACHE_FILE, META = TARGETS[ECO]


class Env(ServedEnv):
    def __init__(self):
        # this machine is neither of the targets: nothing installed unless
        # a case puts it there
        super().__init__(HTTPD, EXTDEPS, prefix="extdeps-e2e-",
                         os_release='ID=debian\nVERSION_ID="13"\nVERSION_CODENAME=trixie\n')
        self.tree = Tree(self.tmp)
        self.home = os.path.join(self.tmp, "home")
        os.makedirs(self.home)
        self.extra_env = {"HOMEBREW_CELLAR": None, "HOMEBREW_PREFIX": None}

    def run(self, *args, fault=None, mirror=True):
        argv = [args[0], "--distro=" + DISTRO, "--arch=x86_64"]
        if ECO == "homebrew":
            argv = [args[0], "--distro=" + DISTRO]
        if mirror:
            name = self.tree.meta_name or META
            argv.append("--mirror=%s%s%s" % (self.url, "/f:%s:%s" % (fault, name) if fault else "",
                                              MIRROR))
        return ServedEnv.run(self, *(argv + list(args[1:])), timeout=60)

    def update(self, fault=None):
        rc, out, err = self.run("update", "--format=json", fault=fault)
        return rc, json.loads(out) if rc == 0 and out.strip() else None, err

    def plan(self, project="e2e-ok", *args, mirror=True):
        rc, out, err = self.run("plan", "--mappings=" + MAPPINGS, "--format=json", *args,
                                os.path.join(PROJECTS, project), mirror=mirror)
        return rc, parse(out), err

    def snapshot(self):
        # a download not yet in place counts: none may be left behind
        return ServedEnv.snapshot(self, CACHE_SUB, skip=lambda n: n == ".lock" or
                                  n.endswith(".solv") or ".next" in n)


def transaction(doc):
    """The names a plan installs or upgrades."""
    return {p["name"] for p in (doc or {}).get("transaction") or []
            if p["action"] in ("install", "upgrade")}


# What each ecosystem's fixture plan must hold: the packages chosen for
# fixture-geo and fixture-alt, and some of the transaction.
EXPECT = {
    "fedora": ({"gdal-devel"}, {"proj-devel"}, {"gdal-devel", "gdal-libs", "proj-devel"}),
    "homebrew": ({"gdal"}, {"proj"}, {"gdal", "libtiff", "proj", "sqlite"}),
    "nixpkgs": ({"gdal"}, {"openblas"}, {"gdal", "openblas"}),
}


def case_update(env):
    env.tree.build()
    env.start()
    rc, out, err = env.update()
    check(rc == 0, "update exits 0 (%s)" % err.strip())
    check(out and out["schema_version"] == 1 and out["downloaded"] >= 1 and out["bytes"] > 0,
          "downloaded: %s" % out)
    check(os.path.exists(os.path.join(env.cache, "extdeps", CACHE_SUB, CACHE_FILE)),
          "%s in the cache" % CACHE_FILE)
    rc, out2, err = env.update()
    # dnf fetches repomd.xml each time (it is small and says whether the
    # primary changed); the primary, like the one-file targets, is kept
    again = 1 if ECO == "fedora" else 0
    check(rc == 0 and out2 and out2["downloaded"] == again and
          out2["unchanged"] == out2["files"] - again,
          "second update: the metadata not downloaded anew: %s (%s)" % (out2, err.strip()))


def case_plan(env):
    env.tree.build()
    env.start()
    # plan downloads on demand
    rc, doc, err = env.plan()
    check(rc == 0, "plan exits 0 (%s)" % err.strip())
    geo, alt, trans = EXPECT[ECO]
    check(doc and doc["schema_version"] == 1 and doc["target"]["ecosystem"] == DISTRO.split(":")[0],
          "target named: %s" % (doc or {}).get("target"))
    check(set(packages(doc, "dep:generic/fixture-geo")) == geo,
          "fixture-geo chose %s: %s" % (geo, packages(doc, "dep:generic/fixture-geo",
                                                      whole=True)))
    check(set(packages(doc, "dep:generic/fixture-alt")) == alt,
          "fixture-alt fell back to the alternative %s" % alt)
    check(trans <= transaction(doc), "transaction holds %s: %s" % (trans, transaction(doc)))
    check(not (doc or {}).get("problems"), "no problems")
    rc, out, err = env.run("plan", "--mappings=" + MAPPINGS, "--format=nix",
                           os.path.join(PROJECTS, "e2e-ok"))
    if ECO == "nixpkgs":
        check(rc == 0 and out == "nix-shell -p 'gdal' 'openblas'\n",
              "--format=nix: one nix-shell line: %r (%s)" % (out, err.strip()))
    else:
        check(rc == 2 and out == "" and "--format=nix is for nixpkgs targets" in err,
              "--format=nix refused for %s: %d %r" % (ECO, rc, err))
    if ECO == "fedora":
        # a path only the file lists name: they are downloaded for it
        cached = os.path.join(env.cache, "extdeps", CACHE_SUB)
        check(not [n for n in os.listdir(cached) if "filelists" in n],
              "no file lists until a path is asked for")
        rc, docf, err = env.plan("e2e-files")
        check(rc == 0 and set(packages(docf, "dep:generic/fixture-header")) == {"proj-devel"},
              "the path is proj-devel's (%s): %s" % (err.strip(), (docf or {}).get("dependencies")))
        check([n for n in os.listdir(cached) if n.endswith("-filelists.xml.gz")],
              "the file lists are in the cache")
    # then the cache serves --offline, with no server at all
    env.stop()
    rc, doc2, err = env.plan("e2e-ok", "--offline", mirror=False)
    check(rc == 0 and doc2 and transaction(doc2) == transaction(doc),
          "--offline plan from the cache, same transaction (%s)" % err.strip())
    if ECO == "fedora":
        rc, docf2, err = env.plan("e2e-files", "--offline", mirror=False)
        check(rc == 0 and transaction(docf2) == transaction(docf),
              "--offline plan of the path from the cache (%s)" % err.strip())


# The package that each ecosystem's mapping file in the central registry's
# form names for dep:generic/fixture-central (nix.mapping.json: PEP 804's id
# of nixpkgs is "nix").
CENTRAL = {"fedora": "pkgconf-pkg-config", "homebrew": "pkgconf", "nixpkgs": "openblas"}


def case_pep804(env):
    """The central registry's mapping files as an overlay: each goes to the
    ecosystem its PEP 804 id names, whose plan then takes the name."""
    env.tree.build()
    env.start()
    rc, out, err = env.run("plan", "--format=json",
                           "--mappings=" + os.path.join(FIX, "pep804-central-plan"),
                           os.path.join(PROJECTS, "pep804-central-plan"))
    doc = parse(out)
    check(rc == 0, "plan with the central registry's files exits 0 (%s)" % err.strip())
    want = CENTRAL[ECO]
    check(set(packages(doc, "dep:generic/fixture-central")) == {want},
          "fixture-central planned as %s: %s" % (want, packages(doc, "dep:generic/fixture-central",
                                                                whole=True)))
    check(want in transaction(doc), "%s installed: %s" % (want, transaction(doc)))


def case_problem(env):
    env.tree.build()
    env.start()
    rc, doc, err = env.plan("e2e-broken")
    check(rc == 1, "unsatisfiable: exit 1 (got %d, %s)" % (rc, err.strip()))
    if ECO == "nixpkgs":
        # a listing has no dependencies: what cannot be had is a name it
        # lacks, here one whose meta.broken kept it out
        dep = (doc or {}).get("dependencies", [{}])[0]
        pkg = (dep.get("packages") or [{}])[0]
        check(dep.get("status") == "missing" and pkg.get("state") == "missing" and
              "'oldbroken' is not in the repositories" in pkg.get("message", ""),
              "the broken attribute is missing: %s" % dep)
        return 0
    probs = (doc or {}).get("problems") or []
    text = json.dumps(probs)
    want = {"fedora": "libsz.so.2", "homebrew": "szip"}[ECO]
    check(probs and want in text, "problem names %r: %s" % (want, text[:300]))


def rpmdb(root, name, version, release, arch):
    """A real rpm database under ROOT/var/lib/rpm, as Fedora keeps it, holding
    one empty package built with rpmbuild. False when rpm is missing."""
    if not (shutil.which("rpm") and shutil.which("rpmbuild")):
        return False
    top = os.path.join(os.path.dirname(root), "rpmbuild")
    os.makedirs(top)
    spec = os.path.join(top, "fixture.spec")
    with open(spec, "w") as f:
        f.write("Name: %s\nVersion: %s\nRelease: %s\nSummary: fixture\nLicense: MIT\n"
                "%%description\nfixture\n%%files\n" % (name, version, release))
    quiet = {"capture_output": True, "check": True}
    subprocess.run(["rpmbuild", "--define", "_topdir " + top, "--define", "_dbpath " + top,
                    "--target", arch, "-bb", spec], **quiet)
    built = os.path.join(top, "RPMS", arch, "%s-%s-%s.%s.rpm" % (name, version, release, arch))
    db = ["rpm", "--root", root, "--dbpath", "/var/lib/rpm"]
    subprocess.run(db + ["--initdb"], **quiet)
    subprocess.run(db + ["-i", "--justdb", "--nodeps", "--noscripts", "--ignorearch", built],
                   **quiet)
    return True


def case_installed(env):
    if ECO == "fedora":
        if not rpmdb(env.root, "gdal-devel", "3.9.2", "1.fc41", "x86_64"):
            print("rpm and rpmbuild are needed to write an rpm database: skipped")
            return 77
        with open(os.path.join(env.root, "etc", "os-release"), "w") as f:
            f.write('ID=fedora\nVERSION_ID=41\n')
    elif ECO == "homebrew":
        env.extra_env["HOMEBREW_CELLAR"] = "/cellar"
        shutil.copytree(os.path.join(FIX, "homebrew", "Cellar"), os.path.join(env.root, "cellar"))
    else:
        prof = os.path.join(env.root, env.home.lstrip("/"), ".nix-profile")
        os.makedirs(prof)
        shutil.copy(os.path.join(FIX, "nix", "manifest-v2.json"),
                    os.path.join(prof, "manifest.json"))
    env.tree.build()
    env.start()
    if ECO == "fedora":
        # another mirror than the host's makes another machine: fetch, then
        # plan from the cache as this Fedora host would
        rc, _, err = env.update()
        check(rc == 0, "update exits 0 (%s)" % err.strip())
        rc, doc, err = env.plan("e2e-ok", "--offline", mirror=False)
    else:
        rc, doc, err = env.plan()
    check(rc == 0, "plan exits 0 (%s)" % err.strip())
    check(doc and doc["target"]["this_machine"], "target is this machine")
    name = "gdal-devel" if ECO == "fedora" else "gdal"
    geo = packages(doc, "dep:generic/fixture-geo", whole=True).get(name, {})
    want = {"fedora": ("installed", "3.9.2-1.fc41"), "homebrew": ("installed", "3.9.2_2"),
            "nixpkgs": ("installed", "3.9.2")}[ECO]
    check(geo.get("state") == want[0], "gdal is %s: %s" % (want[0], geo))
    if want[1]:
        check(geo.get("version") == want[1], "installed version %s: %s" % (want[1], geo))
    check(name not in transaction(doc),
          "an installed package is not installed again: %s" % transaction(doc))
    check(geo and packages(doc, "dep:generic/fixture-alt", whole=True),
          "the others still planned: %s" % transaction(doc))


def broken(env, fault, expect, **kw):
    env.tree.build()
    env.start()
    rc, out, err = env.update()
    check(rc == 0, "first update exits 0 (%s)" % err.strip())
    before = env.snapshot()
    if ECO == "fedora" and not kw:
        # another primary, so that there is something to download
        with open(os.path.join(FIX, "rpmmd", "primary.xml"), "rb") as f:
            kw = {"primary": f.read().replace(b'ver="9.4.1"', b'ver="9.4.2"')}
    env.tree.build(**kw)
    rc, out, err = env.update(fault=fault)
    check(rc == 3, "%s: exit 3 (got %d)" % (fault or "bad metadata", rc))
    check(expect in err, "message says %r: %s" % (expect, err.strip()))
    check(env.snapshot() == before, "previous good copy kept")
    rc, doc, err = env.plan("e2e-ok", "--offline", mirror=False)
    check(rc == 0 and set(packages(doc, "dep:generic/fixture-geo")) == EXPECT[ECO][0],
          "the previous metadata still plans (%s)" % err.strip())


def case_truncated(env):
    broken(env, "truncate", "truncated")


def case_corrupt(env):
    expect = {
        "fedora": "checksum mismatch",
        "homebrew": "expected a JSON array of formulae",
        "nixpkgs": "invalid JSON: trailing garbage (not used: the cached copy is kept)",
    }[ECO]
    broken(env, "corrupt", expect)


def case_oversized(env):
    if ECO == "fedora":
        # a primary larger than repomd.xml says
        broken(env, None, "larger than", declared_size=100)
    else:
        broken(env, "huge", "larger than")


def case_invalid(env):
    # whole, but not what the format says: a served file that is not JSON
    # (not XML for rpm-md), with no transport error to catch it
    kw = {"fedora": {"primary": b"<metadata><package>"},
          "homebrew": {"text": b'[{"name": "gdal", '},
          "nixpkgs": {"text": b'{"version": 2}'}}[ECO]
    expect = {"fedora": "checksum", "homebrew": "truncated JSON",
              "nixpkgs": "no \"packages\" object"}[ECO]
    if ECO == "fedora":
        # repomd.xml names the new primary with its right checksum: the
        # download verifies, the load reports the XML error
        env.tree.build()
        env.start()
        rc, out, err = env.update()
        env.tree.build(**kw)
        rc, out, err = env.update()
        rc, doc, err = env.plan("e2e-ok", "--offline", mirror=False)
        check(rc == 3 and "corrupt rpm-md primary data" in err,
              "unparsable primary: exit 3 with a message: %s" % err.strip())
        return 0
    broken(env, None, expect, **kw)


def case_offline(env):
    env.tree.build()
    env.start()
    rc, doc, err = env.plan("e2e-ok", "--offline", mirror=False)
    check(rc == 3, "--offline with an empty cache: exit 3 (got %d)" % rc)
    check("--offline" in err and "cache" in err, "message: %s" % err.strip())
    check(not os.path.exists(os.path.join(env.cache, "extdeps", CACHE_SUB, CACHE_FILE)),
          "nothing downloaded")


def case_validate(env):
    env.tree.build()
    env.start()
    rc, out, err = env.run("mappings", "--mappings=" + MAPPINGS, "--format=json", "validate",
                           "--against-repos")
    check(rc == 1, "missing names: exit 1 (got %d, %s)" % (rc, err.strip()))
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {}
    missing = {(m["depurl"], m["name"]): m for m in doc.get("missing", [])}
    absent = {"fedora": "fixture-absent-devel"}.get(ECO, "fixture-absent")
    m = missing.get(("dep:generic/fixture-alt", absent))
    check(m is not None and m.get("covered_by") is not None,
          "%s missing, covered by an alternative: %s" % (absent, m))
    check(("dep:generic/fixture-geo", "gdal") not in missing and
          ("dep:generic/fixture-geo", "gdal-devel") not in missing,
          "names the repositories have are not reported")


def case_versions(env):
    """A version the repositories meet is planned; one they do not is
    refused with what they have, whether the package manager takes the
    constraint (dnf) or the plan keeps the candidates itself (brew, nix)."""
    env.tree.build()
    env.start()
    rc, doc, err = env.plan("e2e-version-ok")
    check(rc == 0 and doc is not None, "a version the repositories meet: exit 0 (%s)" % err.strip())
    if doc:
        dep = doc["dependencies"][0]
        check(dep["status"] == "new" and dep["packages"][0]["version"].startswith("3.9"),
              "the candidate meeting >=3.9 is taken: %s" % dep)
        check(dep["version_check"] in ("packages", "candidates"),
              "the version is checked: %s" % dep["version_check"])
    rc, doc, err = env.plan("e2e-version-bad")
    check(rc == 1 and doc is not None, "a version nothing meets: exit 1 (%s)" % err.strip())
    if doc:
        pkg = doc["dependencies"][0]["packages"][0]
        check(pkg["state"] == "missing" and "satisfies" in pkg.get("message", "") and
              "3.9" in pkg.get("message", ""),
              "missing, naming what the repositories have: %s" % pkg)


CASES = cases(case_update, case_versions, case_plan, case_pep804, case_problem, case_installed,
              case_truncated, case_corrupt, case_oversized, case_invalid, case_offline,
              case_validate)


if __name__ == "__main__":
    sys.exit(run_case(Env, CASES, CASE))
