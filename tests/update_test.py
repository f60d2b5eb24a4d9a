#!/usr/bin/env python3
"""`extdeps update` and the remote apt target against a real HTTP server.

    update_test.py EXTDEPS HTTPD_PY APTLOAD CASE

CASE is one of the names in CASES, or "signed" (needs gpg and gpgv; exits
77 without them). Each case builds a fixture Debian repository in a
temporary directory, serves it with tests/httpd.py on 127.0.0.1 and checks
what extdeps does with it.
"""
import gzip
import hashlib
import json
import lzma
import os
import re
import stat
import subprocess
import sys
import threading
import time

EXTDEPS, HTTPD, APTLOAD = sys.argv[1:4]
CASE = sys.argv[4] if len(sys.argv) > 4 else "all"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import (GPG, GPGV, Key, ServedEnv, cases, check, digests, environ, run_case,  # noqa: E402
                 write)


def stanza(name, version, arch="amd64", depends=None):
    s = "Package: %s\nVersion: %s\nArchitecture: %s\n" % (name, version, arch)
    if depends:
        s += "Depends: %s\n" % depends
    s += "Size: 1234\nFilename: pool/main/%s/%s_%s_%s.deb\n" % (name[0], name, version, arch)
    s += "Description: fixture package %s\n" % name
    return s


class Repo:
    """A fixture archive: ROOT/debian/dists/SUITE/... served by httpd.py."""

    def __init__(self, www):
        self.base = os.path.join(www, "debian")
        self.signer = None

    def suite(self, name, packages, extra_files=None, compress=("xz", "gz", ""),
              arch_all=None, valid_until=None):
        dists = os.path.join(self.base, "dists", name)
        files = {}
        for comp, stanzas in packages.items():
            text = "\n".join(stanzas).encode()
            for c in compress:
                rel = "%s/binary-amd64/Packages%s" % (comp, "." + c if c else "")
                data = {"xz": lzma.compress, "gz": lambda b: gzip.compress(b, mtime=0), "": bytes}[c](text)
                files[rel] = data
        if arch_all is not None:
            files["main/binary-all/Packages.gz"] = gzip.compress("\n".join(arch_all).encode(), mtime=0)
        for rel, data in files.items():
            write(os.path.join(dists, rel), data)
        lines = [
            "Origin: Fixture",
            "Label: Fixture",
            "Suite: %s" % ("stable" if "-" not in name else "stable-updates"),
            "Codename: %s" % name,
            "Date: Sat, 01 Nov 2025 10:00:00 UTC",
        ] + (["Valid-Until: %s" % valid_until] if valid_until else []) + [
            "Architectures: %s" % ("all amd64 arm64" if arch_all is not None else "amd64 arm64"),
            "Components: %s" % " ".join(packages),
            "Description: fixture archive",
            "MD5Sum:",
        ]
        for rel, data in sorted(files.items()):
            lines.append(" %s %8d %s" % (hashlib.md5(data).hexdigest(), len(data), rel))
        lines.append("SHA256:")
        for rel, data in sorted(files.items()):
            lines.append(" %s %8d %s" % (hashlib.sha256(data).hexdigest(), len(data), rel))
        release = "\n".join(lines) + "\n"
        write(os.path.join(dists, "Release"), release)
        inrelease = os.path.join(dists, "InRelease")
        if self.signer:
            self.signer(os.path.join(dists, "Release"), inrelease)
        else:
            write(inrelease, release)


