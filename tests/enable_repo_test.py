#!/usr/bin/env python3
"""--enable-repo: another vendor's repository added to the solve, against
fixture repositories served by tests/httpd.py on 127.0.0.1.

    enable_repo_test.py EXTDEPS HTTPD_PY SRCDIR CASE

Each case builds, in a temporary directory, a Debian 12 archive (suite
bookworm) and a flat apt repository laid out as NVIDIA's CUDA repository is
("deb URL /": URL/InRelease listing URL/Packages.gz), or a Fedora rpm-md
repository and another vendor's beside it, starts the server and runs the
real extdeps binary against them with the compiled-in registry (Debian 12
maps dep:generic/cudnn@>=9 to NVIDIA's repository, Fedora
dep:generic/cuda). The cases that sign need gpg and gpgv (exit 77 without
them).
"""
import gzip
import hashlib
import os
import shutil
import sys
import time

EXTDEPS, HTTPD, SRCDIR, CASE = sys.argv[1:5]
FIX = os.path.join(SRCDIR, "tests", "fixtures")
PROJECTS = os.path.join(FIX, "projects")
sys.path.insert(0, os.path.join(SRCDIR, "tests"))
from e2e import (GPG, GPGV, Key, ServedEnv, cases, check, packages, parse, rpmmd,  # noqa: E402
                 run_case, status, transaction, write)


def stanza(name, version, depends=None, arch="amd64"):
    s = "Package: %s\nVersion: %s\nArchitecture: %s\n" % (name, version, arch)
    if depends:
        s += "Depends: %s\n" % depends
    return s + ("Installed-Size: 100\nSize: 1234\nFilename: ./%s_%s_%s.deb\n"
                "Description: fixture package %s\n" % (name, version, arch, name))


def cudnn(version="9.5.1.17-1"):
    """What NVIDIA's repository holds of cuDNN 9 for CUDA 12."""
    return [stanza("libcudnn9-cuda-12", version),
            stanza("libcudnn9-dev-cuda-12", version,
                   depends="libcudnn9-cuda-12 (= %s)" % version),
            stanza("cuda-keyring", "1.1-1", arch="all")]


def release_text(fields, files):
    lines = list(fields) + ["SHA256:"]
    for rel, data in sorted(files.items()):
        lines.append(" %s %8d %s" % (hashlib.sha256(data).hexdigest(), len(data), rel))
    return "\n".join(lines) + "\n"


def publish(top, text, key):
    """TOP/Release and TOP/InRelease, signed by KEY (None: unsigned)."""
    write(os.path.join(top, "Release"), text)
    if key:
        key.sign(os.path.join(top, "Release"), os.path.join(top, "InRelease"))
    else:
        write(os.path.join(top, "InRelease"), text)


class Env(ServedEnv):
    def __init__(self):
        # this machine runs neither target unless a case says so
        super().__init__(HTTPD, EXTDEPS, prefix="extdeps-enable-",
                         os_release='ID=debian\nVERSION_ID="13"\nVERSION_CODENAME=trixie\n')
        self.extra_env = {"EXTDEPS_KEYRING": "none"}

    def debian(self, stanzas, key=None):
        """A Debian 12 archive at /debian: bookworm main only."""
        top = os.path.join(self.www, "debian", "dists", "bookworm")
        text = "\n".join(stanzas).encode()
        files = {"main/binary-amd64/Packages.xz": __import__("lzma").compress(text),
                 "main/binary-amd64/Packages.gz": gzip.compress(text, mtime=0)}
        for rel, data in files.items():
            write(os.path.join(top, rel), data)
        publish(top, release_text(["Origin: Fixture", "Suite: stable", "Codename: bookworm",
                                   "Architectures: amd64", "Components: main"], files), key)

    def nvidia(self, stanzas, key=None, path="nvidia"):
        """A flat repository at /PATH, as NVIDIA lays its CUDA repository
        out: no suite, no components, URL/Packages(.gz)."""
        top = os.path.join(self.www, path)
        text = "\n".join(stanzas).encode()
        files = {"Packages": text, "Packages.gz": gzip.compress(text, mtime=0)}
        for rel, data in files.items():
            write(os.path.join(top, rel), data)
        publish(top, release_text(["Origin: NVIDIA", "Label: NVIDIA CUDA",
                                   "Architecture: x86_64",
                                   "Date: Sat, 01 Nov 2025 10:00:00 UTC"], files), key)

    def rpmmd(self, path, primary):
        """An rpm-md repository at /PATH: repodata/repomd.xml and the
        primary it names."""
        rpmmd(os.path.join(self.www, path), [("primary", primary, None)])

    def start(self):
        ServedEnv.start(self, "--log", self.log)


