#!/usr/bin/env python3
"""openSUSE end to end: Leap 15.6 and 16.0 and Tumbleweed targets planned
against rpm-md repositories served by tests/httpd.py on 127.0.0.1, laid out
as download.opensuse.org is (distribution/leap/RELEASE/repo/oss,
update/leap/RELEASE/oss, tumbleweed/repo/oss, ports/ARCH/tumbleweed/...),
written by tests/rpmmd_fixture.py.

    opensuse_test.py EXTDEPS HTTPD_PY SRCDIR CASE

Each case writes the repositories in a temporary directory, starts the
server and runs the real extdeps binary with the compiled-in registry and a
fresh cache.
"""
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rpmmd_fixture as fx  # noqa: E402
from e2e import ServedEnv, cases, check, packages, parse, run_case, transaction  # noqa: E402

EXTDEPS, HTTPD, SRCDIR, CASE = sys.argv[1:5]
PROJECTS = os.path.join(SRCDIR, "tests", "fixtures", "projects")
BUILD = os.path.join(PROJECTS, "opensuse-build")
NON_OSS = os.path.join(PROJECTS, "opensuse-non-oss")
MAPPINGS = "--mappings=" + os.path.join(SRCDIR, "tests", "fixtures", "opensuse-mappings")

class Env(ServedEnv):
    def __init__(self):
        # this machine runs none of the targets
        super().__init__(HTTPD, EXTDEPS, prefix="extdeps-opensuse-",
                         os_release=b'ID=debian\nVERSION_ID="13"\n')

    def serve_leap(self, release="15.6", libxml2="2.10.3", arch_dir=""):
        """Leap's repo-oss, repo-non-oss and repo-update; ARCH_DIR "x86_64/"
        for Leap 16.0's trees. Returns the primaries' names by repository."""
        top = os.path.join(self.www, "distribution", "leap", release, "repo")
        return {
            "repo-oss": fx.write_repo(os.path.join(top, "oss", arch_dir),
                                      fx.leap_oss(libxml2=libxml2)),
            "repo-non-oss": fx.write_repo(os.path.join(top, "non-oss", arch_dir), fx.non_oss()),
            "repo-update": fx.write_repo(os.path.join(self.www, "update", "leap", release, "oss",
                                                      arch_dir),
                                         fx.leap_update(), updateinfo=True),
        }

    def serve_tumbleweed(self, prefix=""):
        top = os.path.join(self.www, prefix, "tumbleweed", "repo")
        fx.write_repo(os.path.join(top, "oss"), fx.tumbleweed_oss(), tag=fx.TW_TAG)
        fx.write_repo(os.path.join(top, "non-oss"), fx.non_oss(fx.TW_REL), tag=fx.TW_TAG)
        fx.write_repo(os.path.join(self.www, prefix, "update", "tumbleweed"), [],
                      updateinfo=True, tag=fx.TW_TAG)

    def start(self):
        ServedEnv.start(self, "--log", self.log)

    def run(self, *args, root=None):
        return ServedEnv.run(self, *args, EXTDEPS_ROOT=root or self.root)

    def requests(self):
        with open(self.log) as f:
            return [line.split()[1] for line in f if line.startswith("GET")]


def plan(env, distro="opensuse-leap:15.6", arch="x86_64", fmt="json", more=(), mirror=None,
         project=BUILD):
    argv = ["plan", "--distro=" + distro, "--arch=" + arch, "--format=" + fmt,
            "--mirror=" + (mirror or env.url)] + list(more) + [project]
    rc, out, err = env.run(*argv)
    return rc, parse(out) if fmt == "json" else out, err