class Env(ServedEnv):
    def __init__(self):
        super().__init__(HTTPD, EXTDEPS, prefix="extdeps-update-",
                         os_release='ID=debian\nVERSION_ID="13"\nVERSION_CODENAME=trixie\n')
        self.repo = Repo(self.www)
        self.keyring = "none"

    def start(self):
        ServedEnv.start(self, "--log", self.log)

    def environ(self, **more):
        # the user's HOME and configuration, unlike the other tests
        e = {"EXTDEPS_ROOT": self.root, "EXTDEPS_KEYRING": self.keyring,
             "EXTDEPS_FETCH_TIMEOUT": "1"}
        e.update(more)
        return environ(self.cache, **e)

    def update(self, *args, mirror="", extra_env=None):
        argv = ["update", "--distro=debian:13", "--arch=amd64", "--format=json"]
        if mirror is not None:
            argv.append("--mirror=%s%s/debian" % (self.url, mirror))
        rc, out, err = self.run(*(argv + list(args)), timeout=60, **(extra_env or {}))
        return rc, json.loads(out) if rc == 0 and out.strip() else None, err

    def load(self, offline=False, mirror=None):
        argv = [APTLOAD, os.path.join(self.cache, "extdeps"), "debian", "13", "trixie", "amd64"]
        if offline:
            argv.append("offline")
        extra = {"EXTDEPS_TEST_MIRROR": mirror} if mirror else {}
        p = subprocess.run(argv, capture_output=True, text=True, env=self.environ(**extra),
                           timeout=60)
        return p.returncode, sorted(p.stdout.split("\n")) if p.stdout else [], p.stderr

    def target_dir(self):
        return os.path.join(self.cache, "extdeps", "apt", "debian-13-amd64")

    def snapshot(self):
        # the .solv caches count: a refused download must leave them too
        return digests(self.target_dir(), lambda n: n.endswith(".lock") or ".fetch" in n)


def cache_files(env):
    for dirpath, _, names in os.walk(env.cache):
        for n in names:
            yield os.path.join(dirpath, n)


def temporaries(env):
    """What an interrupted write would leave in the cache: NAME.XXXXXX,
    mkostemp's six random characters after the name it replaces."""
    return [os.path.relpath(p, env.cache) for p in cache_files(env)
            if re.search(r"\.[A-Za-z0-9]{6}$", p)]


def standard(env, version="1.0-1", updates=True):
    env.repo.suite("trixie", {
        "main": [stanza("fixture-alpha", version, depends="fixture-beta"),
                 stanza("fixture-beta", "2.0-1")],
        "contrib": [stanza("fixture-gamma", "0.5-3")],
    }, arch_all=[stanza("fixture-doc", "1.0-1", arch="all")])
    if updates:
        env.repo.suite("trixie-updates", {"main": [stanza("fixture-beta", "2.0-2")]})


def case_fresh(env):
    standard(env)
    env.start()
    # Cache files are readable by all whatever the umask (the lock aside).
    umask = os.umask(0o077)
    try:
        t0 = time.monotonic()
        rc, out, err = env.update()
        dt = time.monotonic() - t0
        fresh_checks(env, rc, out, err, dt)
    finally:
        os.umask(umask)


def fresh_checks(env, rc, out, err, dt):
    check(rc == 0, "fresh update exits 0 (%s)" % err.strip())
    # 2 InRelease + trixie: main, main/all, contrib + updates: main
    check(out and out["schema_version"] == 1 and out["files"] == 6, "six files considered")
    check(out and out["downloaded"] == 6 and out["unchanged"] == 0, "all downloaded")
    check(out and out["bytes"] > 0, "bytes counted")
    # unsigned metadata was asked for (EXTDEPS_KEYRING=none): counted, no warning
    check(out and out["unverified"] == 2 and "warning" not in err,
          "two InRelease files unverified, as asked: %s %r" % (out, err))
    print("figure: fresh update against the local server took %.3f s" % dt)
    # without a keyring for the target (none under the root), a warning
    rc, out2, err = env.update(extra_env={"EXTDEPS_KEYRING": ""})
    check(rc == 0 and out2 and out2["unverified"] == 2 and
          "warning: 2 signed indexes of debian:13 not verified: no keyring "
          "/usr/share/keyrings/debian-archive-keyring.gpg" in err,
          "no keyring: a warning (%r)" % err)
    rc, pkgs, err = env.load()
    check(rc == 0, "load_available(host=false) after update (%s)" % err.strip())
    check("fixture-alpha 1.0-1 amd64" in pkgs, "main package loaded")
    check("fixture-gamma 0.5-3 amd64" in pkgs, "contrib package loaded")
    check("fixture-doc 1.0-1 all" in pkgs, "binary-all package loaded")
    check("fixture-beta 2.0-2 amd64" in pkgs and "fixture-beta 2.0-1 amd64" in pkgs,
          "updates suite loaded beside the release")
    check("cache_writes=4" in err, "solv cache written (%s)" % err.strip())
    rc, pkgs2, err = env.load()
    check(rc == 0 and pkgs2 == pkgs and "cache_hits=4" in err,
          "second load from the solv cache (%s)" % err.strip())
    # the xz index is preferred
    data = os.listdir(os.path.join(env.target_dir(), "data"))
    check(sum(n.endswith(".xz") for n in data) == 3 and sum(n.endswith(".gz") for n in data) == 1,
          "xz preferred, gz where no xz: %s" % data)
    modes = {os.path.relpath(p, env.cache): stat.S_IMODE(os.stat(p).st_mode)
             for p in cache_files(env) if not p.endswith("/.lock")}
    check(modes and all(m == 0o644 for m in modes.values()),
          "cache files are 0644: %s" % {p: oct(m) for p, m in modes.items() if m != 0o644})
    check(not temporaries(env), "no temporaries left: %s" % temporaries(env))


