#!/usr/bin/env python3
"""APKINDEX.tar.gz files in the format Alpine's mirrors serve, for tests.

    apk_index.py MIRROR ROOT   writes the fixtures of the golden and unit
                               tests: MIRROR/v3.21/{main,community}/x86_64/
                               APKINDEX.tar.gz, and an Alpine 3.21 machine
                               under ROOT (os-release, apk's repositories
                               and installed database)

An index is two gzip streams one after the other, as abuild-sign makes it:
first a tar holding the signature (.SIGN.RSA.<key>.rsa.pub) without the
tar's end-of-archive blocks, then the tar that `apk index` writes, holding
DESCRIPTION and APKINDEX (a text file: one stanza of "X:value" lines per
package, blank lines between). The signature here is random bytes: extdeps
does not check it (apk does, against /etc/apk/keys).
"""
import base64
import gzip
import hashlib
import io
import os
import sys
import tarfile

KEY = ".SIGN.RSA.alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub"


def pkg(name, version, deps=(), provides=(), arch="x86_64", size=1000, origin=None,
        install_if=()):
    """One package: its stanza's fields, in the order apk index writes them."""
    sha = hashlib.sha1(("%s-%s" % (name, version)).encode()).digest()
    lines = [
        "C:Q1" + base64.b64encode(sha).decode(),
        "P:" + name,
        "V:" + version,
        "A:" + arch,
        "S:%d" % size,
        "I:%d" % (size * 3),
        "T:%s for the tests" % name,
        "U:https://example.org/" + name,
        "L:MIT",
        "o:" + (origin or name),
        "m:Test Maintainer <test@example.org>",
        "t:1733000000",
        "c:0123456789abcdef0123456789abcdef01234567",
    ]
    if deps:
        lines.append("D:" + " ".join(deps))
    if provides:
        lines.append("p:" + " ".join(provides))
    if install_if:
        lines.append("i:" + " ".join(install_if))
    return "\n".join(lines) + "\n"


