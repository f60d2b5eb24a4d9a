#!/usr/bin/env python3
"""Completion in the real shells: each case types a command line into bash,
zsh or fish with `extdeps completion SHELL` loaded, presses TAB and compares
what the shell offers with what the command table says.

    completion_test.py SHELL BINDIR SRCDIR

BINDIR holds the extdeps to complete for (put first on PATH). Exit 77
(skipped) when SHELL is not installed.
"""
import os
import shutil
import subprocess
import sys

# (line typed, candidates that must be offered, candidates that must not);
# whole words, as the line would read once a candidate is taken
CASES = [
    ("extdeps pl", {"plan", "platform"}, {"show"}),
    ("extdeps check --format=", {"--format=text", "--format=json", "--format=github", "--format=junit"}, {"--format=sh"}),
    ("extdeps plan --format=", {"--format=sh", "--format=nix", "--format=json"}, {"--format=github"}),
    ("extdeps plan --distro=deb", {"--distro=debian", "--distro=debian:12", "--distro=debian:bookworm"}, {"--distro=fedora"}),
    ("extdeps map --distro conda", {"conda-forge"}, {"debian"}),
    ("extdeps check --", {"--no-gpu", "--format=", "--stage="}, {"--distro=", "--arch=", "--mirror="}),
    ("extdeps plan --", {"--distro=", "--arch=", "--explain="}, set()),
    ("extdeps show --stage=build,", {"--stage=build,host", "--stage=build,run"}, {"--stage=build,build"}),
    ("extdeps --arch=aarch", {"--arch=aarch64"}, set()),
    ("extdeps mappings ", {"list", "show", "which", "validate", "coverage", "export"}, set()),
    ("extdeps mappings show dep:generic/zli", {"dep:generic/zlib"}, set()),
    ("extdeps completion ", {"bash", "zsh", "fish"}, set()),
    ("extdeps --color=", {"--color=auto", "--color=always", "--color=never"}, set()),
    # paths: the shell's own completion, after an option's '=' too
    ("extdeps show tests/fixtures/projects/bad/depu", {"tests/fixtures/projects/bad/depurl.toml"}, set()),
    ("extdeps --mappings=tests/fixtures/mappings/ba", {"--mappings=tests/fixtures/mappings/bad/"}, set()),
]


def offered(want, got):
    """WANT among GOT; a path also when only its last part is (zsh offers
    the file names of a directory), a directory with or without its '/'."""
    names = {g.rstrip("/") for g in got}
    return want.rstrip("/") in names or ("/" in want and os.path.basename(want.rstrip("/")) in names)

SHELL_ENV = {"HOME": None, "TERM": "dumb", "LC_ALL": "C.UTF-8"}


def bash(line, env):
    # the function reads COMP_LINE and COMP_POINT, as bash sets them on TAB
    script = ('source <(extdeps completion bash)\n'
              'COMP_LINE=$1; COMP_POINT=${#1}\n'
              'COMP_WORDS=($1); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n'
              '_extdeps 2>/dev/null\n'
              'printf "%s\\n" "${COMPREPLY[@]}"\n')
    out = subprocess.run(["bash", "--norc", "--noprofile", "-c", script, "bash", line],
                         capture_output=True, text=True, env=env, timeout=60).stdout
    # bash puts back the part of the word before its last '=' or ':'
    word = line.split(" ")[-1]
    keep = word[:max(word.rfind("="), word.rfind(":")) + 1]
    return {keep + c for c in out.splitlines() if c}


def zsh(line, env, here):
    out = subprocess.run(["zsh", "-f", os.path.join(here, "completion_zsh.zsh"), line],
                         capture_output=True, text=True, env=env, timeout=60).stdout
    return {c for c in out.splitlines() if c}


def fish(line, env):
    script = "extdeps completion fish | source; complete -C " + "'" + line.replace("'", "\\'") + "'"
    out = subprocess.run(["fish", "--no-config", "-c", script],
                         capture_output=True, text=True, env=env, timeout=60).stdout
    return {c.split("\t")[0] for c in out.splitlines() if c}


def main():
    shell, bindir, srcdir = sys.argv[1], sys.argv[2], sys.argv[3]
    if not shutil.which(shell):
        print(f"{shell} is not installed: skipped")
        return 77
    here = os.path.dirname(os.path.abspath(__file__))
    home = os.path.join(bindir, "completion-home-" + shell)
    os.makedirs(home, exist_ok=True)
    env = {"PATH": bindir + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
           "XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home, "TERM": "dumb", "LC_ALL": "C.UTF-8"}
    os.chdir(srcdir)
    failed = 0
    for line, want, unwanted in CASES:
        got = zsh(line, env, here) if shell == "zsh" else bash(line, env) if shell == "bash" else fish(line, env)
        missing, extra = {w for w in want if not offered(w, got)}, unwanted & got
        if missing or extra:
            failed += 1
            print(f"FAIL {shell}: {line!r}: missing {sorted(missing)}, unexpected {sorted(extra)}; got {sorted(got)}")
        else:
            print(f"ok   {shell}: {line!r}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
