#!/usr/bin/env python3
"""The tests of a kind, found by their file names (tests/meson.build).

  find_tests.py DIR unit      the unit test names (unit/test_NAME.c -> NAME)
  find_tests.py DIR cli       the golden test names (cli/NAME.test -> NAME)
  find_tests.py DIR --check unit=A,B cli=C,D
                              exit 1, naming them, when files exist that the
                              lists meson configured with do not hold
"""
import os
import sys

KINDS = {"unit": ("unit", "test_", ".c"), "cli": ("cli", "", ".test")}


def find(root, kind):
    sub, prefix, suffix = KINDS[kind]
    names = []
    for f in os.listdir(os.path.join(root, sub)):
        if f.startswith(prefix) and f.endswith(suffix):
            names.append(f[len(prefix):len(f) - len(suffix)])
    return sorted(names)


def main(argv):
    root = argv[1]
    if argv[2] != "--check":
        print("\n".join(find(root, argv[2])))
        return 0
    missing = []
    for arg in argv[3:]:
        kind, _, listed = arg.partition("=")
        known = set(filter(None, listed.split(",")))
        sub, prefix, suffix = KINDS[kind]
        missing += [os.path.join("tests", sub, prefix + n + suffix)
                    for n in find(root, kind) if n not in known]
    for m in missing:
        print(f"{m}: not registered with meson; run 'meson setup --reconfigure BUILDDIR'")
    print(f"{len(missing)} test files not registered")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
