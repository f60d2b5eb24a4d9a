#!/usr/bin/env python3
"""Fault injection for every backend: a mirror on 127.0.0.1 that misbehaves
(tests/httpd.py's fault modes), and a cache damaged on disk.

    fault_test.py EXTDEPS HTTPD_PY SRCDIR ECO CASE

ECO is apt, fedora, el (AlmaLinux's BaseOS and AppStream), conda, homebrew, nixpkgs
or arch (core.db and extra.db); CASE one of CASES. Each run
builds a fixture repository in the backend's real format in a temporary
directory, serves it, fills a fresh cache with a good `extdeps update` and a
plan, then breaks something and checks that
  - the command fails (exit 3) with a message saying what, in bounded time;
  - the previous good cache is intact: the files loads read are unchanged,
    no temporary is left, and `plan --offline` still plans the old version;
  - the next good run succeeds and plans the new version.
Local damage (a flipped bit, a cut, a same-size change with the time kept,
a FIFO) is done to every kind of file in the cache, one at a time; the next
plan must heal it.
"""
import gzip
import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time

EXTDEPS, HTTPD, SRCDIR, ECO, CASE = sys.argv[1:6]
FIX = os.path.join(SRCDIR, "tests", "fixtures")
sys.path.insert(0, os.path.join(SRCDIR, "tests"))
import apk_index  # noqa: E402
from e2e import (GPG, GPGV, Key, ServedEnv, brotli_stored, cases, check, parse, rpmmd,  # noqa: E402
                 run_case, write)


def read(path):
    with open(path, "rb") as f:
        return f.read()


# --- the served repositories, one class per backend ---

class Apt:
    """A Debian archive: dists/trixie and trixie-updates, signed with a key
    of its own when gpg is there."""
    target = ["--distro=debian:13", "--arch=amd64"]
    mirror = "/debian"
    subdirs = ["apt"]
    package = "fixture-alpha"
    meta = "InRelease"      # the file whose faults the cases inject

    def __init__(self, env):
        self.env = env
        self.signer = None
        if GPG and GPGV:
            key = Key(env.tmp, "archive")
            self.env.extra_env["EXTDEPS_KEYRING"] = key.keyring
            self.signer = key.sign

    @staticmethod
    def stanza(name, version, depends=None):
        s = "Package: %s\nVersion: %s\nArchitecture: amd64\n" % (name, version)
        if depends:
            s += "Depends: %s\n" % depends
        return s + ("Size: 1234\nFilename: pool/main/%s/%s_%s_amd64.deb\n"
                    "Description: fixture package %s\n" % (name[0], name, version, name))

    def suite(self, name, stanzas):
        dists = os.path.join(self.env.www, "debian", "dists", name)
        text = "\n".join(stanzas).encode()
        files = {"main/binary-amd64/Packages.xz": __import__("lzma").compress(text),
                 "main/binary-amd64/Packages.gz": gzip.compress(text, mtime=0)}
        for rel, data in files.items():
            write(os.path.join(dists, rel), data)
        lines = ["Origin: Fixture", "Label: Fixture", "Suite: %s" % name, "Codename: %s" % name,
                 "Date: Sat, 01 Nov 2025 10:00:00 UTC", "Architectures: amd64",
                 "Components: main", "Description: fixture archive", "SHA256:"]
        for rel, data in sorted(files.items()):
            lines.append(" %s %8d %s" % (hashlib.sha256(data).hexdigest(), len(data), rel))
        write(os.path.join(dists, "Release"), "\n".join(lines) + "\n")
        if self.signer:
            self.signer(os.path.join(dists, "Release"), os.path.join(dists, "InRelease"))
        else:
            shutil.copy(os.path.join(dists, "Release"), os.path.join(dists, "InRelease"))

    def build(self, version):
        self.suite("trixie", [self.stanza("fixture-alpha", version, "fixture-beta"),
                              self.stanza("fixture-beta", "2.0-1")])
        self.suite("trixie-updates", [self.stanza("fixture-beta", "2.0-2")])

    versions = ("1.0-1", "1.1-1")
    mapping = ("debian", "fixture-alpha")


