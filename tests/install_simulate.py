#!/usr/bin/env python3
"""`extdeps install --simulate` end to end, with the real apt-get on this
machine's real metadata.

    install_simulate.py EXTDEPS PROJECT

Runs `extdeps plan --format=json PROJECT`, then `extdeps install --simulate
PROJECT` as a non-root user would (EXTDEPS_TEST_EUID=1000: --simulate needs
no root and no sudo). Checks that install ran `apt-get install -s` once with
the plan's explicit packages, that apt's output came through, and that the
packages apt would newly install are the plan's; when the plan is incomplete
or empty, that install refuses (exit 1) or says there is nothing to do
(exit 0) without running apt-get. Exits 77 (skipped) on a machine without
apt or without apt lists.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def installed_packages():
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\t${db:Status-Abbrev}\n"],
                         capture_output=True, text=True).stdout
    return {line.split("\t")[0] for line in out.splitlines() if "\tii" in line}


def main():
    extdeps, project = sys.argv[1], sys.argv[2]
    if not shutil.which("apt-get") or not os.path.exists("/var/lib/dpkg/status"):
        print("no apt on this machine")
        return SKIP
    if not glob.glob("/var/lib/apt/lists/*_Packages*"):
        print("no apt lists on this machine (run apt-get update)")
        return SKIP
    env = dict(os.environ)
    env.pop("EXTDEPS_ROOT", None)
    env["LC_ALL"] = "C"
    env["NO_COLOR"] = "1"
    env["EXTDEPS_TEST_EUID"] = "1000"
    env["XDG_CACHE_HOME"] = os.environ.get("EXTDEPS_AGREEMENT_CACHE") or tempfile.mkdtemp()
    plan_run = subprocess.run([extdeps, "plan", "--format=json", project], env=env,
                              capture_output=True, text=True)
    if plan_run.returncode not in (0, 1):
        print(plan_run.stderr)
        print(f"extdeps plan exited {plan_run.returncode}")
        return 1
    plan = json.loads(plan_run.stdout)
    run = subprocess.run([extdeps, "install", "--simulate", project], env=env,
                         stdin=subprocess.DEVNULL, capture_output=True, text=True)
    print(run.stdout, run.stderr, sep="")
    if plan_run.returncode == 1:
        ok = run.returncode == 1 and "not installing" in run.stderr and "Inst " not in run.stdout
        print("incomplete plan:", "refused" if ok else "NOT refused as it should be")
        return 0 if ok else 1
    if not plan["explicit"]:
        ok = run.returncode == 0 and "nothing to install" in run.stdout and "running:" not in run.stdout
        print("empty plan:", "nothing run" if ok else "WRONG")
        return 0 if ok else 1
    if run.returncode != 0:
        print(f"extdeps install --simulate exited {run.returncode}")
        return 1
    explicit = [e["name"] + ("=" + e["version"] if e["version"] else "") for e in plan["explicit"]]
    command = ("running: DEBIAN_FRONTEND=noninteractive apt-get install -y "
               "--no-install-recommends -s ")
    commands = [line for line in run.stdout.splitlines() if line.startswith("running: ")]
    if len(commands) != 1 or not commands[0].startswith(command) or \
            commands[0][len(command):].replace("'", "").split() != explicit:
        print("expected one command:", command + " ".join(explicit))
        return 1
    theirs = {line.split()[1] for line in run.stdout.splitlines() if line.startswith("Inst ")}
    if not theirs:
        print("apt-get's simulation did not come through")
        return 1
    installed = installed_packages()
    ours = {s["name"] for s in plan["transaction"] if s["action"] == "install"} - installed
    missing = set(explicit_name.split("=")[0] for explicit_name in explicit) - theirs
    print(f"{project}: explicit {len(explicit)}; new packages: plan {len(ours)}, "
          f"apt {len(theirs - installed)}")
    if missing or ours != theirs - installed:
        print("explicit packages apt would not install:", sorted(missing))
        print("new, only in the plan:", sorted(ours - theirs))
        print("new, only in apt's simulation:", sorted(theirs - installed - ours))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