# --- Debian 12 and NVIDIA's flat repository ---

DEBIAN = ["--distro=debian:12", "--arch=amd64"]
CUDNN = os.path.join(PROJECTS, "repo-cudnn")
NVIDIA_CACHE = "apt/debian-12-amd64+nvidia-cuda"


def debian_env(env, key=None, nvidia_key=None, version="9.5.1.17-1"):
    env.debian([stanza("zlib1g", "1:1.2.13.dfsg-1"),
                stanza("nvidia-cudnn", "8.5.0.96~cuda11.8")], key)
    env.nvidia(cudnn(version), nvidia_key)


def plan(env, *args, mirror=True, nvidia="/nvidia", fmt="json"):
    argv = ["plan"] + DEBIAN + ["--format=" + fmt]
    if mirror:
        argv.append("--mirror=%s/debian" % env.url)
    if nvidia is not None:
        argv.append("--enable-repo=nvidia-cuda=%s%s" % (env.url, nvidia))
    rc, out, err = env.run(*(argv + list(args) + [CUDNN]))
    return rc, parse(out) if fmt == "json" else out, err


def update(env, nvidia="/nvidia"):
    return env.run("update", *DEBIAN, "--format=json", "--mirror=%s/debian" % env.url,
                   "--enable-repo=nvidia-cuda=%s%s" % (env.url, nvidia))


def case_apt_plan(env):
    debian_env(env)
    env.start()
    # without the repository: missing, and how to enable it
    rc, out, err = plan(env, nvidia=None, fmt="text")
    check(rc == 1, "without --enable-repo: exit 1 (%d %s)" % (rc, err.strip()))
    check("'libcudnn9-dev-cuda-12' is not in the repositories" in out and
          "to enable NVIDIA's CUDA repository (for dep:generic/cudnn)" in out,
          "missing, with the enable advice: %s" % out)
    check(not os.path.exists(os.path.join(env.cache, "extdeps", NVIDIA_CACHE)),
          "nothing fetched of a repository not enabled")
    t0 = time.monotonic()
    rc, doc, err = plan(env)
    cold = time.monotonic() - t0
    check(rc == 0, "with --enable-repo: exit 0 (%s)" % err.strip())
    check(packages(doc, "dep:generic/cudnn") == {"libcudnn9-dev-cuda-12": "9.5.1.17-1"},
          "cudnn resolved from NVIDIA's repository: %s" % packages(doc, "dep:generic/cudnn"))
    check(transaction(doc).get("libcudnn9-cuda-12") == "9.5.1.17-1",
          "its dependency from the same repository: %s" % transaction(doc))
    repos = (doc or {}).get("target", {}).get("repositories")
    check(repos == [{"id": "nvidia-cuda", "name": "NVIDIA's CUDA repository", "component": None,
                     "url": env.url + "/nvidia"}],
          "JSON target.repositories: %s" % repos)
    reqs = [r[1] for r in env.requests()]
    check("/nvidia/InRelease" in reqs and "/nvidia/Packages.gz" in reqs and
          "/nvidia/Packages" not in reqs,
          "InRelease and the index it lists, .gz first: %s" % reqs)
    rc, out, err = plan(env, fmt="text")
    check(rc == 0 and ("plus NVIDIA's CUDA repository (nvidia-cuda): %s/nvidia\n" % env.url) in out,
          "the text names the repository added: %s" % out)
    check("to enable" not in out, "no enable advice for a repository in the solve")
    t0 = time.monotonic()
    for _ in range(5):
        plan(env)
    warm = (time.monotonic() - t0) / 5
    t0 = time.monotonic()
    for _ in range(5):
        plan(env, nvidia=None)
    base = (time.monotonic() - t0) / 5
    print("figure: plan, warm: %.3f s without the repository, %.3f s with it (cold %.3f s)" %
          (base, warm, cold))
    # an id the registry does not know: exit 2, the known ones listed
    rc, out, err = env.run("plan", *DEBIAN, "--mirror=%s/debian" % env.url,
                           "--enable-repo=nvidia", CUDNN)
    check(rc == 2 and "'nvidia' is not a repository of debian (known: contrib, non-free, "
          "nvidia-cuda)" in err, "unknown id: exit 2 (%d %s)" % (rc, err.strip()))