class Fedora:
    target = ["--distro=fedora:41", "--arch=x86_64"]
    mirror = "/fedora"
    subdirs = ["dnf"]
    package = "gdal-devel"
    meta = "repomd"
    versions = ("3.9.2", "3.9.7")
    mapping = ("fedora", "gdal-devel")

    def __init__(self, env):
        self.env = env

    def build(self, version):
        primary = read(os.path.join(FIX, "rpmmd", "primary.xml"))
        primary = primary.replace(b'ver="3.9.2"', ('ver="%s"' % version).encode())
        rpmmd(os.path.join(self.env.www, "fedora"), [("primary", primary, None)],
              revision=int(time.time()))


class El(Fedora):
    """AlmaLinux 9: BaseOS and AppStream, each an rpm-md repository under
    the release directory --mirror names; the faults hit both."""
    target = ["--distro=almalinux:9", "--arch=x86_64"]
    mirror = "/alma/9"
    mapping = ("el", "gdal-devel")

    def build(self, version):
        for repo in ("BaseOS", "AppStream"):
            Fedora.build(self, version if repo == "AppStream" else "3.0.0")
            top = os.path.join(self.env.www, "alma", "9", repo, "x86_64", "os")
            shutil.rmtree(top, ignore_errors=True)
            shutil.move(os.path.join(self.env.www, "fedora"), top)


class Conda:
    target = ["--distro=conda-forge", "--platform=linux-64"]
    mirror = None  # a --channel URL instead
    subdirs = ["conda"]
    package = "zlib"
    meta = "repodata"
    versions = ("1.3.1", "1.3.7")
    mapping = ("conda-forge", "zlib")

    def __init__(self, env):
        self.env = env

    def build(self, version):
        for sub in ("linux-64", "noarch"):
            text = read(os.path.join(FIX, "conda", "channel", sub, "repodata.json"))
            text = text.replace(b'"1.3.1"', ('"%s"' % version).encode())
            write(os.path.join(self.env.www, "fixture-forge", sub, "repodata.json"), text)


class Homebrew:
    target = ["--distro=homebrew"]
    mirror = "/brew"
    subdirs = ["brew"]
    package = "gdal"
    meta = "formula"
    versions = ("3.9.2", "3.9.7")
    mapping = ("homebrew", "gdal")

    def __init__(self, env):
        self.env = env

    def build(self, version):
        text = read(os.path.join(FIX, "homebrew", "formula.json"))
        write(os.path.join(self.env.www, "brew", "formula.json"),
              text.replace(b'"3.9.2"', ('"%s"' % version).encode()))


class Nixpkgs:
    target = ["--distro=nixpkgs:24.11", "--arch=x86_64"]
    mirror = "/nix"
    subdirs = ["nix"]
    package = "gdal"
    meta = "packages"
    versions = ("3.9.3", "3.9.7")
    mapping = ("nixpkgs", "gdal")

    def __init__(self, env):
        self.env = env

    def build(self, version):
        text = read(os.path.join(FIX, "nix", "packages.json"))
        write(os.path.join(self.env.www, "nix", "nixos-24.11", "packages.json.br"),
              brotli_stored(text.replace(b"3.9.3", version.encode())))


class Arch:
    """Arch Linux: core.db and extra.db under $repo/os/x86_64, as repo-add
    writes them (tests/fixtures/pacman/make_fixtures.py); the faults hit
    extra.db, which holds gdal."""
    target = ["--distro=arch", "--arch=x86_64"]
    mirror = "/archlinux"
    subdirs = ["pacman"]
    package = "gdal"
    meta = "extra"
    flood_ok = False  # 256 MiB: the Content-Length refusal is tested instead
    versions = ("3.10.0-1", "3.10.2-1")
    mapping = ("arch", "gdal")

    def __init__(self, env):
        self.env = env

    def build(self, version):
        sys.path.insert(0, os.path.join(FIX, "pacman"))
        import make_fixtures as mf
        extra = [(n, version if n == "gdal" else v, d, p) for n, v, d, p in mf.EXTRA]
        for repo, pkgs in (("core", mf.CORE), ("extra", extra)):
            write(os.path.join(self.env.www, "archlinux", repo, "os", "x86_64", repo + ".db"),
                  mf.sync_db(pkgs))