def case_unchanged(env):
    standard(env)
    env.start()
    env.update()
    before = env.snapshot()
    n = len(env.requests())
    t0 = time.monotonic()
    rc, out, err = env.update()
    dt = time.monotonic() - t0
    check(rc == 0, "second update exits 0 (%s)" % err.strip())
    check(out and out["downloaded"] == 0 and out["unchanged"] == 6, "all unchanged: %s" % out)
    reqs = env.requests()[n:]
    check(len(reqs) == 2 and all(r[2] == "304" for r in reqs),
          "only the two InRelease requested, answered 304: %s" % reqs)
    check(env.snapshot() == before, "cache untouched")
    print("figure: revalidating update (304) took %.3f s" % dt)
    # The archive moves on: the next update fetches the new index only.
    standard(env, version="1.1-1")
    rc, out, err = env.update()
    check(rc == 0 and out["downloaded"] == 2 and out["unchanged"] == 4,
          "changed InRelease and its main index fetched: %s" % out)
    rc, pkgs, err = env.load()
    check("fixture-alpha 1.1-1 amd64" in pkgs, "new version loaded")
    data = os.listdir(os.path.join(env.target_dir(), "data"))
    check(len(data) == 4, "superseded index removed: %s" % data)


def case_progress_lines(env):
    """On a non-terminal (a CI log), a line per finished file, named by its
    suite, component and file, not a bar; none with -q."""
    standard(env)
    env.start()
    rc, out, err = env.update()
    lines = [l for l in err.splitlines() if l.startswith("extdeps: trixie")]
    check(rc == 0 and len(lines) == 6, "a line per file: %r" % err)
    check("extdeps: trixie/InRelease: downloaded, " in err and
          "extdeps: trixie-updates/InRelease: downloaded, " in err,
          "InRelease named by its suite: %r" % err)
    check(any(l.startswith("extdeps: trixie/main/binary-amd64/Packages.xz: downloaded, ")
              for l in lines) and
          any(l.startswith("extdeps: trixie/contrib/binary-amd64/Packages") for l in lines),
          "indexes named by suite, component and file: %r" % lines)
    check("\r" not in err and "\033[" not in err, "no bar: %r" % err)
    rc, out, err = env.update()
    check(rc == 0 and "extdeps: trixie/InRelease: current" in err and
          "extdeps: trixie/main/binary-amd64/Packages.xz: current" in err,
          "files found current say so: %r" % err)
    rc, out, err = env.update("-q")
    check(rc == 0 and "extdeps: trixie" not in err, "-q: no lines: %r" % err)


