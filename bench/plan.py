#!/usr/bin/env python3
"""Compare `extdeps plan` with `apt-get install -s` on the same explicit
packages, on this machine's real apt metadata.

    bench/plan.py [EXTDEPS] [RUNS] [PROJECT...]
        (default build-test/extdeps, 15 runs, examples/gdal-proj and
         tests/fixtures/projects/plan-large)

For each project: the plan's explicit packages are taken from one
`extdeps plan --format=json` run; then, RUNS times each, in one run of this
script, it times
  - extdeps plan, warm: the .solv caches exist (the normal case);
  - extdeps plan, cold: a fresh cache directory every run, so the apt lists
    are parsed and the caches written;
  - apt-get install -s --no-install-recommends with the explicit packages;
  - libsolv's own parse of the same lists and one solve installing the
    explicit packages (bench/libsolv_plan.c, beside EXTDEPS): the floor a cold
    plan is held to.
Prints the median wall and CPU (user + system) time and the peak resident
memory of each, and the ratios. On a busy machine the CPU times are the ones
to compare. A figure from one run on one machine: compare ratios, not times.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


class Figure:
    """Medians of wall and CPU seconds, and the peak resident memory (KiB)."""

    def __init__(self, runs):
        self.wall = statistics.median(r[0] for r in runs)
        self.cpu = statistics.median(r[1] for r in runs)
        self.rss = max(r[2] for r in runs)

    def line(self, label):
        return (f"  {label:<27}{self.wall * 1000:8.1f} ms wall {self.cpu * 1000:8.1f} ms CPU"
                f"  {self.rss / 1024:6.1f} MB")


def run_once(argv, env):
    t0 = time.monotonic()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"bench/plan.py: {' '.join(argv[:3])} ... exited {code}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def measure(argv, env, runs):
    return Figure([run_once(argv, env) for _ in range(runs)])


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    extdeps = sys.argv[1] if len(sys.argv) > 1 else "build-test/extdeps"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    projects = sys.argv[3:] or ["examples/gdal-proj", "tests/fixtures/projects/plan-large"]
    if not shutil.which("apt-get") or not os.path.exists("/var/lib/apt/lists"):
        print("bench/plan.py: needs apt-get and apt lists")
        return 77
    cache = tempfile.mkdtemp()
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    env.pop("EXTDEPS_ROOT", None)
    apt_env = {"PATH": os.environ["PATH"], "LC_ALL": "C"}
    floor_driver = os.path.join(os.path.dirname(extdeps), "bench", "libsolv_plan")
    try:
        for project in projects:
            plan = json.loads(subprocess.run([extdeps, "plan", "--format=json", project], env=env,
                                             capture_output=True, text=True).stdout)
            explicit = [e["name"] for e in plan["explicit"]]
            if not explicit:
                print(f"{project}: nothing to install here; skipped")
                continue
            argv = [extdeps, "plan", "-q", project]
            warm = measure(argv, env, runs)
            # cold plans and libsolv's floor alternate, so that a busy
            # moment of the machine weighs on both alike
            cold_runs, floor_runs = [], []
            for _ in range(runs):
                fresh = tempfile.mkdtemp()
                cold_runs.append(run_once(argv, dict(env, XDG_CACHE_HOME=fresh)))
                shutil.rmtree(fresh)
                if os.access(floor_driver, os.X_OK):
                    floor_runs.append(run_once([floor_driver] + explicit, env))
            cold = Figure(cold_runs)
            apt = measure(["apt-get", "install", "-s", "-q", "--no-install-recommends"]
                          + explicit, apt_env, runs)
            print(f"{project}: {len(explicit)} explicit packages, "
                  f"{len(plan['transaction'])} in the transaction; medians of {runs} runs "
                  f"(cold and libsolv alternating)")
            print(warm.line("extdeps plan, warm cache"))
            print(cold.line("extdeps plan, cold cache"))
            print(apt.line("apt-get install -s"))
            print(f"  apt / extdeps warm: {apt.wall / warm.wall:.1f}x faster "
                  f"({apt.cpu / warm.cpu:.1f}x in CPU); cold: {apt.wall / cold.wall:.1f}x; "
                  f"peak memory {warm.rss / apt.rss:.2f} of apt's")
            if floor_runs:
                floor = Figure(floor_runs)
                print(floor.line("libsolv parse + solve"))
                print(f"  extdeps cold / libsolv: {cold.wall / floor.wall:.2f}x in wall time, "
                      f"{cold.cpu / floor.cpu:.2f}x in CPU")
    finally:
        shutil.rmtree(cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