class Apk:
    """Alpine 3.21: main and community, each an APKINDEX.tar.gz (written by
    tests/apk_index.py as the mirrors serve it) under the mirror --mirror
    names; the faults hit both."""
    target = ["--distro=alpine:3.21", "--arch=x86_64"]
    mirror = "/alpine"
    subdirs = ["apk"]
    package = "gdal-dev"
    meta = "APKINDEX"
    versions = ("3.9.2-r0", "3.9.7-r0")
    mapping = ("alpine", "gdal-dev")

    def __init__(self, env):
        self.env = env

    def build(self, version):
        apk_index.write_mirror(os.path.join(self.env.www, "alpine"),
                               main=[apk_index.pkg("gdal-dev", version)],
                               community=[apk_index.pkg("proj", "9.5.0-r0")])


ECOS = {"apt": Apt, "fedora": Fedora, "el": El, "conda": Conda, "homebrew": Homebrew,
        "nixpkgs": Nixpkgs, "arch": Arch, "apk": Apk}


# --- the environment ---

class Env(ServedEnv):
    def __init__(self):
        # no target is this machine: --offline plans read the cache only
        super().__init__(HTTPD, EXTDEPS, prefix="extdeps-fault-",
                         os_release='ID=testos\nVERSION_ID="1"\n')
        os.chmod(self.tmp, 0o755)
        self.extra_env = {"EXTDEPS_KEYRING": "none", "HOMEBREW_CELLAR": None,
                          "HOMEBREW_PREFIX": None, "CONDA_PREFIX": None, "EXTDEPS_TIMEOUT": None,
                          "EXTDEPS_MIN_RATE": None, "EXTDEPS_FETCH_TIMEOUT": "1",
                          "CONDA_OVERRIDE_GLIBC": "2.36"}
        self.eco = ECOS[ECO](self)
        self.project()

    def project(self):
        """A project needing one package, mapped by an overlay."""
        self.mappings = os.path.join(self.tmp, "mappings")
        write(os.path.join(self.mappings, "registry.yaml"),
              "schema: 1\ndependencies:\n  dep:generic/fault-lib:\n"
              "    description: the package every fault case plans\n")
        eco, name = self.eco.mapping
        write(os.path.join(self.mappings, eco + ".yaml"),
              "schema: 1\necosystem: %s\nmappings:\n  dep:generic/fault-lib:\n"
              "    specs: [%s]\n" % (eco, name))
        self.proj = os.path.join(self.tmp, "project")
        write(os.path.join(self.proj, "pyproject.toml"),
              '[project]\nname = "fault"\nversion = "1"\n\n[external]\n'
              'dependencies = ["dep:generic/fault-lib"]\n')

    def start(self):
        ServedEnv.start(self, "--faults", self.faults)

    def close(self):
        # a read-only case's cache must be removable
        self.stop()
        subprocess.run(["chmod", "-R", "u+w", self.tmp], capture_output=True)
        ServedEnv.close(self)

    def fault(self, mode=None, name=None):
        ServedEnv.fault(self, mode, name or self.eco.meta)

    def argv(self, command, *args, mirror=True):
        argv = [EXTDEPS, command] + self.eco.target
        if mirror and self.eco.mirror:
            argv.append("--mirror=%s%s" % (self.url, self.eco.mirror))
        if ECO == "conda":
            # the channel's URL names its cache, offline too
            argv.append("--channel=%s/fixture-forge" % self.url)
        return argv + list(args)

    def hint(self):
        """The update a message about the offline cache must name: the
        target, and the channel whose cache a conda plan reads."""
        argv = self.argv("update", mirror=False)
        return "run '%s'" % " ".join(["extdeps"] + argv[1:])

    def run(self, command, *args, mirror=True, timeout=90, preexec=None):
        t0 = time.monotonic()
        p = subprocess.run(self.argv(command, *args, mirror=mirror), capture_output=True,
                           text=True, env=self.environ(), timeout=timeout, preexec_fn=preexec)
        return p.returncode, p.stdout, p.stderr, time.monotonic() - t0

    def update(self, *args):
        return self.run("update", *args)

    def plan(self, *args, offline=False, preexec=None):
        extra = ["--offline"] if offline else []
        rc, out, err, dt = self.run("plan", "--mappings=" + self.mappings, "--format=json",
                                    *(extra + list(args)), self.proj, mirror=not offline,
                                    preexec=preexec)
        return rc, parse(out), err, out

    def version(self, doc):
        """The upstream version the plan installs the package at (rpm's
        release and Homebrew's revision aside)."""
        for step in (doc or {}).get("transaction") or []:
            if step["name"] == self.eco.package:
                return re.split(r"-(?=[0-9]+\.fc)|_(?=[0-9]+$)", step["version"])[0]
        return None

    # the cache

    def cache_files(self):
        for sub in self.eco.subdirs:
            top = os.path.join(self.cache, "extdeps", sub)
            for dirpath, _, names in os.walk(top):
                for n in names:
                    yield os.path.join(dirpath, n)

    def snapshot(self):
        """What loads read: every cache file but the locks, the validators,
        the copies conditional requests revalidate and repomd.xml.next."""
        out = {}
        for p in self.cache_files():
            n = os.path.basename(p)
            if n == ".lock" or n.endswith(".meta") or ".fetch" in n or ".next" in n:
                continue
            out[os.path.relpath(p, self.cache)] = hashlib.sha256(read(p)).hexdigest()
        return out

    def temporaries(self):
        return [p for p in self.cache_files() if re.search(r"\.[A-Za-z0-9]{6}$", p)
                and stat.S_IMODE(os.stat(p).st_mode) & 0o077 == 0]