def case_leap(env):
    env.serve_leap(libxml2="2.10.2")
    env.start()
    rc, doc, err = plan(env)
    check(rc == 0, "Leap 15.6 planned (%d %s)" % (rc, err.strip()))
    check(packages(doc, "dep:generic/openblas") == {
          "openblas_pthreads-devel": "0.3.26-150600.1.1"},
          "openblas_pthreads-devel from repo-oss: %s" % packages(doc, "dep:generic/openblas"))
    # rpm's order of openSUSE's releases: 150600.3.6.1 is newer than
    # 150600.1.10, and the update repository's build wins
    check(packages(doc, "dep:generic/libxml2") == {"libxml2-devel": "2.10.3-150600.3.6.1"},
          "libxml2-devel from repo-update: %s" % packages(doc, "dep:generic/libxml2"))
    check(packages(doc, "dep:generic/python") == {"python311-devel": "3.11.9-150600.3.3.1"},
          "Leap 15.6's Python for >=3.9 is python311: %s"
          % packages(doc, "dep:generic/python"))
    t = transaction(doc)
    for name in ("gcc7", "libgfortran4", "libopenblas_pthreads0", "libxml2-2", "libz1"):
        check(name in t, "%s pulled in: %s" % (name, sorted(t)))
    check(t.get("libxml2-2") == "2.10.3-150600.3.6.1",
          "libxml2-devel's '=' requirement takes the update's library: %s" % t.get("libxml2-2"))
    for rid in ("repo-oss", "repo-non-oss", "repo-update"):
        d = os.path.join(env.cache, "extdeps", "zypper", "opensuse-15.6-x86_64+" + rid)
        names = os.listdir(d) if os.path.isdir(d) else []
        check("repomd.xml" in names and "primary.solv" in names,
              "a cache directory of its own with its .solv cache: %s %s" % (rid, names))
    got = env.requests()
    check(not [p for p in got if "other" in p or "updateinfo" in p or "filelists" in p],
          "only repomd.xml and the primaries are downloaded: %s" % got)
    check(doc and doc["target"]["backend"] == "zypper", "JSON target.backend: zypper")
    # the text plan names the command
    rc, out, err = plan(env, fmt="text")
    check("zypper --non-interactive install --no-recommends gcc gcc-c++ gcc-fortran" in out,
          "the install command: %s" % out)
    # the cache serves --offline with the server gone
    env.stop()
    rc, doc, err = plan(env, more=["--offline"], mirror="http://127.0.0.1:9")
    check(rc == 0 and "openblas_pthreads-devel" in packages(doc, "dep:generic/openblas"),
          "--offline from the cache (%d %s)" % (rc, err.strip()))


def case_update(env):
    env.serve_leap()
    env.start()
    rc, doc, err = plan(env, more=["--offline"])
    check(rc == 3 and "--offline forbids downloading it; run 'extdeps update "
          "--distro=opensuse:15.6 --arch=x86_64 --mirror=%s'" % env.url in err,
          "an empty cache with --offline: exit 3 naming the update (%d %s)" % (rc, err.strip()))
    rc, out, err = env.run("update", "--distro=opensuse-leap:15.6", "--arch=x86_64",
                           "--mirror=" + env.url)
    check(rc == 0, "update (%d %s)" % (rc, err.strip()))
    want = {"/distribution/leap/15.6/repo/oss/repodata/repomd.xml",
            "/distribution/leap/15.6/repo/non-oss/repodata/repomd.xml",
            "/update/leap/15.6/oss/repodata/repomd.xml"}
    got = set(env.requests())
    check(want <= got, "the three repositories' repomd.xml: %s" % sorted(got))
    # a second update revalidates: nothing new is downloaded
    open(env.log, "w").close()
    rc, out, err = env.run("update", "--distro=opensuse-leap:15.6", "--arch=x86_64",
                           "--mirror=" + env.url)
    got = env.requests()
    check(rc == 0 and not [p for p in got if "primary" in p],
          "an unchanged repository's primary is not fetched again: %s" % got)
    rc, doc, err = plan(env, more=["--offline"])
    check(rc == 0, "planned offline after update (%d %s)" % (rc, err.strip()))


def case_tumbleweed(env):
    env.serve_tumbleweed()
    env.serve_tumbleweed(prefix=os.path.join("ports", "aarch64"))
    env.start()
    rc, doc, err = plan(env, distro="opensuse-tumbleweed")
    check(rc == 0, "Tumbleweed planned (%d %s)" % (rc, err.strip()))
    check(packages(doc, "dep:generic/libffi") == {"libffi-devel": "3.4.6-1.1"},
          "libffi-devel: %s" % packages(doc, "dep:generic/libffi"))
    check("libffi8" in transaction(doc), "libffi8 pulled in: %s" % sorted(transaction(doc)))
    check(packages(doc, "dep:generic/python") == {"python313-devel": "3.13.1-1.1"},
          "python3-devel is provided by python313-devel: %s"
          % packages(doc, "dep:generic/python"))
    check(os.path.isdir(os.path.join(env.cache, "extdeps", "zypper",
                                     "opensuse-tumbleweed-x86_64+repo-oss")),
          "Tumbleweed's own cache directory")
    # aarch64 lives under ports/
    open(env.log, "w").close()
    rc, doc, err = plan(env, distro="opensuse-tumbleweed", arch="aarch64",
                        project=os.path.join(SRCDIR, "examples", "scipy-like"))
    got = env.requests()
    check("/ports/aarch64/tumbleweed/repo/oss/repodata/repomd.xml" in got,
          "Tumbleweed's aarch64 from ports/aarch64: %s" % got)


