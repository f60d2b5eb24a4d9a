#!/usr/bin/env python3
"""The RHEL family end to end: AlmaLinux, Rocky, CentOS Stream, Oracle Linux
and RHEL targets planned against rpm-md repositories served by
tests/httpd.py on 127.0.0.1, laid out as AlmaLinux's mirrors are
(RELEASE/BaseOS/x86_64/os, AppStream, CRB or PowerTools) with EPEL beside.

    el_test.py EXTDEPS HTTPD_PY SRCDIR CASE

Each case writes the repositories (repomd.xml and a gzip'd primary.xml, as
createrepo lays them out) in a temporary directory, starts the server and
runs the real extdeps binary with the compiled-in registry and a fresh
cache.
"""
import hashlib
import os
import sys

EXTDEPS, HTTPD, SRCDIR, CASE = sys.argv[1:5]
PROJECTS = os.path.join(SRCDIR, "tests", "fixtures", "projects")
WHEEL = os.path.join(PROJECTS, "el-wheel")
sys.path.insert(0, os.path.join(SRCDIR, "tests"))
import e2e  # noqa: E402
from e2e import (ServedEnv, cases, check, packages, parse, run_case, status,  # noqa: E402
                 transaction)


def rpm(name, version, rel="1.el9", requires=(), provides=(), arch="x86_64", epoch="0"):
    """One <package> of a primary.xml."""
    def entries(names, flags=False):
        out = ""
        for n in names:
            out += '      <rpm:entry name="%s"/>\n' % n
        if flags:
            out += ('      <rpm:entry name="%s" flags="EQ" epoch="%s" ver="%s" rel="%s"/>\n'
                    % (name, epoch, version, rel))
        return out
    return ('<package type="rpm">\n'
            '  <name>%s</name>\n  <arch>%s</arch>\n'
            '  <version epoch="%s" ver="%s" rel="%s"/>\n'
            '  <checksum type="sha256" pkgid="YES">%s</checksum>\n'
            '  <summary>%s</summary>\n'
            '  <size package="1000" installed="2000" archive="2100"/>\n'
            '  <location href="Packages/%s-%s-%s.%s.rpm"/>\n'
            '  <format>\n'
            '    <rpm:provides>\n%s    </rpm:provides>\n'
            '    <rpm:requires>\n%s    </rpm:requires>\n'
            '  </format>\n</package>\n'
            % (name, arch, epoch, version, rel,
               hashlib.sha256(("%s-%s-%s" % (name, version, rel)).encode()).hexdigest(),
               name, name, version, rel, arch, entries(provides, True), entries(requires)))


def primary(pkgs):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<metadata xmlns="http://linux.duke.edu/metadata/common" '
            'xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="%d">\n%s</metadata>\n'
            % (len(pkgs), "".join(pkgs))).encode()


def rpmmd(top, data, declared_size=None, modules=None):
    """repodata/repomd.xml under TOP naming repodata/HASH-primary.xml.gz
    (and HASH-modules.yaml.gz when MODULES is given, as EL's AppStream)."""
    return e2e.rpmmd(top, [("primary", data, declared_size)] +
                     ([("modules", modules, None)] if modules is not None else []))


# What each repository holds: the names are EL 9's, the split between
# repositories too (openblas-devel in CRB, its runtime in AppStream,
# libgfortran in BaseOS, gdal in EPEL).
def baseos(rel="1.el9"):
    return [rpm("glibc", "2.34", "100." + rel.split(".")[-1]),
            rpm("libgfortran", "11.5.0", rel, requires=["glibc"]),
            rpm("zlib", "1.2.11", "40." + rel.split(".")[-1], requires=["glibc"]),
            rpm("pkgconf-pkg-config", "1.7.3", rel, provides=["pkg-config"])]


def appstream(rel="1.el9", openblas="0.3.26"):
    return [rpm("openblas", openblas, rel, requires=["libgfortran"]),
            rpm("openblas-openmp", openblas, rel, requires=["openblas", "libgfortran"]),
            rpm("zlib-devel", "1.2.11", "40." + rel.split(".")[-1],
                requires=["zlib", "pkg-config"]),
            rpm("python3-devel", "3.9.19", rel),
            # rpm's order (rpm.org's version comparison): '~' sorts
            # before anything, even the end, '^' after the end but before
            # any further part
            rpm("tilde-probe", "2.0~rc1", rel), rpm("tilde-probe", "1.9", rel),
            rpm("caret-probe", "2.0", rel), rpm("caret-probe", "2.0^git1", rel),
            rpm("mixed-probe", "1.3~rc1", rel), rpm("mixed-probe", "1.2.13^git1", rel)]


