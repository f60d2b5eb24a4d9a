"""What the end-to-end tests of a backend share: counted checks, the
tests/httpd.py server on 127.0.0.1 behind an environment, and running one
case of a table."""
import shutil
import subprocess
import sys

failures = []


def check(cond, what):
    print("%s: %s" % ("ok" if cond else "FAIL", what))
    if not cond:
        failures.append(what)


def transaction(doc):
    """{name: version} of a plan's JSON transaction."""
    return {p["name"]: p["version"] for p in (doc or {}).get("transaction") or []}


class ServedEnv:
    """An environment whose files under self.www (self.tmp removed at the
    end) tests/httpd.py serves; start(OPTIONS...) sets self.url."""
    proc = None
    url = None

    def __init__(self, httpd):
        self.httpd = httpd

    def start(self, *options):
        self.proc = subprocess.Popen([sys.executable, self.httpd, self.www] + list(options),
                                     stdout=subprocess.PIPE, text=True)
        self.url = "http://127.0.0.1:%d" % int(self.proc.stdout.readline())

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None

    def close(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def run_case(make_env, cases, case):
    """CASES[CASE] on a fresh environment; the exit status."""
    env = make_env()
    try:
        cases[case](env)
    finally:
        env.close()
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    return 0