def case_leap16(env):
    env.serve_leap(release="16.0", arch_dir="x86_64/")
    env.start()
    project = os.path.join(env.tmp, "project")
    fx.write(os.path.join(project, "pyproject.toml"), (
        '[project]\nname = "p"\nversion = "1"\n[external]\n'
        'host-requires = ["dep:generic/zlib"]\n').encode())
    rc, doc, err = plan(env, distro="opensuse-leap:16.0", project=project)
    check(rc == 0 and packages(doc, "dep:generic/zlib"),
          "Leap 16.0 planned from its per-architecture trees (%d %s)" % (rc, err.strip()))
    check("/distribution/leap/16.0/repo/oss/x86_64/repodata/repomd.xml" in env.requests(),
          "distribution/leap/16.0/repo/oss/x86_64: %s" % env.requests())


def host_root(env, non_oss_enabled):
    """An openSUSE Leap 15.6 machine whose zypper names the server, with no
    copy of the metadata of its own."""
    root = os.path.join(env.tmp, "leap-root")
    shutil.rmtree(root, ignore_errors=True)
    fx.write(os.path.join(root, "etc", "os-release"),
             b'NAME="openSUSE Leap"\nID="opensuse-leap"\nVERSION_ID="15.6"\n')
    fx.repo_file(root, "repo-oss", "Main", env.url + "/distribution/leap/$releasever/repo/oss/")
    fx.repo_file(root, "repo-update", "Update", env.url + "/update/leap/${releasever}/oss/")
    fx.repo_file(root, "repo-non-oss", "Non-OSS",
                 env.url + "/distribution/leap/$releasever/repo/non-oss/",
                 enabled=non_oss_enabled)
    return root


def case_host(env):
    """This machine: the URLs its zypper is configured with, $releasever
    filled; a repository it disabled is left out and named with the
    command that enables it."""
    env.serve_leap()
    env.start()
    root = host_root(env, non_oss_enabled=False)
    rc, out, err = env.run("plan", MAPPINGS, NON_OSS, root=root)
    check(rc == 1 and "to enable openSUSE's non-OSS repository (for dep:generic/unrar), as "
          "root:\n    zypper modifyrepo --enable repo-non-oss" in out,
          "repo-non-oss disabled: its enable command (%d %s %s)" % (rc, out, err))
    check("/distribution/leap/15.6/repo/oss/repodata/repomd.xml" in env.requests(),
          "repo-oss from the baseurl of /etc/zypp/repos.d: %s" % env.requests())
    check(not [p for p in env.requests() if "non-oss" in p],
          "a disabled repository is not downloaded: %s" % env.requests())
    root = host_root(env, non_oss_enabled=True)
    rc, out, err = env.run("plan", "--format=json", MAPPINGS, NON_OSS, root=root)
    doc = parse(out)
    check(rc == 0 and packages(doc, "dep:generic/unrar") == {"unrar": "7.0.9-150600.1.1"},
          "repo-non-oss enabled: unrar planned (%d %s)" % (rc, err.strip()))