def good_start(env):
    """Served at its first version, updated and planned: the plan's JSON."""
    env.eco.build(env.eco.versions[0])
    env.fault()
    env.start()
    rc, out, err, _ = env.update()
    check(rc == 0, "first update exits 0 (%s)" % err.strip())
    rc, doc, err, _ = env.plan()
    check(rc == 0 and env.version(doc) == env.eco.versions[0],
          "first plan takes %s %s (%d %s)" % (env.eco.package, env.eco.versions[0], rc,
                                              err.strip()))
    return doc


def intact(env, before, what):
    check(env.snapshot() == before, "%s: the previous good cache is intact" % what)
    check(not env.temporaries(), "%s: no temporaries left: %s" % (what, env.temporaries()))
    rc, doc, err, _ = env.plan(offline=True)
    check(rc == 0 and env.version(doc) == env.eco.versions[0],
          "%s: plan --offline still plans %s (%d %s)" % (what, env.eco.versions[0], rc,
                                                         err.strip()))


def recovers(env, what):
    env.fault()
    rc, out, err, _ = env.update()
    check(rc == 0, "%s: the next good update exits 0 (%s)" % (what, err.strip()))
    rc, doc, err, _ = env.plan(offline=True)
    check(rc == 0 and env.version(doc) == env.eco.versions[1],
          "%s: then plans the new version %s (%d %s)" % (what, env.eco.versions[1], rc,
                                                         err.strip()))


def server_fault(env, mode, expect, *args, bound=30.0, name=None):
    good_start(env)
    before = env.snapshot()
    env.eco.build(env.eco.versions[1])
    env.fault(mode, name)
    rc, out, err, dt = env.update(*args)
    check(rc == 3, "%s: update exits 3 (got %d: %s)" % (mode, rc, err.strip()))
    check(any(e in err for e in expect), "%s: the message says %s: %s" % (mode, expect,
                                                                           err.strip()))
    check(dt < bound, "%s: gave up in %.1f s (bound %.0f s)" % (mode, dt, bound))
    print("figure: %s %s abandoned after %.2f s" % (ECO, mode, dt))
    intact(env, before, mode)
    recovers(env, mode)


# --- cases ---

def case_drip(env):
    # 2 bytes a second: the minimum rate gives up after the stall time (1 s
    # here), without a retry
    server_fault(env, "drip", ["too slow"], bound=10)


def case_deadline(env):
    # a server that never sends the body: the stall timeout would retry for
    # 4.5 s, the command's deadline ends it first
    server_fault(env, "stall", ["took longer than 2 s", "timed out"], "--timeout=2", bound=4.5)


def case_corrupt_once(env):
    # one answer with a byte changed but the file's real ETag: refused, and
    # the next update must not be answered 304 for a copy it never kept
    server_fault(env, "corruptonce",
                 ["signature", "not usable", "not valid", "invalid", "checksum", "corrupt"])


def case_garbage(env):
    server_fault(env, "garbage",
                 ["signature", "not signed", "not usable", "not valid", "invalid", "checksum",
                  "expected", "corrupt"])


def case_truncate(env):
    server_fault(env, "truncate", ["truncated"])


