#!/usr/bin/env python3
"""rpm-md repositories laid out as openSUSE's are, for the zypper backend's
tests: repodata/repomd.xml naming HASH-primary.xml.gz (or .zst, as
Tumbleweed publishes it), HASH-filelists.xml.gz and HASH-other.xml.gz, and
in an update repository HASH-updateinfo.xml.gz, each with its checksum,
open-checksum, size and open-size, as createrepo_c writes them for the
Open Build Service.

    rpmmd_fixture.py roots DIR

writes the machines the golden tests read (tests/fixtures/opensuse/):
an openSUSE Leap 15.6 and a Tumbleweed root with /etc/os-release, zypper's
/etc/zypp/repos.d and its copy of each repository's metadata under
/var/cache/zypp/raw/ALIAS/repodata. tests/opensuse_test.py serves the same
package sets on 127.0.0.1.
"""
import gzip
import hashlib
import os
import shutil
import subprocess
import sys
from xml.sax.saxutils import escape

LEAP_REL = "150600.1.1"
LEAP_UPDATE_REL = "150600.3.6.1"
TW_REL = "1.1"


def pkg(name, ver, rel, arch="x86_64", requires=(), provides=(), files=(), epoch="0",
        group="Development/Libraries/C and C++", source=None):
    """One package: provides carry NAME = EVR as rpm adds it, and
    NAME(x86-64) for an arch-specific one, as openSUSE's do."""
    return {"name": name, "ver": ver, "rel": rel, "arch": arch, "epoch": epoch,
            "requires": list(requires), "provides": list(provides), "files": list(files),
            "group": group, "source": source or name}


def pkgid(p):
    return hashlib.sha256(("%(name)s-%(ver)s-%(rel)s.%(arch)s" % p).encode()).hexdigest()


def entry(dep, p=None):
    """<rpm:entry> of "name", "name = 1.2" or "name >= 1.2"."""
    flags = {"=": "EQ", ">=": "GE", "<=": "LE", ">": "GT", "<": "LT"}
    parts = dep.split()
    if len(parts) == 3:
        return ('<rpm:entry name="%s" flags="%s" epoch="0" ver="%s"/>'
                % (escape(parts[0]), flags[parts[1]], escape(parts[2])))
    return '<rpm:entry name="%s"/>' % escape(dep)


def primary_xml(pkgs):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<metadata xmlns="http://linux.duke.edu/metadata/common" '
           'xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="%d">' % len(pkgs)]
    for p in pkgs:
        evr = 'epoch="%(epoch)s" ver="%(ver)s" rel="%(rel)s"' % p
        provides = ['<rpm:entry name="%s" flags="EQ" %s/>' % (p["name"], evr)]
        if p["arch"] != "noarch":
            provides.append('<rpm:entry name="%s(x86-64)" flags="EQ" %s/>' % (p["name"], evr))
        provides += [entry(d) for d in p["provides"]]
        requires = [entry(d) for d in p["requires"]]
        out.append('<package type="rpm">\n'
                   '  <name>%(name)s</name>\n'
                   '  <arch>%(arch)s</arch>\n' % p +
                   '  <version %s/>\n' % evr +
                   '  <checksum type="sha256" pkgid="YES">%s</checksum>\n' % pkgid(p) +
                   '  <summary>%s</summary>\n' % escape(p["name"]) +
                   '  <description>%s, as a test fixture</description>\n' % escape(p["name"]) +
                   '  <packager>https://bugs.opensuse.org</packager>\n'
                   '  <url>https://www.opensuse.org/</url>\n'
                   '  <time file="1718000000" build="1717900000"/>\n'
                   '  <size package="%d" installed="%d" archive="%d"/>\n'
                   % (20000 + len(p["name"]) * 1000, 80000 + len(p["name"]) * 3000,
                      81000 + len(p["name"]) * 3000) +
                   '  <location href="%(arch)s/%(name)s-%(ver)s-%(rel)s.%(arch)s.rpm"/>\n' % p +
                   '  <format>\n'
                   '    <rpm:license>MIT</rpm:license>\n'
                   '    <rpm:vendor>openSUSE</rpm:vendor>\n'
                   '    <rpm:group>%s</rpm:group>\n' % escape(p["group"]) +
                   '    <rpm:buildhost>reproducible</rpm:buildhost>\n'
                   '    <rpm:sourcerpm>%s-%s-%s.src.rpm</rpm:sourcerpm>\n'
                   % (p["source"], p["ver"], p["rel"]) +
                   '    <rpm:header-range start="6248" end="9000"/>\n'
                   '    <rpm:provides>\n      %s\n    </rpm:provides>\n'
                   % "\n      ".join(provides) +
                   ('    <rpm:requires>\n      %s\n    </rpm:requires>\n'
                    % "\n      ".join(requires) if requires else "") +
                   "".join('    <file>%s</file>\n' % escape(f) for f in p["files"]
                           if f.startswith(("/usr/bin/", "/etc/"))) +
                   '  </format>\n'
                   '</package>')
    out.append('</metadata>\n')
    return "\n".join(out).encode()


