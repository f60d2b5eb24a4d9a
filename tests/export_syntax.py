#!/usr/bin/env python3
"""The fields `extdeps export` writes are valid in their formats.

    export_syntax.py EXTDEPS SRCDIR debian|rpm|cibuildwheel

debian: Build-Depends (and the Depends relations, checked as
Build-Depends-Indep) go into a debian/control read by the real
dpkg-checkbuilddeps, which must report at most unmet dependencies, never a
parse error. rpm: every BuildRequires/Requires line must parse as RPM
dependency tokens (name, optionally an operator and an EVR). cibuildwheel:
the document is TOML (Python's tomllib) holding one override whose
before-all is a list of shell command lines (shlex), the last a package
manager's install with its packages as words of their own. Each check is
first run on a broken document, so that it is known to be able to fail.
Exits 77 (skipped) when dpkg-checkbuilddeps is absent.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

PROJECTS = ["scipy-like", "gdal-proj", "cuda-gpu", "groups-markers", "wheel-metadata/METADATA"]
SELECTIONS = [[], ["--all-extras"], ["--all-extras", "--group=test", "--group=docs"]]


def export(extdeps, srcdir, fmt, distro, sel, project):
    argv = [extdeps, "export", "--format=" + fmt, "--distro=" + distro, "--allow-unmapped", "-q"]
    argv += sel + [os.path.join(srcdir, "examples", project)]
    r = subprocess.run(argv, capture_output=True, text=True, cwd=srcdir)
    if r.returncode != 0 and not (r.returncode == 2 and "is not declared" in r.stderr):
        sys.exit("%s: exit %d\n%s" % (" ".join(argv), r.returncode, r.stderr))
    # 2: a group the project does not declare; nothing to check
    return r.stdout if r.returncode == 0 else None


def deb_fields(text):
    """Build-Depends and Depends values (continuation lines joined)."""
    fields, name = {}, None
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if line.startswith(" ") and name:
            fields[name] += "\n" + line
        else:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return fields


def dpkg_check(tmp, build_depends, depends):
    os.makedirs(os.path.join(tmp, "debian"), exist_ok=True)
    depends = ", ".join(d for d in re.split(r",\s*", depends) if d and not d.startswith("${"))
    with open(os.path.join(tmp, "debian", "control"), "w") as f:
        f.write("Source: x\nMaintainer: X <x@example.org>\n")
        if build_depends:
            f.write("Build-Depends: %s\n" % build_depends)
        if depends:
            f.write("Build-Depends-Indep: %s\n" % depends)
        f.write("\nPackage: x\nArchitecture: any\nDescription: x\n x\n")
    r = subprocess.run(["dpkg-checkbuilddeps"], capture_output=True, text=True, cwd=tmp)
    lines = [l for l in r.stderr.splitlines() if "Unmet build dependencies" not in l]
    return r.returncode in (0, 1) and not lines, r.stderr


def check_debian(extdeps, srcdir):
    if not shutil.which("dpkg-checkbuilddeps"):
        print("dpkg-checkbuilddeps not found")
        sys.exit(77)
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        ok, _ = dpkg_check(tmp, "gfortran (>= ), ninja-build", "")
        if ok:
            sys.exit("dpkg-checkbuilddeps accepted a broken field: the check cannot fail")
        for distro in ["debian:12", "debian:13", "ubuntu:24.04"]:
            for project in PROJECTS:
                for sel in SELECTIONS:
                    out = export(extdeps, srcdir, "debian-control", distro, sel, project)
                    if out is None:
                        continue
                    f = deb_fields(out)
                    ok, err = dpkg_check(tmp, f.get("Build-Depends", ""), f.get("Depends", ""))
                    if not ok:
                        sys.exit("%s %s %s: dpkg-checkbuilddeps:\n%s\n%s" %
                                 (distro, project, sel, err, out))
                    n += 1
    print("%d debian/control documents parsed by dpkg-checkbuilddeps" % n)


# rpm's dependency token rules (build/parseReqs.c): a name starts with an
# alphanumeric, '_' or '/' (or is a parenthesised provide such as
# pkgconfig(x)); an operator is followed by an EVR without spaces or commas.
RPM_NAME = r"(?:[A-Za-z0-9_/][A-Za-z0-9_.+\-/]*(?:\([A-Za-z0-9_.+\-:/]+\))?)"
RPM_EVR = r"(?:[0-9]+:)?[A-Za-z0-9._+~^]+(?:-[A-Za-z0-9._+~^]+)?"
RPM_DEP = re.compile(r"^%s(?: (?:<|<=|=|>=|>) %s)?$" % (RPM_NAME, RPM_EVR))
RPM_LINE = re.compile(r"^(BuildRequires|Requires):\s+(\S.*)$")


def rpm_errors(text):
    errors = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = RPM_LINE.match(line)
        if not m:
            errors.append("not a dependency line: %r" % line)
        elif not RPM_DEP.match(m.group(2)):
            errors.append("bad dependency: %r" % m.group(2))
    return errors


def check_rpm(extdeps, srcdir):
    broken = "BuildRequires:  ninja-build >= \nRequires: foo >=1\nBuildRequires:  -bad\n"
    if len(rpm_errors(broken)) != 3:
        sys.exit("the rpm parser accepted a broken document: the check cannot fail")
    n = 0
    for distro in ["fedora:40", "fedora:41", "fedora:42"]:
        for project in PROJECTS:
            for sel in SELECTIONS:
                out = export(extdeps, srcdir, "rpm-spec", distro, sel, project)
                if out is None:
                    continue
                errors = rpm_errors(out)
                if errors:
                    sys.exit("%s %s %s:\n%s\n%s" % (distro, project, sel, "\n".join(errors), out))
                n += 1
    print("%d rpm dependency documents parsed" % n)


def cibuildwheel_errors(text):
    import shlex
    import tomllib
    try:
        doc = tomllib.loads(text)
        overrides = doc["tool"]["cibuildwheel"]["overrides"]
        commands = overrides[0]["before-all"]
    except (tomllib.TOMLDecodeError, KeyError, IndexError, TypeError) as e:
        return ["not a cibuildwheel override: %s" % e]
    errors = []
    if len(overrides) != 1 or not overrides[0].get("select", "").startswith("*-"):
        errors.append("not one override selecting the image's builds")
    for c in commands:
        try:
            words = shlex.split(c)
        except ValueError as e:
            errors.append("not a shell command line: %r (%s)" % (c, e))
            continue
        if not words or words[0] not in ("dnf", "apk", "subscription-manager"):
            errors.append("not a package manager's command: %r" % c)
    return errors


def check_cibuildwheel(extdeps, srcdir):
    broken = ('[[tool.cibuildwheel.overrides]]\nselect = "*-manylinux_*"\n'
              'before-all = ["dnf install -y \'ninja-build >= 1"]\n')
    if not cibuildwheel_errors(broken) or not cibuildwheel_errors("before-all = [\n"):
        sys.exit("the cibuildwheel checks accepted a broken document: they cannot fail")
    n = 0
    for distro in ["almalinux:8", "almalinux:9", "rocky:9", "ol:8", "rhel:9", "centos:10",
                   "alpine:3.19", "alpine:3.21", "alpine:edge"]:
        for project in PROJECTS:
            for sel in SELECTIONS:
                out = export(extdeps, srcdir, "cibuildwheel", distro, sel, project)
                if out is None:
                    continue
                errors = cibuildwheel_errors(out)
                if errors:
                    sys.exit("%s %s %s:\n%s\n%s" % (distro, project, sel, "\n".join(errors), out))
                n += 1
    print("%d cibuildwheel documents parsed" % n)


def main():
    extdeps, srcdir, kind = sys.argv[1:4]
    {"debian": check_debian, "rpm": check_rpm,
     "cibuildwheel": check_cibuildwheel}[kind](extdeps, srcdir)


if __name__ == "__main__":
    main()
