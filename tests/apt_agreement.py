#!/usr/bin/env python3
"""Plans a project against this machine's real apt metadata and compares the
plan with what apt itself would do for the same explicit packages.

    apt_agreement.py EXTDEPS PROJECT [--with-recommends]
    apt_agreement.py EXTDEPS --random SEED N

Runs `extdeps plan --format=json PROJECT`, then `apt-get install -s` with the
plan's explicit packages (without recommends unless asked). Fails when apt
refuses the explicit packages, or when the sets of packages the two would
newly install, or upgrade, differ (apt upgrades the other installed binaries
of a source package along with one it must upgrade, and so does the plan).
Prints the sets' sizes and the differences.

With --random, the project is N DepURLs the registry maps on Debian, drawn
with SEED (sorted, so that a seed draws the same set from the same
registry). A DepURL whose packages conflict with ones installed here is
left out and named: apt would remove the installed package, a plan never
does.
Exits 77 (skipped) on a machine without apt or without apt lists.
"""
import atexit
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def random_project(extdeps, seed, n, drop=()):
    """A directory with a pyproject.toml of N DepURLs drawn with SEED."""
    run = subprocess.run([extdeps, "mappings", "list", "--ecosystem=debian", "--format=json"],
                         capture_output=True, text=True, check=True)
    ids = sorted(d["id"] for d in json.loads(run.stdout)["definitions"]
                 if d.get("specs") and d["id"].startswith("dep:generic/"))
    pick = sorted(i for i in random.Random(seed).sample(ids, n) if i not in drop)
    directory = tempfile.mkdtemp(prefix="agreement-")
    atexit.register(shutil.rmtree, directory, True)
    with open(os.path.join(directory, "pyproject.toml"), "w") as f:
        f.write('[project]\nname = "random-%d-%d"\nversion = "1"\n[external]\n' % (seed, n))
        f.write("host-requires = [\n%s]\n" % "".join('  "%s",\n' % i for i in pick))
    return directory


def plan_json(extdeps, project, env, recommends):
    args = [extdeps, "plan", "--format=json", project]
    if recommends:
        args.insert(2, "--with-recommends")
    run = subprocess.run(args, env=env, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        print(run.stderr)
        print(f"extdeps plan exited {run.returncode}")
        return None
    return json.loads(run.stdout)


def main():
    extdeps = sys.argv[1]
    recommends = "--with-recommends" in sys.argv[3:]
    drawn = sys.argv[2] == "--random"
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
    if drawn:
        seed, n = int(sys.argv[3]), int(sys.argv[4])
        project, dropped = random_project(extdeps, seed, n), set()
        plan = plan_json(extdeps, project, env, recommends)
        # conflicts with installed packages: those DepURLs out, at most a few rounds
        for _ in range(3):
            if not plan or not plan["problems"]:
                break
            dropped |= {u for p in plan["problems"] for u in p.get("depurls", [])}
            print("left out, in conflict with installed packages:", sorted(dropped))
            project = random_project(extdeps, seed, n, dropped)
            plan = plan_json(extdeps, project, env, recommends)
    else:
        project = sys.argv[2]
        plan = plan_json(extdeps, project, env, recommends)
    if plan is None:
        return 1
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
    label = f"random set {sys.argv[3]} of {sys.argv[4]}" if drawn else project
    print(f"{label}: explicit {len(explicit)}; new packages: extdeps {len(new_ours)}, "
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
