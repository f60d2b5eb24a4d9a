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
  - apt-get install -s --no-install-recommends with the explicit packages.
Prints the median wall time and the peak resident memory of each, and the
ratios. A figure from one run on one machine: compare ratios, not times.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def measure(argv, env, runs):
    times, peak = [], 0
    for _ in range(runs):
        t0 = time.monotonic()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.monotonic() - t0)
        peak = max(peak, usage.ru_maxrss)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            sys.exit(f"bench/plan.py: {' '.join(argv[:3])} ... exited {code}")
    return statistics.median(times), peak


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
    try:
        for project in projects:
            plan = json.loads(subprocess.run([extdeps, "plan", "--format=json", project], env=env,
                                             capture_output=True, text=True).stdout)
            explicit = [e["name"] for e in plan["explicit"]]
            if not explicit:
                print(f"{project}: nothing to install here; skipped")
                continue
            argv = [extdeps, "plan", "-q", project]
            warm, warm_rss = measure(argv, env, runs)
            cold_runs = []
            for _ in range(max(3, runs // 5)):
                fresh = tempfile.mkdtemp()
                cold_runs.append(measure(argv, dict(env, XDG_CACHE_HOME=fresh), 1))
                shutil.rmtree(fresh)
            cold = statistics.median(t for t, _ in cold_runs)
            cold_rss = max(r for _, r in cold_runs)
            apt, apt_rss = measure(["apt-get", "install", "-s", "-q", "--no-install-recommends"]
                                   + explicit, apt_env, runs)
            print(f"{project}: {len(explicit)} explicit packages, "
                  f"{len(plan['transaction'])} in the transaction; medians of {runs} runs")
            print(f"  extdeps plan, warm cache   {warm * 1000:8.1f} ms  {warm_rss / 1024:6.1f} MB")
            print(f"  extdeps plan, cold cache   {cold * 1000:8.1f} ms  {cold_rss / 1024:6.1f} MB")
            print(f"  apt-get install -s         {apt * 1000:8.1f} ms  {apt_rss / 1024:6.1f} MB")
            print(f"  apt / extdeps warm: {apt / warm:.1f}x faster; cold: {apt / cold:.1f}x; "
                  f"peak memory {warm_rss / apt_rss:.2f} of apt's")
    finally:
        shutil.rmtree(cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