def case_progress_bar(env):
    """On a terminal, a bar per file, drawn in place ('\\r'), labelled by
    suite, component and file; no line per file."""
    standard(env)
    env.start()
    master, slave = os.openpty()
    argv = [EXTDEPS, "update", "--distro=debian:13", "--arch=amd64",
            "--mirror=%s/debian" % env.url]
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=slave, env=env.environ())
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        err += chunk
    os.close(master)
    rc = p.wait(timeout=60)
    text = err.decode("utf-8", "replace")
    check(rc == 0, "update on a terminal exits 0: %r" % text)
    check("\rtrixie/InRelease" in text and "\rtrixie/main/binary-amd64/Packages.xz" in text,
          "a bar per file, drawn in place: %r" % text)
    check("extdeps: trixie/InRelease: downloaded" not in text, "no line per file: %r" % text)


def break_case(env, mode, expect):
    standard(env)
    env.start()
    rc, out, err = env.update()
    check(rc == 0, "first update exits 0")
    before = env.snapshot()
    standard(env, version="9.9-1")
    t0 = time.monotonic()
    rc, out, err = env.update(mirror="/f:%s:Packages" % mode)
    dt = time.monotonic() - t0
    check(rc == 3, "%s: exit 3 (got %d)" % (mode, rc))
    check(expect in err, "%s: message says %r: %s" % (mode, expect, err.strip()))
    check(env.snapshot() == before, "%s: previous good copy kept" % mode)
    check(not temporaries(env), "%s: no temporaries left: %s" % (mode, temporaries(env)))
    rc, pkgs, err = env.load(offline=True)
    check(rc == 0 and "fixture-alpha 1.0-1 amd64" in pkgs, "%s: previous packages load" % mode)
    return dt


def case_truncated(env):
    break_case(env, "truncate", "truncated")


def case_checksum(env):
    break_case(env, "corrupt", "checksum mismatch")


def case_retry(env):
    standard(env)
    env.start()
    rc, out, err = env.update(mirror="/f:500once:")
    check(rc == 0, "503 once on every file: retried, exits 0 (%s)" % err.strip())
    check(sum(r[2] == "503" for r in env.requests()) == 6, "each file failed once first")


def case_not_found(env):
    standard(env)
    env.start()
    rc, out, err = env.update(mirror="/f:404:InRelease")
    check(rc == 3, "404 on InRelease: exit 3")
    check("/debian/dists/trixie/InRelease" in err and "404" in err,
          "message names the URL and status: %s" % err.strip())


def case_no_updates_suite(env):
    standard(env, updates=False)
    env.start()
    rc, out, err = env.update()
    check(rc == 0, "missing -updates suite is not an error (%s)" % err.strip())
    check(out and out["files"] == 4, "four files without the updates suite")


def case_stall(env):
    standard(env)
    env.start()
    t0 = time.monotonic()
    rc, out, err = env.update(mirror="/f:stall:InRelease")
    dt = time.monotonic() - t0
    check(rc == 3, "stalled server: exit 3")
    check("timed out" in err, "message says timed out: %s" % err.strip())
    # 3 tries of 1 s each plus 1.5 s of backoff
    check(dt < 15, "gave up in %.1f s" % dt)
    print("figure: stalled server abandoned after %.2f s (EXTDEPS_FETCH_TIMEOUT=1)" % dt)


def case_concurrent(env):
    standard(env)
    env.start()
    results = []

    def run():
        results.append(env.update())

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(all(r[0] == 0 for r in results), "both updates exit 0: %s" % [r[2] for r in results])
    check(sorted(r[1]["downloaded"] for r in results) == [0, 6],
          "the second found the cache fresh: %s" % [r[1] for r in results])
    rc, pkgs, err = env.load(offline=True)
    check(rc == 0 and "fixture-alpha 1.0-1 amd64" in pkgs, "cache consistent afterwards")
    check(not temporaries(env), "no temporaries left: %s" % temporaries(env))


