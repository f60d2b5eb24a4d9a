#!/usr/bin/env python3
"""Plans a project against this machine's real apt metadata and compares the
plan with what apt itself would do for the same explicit packages.

    apt_agreement.py EXTDEPS PROJECT [--with-recommends]

Runs `extdeps plan --format=json PROJECT`, then `apt-get install -s` with the
plan's explicit packages (without recommends unless asked). Fails when apt
refuses the explicit packages, or when the sets of packages the two would
newly install, or upgrade, differ (apt upgrades the other installed binaries
of a source package along with one it must upgrade, and so does the plan).
Prints the sets' sizes and the differences.
Exits 77 (skipped) on a machine without apt or without apt lists.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def main():
    extdeps, project = sys.argv[1], sys.argv[2]
    recommends = "--with-recommends" in sys.argv[3:]
    if not shutil.which("apt-get") or not os.path.exists("/var/lib/dpkg/status"):
        print("no apt on this machine")
        return SKIP
    if not glob.glob("/var/lib/apt/lists/*_Packages*"):
        print("no apt lists on this machine (run apt-get update)")
        return SKIP
    env = dict(os.environ)
    env.pop("EXTDEPS_ROOT", None)
    # one cache for the whole run, not the user's
    env["XDG_CACHE_HOME"] = os.environ.get("EXTDEPS_AGREEMENT_CACHE") or tempfile.mkdtemp()
    args = [extdeps, "plan", "--format=json", project]
    if recommends:
        args.insert(2, "--with-recommends")
    run = subprocess.run(args, env=env, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        print(run.stderr)
        print(f"extdeps plan exited {run.returncode}")
        return 1
    plan = json.loads(run.stdout)
    if plan["problems"]:
        print("the plan has problems:", plan["problems"])
        return 1
    explicit = [e["name"] + ("=" + e["version"] if e["version"] else "") for e in plan["explicit"]]
    ours = {s["name"] for s in plan["transaction"] if s["action"] in ("install", "upgrade")}
    if not explicit:
        print("nothing to install: agreement is trivial")
        return 0 if not ours else 1
    apt_args = ["apt-get", "install", "-s", "-q"]
    if not recommends:
        apt_args.append("--no-install-recommends")
    apt = subprocess.run(apt_args + explicit, capture_output=True, text=True,
                         env={"LC_ALL": "C", "PATH": os.environ["PATH"]})
    if apt.returncode != 0:
        print(apt.stdout, apt.stderr)
        print("apt-get refused the explicit packages", explicit)
        return 1
    theirs = {line.split()[1] for line in apt.stdout.splitlines() if line.startswith("Inst ")}
    installed = set(subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package}\t${db:Status-Abbrev}\n"],
        capture_output=True, text=True).stdout.split("\n"))
    installed = {line.split("\t")[0] for line in installed if "\tii" in line}
    new_ours, new_theirs = ours - installed, theirs - installed
    print(f"{project}: explicit {len(explicit)}; new packages: extdeps {len(new_ours)}, "
          f"apt {len(new_theirs)}, agreeing {len(new_ours & new_theirs)}; upgrades: "
          f"extdeps {len(ours & installed)}, apt {len(theirs & installed)}, "
          f"agreeing {len(ours & theirs & installed)}")
    for what, a, b in (("new", new_ours, new_theirs),
                       ("upgraded", ours & installed, theirs & installed)):
        if a != b:
            print(f"{what}, only extdeps:", sorted(a - b))
            print(f"{what}, only apt:", sorted(b - a))
    if new_ours != new_theirs or ours & installed != theirs & installed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