def crb(rel="1.el9", openblas="0.3.26"):
    return [rpm("openblas-devel", openblas, rel,
                requires=["openblas", "openblas-openmp", "pkg-config"])]


def epel(rel="1.el9"):
    return [rpm("gdal-libs", "3.4.3", rel, requires=["zlib"]),
            rpm("gdal-devel", "3.4.3", rel, requires=["gdal-libs", "pkg-config"])]


class Env(ServedEnv):
    def __init__(self):
        # this machine runs none of the targets
        super().__init__(HTTPD, EXTDEPS, prefix="extdeps-el-",
                         os_release='ID=debian\nVERSION_ID="13"\n')

    def serve(self, release="9", rel="1.el9", openblas="0.3.26"):
        """The repositories of one release: alma/RELEASE/{BaseOS,AppStream,
        CRB|PowerTools}/x86_64/os and epel/RELEASE/Everything/x86_64.
        Returns the 16-character names of the primaries, by repository."""
        top = os.path.join(self.www, "alma", release)
        tools = "PowerTools" if release == "8" else "CRB"
        return {
            "baseos": rpmmd(os.path.join(top, "BaseOS", "x86_64", "os"), primary(baseos(rel))),
            "appstream": rpmmd(os.path.join(top, "AppStream", "x86_64", "os"),
                               primary(appstream(rel, openblas))),
            "crb": rpmmd(os.path.join(top, tools, "x86_64", "os"), primary(crb(rel, openblas))),
            "epel": rpmmd(os.path.join(self.www, "epel", release, "Everything", "x86_64"),
                          primary(epel(rel))),
        }

    def start(self):
        ServedEnv.start(self, "--log", self.log)


def plan(env, distro="almalinux:9", release="9", repos=("crb", "epel"), fmt="json", more=(),
         mirror=None, project=WHEEL):
    argv = ["plan", "--distro=" + distro, "--arch=x86_64", "--format=" + fmt,
            "--mirror=%s/%s" % (env.url, mirror or "alma/" + release)]
    tools = "PowerTools" if release == "8" else "CRB"
    for r in repos:
        if r in ("crb", "powertools"):
            argv.append("--enable-repo=%s=%s/alma/%s/%s/x86_64/os" % (r, env.url, release, tools))
        else:
            argv.append("--enable-repo=epel=%s/epel/%s/Everything/$basearch" % (env.url, release))
    rc, out, err = env.run(*(argv + list(more) + [project]))
    return rc, parse(out) if fmt == "json" else out, err


def case_plan(env):
    env.serve()
    env.start()
    # BaseOS and AppStream only, as a fresh EL 9 machine has them
    rc, out, err = plan(env, repos=(), fmt="text")
    check(rc == 1, "without CRB and EPEL: unmet (%d %s)" % (rc, err.strip()))
    check("to enable CodeReady Linux Builder (CRB) (for dep:generic/openblas), as root:\n"
          "    dnf config-manager --set-enabled crb" in out, "CRB's enable command: %s" % out)
    check("dnf install -y epel-release" in out, "EPEL's enable command: %s" % out)
    check("dep:generic/zlib [host]: zlib-devel" in out, "zlib from AppStream: %s" % out)
    rc, doc, err = plan(env)
    check(rc == 0, "with CRB and EPEL enabled: planned (%d %s)" % (rc, err.strip()))
    check(packages(doc, "dep:generic/openblas") == {"openblas-devel": "0.3.26-1.el9"},
          "openblas-devel from CRB: %s" % packages(doc, "dep:generic/openblas"))
    check(packages(doc, "dep:generic/gdal") == {"gdal-devel": "3.4.3-1.el9"},
          "gdal-devel from EPEL: %s" % packages(doc, "dep:generic/gdal"))
    t = transaction(doc)
    for name in ("openblas-openmp", "libgfortran", "gdal-libs", "zlib", "pkgconf-pkg-config"):
        check(name in t, "%s pulled in across repositories: %s" % (name, sorted(t)))
    ids = [r["id"] for r in (doc or {}).get("target", {}).get("repositories", [])]
    check(ids == ["crb", "epel"], "JSON target.repositories: %s" % ids)
    for sub in ("almalinux-9-x86_64+baseos", "almalinux-9-x86_64+appstream",
                "almalinux-9-x86_64+crb", "almalinux-9-x86_64+epel"):
        d = os.path.join(env.cache, "extdeps", "dnf", sub)
        names = os.listdir(d) if os.path.isdir(d) else []
        check("repomd.xml" in names and "primary.solv" in names,
              "a cache directory of its own, with its .solv cache: dnf/%s %s" % (sub, names))
    # the same repositories read as each distribution of the family
    for distro in ("rocky:9", "centos:9", "ol:9", "rhel:9", "el:9"):
        rc, doc, err = plan(env, distro=distro)
        check(rc == 0 and "openblas-devel" in packages(doc, "dep:generic/openblas"),
              "%s plans (%d %s)" % (distro, rc, err.strip()))
    # the cache serves --offline with the server gone
    env.stop()
    env.url = "http://127.0.0.1:9"
    rc, doc, err = plan(env, more=["--offline"])
    check(rc == 0 and "gdal-devel" in packages(doc, "dep:generic/gdal"),
          "--offline from the cache (%d %s)" % (rc, err.strip()))