def case_offline(env):
    standard(env)
    env.start()
    rc, pkgs, err = env.load(offline=True)
    check(rc == 3, "offline load with an empty cache: exit 3")
    check("no metadata for debian:13 in the cache; run 'extdeps update --distro=debian:13 --arch=amd64'" in err,
          "message: %s" % err.strip())
    rc, out, err = env.update("--offline")
    check(rc == 3 and "--offline" in err, "update --offline: exit 3 (%s)" % err.strip())
    # Not offline: load_available updates by itself.
    rc, pkgs, err = env.load(mirror=env.url + "/debian")
    check(rc == 0 and "fixture-alpha 1.0-1 amd64" in pkgs, "load updates an empty cache")


def case_host(env):
    standard(env)
    env.start()
    p = subprocess.run([EXTDEPS, "update"], capture_output=True, text=True, env=env.environ())
    check(p.returncode == 0 and "apt-get update" in p.stdout,
          "host target: left to apt-get update: %s" % p.stdout.strip())
    check(not env.requests(), "nothing downloaded for the host")
    # The host's sources name the mirror when the target is the host's distribution.
    os.makedirs(os.path.join(env.root, "etc", "apt"))
    with open(os.path.join(env.root, "etc", "apt", "sources.list"), "w") as f:
        f.write("deb %s/debian trixie main\n" % env.url)
    rc, out, err = env.update(mirror=None)
    check(rc == 0 and out["downloaded"] == 6, "mirror from the host's apt sources (%s)" % err)
    with open(os.path.join(env.root, "etc", "os-release"), "w") as f:
        f.write("ID=ubuntu\nVERSION_ID=24.04\n")
    rc, out, err = env.update(mirror=None)
    check(rc == 2 and "--mirror" in err, "no mirror known: exit 2 asking for --mirror: %s" % err)
    p = subprocess.run([EXTDEPS, "update", "--distro=debian:13", "--mirror=gopher://x"],
                       capture_output=True, text=True, env=env.environ())
    check(p.returncode == 2 and "not a mirror URL" in p.stderr, "bad --mirror: exit 2")


def case_host_named(env):
    """This machine's release named with --distro is planned from what
    'extdeps update --distro' downloaded for it; a machine without apt's
    lists (a fresh container) falls back to that download too."""
    env.repo.suite("trixie", {"main": [stanza("zlib1g-dev", "1:1.3.dfsg-3.1", depends="zlib1g"),
                                       stanza("zlib1g", "1:1.3.dfsg-3.1")]})
    env.start()
    os.makedirs(os.path.join(env.root, "etc", "apt"))
    with open(os.path.join(env.root, "etc", "apt", "sources.list"), "w") as f:
        f.write("deb %s/debian trixie main\n" % env.url)
    os.makedirs(os.path.join(env.root, "var", "lib", "dpkg"))
    open(os.path.join(env.root, "var", "lib", "dpkg", "status"), "w").close()
    proj = os.path.join(env.tmp, "proj")
    os.makedirs(proj)
    with open(os.path.join(proj, "pyproject.toml"), "w") as f:
        f.write('[project]\nname = "p"\nversion = "1"\n[external]\n'
                'host-requires = ["dep:generic/zlib"]\n')

    def plan(*args):
        p = subprocess.run([EXTDEPS, "plan", "--arch=amd64", "--offline", "--format=json"] +
                           list(args) + [proj], capture_output=True, text=True,
                           env=env.environ(), timeout=60)
        out = json.loads(p.stdout) if p.stdout.strip().startswith("{") else None
        versions = sorted("%s %s" % (t["name"], t["version"])
                          for t in (out or {}).get("transaction", []))
        return p.returncode, versions, p.stderr

    rc, _, err = plan("--distro=debian:13")
    check(rc == 3 and "apt-get update" in err,
          "no lists and nothing downloaded: exit 3 (%s)" % err.strip())
    rc, out, err = env.update(mirror=None)
    check(rc == 0 and out["downloaded"] > 0, "update --distro=debian:13 downloads (%s)" % err)
    want = ["zlib1g 1:1.3.dfsg-3.1", "zlib1g-dev 1:1.3.dfsg-3.1"]
    for args in (["--distro=debian:13"], []):
        rc, versions, err = plan(*args)
        check(rc == 0 and versions == want,
              "no lists: plan %s reads the download: %s (%s)" % (args, versions, err.strip()))
    # apt's own lists, older: the plan of the release named reads the
    # download, the plan of this machine apt's lists
    lists = os.path.join(env.root, "var", "lib", "apt", "lists")
    os.makedirs(lists)
    name = ("%s/debian/dists/trixie/main/binary-amd64/Packages" % env.url.split("//")[1])
    with open(os.path.join(lists, name.replace("/", "_")), "w") as f:
        f.write(stanza("zlib1g-dev", "1:1.2.13.dfsg-1", depends="zlib1g") + "\n" +
                stanza("zlib1g", "1:1.2.13.dfsg-1"))
    rc, versions, err = plan("--distro=debian:13")
    check(rc == 0 and versions == want, "named: the download (%s %s)" % (versions, err.strip()))
    rc, versions, err = plan()
    check(rc == 0 and versions == ["zlib1g 1:1.2.13.dfsg-1", "zlib1g-dev 1:1.2.13.dfsg-1"],
          "this machine: apt's lists (%s %s)" % (versions, err.strip()))