def case_addrepo(env):
    """A repository of another vendor's: named with 'zypper addrepo' until
    --enable-repo adds it."""
    env.serve_leap()
    fx.write_repo(os.path.join(env.www, "science", "15.6"),
                  [fx.pkg("science-probe", "1.0", "lp156.1.1")])
    env.start()
    mappings = os.path.join(env.tmp, "mappings")
    fx.write(os.path.join(mappings, "registry.yaml"), (
        "schema: 1\ndependencies:\n  dep:generic/science-probe:\n"
        "    description: A package of another repository\n").encode())
    fx.write(os.path.join(mappings, "opensuse.yaml"), (
        "schema: 1\necosystem: opensuse\nrepositories:\n  science:\n"
        "    name: The science project\n"
        "    url: \"%s/science/{release}\"\n"
        "    enable:\n      - [zypper, addrepo, --refresh, \"%s/science/{release}\", science]\n"
        "mappings:\n  dep:generic/science-probe:\n    specs: [science-probe]\n"
        "    repository: science\n" % (env.url, env.url)).encode())
    project = os.path.join(env.tmp, "project")
    fx.write(os.path.join(project, "pyproject.toml"), (
        '[project]\nname = "p"\nversion = "1"\n[external]\n'
        'host-requires = ["dep:generic/science-probe"]\n').encode())
    rc, out, err = plan(env, fmt="text", more=["--mappings=" + mappings], project=project)
    check(rc == 1 and "zypper addrepo --refresh %s/science/15.6 science" % env.url in out,
          "not enabled: 'zypper addrepo' named (%d %s %s)" % (rc, out, err))
    rc, doc, err = plan(env, more=["--mappings=" + mappings, "--enable-repo=science"],
                        project=project)
    check(rc == 0 and packages(doc, "dep:generic/science-probe") == {
          "science-probe": "1.0-lp156.1.1"},
          "--enable-repo=science: planned (%d %s)" % (rc, err.strip()))


def broken(env, mode, expect, declared=False):
    """repo-update's primary broken by MODE after a good download: exit 3
    with EXPECT in the message, the good copy kept, --offline still plans."""
    names = env.serve_leap()
    env.start()
    rc, doc, err = plan(env)
    check(rc == 0, "the first, good plan (%d %s)" % (rc, err.strip()))
    sub = os.path.join("zypper", "opensuse-15.6-x86_64+repo-update")
    before = env.snapshot(sub)
    if declared:
        # a primary bigger than repomd.xml says: refused before it is read
        top = os.path.join(env.www, "update", "leap", "15.6", "oss")
        fx.write_repo(top, fx.leap_update() + [fx.pkg("pad%d" % i, "1", "1") for i in range(50)],
                      declared_size=100)
        mirror = env.url
    elif mode == "garbage-repomd":
        fx.write_repo(os.path.join(env.www, "update", "leap", "15.6", "oss"),
                      fx.leap_update() + [fx.pkg("new", "1", "1")])
        mirror = "%s/f:garbage:repomd" % env.url
    else:
        # a new revision, whose primary the server breaks
        names = {"repo-update": fx.write_repo(
            os.path.join(env.www, "update", "leap", "15.6", "oss"),
            fx.leap_update() + [fx.pkg("new", "1", "1")])}
        mirror = "%s/f:%s:%s" % (env.url, mode, names["repo-update"])
    rc, out, err = env.run("update", "--distro=opensuse-leap:15.6", "--arch=x86_64",
                           "--mirror=" + mirror)
    check(rc == 3 and expect in err, "%s: exit 3 saying '%s' (%d %s)" %
          (mode, expect, rc, err.strip()))
    after = env.snapshot(sub)
    check(after == before, "the previous good copy kept whole: %s" %
          sorted(set(after.items()) ^ set(before.items())))
    left = os.listdir(os.path.join(env.cache, "extdeps", sub))
    # what a cache directory holds: no temporary (NAME.XXXXXX) stays
    # (repomd.xml.next, whole and read by no load, waits for the next update)
    kept = re.compile(r"^([0-9a-f]{64}-[a-z]+\.xml\.(gz|zst)|repomd\.xml(\.next)?|"
                      r".+\.meta|.+\.solv|\.lock)$")
    check(not [n for n in left if not kept.match(n)], "no half-written file left: %s" % left)
    rc, doc, err = plan(env, more=["--offline"])
    check(rc == 0 and packages(doc, "dep:generic/libxml2") == {
          "libxml2-devel": "2.10.3-150600.3.6.1"},
          "--offline still plans the good copy (%d %s)" % (rc, err.strip()))


def case_truncated(env):
    broken(env, "truncate", "transfer closed")


def case_corrupt(env):
    broken(env, "corrupt", "checksum")


def case_oversized(env):
    broken(env, "oversized", "larger than 100 bytes", declared=True)


def case_garbage(env):
    broken(env, "garbage-repomd", "not valid repomd XML")


CASES = cases(case_leap, case_update, case_tumbleweed, case_leap16, case_host, case_addrepo,
              case_truncated, case_corrupt, case_oversized, case_garbage)


if __name__ == "__main__":
    sys.exit(run_case(Env, CASES, CASE))