def case_apt_update(env):
    debian_env(env)
    env.start()
    rc, out, err = update(env)
    doc = parse(out)
    # bookworm's InRelease and its index, NVIDIA's InRelease and its index
    check(rc == 0 and doc and doc["files"] == 4 and doc["downloaded"] == 4,
          "update fetches the target and the repository (%s %s)" % (out, err.strip()))
    before = env.snapshot(NVIDIA_CACHE)
    check("flat.InRelease" in before and any(n.startswith("data/") for n in before),
          "the repository in a cache directory of its own: %s" % sorted(before))
    rc, out, err = update(env)
    doc = parse(out)
    check(rc == 0 and doc and doc["downloaded"] == 0 and doc["unchanged"] == 4,
          "a second update revalidates: %s" % out)
    check(env.snapshot(NVIDIA_CACHE) == before, "cache unchanged")
    # NVIDIA publishes a new build: the next update fetches it
    env.nvidia(cudnn("9.6.0.74-1"))
    rc, out, err = update(env)
    rc, doc, err = plan(env, "--offline", mirror=False)
    check(rc == 0 and packages(doc, "dep:generic/cudnn") == {"libcudnn9-dev-cuda-12": "9.6.0.74-1"},
          "the new build is planned: %s (%s)" % (packages(doc, "dep:generic/cudnn"), err.strip()))
    data = [n for n in env.snapshot(NVIDIA_CACHE) if n.startswith("data/")]
    check(len(data) == 1, "the superseded index removed: %s" % data)


def broken(env, mode, expect):
    """A good update, then NVIDIA's repository changes and is served broken
    (MODE of httpd.py on its Packages files): exit 3, the previous copy
    kept and still planned."""
    debian_env(env)
    env.start()
    rc, out, err = update(env)
    check(rc == 0, "first update exits 0 (%s)" % err.strip())
    before = env.snapshot(NVIDIA_CACHE)
    env.nvidia(cudnn("9.6.0.74-1"))
    rc, out, err = update(env, nvidia="/f:%s:Packages/nvidia" % mode)
    check(rc == 3 and expect in err, "%s: exit 3 saying %r (%d %s)" % (mode, expect, rc, err.strip()))
    check(env.snapshot(NVIDIA_CACHE) == before, "%s: the previous good copy kept" % mode)
    rc, doc, err = plan(env, "--offline", mirror=False)
    check(rc == 0 and packages(doc, "dep:generic/cudnn") == {"libcudnn9-dev-cuda-12": "9.5.1.17-1"},
          "%s: the previous packages planned (%s)" % (mode, err.strip()))
    # a plan on an empty cache against the broken repository fails too
    shutil.rmtree(env.cache)
    rc, doc, err = plan(env, nvidia="/f:%s:Packages/nvidia" % mode)
    check(rc == 3 and expect in err, "%s: plan on an empty cache: exit 3 (%s)" % (mode, err.strip()))


def case_apt_checksum(env):
    broken(env, "corrupt", "checksum mismatch")


def case_apt_truncated(env):
    broken(env, "truncate", "truncated")