def case_oversized(env):
    # announced: refused before the body
    server_fault(env, "huge", ["larger than"])


# What refuses a body of zeros: past the size limit (InRelease 64 MiB,
# repomd.xml 4 MiB), or at its first bytes, which no JSON, brotli, zstd,
# pacman or apk document begins with (repodata.json's limit is 1 GiB).
ZEROS = ["larger than", "not JSON", "not brotli data", "not zstd data",
         "not a pacman sync database", "not an APKINDEX.tar.gz"]


def case_flood(env):
    # no length announced
    server_fault(env, "flood", ZEROS)


def case_zeros(env):
    # 1 GiB announced and sent, within the largest limit: never stored
    server_fault(env, "zeros", ZEROS, bound=10)


def damage(path, how):
    """Damage the file at PATH: flip a bit, cut it in half, change bytes
    keeping its size and times, or put a FIFO in its place."""
    st = os.stat(path)
    data = read(path)
    if how == "fifo":
        os.unlink(path)
        os.mkfifo(path)
        return
    if how == "bitflip":
        at = len(data) // 3
        data = data[:at] + bytes([data[at] ^ 0x04]) + data[at + 1:] if data else b"x"
    elif how == "cut":
        data = data[:len(data) // 2]
    elif how == "samesize":
        at = len(data) // 2
        run = min(8, len(data) - at)
        data = data[:at] + bytes((b + 1) & 0xFF for b in data[at:at + run]) + data[at + run:]
    with open(path, "r+b" if data else "wb") as f:
        f.truncate(0)
        f.write(data)
    if how == "samesize":
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def case_damage(env):
    """Every kind of cached file, every kind of damage, one at a time, from
    the same good cache: the next plan heals it and plans as before."""
    good = good_start(env)
    pristine = os.path.join(env.tmp, "pristine")
    shutil.copytree(env.cache, pristine, symlinks=True)
    want = env.version(good)
    kinds = {}
    for p in env.cache_files():
        kind = re.sub(r"[0-9a-f]{16,}", "HASH", os.path.relpath(p, env.cache))
        kinds.setdefault(kind, p)
    check(len(kinds) >= 3, "cache files of several kinds: %s" % sorted(kinds))
    shutil.rmtree(env.cache)
    shutil.copytree(pristine, env.cache, symlinks=True)
    whole = {k: v for k, v in env.snapshot().items() if not k.endswith(".solv")}
    for kind, path in sorted(kinds.items()):
        rel = os.path.relpath(path, env.cache)
        # "unsolved": the .solv caches gone too, so that the damaged file is
        # what a load would read
        for how in ("bitflip", "cut", "samesize", "fifo", "unsolved"):
            if how == "unsolved" and (rel.endswith(".solv") or rel.endswith(".lock")):
                continue
            shutil.rmtree(env.cache)
            shutil.copytree(pristine, env.cache, symlinks=True)
            damage(os.path.join(env.cache, rel), "bitflip" if how == "unsolved" else how)
            if how == "unsolved":
                for p in list(env.cache_files()):
                    if p.endswith(".solv"):
                        os.unlink(p)
            what = "%s %s" % (how, kind)
            # offline: exit 0, or 3 with a message; never a hang or a crash
            rc, doc, err, _ = env.plan(offline=True)
            check(rc == 0 and env.version(doc) == want or rc == 3 and err.strip(),
                  "%s: plan --offline exits 0 or 3 with a message (%d %s)" % (what, rc,
                                                                             err.strip()))
            check("apt-get" not in err and "Traceback" not in err,
                  "%s: the message names no other tool: %s" % (what, err.strip()))
            check(rc == 0 or env.hint() in err,
                  "%s: the message says to run %s: %s" % (what, env.hint(), err.strip()))
            rc, doc, err, _ = env.plan()
            check(rc == 0 and env.version(doc) == want,
                  "%s: the next plan heals it (%d %s)" % (what, rc, err.strip()))
            rc, out, err, _ = env.update()
            check(rc == 0, "%s: update exits 0 (%s)" % (what, err.strip()))
            now = {k: v for k, v in env.snapshot().items() if not k.endswith(".solv")}
            check(now == whole, "%s: the cache is whole again: %s" % (
                what, sorted(set(now.items()) ^ set(whole.items()))))
            rc, doc, err, _ = env.plan(offline=True)
            check(rc == 0 and env.version(doc) == want,
                  "%s: then plan --offline plans as before (%d %s)" % (what, rc, err.strip()))
            check(not env.temporaries(), "%s: no temporaries left" % what)


def nobody():
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)