def filelists_xml(pkgs):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<filelists xmlns="http://linux.duke.edu/metadata/filelists" packages="%d">'
           % len(pkgs)]
    for p in pkgs:
        out.append('<package pkgid="%s" name="%s" arch="%s">\n'
                   '  <version epoch="%s" ver="%s" rel="%s"/>\n%s</package>'
                   % (pkgid(p), p["name"], p["arch"], p["epoch"], p["ver"], p["rel"],
                      "".join('  <file>%s</file>\n' % escape(f) for f in p["files"])))
    out.append('</filelists>\n')
    return "\n".join(out).encode()


def other_xml(pkgs):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<otherdata xmlns="http://linux.duke.edu/metadata/other" packages="%d">' % len(pkgs)]
    for p in pkgs:
        out.append('<package pkgid="%s" name="%s" arch="%s">\n'
                   '  <version epoch="%s" ver="%s" rel="%s"/>\n'
                   '  <changelog author="maintainer@opensuse.org" date="1717000000">'
                   '- update to %s</changelog>\n</package>'
                   % (pkgid(p), p["name"], p["arch"], p["epoch"], p["ver"], p["rel"], p["ver"]))
    out.append('</otherdata>\n')
    return "\n".join(out).encode()


def updateinfo_xml(pkgs):
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<updates>']
    for i, p in enumerate(pkgs):
        out.append('  <update from="maint-coord@suse.de" status="stable" type="recommended" '
                   'version="1">\n'
                   '    <id>openSUSE-2024-%d</id>\n'
                   '    <title>Recommended update for %s</title>\n'
                   '    <issued date="1718000000"/>\n'
                   '    <pkglist><collection>\n'
                   '      <package name="%s" epoch="0" version="%s" release="%s" arch="%s">'
                   '<filename>%s-%s-%s.%s.rpm</filename></package>\n'
                   '    </collection></pkglist>\n  </update>'
                   % (1000 + i, p["name"], p["name"], p["ver"], p["rel"], p["arch"],
                      p["name"], p["ver"], p["rel"], p["arch"]))
    out.append('</updates>\n')
    return "\n".join(out).encode()