def case_apt_signed(env):
    if not GPG or not GPGV:
        print("gpg or gpgv missing: skipped")
        return 77
    archive, vendor = Key(env.tmp, "archive"), Key(env.tmp, "vendor")
    # each verified with its own keyring under the root, as the keyring
    # packages install them
    env.extra_env = {}
    write(os.path.join(env.root, "usr/share/keyrings/debian-archive-keyring.gpg"),
          open(archive.keyring, "rb").read())
    write(os.path.join(env.root, "usr/share/keyrings/cuda-archive-keyring.gpg"),
          open(vendor.keyring, "rb").read())
    debian_env(env, key=archive, nvidia_key=vendor)
    env.start()
    rc, out, err = update(env)
    doc = parse(out)
    check(rc == 0 and doc and doc["unverified"] == 0 and "warning" not in err,
          "both verified with their own keyrings (%s %s)" % (out, err.strip()))
    before = env.snapshot(NVIDIA_CACHE)
    # tampered with after signing
    path = os.path.join(env.www, "nvidia", "InRelease")
    with open(path) as f:
        text = f.read()
    write(path, text.replace("Label: NVIDIA CUDA", "Label: NVIDIA CUDB"))
    rc, out, err = update(env)
    check(rc == 3 and "failed signature verification with keyring" in err and
          "cuda-archive-keyring.gpg" in err, "tampered InRelease refused: %s" % err.strip())
    check(env.snapshot(NVIDIA_CACHE) == before, "the previous good copy kept")
    rc, doc, err = plan(env, "--offline", mirror=False)
    check(rc == 0 and packages(doc, "dep:generic/cudnn") == {"libcudnn9-dev-cuda-12": "9.5.1.17-1"},
          "the previous copy planned (%s)" % err.strip())
    # signed by the distribution's key, not the vendor's: refused too
    env.nvidia(cudnn("9.6.0.74-1"), key=archive)
    rc, out, err = update(env)
    check(rc == 3 and "cuda-archive-keyring.gpg" in err,
          "a signature by another key refused: %s" % err.strip())
    check(env.snapshot(NVIDIA_CACHE) == before, "the previous good copy kept")
    # unsigned
    env.nvidia(cudnn("9.6.0.74-1"))
    rc, out, err = update(env)
    check(rc == 3 and "not signed" in err, "an unsigned InRelease refused: %s" % err.strip())
    # $EXTDEPS_KEYRING replaces both keyrings
    env.nvidia(cudnn("9.6.0.74-1"), key=vendor)
    env.extra_env = {"EXTDEPS_KEYRING": vendor.keyring}
    rc, out, err = update(env)
    check(rc == 3 and "dists/bookworm/InRelease" in err,
          "EXTDEPS_KEYRING is the keyring of the target too: %s" % err.strip())
    return 0


def case_apt_offline(env):
    debian_env(env)
    env.start()
    rc, doc, err = plan(env, "--offline")
    check(rc == 3, "--offline on an empty cache: exit 3 (%s)" % err.strip())
    rc, out, err = update(env, nvidia="/elsewhere")
    check(rc == 3 and "/elsewhere/InRelease" in err and "404" in err,
          "a repository URL that serves nothing: exit 3 (%s)" % err.strip())
    env.run("update", *DEBIAN, "--mirror=%s/debian" % env.url)
    rc, doc, err = plan(env, "--offline", mirror=False)
    hint = "run 'extdeps update --distro=debian:12 --arch=amd64 --enable-repo=nvidia-cuda=%s/nvidia'" % env.url
    check(rc == 3 and "no metadata for nvidia-cuda in the cache" in err and hint in err,
          "the target cached, the repository not: exit 3 naming the update (%s)" % err.strip())
    rc, doc, err = plan(env)
    check(rc == 0, "a plan downloads it (%s)" % err.strip())
    env.stop()
    n = len(env.requests())
    rc, doc, err = plan(env, "--offline", mirror=False)
    check(rc == 0 and packages(doc, "dep:generic/cudnn") == {"libcudnn9-dev-cuda-12": "9.5.1.17-1"},
          "--offline plans from the cache, no server (%s)" % err.strip())
    check(len(env.requests()) == n, "nothing requested")
    rc, out, err = env.run("update", *DEBIAN, "--offline", "--enable-repo=nvidia-cuda")
    check(rc == 3 and "--offline" in err, "update --offline: exit 3 (%s)" % err.strip())


def host_root(env, sources):
    """This machine: Debian 12, whose apt lists hold SOURCES' indexes."""
    write(os.path.join(env.root, "etc", "os-release"),
          'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n')
    write(os.path.join(env.root, "etc", "apt", "sources.list"), sources)
    write(os.path.join(env.root, "var", "lib", "dpkg", "status"), "")
    write(os.path.join(env.root, "var", "lib", "dpkg", "arch"), "amd64\n")
    lists = os.path.join(env.root, "var", "lib", "apt", "lists")
    write(os.path.join(lists, "mirror.example.org_debian_dists_bookworm_main_binary-amd64_Packages"),
          stanza("zlib1g", "1:1.2.13.dfsg-1"))