def case_pep804(env):
    """The central registry's fedora.mapping.json as an overlay reaches the
    RHEL family, which inherits Fedora's names."""
    env.serve()
    env.start()
    central = "--mappings=" + os.path.join(SRCDIR, "tests", "fixtures", "pep804-central-plan")
    for distro in ("almalinux:9", "el:9"):
        rc, doc, err = plan(env, distro=distro, repos=(), more=[central],
                            project=os.path.join(PROJECTS, "pep804-central-plan"))
        check(rc == 0 and packages(doc, "dep:generic/fixture-central") ==
              {"pkgconf-pkg-config": "1.7.3-1.el9"},
              "%s plans fixture-central as Fedora's file names it (%d %s %s)" %
              (distro, rc, packages(doc, "dep:generic/fixture-central"), err.strip()))


def case_el8(env):
    env.serve(release="8", rel="1.el8")
    env.start()
    rc, out, err = plan(env, distro="almalinux:8", release="8", repos=(), fmt="text")
    check(rc == 1 and "to enable PowerTools (EL 8's CodeReady Linux Builder) (for "
          "dep:generic/openblas), as root:\n    dnf config-manager --set-enabled powertools"
          in out, "EL 8 names PowerTools: %s %s" % (out, err))
    rc, doc, err = plan(env, distro="rocky:8", release="8", repos=("powertools", "epel"))
    check(rc == 0 and packages(doc, "dep:generic/openblas") == {"openblas-devel":
                                                                 "0.3.26-1.el8"},
          "with PowerTools: planned (%d %s %s)" % (rc, packages(doc, "dep:generic/openblas"),
                                                    err.strip()))


def case_versions(env):
    """rpm's version order across repositories: the newest build wins by
    rpm's rules, whichever repository holds it."""
    env.serve()
    env.start()
    rc, doc, err = plan(env, project=os.path.join(PROJECTS, "el-versions"),
                        more=["--mappings=" + os.path.join(SRCDIR, "tests", "fixtures",
                                                          "el-mappings")])
    check(rc == 0, "planned (%d %s)" % (rc, err.strip()))
    want = {"dep:generic/tilde-probe": "2.0~rc1-1.el9",    # 2.0~rc1 > 1.9
            "dep:generic/caret-probe": "2.0^git1-1.el9",   # 2.0^git1 > 2.0
            "dep:generic/mixed-probe": "1.3~rc1-1.el9"}    # 1.3~rc1 > 1.2.13^git1
    for depurl, version in want.items():
        got = packages(doc, depurl)
        check(list(got.values()) == [version], "%s: %s (got %s)" % (depurl, version, got))


# EL 8's AppStream as dnf sees it: nodejs in the streams 10 (the default)
# and 20, python39 in one stream that is not a default; modulemd v2 and
# modulemd-defaults v1 documents as the distributions publish them.
MODULES = """---
document: modulemd
version: 2
data:
  name: nodejs
  stream: "10"
  version: 8030020210304194401
  context: 30b713e6
  arch: x86_64
  summary: Javascript runtime
  artifacts:
    rpms:
    - nodejs-1:10.24.0-1.module_el8.3.0+717+fa496f1d.src
    - nodejs-1:10.24.0-1.module_el8.3.0+717+fa496f1d.x86_64
...
---
document: modulemd
version: 2
data:
  name: nodejs
  stream: "20"
  version: 8090020231019152822
  context: a75119d5
  arch: x86_64
  summary: Javascript runtime
  artifacts:
    rpms:
    - nodejs-1:20.9.0-1.module_el8.9.0+3521+5a8a0ac2.x86_64
...
---
document: modulemd
version: 2
data:
  name: python39
  stream: "3.9"
  version: 8090020230810105815
  context: d47b87a4
  arch: x86_64
  summary: Python programming language, version 3.9
  artifacts:
    rpms:
    - python39-devel-0:3.9.18-1.module_el8.9.0+3473+4a0d8a26.x86_64
...
---
document: modulemd-defaults
version: 1
data:
  module: nodejs
  stream: "10"
  profiles:
    "10": [common]
...
"""