def compress(data, kind):
    if kind == "gz":
        return gzip.compress(data, mtime=0)
    # Tumbleweed's metadata is zstd-compressed; Python has no zstd of its own
    return subprocess.run(["zstd", "-q", "-19", "-c"], input=data, capture_output=True,
                          check=True).stdout


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write_repo(top, pkgs, kind="gz", declared_size=None, updateinfo=False,
               tag="obsproduct://build.opensuse.org/openSUSE:Leap:15.6/Leap/15.6/x86_64"):
    """TOP/repodata/: repomd.xml and the data it names. Returns the first 16
    hex digits of the primary's name (what httpd.py's faults select)."""
    shutil.rmtree(os.path.join(top, "repodata"), ignore_errors=True)
    data = [("primary", primary_xml(pkgs)), ("filelists", filelists_xml(pkgs)),
            ("other", other_xml(pkgs))]
    if updateinfo:
        data.append(("updateinfo", updateinfo_xml(pkgs)))
    entries, first = "", None
    for n, (what, xml) in enumerate(data):
        packed = compress(xml, kind)
        sha = hashlib.sha256(packed).hexdigest()
        name = "%s-%s.xml.%s" % (sha, what, "gz" if kind == "gz" else "zst")
        write(os.path.join(top, "repodata", name), packed)
        size = declared_size if (declared_size and what == "primary") else len(packed)
        entries += ('  <data type="%s">\n'
                    '    <checksum type="sha256">%s</checksum>\n'
                    '    <open-checksum type="sha256">%s</open-checksum>\n'
                    '    <location href="repodata/%s"/>\n'
                    '    <timestamp>%d</timestamp>\n'
                    '    <size>%d</size>\n'
                    '    <open-size>%d</open-size>\n'
                    '  </data>\n' % (what, sha, hashlib.sha256(xml).hexdigest(), name,
                                     1718000000 + n, size, len(xml)))
        first = first or sha[:16]
    write(os.path.join(top, "repodata", "repomd.xml"), (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<repomd xmlns="http://linux.duke.edu/metadata/repo" '
        'xmlns:rpm="http://linux.duke.edu/metadata/rpm" '
        'xmlns:suse="http://novell.com/package/metadata/suse/common">\n'
        '  <revision>1718000000</revision>\n'
        '  <tags>\n    <repo>%s</repo>\n  </tags>\n%s</repomd>\n' % (tag, entries)).encode())
    return first


def repo_file(root, alias, name, baseurl, enabled=True):
    """/etc/zypp/repos.d/ALIAS.repo as zypper writes it."""
    write(os.path.join(root, "etc", "zypp", "repos.d", alias + ".repo"), (
        "[%s]\nname=%s\nenabled=%d\nautorefresh=1\nbaseurl=%s\ntype=rpm-md\n"
        "keeppackages=0\n" % (alias, name, 1 if enabled else 0, baseurl)).encode())


# --- the package sets ---

def leap_oss(rel=LEAP_REL, libxml2="2.10.3"):
    """What Leap 15.6's repo-oss holds of a build's dependencies: gcc is
    gcc7, python3 is 3.6, the newest Python python311."""
    lib = ["/usr/lib64"]
    return [
        pkg("glibc", "2.38", "150600.12.1", files=["/lib64/libc.so.6"]),
        pkg("glibc-devel", "2.38", "150600.12.1", requires=["glibc", "linux-glibc-devel"]),
        pkg("linux-glibc-devel", "6.4", rel, arch="noarch"),
        pkg("binutils", "2.41", rel, files=["/usr/bin/ld"]),
        pkg("cpp7", "7.5.0+r278197", "150000.4.35.1"),
        pkg("gcc7", "7.5.0+r278197", "150000.4.35.1", requires=["cpp7", "binutils",
                                                               "glibc-devel"],
            files=["/usr/bin/gcc-7"]),
        pkg("gcc", "7", "150000.3.3.1", requires=["gcc7"], files=["/usr/bin/gcc"]),
        pkg("gcc7-c++", "7.5.0+r278197", "150000.4.35.1", requires=["gcc7"]),
        pkg("gcc-c++", "7", "150000.3.3.1", requires=["gcc", "gcc7-c++"],
            files=["/usr/bin/g++"]),
        pkg("libgfortran4", "7.5.0+r278197", "150000.4.35.1"),
        pkg("gcc7-fortran", "7.5.0+r278197", "150000.4.35.1", requires=["gcc7",
                                                                       "libgfortran4"]),
        pkg("gcc-fortran", "7", "150000.3.3.1", requires=["gcc", "gcc7-fortran"],
            files=["/usr/bin/gfortran"]),
        pkg("pkgconf-pkg-config", "1.5.3", rel, provides=["pkg-config = 0.29.2"],
            files=["/usr/bin/pkg-config"]),
        pkg("libz1", "1.2.13", "150500.4.3.1", files=lib),
        pkg("zlib-devel", "1.2.13", "150500.4.3.1", requires=["libz1 = 1.2.13", "glibc-devel"],
            provides=["pkgconfig(zlib) = 1.2.13"]),
        pkg("libxml2-2", libxml2, "150600.1.10"),
        pkg("libxml2-devel", libxml2, "150600.1.10",
            requires=["libxml2-2 = " + libxml2, "zlib-devel", "xz-devel"],
            provides=["pkgconfig(libxml-2.0) = " + libxml2]),
        pkg("liblzma5", "5.4.1", rel),
        pkg("xz-devel", "5.4.1", rel, requires=["liblzma5 = 5.4.1"],
            provides=["pkgconfig(liblzma) = 5.4.1"]),
        pkg("openblas-common-devel", "0.3.26", rel, arch="noarch"),
        pkg("libopenblas_pthreads0", "0.3.26", rel, requires=["libgfortran4"]),
        pkg("openblas_pthreads-devel", "0.3.26", rel,
            requires=["libopenblas_pthreads0 = 0.3.26", "openblas-common-devel"],
            provides=["pkgconfig(openblas) = 0.3.26"]),
        pkg("libffi7", "3.2.1.git259", "150000.10.1"),
        pkg("libffi-devel", "3.2.1.git259", "150000.10.1", requires=["libffi7"],
            provides=["pkgconfig(libffi) = 3.2.1"]),
        pkg("timezone", "2024a", "150000.75.28.1", arch="noarch"),
        pkg("python3-base", "3.6.15", "150300.10.65.1"),
        pkg("python3-devel", "3.6.15", "150300.10.65.1", requires=["python3-base"]),
        pkg("libpython3_11-1_0", "3.11.9", "150600.3.3.1"),
        pkg("python311-base", "3.11.9", "150600.3.3.1", requires=["libpython3_11-1_0"]),
        pkg("python311", "3.11.9", "150600.3.3.1", requires=["python311-base"]),
        pkg("python311-devel", "3.11.9", "150600.3.3.1", requires=["python311-base"]),
    ]