def case_signed(env):
    if not GPG or not GPGV:
        print("gpg or gpgv missing: skipped")
        return 77
    key = Key(env.tmp, "archive")
    env.repo.signer = key.sign
    standard(env)
    env.start()
    env.keyring = key.keyring
    rc, out, err = env.update()
    check(rc == 0, "signed InRelease verifies (%s)" % err.strip())
    check(out and out["unverified"] == 0 and "warning" not in err,
          "every InRelease verified: %s" % out)
    rc, pkgs, err = env.load(offline=True)
    check(rc == 0 and "fixture-alpha 1.0-1 amd64" in pkgs, "signed metadata loads")
    before = env.snapshot()
    # Tamper with the signed text: gpgv must refuse it.
    path = os.path.join(env.repo.base, "dists", "trixie", "InRelease")
    with open(path) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text.replace("Label: Fixture", "Label: Fixturf"))
    rc, out, err = env.update()
    check(rc == 3 and "signature" in err, "tampered InRelease refused: %s" % err.strip())
    check(env.snapshot() == before, "previous good copy kept")
    # Unsigned metadata when a keyring is required.
    env.repo.signer = None
    standard(env)
    rc, out, err = env.update()
    check(rc == 3 and "not signed" in err, "unsigned InRelease refused: %s" % err.strip())
    return 0


def case_valid_until(env):
    # a date ahead: fine
    env.repo.suite("trixie", {"main": [stanza("fixture-alpha", "1.0-1")]},
                   valid_until="Fri, 01 Jan 2100 00:00:00 UTC")
    env.start()
    rc, out, err = env.update()
    check(rc == 0, "Valid-Until ahead: accepted (%s)" % err.strip())
    before = env.snapshot()
    # expired: refused, as apt does, and the previous copy stays
    env.repo.suite("trixie", {"main": [stanza("fixture-alpha", "2.0-1")]},
                   valid_until="Sat, 01 Nov 2025 10:00:00 UTC")
    rc, out, err = env.update()
    check(rc == 3 and "expired on Sat, 01 Nov 2025 10:00:00 UTC (Valid-Until)" in err,
          "expired InRelease refused: %d %s" % (rc, err.strip()))
    check(env.snapshot() == before, "previous good copy kept")
    # not a date: named with its line and column
    env.repo.suite("trixie", {"main": [stanza("fixture-alpha", "2.0-1")]},
                   valid_until="next Tuesday")
    rc, out, err = env.update()
    check(rc == 3 and "InRelease:6:14" in err and "is not a date" in err,
          "malformed Valid-Until: %d %s" % (rc, err.strip()))
    return 0


CASES = cases(case_fresh, case_unchanged, case_truncated, case_checksum, case_retry,
              case_not_found, case_no_updates_suite, case_stall, case_concurrent, case_offline,
              case_host, case_host_named, case_signed, case_valid_until, case_progress_lines,
              case_progress_bar)


if __name__ == "__main__":
    sys.exit(run_case(Env, CASES, CASE))