def case_modules(env):
    """EL 8's module streams: a package of a stream that is not a default
    is never planned (dnf would not install it), and one only there is
    reported with the command that enables its stream."""
    env.serve(release="8", rel="1.el8")
    top = os.path.join(env.www, "alma", "8", "AppStream", "x86_64", "os")
    pkgs = appstream("1.el8") + [
        rpm("nodejs", "10.24.0", "1.module_el8.3.0+717+fa496f1d", epoch="1"),
        rpm("nodejs", "20.9.0", "1.module_el8.9.0+3521+5a8a0ac2", epoch="1"),
        rpm("python39-devel", "3.9.18", "1.module_el8.9.0+3473+4a0d8a26")]
    rpmmd(top, primary(pkgs), modules=MODULES.encode())
    env.start()
    project = os.path.join(PROJECTS, "el-modules")
    mappings = "--mappings=" + os.path.join(SRCDIR, "tests", "fixtures", "el-mappings")
    for run in ("parsed", "from the .solv cache"):
        rc, doc, err = plan(env, distro="almalinux:8", release="8", repos=(), project=project,
                            more=[mappings])
        check(packages(doc, "dep:generic/stream-default") == {
              "nodejs": "1:10.24.0-1.module_el8.3.0+717+fa496f1d"} or
              packages(doc, "dep:generic/stream-default") == {
              "nodejs": "10.24.0-1.module_el8.3.0+717+fa496f1d"},
              "%s: nodejs from the default stream 10, not 20 (%s %s)" %
              (run, packages(doc, "dep:generic/stream-default"), err.strip()))
        check(rc == 1 and status(doc, "dep:generic/stream-only") == "missing",
              "%s: python39-devel, only in a stream not enabled: missing (%d)" % (run, rc))
    rc, out, err = plan(env, distro="almalinux:8", release="8", repos=(), project=project,
                        more=[mappings], fmt="text")
    check("'python39-devel' is not in the repositories: only in the module stream python39:3.9, "
          "which is not enabled by default; to enable it, as root: dnf module enable "
          "python39:3.9" in out, "the stream and its enable command named: %s" % out)


def broken(env, mode, expect, declared=False):
    """An AppStream download broken by MODE after a good one: exit 3 with
    EXPECT in the message, the good copy kept, --offline still plans."""
    names = env.serve()
    env.start()
    rc, doc, err = plan(env)
    check(rc == 0, "the first, good plan (%d %s)" % (rc, err.strip()))
    sub = os.path.join("dnf", "almalinux-9-x86_64+appstream")
    before = env.snapshot(sub)
    if declared:
        # a primary bigger than repomd.xml says: refused before it is read
        top = os.path.join(env.www, "alma", "9", "AppStream", "x86_64", "os")
        data = primary(appstream(openblas="0.3.29") + [rpm("pad%d" % i, "1") for i in range(50)])
        rpmmd(top, data, declared_size=100)
        rc, out, err = env.run("update", "--distro=almalinux:9", "--arch=x86_64",
                               "--mirror=%s/alma/9" % env.url)
    else:
        names = env.serve(openblas="0.3.29")
        rc, out, err = env.run("update", "--distro=almalinux:9", "--arch=x86_64",
                               "--mirror=%s/f:%s:%s/alma/9" % (env.url, mode,
                                                               names["appstream"]))
    check(rc == 3 and expect in err, "%s: exit 3 saying '%s' (%d %s)" %
          (mode, expect, rc, err.strip()))
    after = env.snapshot(sub)
    check(after == before, "the previous good copy kept: %s" %
          sorted(set(after.items()) ^ set(before.items())))
    rc, doc, err = plan(env, more=["--offline"])
    check(rc == 0 and packages(doc, "dep:generic/openblas") == {"openblas-devel":
                                                                 "0.3.26-1.el9"},
          "--offline still plans the good copy (%d %s)" % (rc, err.strip()))


def case_truncated(env):
    broken(env, "truncate", "transfer closed")


def case_corrupt(env):
    broken(env, "corrupt", "checksum")


def case_oversized(env):
    broken(env, "oversized", "larger than 100 bytes", declared=True)


CASES = cases(case_plan, case_el8, case_versions, case_modules, case_pep804, case_truncated,
              case_corrupt, case_oversized)


if __name__ == "__main__":
    sys.exit(run_case(Env, CASES, CASE))