def leap_update():
    """repo-update: a newer libxml2, as maintenance updates bring."""
    return [pkg("libxml2-2", "2.10.3", LEAP_UPDATE_REL),
            pkg("libxml2-devel", "2.10.3", LEAP_UPDATE_REL,
                requires=["libxml2-2 = 2.10.3", "zlib-devel", "xz-devel"],
                provides=["pkgconfig(libxml-2.0) = 2.10.3"])]


def non_oss(rel=LEAP_REL):
    return [pkg("unrar", "7.0.9", rel, files=["/usr/bin/unrar"], group="Productivity/Archiving")]


def tumbleweed_oss():
    """Tumbleweed's repo-oss: gcc 14, python3 3.13 (python313), libffi8."""
    return [
        pkg("glibc", "2.40", "5.1", files=["/lib64/libc.so.6"]),
        pkg("glibc-devel", "2.40", "5.1", requires=["glibc", "linux-glibc-devel"]),
        pkg("linux-glibc-devel", "6.12", TW_REL, arch="noarch"),
        pkg("binutils", "2.43", "4.1"),
        pkg("cpp14", "14.2.1+git10750", TW_REL),
        pkg("gcc14", "14.2.1+git10750", TW_REL, requires=["cpp14", "binutils", "glibc-devel"]),
        pkg("gcc", "14", "2.1", requires=["gcc14"], files=["/usr/bin/gcc"]),
        pkg("gcc14-c++", "14.2.1+git10750", TW_REL, requires=["gcc14"]),
        pkg("gcc-c++", "14", "2.1", requires=["gcc", "gcc14-c++"]),
        pkg("libgfortran5", "14.2.1+git10750", TW_REL),
        pkg("gcc14-fortran", "14.2.1+git10750", TW_REL, requires=["gcc14", "libgfortran5"]),
        pkg("gcc-fortran", "14", "2.1", requires=["gcc", "gcc14-fortran"]),
        pkg("pkgconf-pkg-config", "2.3.0", TW_REL, provides=["pkg-config = 0.29.2"]),
        pkg("libz1", "1.3.1", TW_REL),
        pkg("zlib-devel", "1.3.1", TW_REL, requires=["libz1 = 1.3.1", "glibc-devel"],
            provides=["pkgconfig(zlib) = 1.3.1"]),
        pkg("libxml2-2", "2.13.5", TW_REL),
        pkg("libxml2-devel", "2.13.5", TW_REL, requires=["libxml2-2 = 2.13.5", "zlib-devel"],
            provides=["pkgconfig(libxml-2.0) = 2.13.5"]),
        pkg("openblas-common-devel", "0.3.28", TW_REL, arch="noarch"),
        pkg("libopenblas_pthreads0", "0.3.28", TW_REL, requires=["libgfortran5"]),
        pkg("openblas_pthreads-devel", "0.3.28", TW_REL,
            requires=["libopenblas_pthreads0 = 0.3.28", "openblas-common-devel"],
            provides=["pkgconfig(openblas) = 0.3.28"]),
        pkg("libffi8", "3.4.6", TW_REL),
        pkg("libffi-devel", "3.4.6", TW_REL, requires=["libffi8"],
            provides=["pkgconfig(libffi) = 3.4.6"]),
        pkg("timezone", "2024b", TW_REL, arch="noarch"),
        pkg("libpython3_13-1_0", "3.13.1", TW_REL),
        pkg("python313-base", "3.13.1", TW_REL, requires=["libpython3_13-1_0"]),
        pkg("python313-devel", "3.13.1", TW_REL, requires=["python313-base"],
            provides=["python3-devel = 3.13.1"]),
    ]