def case_apt_host(env):
    debian_env(env)
    env.start()
    host_root(env, "deb http://mirror.example.org/debian bookworm main\n")
    enable = "--enable-repo=nvidia-cuda=%s/nvidia" % env.url
    rc, out, err = env.run("plan", "--arch=amd64", "--format=json", enable, CUDNN)
    doc = parse(out)
    check(rc == 0 and doc and doc["target"]["this_machine"] and
          packages(doc, "dep:generic/cudnn") == {"libcudnn9-dev-cuda-12": "9.5.1.17-1"},
          "this machine: the repository added on top of its lists (%d %s)" % (rc, err.strip()))
    check(not [r for r in env.requests() if r[1].startswith("/debian")],
          "nothing of the host's own archive downloaded")
    # update on this machine: the repository only
    n = len(env.requests())
    rc, out, err = env.run("update", "--format=json", enable)
    reqs = [r[1] for r in env.requests()[n:]]
    check(rc == 0 and reqs == ["/nvidia/InRelease"],
          "update of this machine revalidates the repository only: %s (%s)" % (reqs, err.strip()))
    # install: apt-get installs from its own sources only
    rc, out, err = env.run("install", "--dry-run", enable, CUDNN)
    check(rc == 3 and "NVIDIA's CUDA repository is not among the repositories this machine's "
          "apt is configured with" in err and
          "dpkg -i cuda-keyring_1.1-1_all.deb" in err,
          "install refuses a repository apt lacks: %s" % err.strip())
    # a component the sources lack: theirs to enable
    rc, out, err = env.run("plan", "--arch=amd64", "--enable-repo=non-free", CUDNN)
    check(rc == 3 and "Debian's non-free component ('non-free') is not among this machine's apt "
          "sources; enable it, as root: apt-add-repository -y non-free; apt-get update" in err,
          "a component the host lacks: exit 3 (%s)" % err.strip())
    rc, out, err = env.run("plan", "--arch=amd64", "--enable-repo=non-free=%s/x" % env.url, CUDNN)
    check(rc == 2 and "takes no URL" in err, "a URL for a component: exit 2 (%s)" % err.strip())
    # the sources have the repository: apt's lists serve it, nothing fetched
    host_root(env, "deb http://mirror.example.org/debian bookworm main non-free\n"
                   "deb [signed-by=/usr/share/keyrings/cuda-archive-keyring.gpg] "
                   "%s/nvidia/ /\n" % env.url)
    write(os.path.join(env.root, "var", "lib", "apt", "lists",
                       "127.0.0.1:%s_nvidia_Packages" % env.url.rsplit(":", 1)[1]),
          "\n".join(cudnn("9.1.0.70-1")))
    shutil.rmtree(env.cache)
    n = len(env.requests())
    rc, out, err = env.run("plan", "--arch=amd64", "--format=json", enable,
                           "--enable-repo=non-free", CUDNN)
    doc = parse(out)
    check(rc == 0 and packages(doc, "dep:generic/cudnn") == {"libcudnn9-dev-cuda-12": "9.1.0.70-1"},
          "apt's own lists of it are used (%s %s)" % (packages(doc, "dep:generic/cudnn"),
                                                     err.strip()))
    check(len(env.requests()) == n, "nothing downloaded: %s" % env.requests()[n:])
    rc, out, err = env.run("install", "--dry-run", enable, "--enable-repo=non-free", CUDNN)
    check(rc == 0 and "apt-get install" in out and "libcudnn9-dev-cuda-12" in out,
          "install goes ahead with what apt has (%d %s)" % (rc, err.strip()))


def case_apt_validate(env):
    debian_env(env)
    env.start()
    args = ["mappings", "validate", "--against-repos", "--format=json"] + DEBIAN + \
        ["--mirror=%s/debian" % env.url]

    def missing(*more):
        rc, out, err = env.run(*(args + list(more)))
        doc = parse(out)
        return rc, {m["name"] for m in (doc or {}).get("missing", [])}, err

    rc, names, err = missing()
    check("libcudnn9-cuda-12" not in names and "libnccl2" not in names,
          "another vendor's names are not checked against the archive (%d %s)" % (rc, err.strip()))
    rc, names, err = missing("--enable-repo=nvidia-cuda=%s/nvidia" % env.url)
    check("libcudnn9-cuda-12" not in names and "libcudnn9-dev-cuda-12" not in names,
          "the repository's names found in it: %s" % err.strip())
    check("libnccl2" in names and "libnccl-dev" in names,
          "names mapped to it that it lacks are reported: %s" % sorted(names)[:10])


# --- Fedora and another vendor's rpm-md repository ---

CUDA = os.path.join(PROJECTS, "repo-cuda")


