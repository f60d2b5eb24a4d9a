#!/usr/bin/env python3
"""`extdeps install --simulate` end to end, with the real apt-get on this
machine's real metadata.

    install_simulate.py EXTDEPS PROJECT

Runs `extdeps install --simulate PROJECT` as a non-root user would
(EXTDEPS_TEST_EUID=1000: --simulate needs no root and no sudo). Checks that
install ran `apt-get install -s` once with the explicit packages of its
summary, that apt's output came through, that apt would install every one of
them, and that apt would newly install as many packages as the summary's
transaction says (which ones is tests/apt_agreement.py's question); when
the plan is incomplete or empty, that install refuses (exit 1) or says there
is nothing to do (exit 0) without running apt-get. Exits 77 (skipped) on a machine without
apt or without apt lists.
"""
import glob
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
    run = subprocess.run([extdeps, "install", "--simulate", project], env=env,
                         stdin=subprocess.DEVNULL, capture_output=True, text=True)
    print(run.stdout, run.stderr, sep="")
    lines = run.stdout.splitlines()
    commands = [line for line in lines if line.startswith("running: ")]
    if run.returncode == 1:
        ok = "not installing" in run.stderr and not commands
        print("incomplete plan:", "refused" if ok else "NOT refused as it should be")
        return 0 if ok else 1
    if run.returncode == 0 and "nothing to install" in run.stdout:
        print("empty plan:", "nothing run" if not commands else "WRONG: something ran")
        return 0 if not commands else 1
    if run.returncode != 0:
        print(f"extdeps install --simulate exited {run.returncode}")
        return 1
    # "debian 12 (amd64): 2 packages to ask for: a b=1.0" and "transaction: 3 new, ..."
    asked = [line for line in lines if " to ask for: " in line]
    counts = [line for line in lines if line.startswith("transaction: ")]
    if len(asked) != 1 or len(counts) != 1:
        print("no plan summary")
        return 1
    explicit = asked[0].split(" to ask for: ", 1)[1].split()
    new = int(counts[0].split()[1])
    command = ("running: DEBIAN_FRONTEND=noninteractive apt-get install -y "
               "--no-install-recommends -s ")
    if len(commands) != 1 or not commands[0].startswith(command) or \
            commands[0][len(command):].replace("'", "").split() != explicit:
        print("expected one command:", command + " ".join(explicit))
        return 1
    theirs = {line.split()[1] for line in lines if line.startswith("Inst ")}
    if not theirs:
        print("apt-get's simulation did not come through")
        return 1
    installed = installed_packages()
    missing = {spec.split("=")[0] for spec in explicit} - theirs
    print(f"{project}: explicit {len(explicit)}; new packages: plan {new}, "
          f"apt {len(theirs - installed)}")
    if missing or new != len(theirs - installed):
        print("explicit packages apt would not install:", sorted(missing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