def tar_bytes(members, cut=False):
    """A ustar archive of MEMBERS ((name, data) pairs); CUT: without the
    end-of-archive blocks (abuild-tar --cut), as the signature's tar is."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1733000000
            info.mode = 0o644
            info.uname = info.gname = "root"
            t.addfile(info, io.BytesIO(data))
    raw = buf.getvalue()
    if cut:
        raw = raw[:sum(512 + (len(d) + 511) // 512 * 512 for _, d in members)]
    return raw


def index_bytes(packages, description="v3.21.0-test", signed=True):
    """The whole APKINDEX.tar.gz for PACKAGES (pkg() stanzas)."""
    text = "\n".join(packages).encode()
    index = gzip.compress(tar_bytes([("DESCRIPTION", description.encode()), ("APKINDEX", text)]),
                          mtime=0)
    if not signed:
        return index
    sig = hashlib.sha512(index).digest() * 8  # stands for the RSA signature
    return gzip.compress(tar_bytes([(KEY, sig)], cut=True), mtime=0) + index


def installed_db(packages):
    """apk's /lib/apk/db/installed: the same stanzas, each with the files
    the package installed (F: a directory, R: a file in it), which readers
    of the package list skip."""
    return "\n".join(p + "F:usr/lib\nR:%s.txt\n" % p.split("\nP:")[1].split("\n")[0]
                      for p in packages)


def installed_root():
    """What an Alpine machine that ran `apk add --virtual .extdeps-build
    zlib-dev pkgconf` has installed."""
    main = {(p.split("\nP:")[1].split("\n")[0]): p for p in main_repo()}
    return [main[n] for n in ("musl", "pkgconf", "zlib", "zlib-dev")] + [
        pkg(".extdeps-build", "20241206.120000", arch="noarch", deps=["zlib-dev", "pkgconf"])]


def write_root(top, release="3.21.2", mirror="https://dl-cdn.alpinelinux.org/alpine"):
    write(os.path.join(top, "etc", "os-release"), (
        'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=%s\n'
        'PRETTY_NAME="Alpine Linux v%s"\n' % (release, release[:4])).encode())
    rel = "v" + ".".join(release.split(".")[:2])
    write(os.path.join(top, "etc", "apk", "repositories"), (
        "%s/%s/main\n%s/%s/community\n#%s/edge/testing\n"
        % (mirror, rel, mirror, rel, mirror)).encode())
    write(os.path.join(top, "lib", "apk", "db", "installed"),
          installed_db(installed_root()).encode())


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


MUSL = "so:libc.musl-x86_64.so.1"


def main_repo():
    """Alpine main's part the tests need: the toolchain, zlib, libxml2,
    libcap (named by what it provides), Python and version-order probes."""
    return [
        pkg("musl", "1.2.5-r8", provides=["so:libc.musl-x86_64.so.1=1"]),
        pkg("musl-dev", "1.2.5-r8", deps=["musl=1.2.5-r8"]),
        pkg("binutils", "2.43.1-r1", deps=[MUSL]),
        pkg("gcc", "14.2.0-r4", deps=["binutils", MUSL], provides=["cmd:gcc=14.2.0-r4"]),
        pkg("g++", "14.2.0-r4", deps=["gcc=14.2.0-r4", "musl-dev"], provides=["cmd:g++=14.2.0-r4"]),
        pkg("make", "4.4.1-r2", deps=[MUSL], provides=["cmd:make=4.4.1-r2"]),
        pkg("build-base", "0.5-r3", deps=["binutils", "gcc", "g++", "make", "musl-dev"]),
        pkg("pkgconf", "2.3.0-r0", deps=[MUSL], provides=["pkgconfig=1", "cmd:pkgconf=2.3.0-r0",
                                                           "cmd:pkg-config=2.3.0-r0"]),
        pkg("zlib", "1.3.1-r2", deps=[MUSL], provides=["so:libz.so.1=1.3.1"]),
        pkg("zlib-dev", "1.3.1-r2", deps=["pkgconfig", "zlib=1.3.1-r2"],
            provides=["pc:zlib=1.3.1"], origin="zlib"),
        pkg("libxml2", "2.13.4-r3", deps=[MUSL, "so:libz.so.1"],
            provides=["so:libxml2.so.2=2.13.4"]),
        pkg("libxml2-dev", "2.13.4-r3", deps=["libxml2=2.13.4-r3", "pc:zlib", "pkgconfig"],
            provides=["pc:libxml-2.0=2.13.4"], origin="libxml2"),
        pkg("libcap2", "2.71-r0", deps=[MUSL], provides=["so:libcap.so.2=2.71"], origin="libcap"),
        pkg("libcap-dev", "2.71-r0", deps=["libcap2=2.71-r0", "pkgconfig"],
            provides=["pc:libcap=2.71", "pc:libpsx=2.71"], origin="libcap"),
        pkg("python3", "3.12.8-r1", deps=[MUSL, "so:libz.so.1"],
            provides=["cmd:python3=3.12.8-r1"]),
        pkg("python3-dev", "3.12.8-r1", deps=["python3=3.12.8-r1", "pkgconfig"],
            provides=["pc:python3=3.12"], origin="python3"),
        # apk's order: a pre-release (_rc) before the release, revisions
        # numerically (r10 after r9), _p after the release
        pkg("order-rc", "1.2.3_rc1-r0"), pkg("order-rc", "1.2.3-r0"),
        pkg("order-rev", "2.0-r9"), pkg("order-rev", "2.0-r10"),
        pkg("order-p", "3.1_p2-r0"), pkg("order-p", "3.1-r5"),
    ]


def community_repo():
    return [
        pkg("openblas", "0.3.28-r0", deps=[MUSL, "so:libgfortran.so.5"],
            provides=["so:libopenblas.so.3=0.3.28"]),
        pkg("libgfortran", "14.2.0-r4", deps=[MUSL], provides=["so:libgfortran.so.5=5.0.0"]),
        pkg("openblas-dev", "0.3.28-r0", deps=["openblas=0.3.28-r0", "pkgconfig"],
            provides=["pc:openblas=0.3.28", "pc:cblas=0.3.28"], origin="openblas"),
        pkg("hdf5", "1.14.5-r0", deps=[MUSL, "so:libz.so.1"], provides=["so:libhdf5.so.310=310"]),
        pkg("hdf5-dev", "1.14.5-r0", deps=["hdf5=1.14.5-r0", "zlib-dev"], origin="hdf5"),
        pkg("samurai", "1.2-r6", deps=[MUSL], provides=["cmd:ninja=1.2-r6", "cmd:samu=1.2-r6"]),
    ]


def write_mirror(top, release="3.21", arch="x86_64", main=None, community=None):
    rel = "edge" if release == "edge" else "v" + release
    for repo, pkgs in (("main", main or main_repo()), ("community", community or community_repo())):
        write(os.path.join(top, rel, repo, arch, "APKINDEX.tar.gz"), index_bytes(pkgs))


if __name__ == "__main__":
    write_mirror(sys.argv[1])
    write_root(sys.argv[2])