def rpm(name, version, requires=()):
    req = "".join('      <rpm:entry name="%s"/>\n' % r for r in requires)
    return ('<package type="rpm">\n'
            '  <name>%s</name>\n  <arch>x86_64</arch>\n'
            '  <version epoch="0" ver="%s" rel="1"/>\n'
            '  <checksum type="sha256" pkgid="YES">%s</checksum>\n'
            '  <summary>%s</summary>\n'
            '  <size package="1000" installed="2000" archive="2100"/>\n'
            '  <location href="%s-%s-1.x86_64.rpm"/>\n'
            '  <format>\n'
            '    <rpm:provides>\n'
            '      <rpm:entry name="%s" flags="EQ" epoch="0" ver="%s" rel="1"/>\n'
            '    </rpm:provides>\n'
            '    <rpm:requires>\n%s    </rpm:requires>\n'
            '  </format>\n</package>\n' % (name, version, hashlib.sha256(name.encode()).hexdigest(),
                                           name, name, version, name, version, req))


def cuda_primary(version="12.6.3"):
    pkgs = [rpm("cuda-toolkit", version, ["cuda-toolkit-12-6"]),
            rpm("cuda-toolkit-12-6", version)]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<metadata xmlns="http://linux.duke.edu/metadata/common" '
            'xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="%d">\n%s</metadata>\n'
            % (len(pkgs), "".join(pkgs))).encode()


def fedora_plan(env, *args, cuda="/cuda", mirror=True):
    argv = ["plan", "--distro=fedora:41", "--arch=x86_64", "--format=json"]
    if mirror:
        argv.append("--mirror=%s/fedora" % env.url)
    if cuda is not None:
        argv.append("--enable-repo=nvidia-cuda=%s%s" % (env.url, cuda))
    rc, out, err = env.run(*(argv + list(args) + [CUDA]))
    return rc, parse(out), err


def fedora_env(env):
    with open(os.path.join(FIX, "rpmmd", "primary.xml"), "rb") as f:
        env.rpmmd("fedora", f.read())
    env.rpmmd("cuda", cuda_primary())


def case_fedora(env):
    fedora_env(env)
    env.start()
    rc, doc, err = fedora_plan(env, cuda=None)
    check(rc == 1 and status(doc, "dep:generic/cuda") == "missing",
          "without the repository: missing (%d %s)" % (rc, err.strip()))
    rc, out, err = env.run("plan", "--distro=fedora:41", "--arch=x86_64",
                           "--mirror=%s/fedora" % env.url, CUDA)
    check("to enable NVIDIA's CUDA repository (for dep:generic/cuda)" in out,
          "with the enable advice: %s" % out)
    rc, doc, err = fedora_plan(env)
    check(rc == 0 and packages(doc, "dep:generic/cuda") == {"cuda-toolkit": "12.6.3-1"},
          "with --enable-repo: cuda-toolkit 12.6.3 (%d %s %s)" %
          (rc, packages(doc, "dep:generic/cuda"), err.strip()))
    check("cuda-toolkit-12-6" in transaction(doc), "its dependency too: %s" % transaction(doc))
    check((doc or {}).get("target", {}).get("repositories") ==
          [{"id": "nvidia-cuda", "name": "NVIDIA's CUDA repository", "component": None,
            "url": env.url + "/cuda"}], "JSON target.repositories")
    cache = "dnf/fedora-41-x86_64+nvidia-cuda"
    before = env.snapshot(cache)
    check("repomd.xml" in before, "cached in a directory of its own: %s" % sorted(before))
    # a newer build served broken: exit 3, the previous copy kept
    env.rpmmd("cuda", cuda_primary("12.8.0"))
    rc, out, err = env.run("update", "--distro=fedora:41", "--arch=x86_64",
                           "--mirror=%s/fedora" % env.url,
                           "--enable-repo=nvidia-cuda=%s/f:corrupt:%s/cuda" %
                           (env.url, [n for n in os.listdir(os.path.join(env.www, "cuda", "repodata"))
                                      if "primary" in n][0][:16]))
    check(rc == 3 and "checksum" in err, "a corrupt primary: exit 3 (%s)" % err.strip())
    after = env.snapshot(cache)
    check(after == before, "the previous good copy kept: %s" %
          sorted(set(after.items()) ^ set(before.items())))
    env.stop()
    rc, doc, err = fedora_plan(env, "--offline", mirror=False)
    check(rc == 0 and packages(doc, "dep:generic/cuda") == {"cuda-toolkit": "12.6.3-1"},
          "--offline plans from the cache (%s)" % err.strip())


CASES = cases(case_apt_plan, case_apt_update, case_apt_checksum, case_apt_truncated,
              case_apt_signed, case_apt_offline, case_apt_host, case_apt_validate, case_fedora)


if __name__ == "__main__":
    sys.exit(run_case(Env, CASES, CASE))
