#!/usr/bin/env python3
"""Growth: an input ten times larger must not cost more than about twenty
times the time (linear with room for noise; a quadratic step costs a
hundred times).

    growth_test.py EXTDEPS CASE

Each case writes its input at N and 10 N items into a temporary directory,
runs extdeps on both (the best of three runs each, minus the cost of a run
on a one-item input), and fails when the larger costs more than LIMIT times
the smaller in three measurements in a row (a busy machine slows one; a
quadratic step stays over the limit). Costs are the CPU time the runs take
(user and system), measured here, on this machine, under whatever build
runs the test (a sanitizer's too): only their ratio is judged, never a
target, and a larger input that takes under FLOOR seconds passes whatever
the ratio.
"""
import os
import resource
import shutil
import subprocess
import sys
import tempfile

EXTDEPS, CASE = sys.argv[1:3]
LIMIT = 20.0
FLOOR = 0.15
HEAD = '[project]\nname = "growth"\nversion = "1"\n'


def project_toml(body):
    return {"pyproject.toml": HEAD + body}


def metadata(lines):
    return {"METADATA": "Metadata-Version: 2.5\nName: growth\nVersion: 1\n" + lines}


# Each case: N, a function of n giving the files to write, and the
# command's arguments after "extdeps" (DIR is the input's directory).
CASES = {
    # PEP 725 optional dependencies: one extra per entry
    "extras": (20000, lambda n: project_toml(
        "[external.optional-dependencies]\n" +
        "".join('e%d = ["dep:generic/zlib"]\n' % i for i in range(n))),
        ["show", "--all-extras", "DIR"]),
    # Core Metadata: Provides-External-Extra and a dependency for each
    "metadata-extras": (20000, lambda n: metadata(
        "".join("Provides-External-Extra: e%d\n" % i for i in range(n)) +
        "".join('Requires-External-Dep: dep:generic/zlib; extra == "e%d"\n' % i
                for i in range(n))),
        ["show", "--all-extras", "DIR/METADATA"]),
    # extras in markers that are not split off: `extra == "x" or ...`
    "extra-markers": (10000, lambda n: metadata(
        "".join("Provides-External-Extra: e%d\n" % i for i in range(n)) +
        "".join('Requires-External-Dep: dep:generic/zlib; extra == "e%d" or extra == "f"\n' % i
                for i in range(n))),
        ["show", "--all-extras", "DIR/METADATA"]),
    # PEP 735 groups, each including the next: a chain as long as the file
    "groups": (10000, lambda n: project_toml(
        "[external.dependency-groups]\n" +
        "".join('g%d = ["dep:generic/zlib"%s]\n' % (i, ', {include-group = "g%d"}' % (i + 1)
                                                   if i + 1 < n else "") for i in range(n))),
        ["show", "--group=g0", "DIR"]),
    # PEP 735 groups that share one: g0 includes every other, and each of
    # those includes "base" (what one include-group already took is not
    # taken, nor checked, again)
    "groups-shared": (10000, lambda n: project_toml(
        '[external.dependency-groups]\nbase = ["dep:generic/zlib"]\ng0 = [' +
        ", ".join('{include-group = "g%d"}' % i for i in range(1, n + 1)) + ']\n' +
        "".join('g%d = [{include-group = "base"}, "dep:generic/z%d"]\n' % (i, i)
                for i in range(1, n + 1))),
        ["show", "--group=g0", "DIR"]),
    # many dependencies, mapped for a target
    "dependencies": (20000, lambda n: project_toml(
        '[external]\ndependencies = [\n' +
        "".join('  "dep:generic/zlib@>=%d",\n' % i for i in range(n)) + "]\n"),
        ["map", "--distro=debian:12", "DIR"]),
    # TOML: keys of one table, and tables
    "toml-keys": (100000, lambda n: project_toml(
        "[tool.growth]\n" + "".join("k%d = %d\n" % (i, i) for i in range(n)) +
        '[external]\ndependencies = ["dep:generic/zlib"]\n'),
        ["show", "DIR"]),
    "toml-tables": (40000, lambda n: project_toml(
        "".join("[tool.t%d]\na = 1\n" % i for i in range(n)) +
        '[external]\ndependencies = ["dep:generic/zlib"]\n'),
        ["show", "DIR"]),
    # DepURL qualifiers
    "qualifiers": (150000, lambda n: project_toml(
        '[external]\ndependencies = ["dep:generic/zlib?' +
        "&".join("k%d=v" % i for i in range(n)) + '"]\n'),
        ["show", "DIR"]),
    # mapping files: definitions and an ecosystem's mappings, written in
    # descending order (each entry sorts before those already read)
    "mapping-entries": (10000, lambda n: {
        "m/registry.yaml": "schema: 1\ndependencies:\n" + "".join(
            "  dep:generic/growth-%07d:\n    description: entry %d\n" % (i, i)
            for i in reversed(range(n))),
        "m/nixpkgs.yaml": "schema: 1\necosystem: nixpkgs\nmappings:\n" + "".join(
            "  dep:generic/growth-%07d:\n    specs: [growth%d]\n" % (i, i)
            for i in reversed(range(n)))},
        ["mappings", "--mappings=DIR/m", "validate", "-q"]),
    # mapping files nested deeper than their limit: refused at the limit,
    # whatever the depth
    "mapping-depth": (10000, lambda n: {"m/registry.yaml":
        "schema: 1\ndependencies:\n  dep:generic/x:\n    description: " + "[" * n + "]" * n + "\n"},
        ["mappings", "--mappings=DIR/m", "validate", "-q"]),
}