TW_TAG = "obsproduct://build.opensuse.org/openSUSE:Factory/openSUSE/20250101/x86_64"


def write_roots(dest):
    """The golden tests' machines."""
    leap = os.path.join(dest, "leap-15.6")
    shutil.rmtree(leap, ignore_errors=True)
    write(os.path.join(leap, "etc", "os-release"), (
        'NAME="openSUSE Leap"\nVERSION="15.6"\nID="opensuse-leap"\nID_LIKE="suse opensuse"\n'
        'VERSION_ID="15.6"\nPRETTY_NAME="openSUSE Leap 15.6"\n'
        'CPE_NAME="cpe:/o:opensuse:leap:15.6"\n').encode())
    base = "http://download.opensuse.org"
    repo_file(leap, "repo-oss", "Main Repository",
              base + "/distribution/leap/$releasever/repo/oss/")
    repo_file(leap, "repo-update", "Main Update Repository",
              base + "/update/leap/$releasever/oss/")
    # as after 'zypper modifyrepo --disable repo-non-oss'
    repo_file(leap, "repo-non-oss", "Non-OSS Repository",
              base + "/distribution/leap/$releasever/repo/non-oss/", enabled=False)
    raw = os.path.join(leap, "var", "cache", "zypp", "raw")
    write_repo(os.path.join(raw, "repo-oss"), leap_oss(libxml2="2.10.3"))
    write_repo(os.path.join(raw, "repo-update"), leap_update(), updateinfo=True)

    tw = os.path.join(dest, "tumbleweed")
    shutil.rmtree(tw, ignore_errors=True)
    write(os.path.join(tw, "etc", "os-release"), (
        'NAME="openSUSE Tumbleweed"\n# VERSION="20250101"\nID="opensuse-tumbleweed"\n'
        'ID_LIKE="opensuse suse"\nVERSION_ID="20250101"\nPRETTY_NAME="openSUSE Tumbleweed"\n'
        'CPE_NAME="cpe:/o:opensuse:tumbleweed:20250101"\n').encode())
    # the aliases the openSUSE repository service gives them
    repo_file(tw, "openSUSE:repo-oss", "Open Source Software", base + "/tumbleweed/repo/oss/")
    repo_file(tw, "openSUSE:repo-non-oss", "Non-Open Source Software",
              base + "/tumbleweed/repo/non-oss/")
    repo_file(tw, "openSUSE:repo-update", "Update", base + "/update/tumbleweed/")
    raw = os.path.join(tw, "var", "cache", "zypp", "raw")
    write_repo(os.path.join(raw, "openSUSE:repo-oss"), tumbleweed_oss(), kind="zst", tag=TW_TAG)
    write_repo(os.path.join(raw, "openSUSE:repo-non-oss"), non_oss(TW_REL), kind="zst",
               tag=TW_TAG)
    write_repo(os.path.join(raw, "openSUSE:repo-update"), [], kind="zst", updateinfo=True,
               tag=TW_TAG)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "roots":
        sys.exit("usage: rpmmd_fixture.py roots DIR")
    write_roots(sys.argv[2])
