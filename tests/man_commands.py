#!/usr/bin/env python3
"""Every command of the command table (as `extdeps --help` lists it) has its
page, and extdeps(1) names it in COMMANDS and in SEE ALSO; every format a
command accepts (its --help) is in its page.

    man_commands.py EXTDEPS MANDIR
"""
import re
import subprocess
import sys


def section(text, title):
    m = re.search(r"^# " + title + r"\n(.*?)(?=^# |\Z)", text, re.S | re.M)
    return m.group(1) if m else ""


def main():
    extdeps, mandir = sys.argv[1], sys.argv[2]
    out = subprocess.run([extdeps, "--help"], capture_output=True, text=True, check=True).stdout
    cmds = re.findall(r"^  ([a-z]+) ", section(out.replace("commands:", "# COMMANDS"), "COMMANDS"), re.M)
    cmds = [c for c in cmds if c != "help"]
    assert len(cmds) > 5, out
    main_page = open(f"{mandir}/extdeps.1.scd").read()
    listed, see_also = section(main_page, "COMMANDS"), section(main_page, "SEE ALSO")
    bad = []
    for c in cmds:
        if not re.search(r"^\*" + c + r"\*", listed, re.M):
            bad.append(f"extdeps(1) COMMANDS lacks {c}")
        if f"*extdeps-{c}*(1)" not in see_also:
            bad.append(f"extdeps(1) SEE ALSO lacks extdeps-{c}(1)")
        try:
            page = open(f"{mandir}/extdeps-{c}.1.scd").read()
        except OSError:
            bad.append(f"no page extdeps-{c}.1.scd")
            continue
        help_ = subprocess.run([extdeps, c, "--help"], capture_output=True, text=True).stdout
        m = re.search(r"^formats:(.*)$", help_, re.M)
        for fmt in (m.group(1).replace("(default)", "").split() if m else []):
            if not re.search(r"\b" + re.escape(fmt) + r"\b", section(page, "SYNOPSIS") + section(page, "OPTIONS")):
                bad.append(f"extdeps-{c}(1) does not document --format={fmt}")
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