def cpu_of_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_once(argv):
    """The CPU time (user and system) of one run: what the machine's other
    work does not change, as wall-clock time on a shared machine is."""
    t0 = cpu_of_children()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    return cpu_of_children() - t0


def best(argv, runs=3):
    return min(run_once(argv) for _ in range(runs))


def prepare(top, name, files):
    d = os.path.join(top, name)
    for rel, text in files.items():
        path = os.path.join(d, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    return d


def main():
    n, make, args = CASES[CASE]
    top = tempfile.mkdtemp(prefix="extdeps-growth-")
    env_keep = dict(os.environ)
    try:
        os.environ["XDG_CACHE_HOME"] = os.path.join(top, "cache")
        os.environ["XDG_CONFIG_HOME"] = os.path.join(top, "config")
        # glibc's MALLOC_PERTURB_ (meson test sets it) fills every freed
        # chunk, and a realloc that splits a large free chunk frees its
        # whole rest: a cost of the debugging aid, not of extdeps
        os.environ.pop("MALLOC_PERTURB_", None)
        argvs = {}
        for size in (0, n, 10 * n):
            d = prepare(top, str(size), make(size) if size else make(1))
            argvs[size] = [EXTDEPS] + [a.replace("DIR", d) for a in args]
        # A busy machine can slow one measurement: a ratio over the limit is
        # measured again, twice at most. A quadratic step stays over it.
        for attempt in range(3):
            times = {size: best(argv) for size, argv in argvs.items()}
            base = times[0]
            small = max(times[n] - base, 0.001)
            large = max(times[10 * n] - base, 0.0)
            ratio = large / small
            print("figure: %s: n=%d %.3f s, 10n %.3f s (empty %.3f s): x%.1f" %
                  (CASE, n, times[n], times[10 * n], base, ratio))
            if times[10 * n] < FLOOR:
                print("ok: the larger input took under %.2f s of CPU time" % FLOOR)
                return 0
            if ratio <= LIMIT:
                print("ok: within x%.0f" % LIMIT)
                return 0
        print("FAIL: ten times the input costs %.1f times the time (limit %.0f)" % (ratio, LIMIT))
        return 1
    finally:
        os.environ.clear()
        os.environ.update(env_keep)
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