def case_read_only(env):
    """A complete cache another user owns, or a read-only mount: read
    without a write lock, planned from as it is."""
    good = good_start(env)
    subprocess.run(["chmod", "-R", "a-w,a+rX", env.cache], check=True)
    rc, doc, err, _ = env.plan(offline=True, preexec=nobody)
    check(rc == 0 and env.version(doc) == env.version(good),
          "read-only cache: plan --offline plans (%d %s)" % (rc, err.strip()))
    check(".lock" not in err, "no complaint about the lock: %s" % err.strip())
    # without its .solv caches, which cannot be written there
    subprocess.run(["chmod", "-R", "u+w", env.cache], check=True)
    for p in list(env.cache_files()):
        if p.endswith(".solv"):
            os.unlink(p)
    subprocess.run(["chmod", "-R", "a-w,a+rX", env.cache], check=True)
    rc, doc, err, _ = env.plan(offline=True, preexec=nobody)
    check(rc == 0 and env.version(doc) == env.version(good),
          "read-only cache without .solv: plan --offline plans (%d %s)" % (rc, err.strip()))
    subprocess.run(["chmod", "-R", "u+w", env.cache], check=True)


def case_temporaries(env):
    """A download stopped by Ctrl-C, a CI job's timeout or a hang-up removes
    its temporary; what a writer killed midway leaves is removed by the
    next run that writes there."""
    good_start(env)
    env.eco.build(env.eco.versions[1])
    env.fault("drip")
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        p = subprocess.Popen(env.argv("update", "--min-rate=0"), env=env.environ(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not env.temporaries() and time.monotonic() < deadline:
            time.sleep(0.05)
        check(env.temporaries(), "%s: the download's temporary is there" % sig.name)
        p.send_signal(sig)
        p.wait()
        check(p.returncode == -sig, "%s ends the update (%d)" % (sig.name, p.returncode))
        check(not env.temporaries(), "%s: no temporaries left: %s" % (sig.name,
                                                                      env.temporaries()))
    env.fault()
    dirs = {os.path.dirname(p) for p in env.cache_files()}
    planted = []
    for d in sorted(dirs):
        p = os.path.join(d, "InRelease.fetch.Ab3dE9")
        write(p, "left behind")
        os.chmod(p, 0o600)
        planted.append(p)
    env.eco.build(env.eco.versions[1])
    # a download killed halfway
    env.fault("drip")
    p = subprocess.Popen(env.argv("update", "--min-rate=0"), env=env.environ(),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)
    p.send_signal(signal.SIGKILL)
    p.wait()
    env.fault()
    rc, out, err, _ = env.update()
    check(rc == 0, "update after a killed one exits 0 (%s)" % err.strip())
    rc, doc, err, _ = env.plan()
    check(rc == 0, "plan after it exits 0 (%s)" % err.strip())
    left = [q for q in planted if os.path.exists(q)] + env.temporaries()
    check(not left, "no temporaries left: %s" % left)


def case_lock(env):
    """An update that holds the cache's lock: the next command waits for
    it, says who holds it, and gives up after --timeout."""
    good_start(env)
    env.eco.build(env.eco.versions[1])
    env.fault("drip")
    holder = subprocess.Popen(env.argv("update", "--min-rate=0", "--timeout=60"),
                              env=env.environ(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        locks = []
        while time.monotonic() < deadline and not any(
                read(l).startswith(b"%d " % holder.pid) for l in locks):
            time.sleep(0.1)
            locks = [p for p in env.cache_files() if p.endswith("/.lock")]
        check(locks, "the update holds a lock naming it: %s" % locks)
        rc, out, err, dt = env.run("update", "--timeout=2")
        check(rc == 3 and "held by process %d (extdeps update)" % holder.pid in err and
              "gave up waiting after 2 s" in err,
              "a second update gives up, naming the holder: %s" % err.strip())
        check("waiting for the lock" in err, "and said it was waiting: %s" % err.strip())
        check(1.5 < dt < 6, "after %.1f s" % dt)
        if ECO == "apt":
            # a load reads under a shared lock, which the writer excludes
            rc, doc, err, out = env.plan("--timeout=2", offline=True)
            check(rc == 3 and "(extdeps update)" in err,
                  "plan --offline gives up, naming the holder: %s" % err.strip())
    finally:
        holder.kill()
        holder.wait()
    rc, doc, err, _ = env.plan(offline=True)
    check(rc == 0 and env.version(doc) == env.eco.versions[0],
          "then plan --offline plans as before (%d %s)" % (rc, err.strip()))


def case_deterministic(env):
    """The same plan cold (metadata parsed) and warm (.solv caches)."""
    good_start(env)
    outs = []
    for _ in range(2):
        for p in list(env.cache_files()):
            if p.endswith(".solv"):
                os.unlink(p)
        rc, doc, err, cold = env.plan(offline=True)
        rc2, doc2, err2, warm = env.plan(offline=True)
        check(rc == 0 and rc2 == 0, "cold and warm plans exit 0 (%s%s)" % (err, err2))
        check(cold == warm, "the warm plan prints the cold one's JSON")
        outs.append(cold)
    check(outs[0] == outs[1], "and so does a second cold one")


def case_inputs(env):
    """Inputs that are no regular file are refused at once (exit 2)."""
    fifo = os.path.join(env.tmp, "fifo")
    os.mkfifo(fifo)
    proj = os.path.join(env.tmp, "fifo-project")
    os.makedirs(proj)
    os.mkfifo(os.path.join(proj, "pyproject.toml"))
    maps = os.path.join(env.tmp, "fifo-mappings")
    os.makedirs(maps)
    os.mkfifo(os.path.join(maps, "registry.yaml"))
    for what, args in (("a FIFO named", ["show", fifo]),
                       ("a FIFO pyproject.toml", ["show", proj]),
                       ("a device", ["show", "/dev/zero"]),
                       ("a FIFO as mapping file", ["map", "--mappings=" + maps,
                                                   "--distro=debian:13", env.proj])):
        t0 = time.monotonic()
        p = subprocess.run([EXTDEPS] + args, capture_output=True, text=True, env=env.environ(),
                           timeout=20)
        dt = time.monotonic() - t0
        check(p.returncode == 2 and "not a regular file" in p.stderr and dt < 5,
              "%s: exit 2 at once (%d in %.1f s: %s)" % (what, p.returncode, dt,
                                                         p.stderr.strip()))
    # a virtual environment whose pyvenv.cfg is a FIFO: --python's version
    # is not told from it, and nothing waits
    venv = os.path.join(env.tmp, "fifo-venv")
    write(os.path.join(venv, "bin", "interp"), "#!/bin/sh\n")
    os.chmod(os.path.join(venv, "bin", "interp"), 0o755)
    os.mkfifo(os.path.join(venv, "pyvenv.cfg"))
    t0 = time.monotonic()
    p = subprocess.run([EXTDEPS, "--python=" + os.path.join(venv, "bin", "interp"),
                        "--distro=debian:13", "show", env.proj],
                       capture_output=True, text=True, env=env.environ(), timeout=20)
    dt = time.monotonic() - t0
    check(p.returncode == 2 and "--python" in p.stderr and dt < 5,
          "a FIFO pyvenv.cfg: exit 2 at once (%d in %.1f s: %s)" % (p.returncode, dt,
                                                                   p.stderr.strip()))
    if os.geteuid() == 0:
        unreadable = os.path.join(env.tmp, "unreadable")
        write(os.path.join(unreadable, "pyproject.toml"), "[project]\nname = 'x'\n")
        os.chmod(os.path.join(unreadable, "pyproject.toml"), 0)
        p = subprocess.run([EXTDEPS, "show", unreadable], capture_output=True, text=True,
                           env=env.environ(), timeout=20, preexec_fn=nobody)
        check(p.returncode == 3 and p.stderr.count("Permission denied") == 1,
              "an unreadable project: exit 3, said once (%d %s)" % (p.returncode,
                                                                   p.stderr.strip()))


CASES = cases(case_drip, case_deadline, case_corrupt_once, case_garbage, case_truncate,
              case_oversized, case_flood, case_zeros, case_damage, case_read_only,
              case_temporaries, case_lock, case_deterministic, case_inputs)


if __name__ == "__main__":
    sys.exit(run_case(Env, CASES, CASE))
