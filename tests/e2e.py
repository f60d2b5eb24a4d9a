"""What the end-to-end tests share: counted checks, the tests/httpd.py server
on 127.0.0.1 behind an environment, running one case of a table, and the
helpers that read a plan or write and sign a fixture."""
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

failures = []


def check(cond, what):
    """One counted check: printed ok or FAIL, remembered when it failed."""
    print("%s: %s" % ("ok" if cond else "FAIL", what))
    if not cond:
        failures.append(what)


def fail(msg):
    """Stop at the first failure, for the tests whose later steps need the
    earlier ones."""
    print("FAIL: " + msg)
    sys.exit(1)


def write(path, data):
    """PATH holding DATA (bytes or text), its directories made."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def parse(out):
    """A command's JSON output; None when it printed none."""
    try:
        return json.loads(out)
    except ValueError:
        return None


def packages(doc, depurl, whole=False):
    """{name: version} of the packages a plan chose for DEPURL; with WHOLE,
    {name: the package's JSON}."""
    for dep in (doc or {}).get("dependencies", []):
        if dep["depurl"] == depurl:
            return {p["name"]: p if whole else p.get("version")
                    for p in dep["packages"] if p.get("name")}
    return {}


def status(doc, depurl):
    """A plan's status of DEPURL; None when the plan lacks it."""
    for dep in (doc or {}).get("dependencies", []):
        if dep["depurl"] == depurl:
            return dep["status"]
    return None


def transaction(doc):
    """{name: version} of a plan's JSON transaction."""
    return {p["name"]: p["version"] for p in (doc or {}).get("transaction") or []}


def transient(name):
    """Whether a cache file is left out of a snapshot: the lock, the .solv
    caches and downloads not yet in place."""
    return name == ".lock" or name.endswith(".solv") or ".fetch" in name or ".next" in name


def digests(top, skip=transient):
    """{path under TOP: its sha256} of the files below TOP, those whose name
    SKIP is true of aside."""
    out = {}
    for dirpath, _, names in os.walk(top):
        for n in names:
            if skip(n):
                continue
            p = os.path.join(dirpath, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, top)] = hashlib.sha256(f.read()).hexdigest()
    return out


def rpmmd(top, data, revision=1726000000):
    """An rpm-md repository at TOP as createrepo lays it out: for each (KIND,
    DATA, SIZE) repodata/HASH-KIND.xml.gz (.yaml.gz for modules), and the
    repomd.xml naming them with their checksum and SIZE (None: the real
    one). Returns the first 16 hex digits of the first one's name, what
    httpd.py's faults select."""
    shutil.rmtree(top, ignore_errors=True)
    entries, first = "", None
    for kind, text, size in data:
        gz = gzip.compress(text, mtime=0)
        sha = hashlib.sha256(gz).hexdigest()
        name = "%s-%s.%s.gz" % (sha, kind, "yaml" if kind == "modules" else "xml")
        write(os.path.join(top, "repodata", name), gz)
        entries += ('  <data type="%s">\n'
                    '    <checksum type="sha256">%s</checksum>\n'
                    '    <location href="repodata/%s"/>\n'
                    '    <size>%d</size>\n'
                    '  </data>\n' % (kind, sha, name, size or len(gz)))
        first = first or sha[:16]
    write(os.path.join(top, "repodata", "repomd.xml"), (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<repomd xmlns="http://linux.duke.edu/metadata/repo">\n'
        '  <revision>%d</revision>\n%s</repomd>\n' % (revision, entries)))
    return first


def environ(cache, **more):
    """The environment of an extdeps run whose cache is under CACHE: this
    one's without CI's variables, no colour, then MORE (None unsets)."""
    e = dict(os.environ)
    e.pop("CI", None)
    e.update({"XDG_CACHE_HOME": cache, "NO_COLOR": "1"})
    for k, v in more.items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    return e


def brotli_stored(data):
    """DATA as a brotli stream (RFC 7932) of uncompressed meta-blocks: what
    any decoder reads, written without a brotli module."""
    out = bytearray()
    acc = nbits = 0

    def bits(value, n):
        nonlocal acc, nbits
        acc |= value << nbits
        nbits += n
        while nbits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            nbits -= 8

    def align():
        nonlocal acc, nbits
        if nbits:
            out.append(acc & 0xFF)
        acc = nbits = 0

    bits(0, 1)  # WBITS 16
    for at in range(0, len(data), 65536):
        chunk = data[at:at + 65536]
        bits(0, 1)                  # ISLAST
        bits(0, 2)                  # MNIBBLES: 4
        bits(len(chunk) - 1, 16)    # MLEN - 1
        bits(1, 1)                  # ISUNCOMPRESSED
        align()
        out += chunk
    bits(1, 1)  # ISLAST
    bits(1, 1)  # ISLASTEMPTY
    align()
    return bytes(out)


# the cases that sign are skipped without them
GPG, GPGV = shutil.which("gpg"), shutil.which("gpgv")


class Key:
    """A signing key of its own under TMP, and the keyring that verifies it
    (self.keyring); needs gpg."""

    def __init__(self, tmp, name):
        self.home = os.path.join(tmp, "gnupg-" + name)
        os.makedirs(self.home, mode=0o700)
        self.env = dict(os.environ, GNUPGHOME=self.home)
        self.gpg("--quick-gen-key", "%s <%s@example.org>" % (name, name), "ed25519", "sign",
                 "never")
        self.keyring = os.path.join(tmp, name + ".gpg")
        write(self.keyring, self.gpg("--export").stdout)

    def gpg(self, *args):
        return subprocess.run([GPG, "--batch", "--quiet", "--pinentry-mode", "loopback",
                               "--passphrase", ""] + list(args),
                              check=True, env=self.env, capture_output=True)

    def sign(self, release, inrelease):
        """INRELEASE: RELEASE clearsigned."""
        self.gpg("--yes", "--clearsign", "-o", inrelease, release)


class ServedEnv:
    """An environment whose files under self.www (self.tmp removed at the
    end) tests/httpd.py serves; start(OPTIONS...) sets self.url. Given
    PREFIX, a fresh temporary tree: www, cache, root (its os-release
    OS_RELEASE), and the paths of a --log and a --faults file beside them;
    run() runs EXTDEPS there."""
    proc = None
    url = None

    def __init__(self, httpd, extdeps=None, prefix=None, os_release=None):
        self.httpd = httpd
        self.extdeps = extdeps
        self.extra_env = {}
        if prefix:
            self.tmp = tempfile.mkdtemp(prefix=prefix)
            self.www = os.path.join(self.tmp, "www")
            self.cache = os.path.join(self.tmp, "cache")
            self.root = os.path.join(self.tmp, "root")
            self.log = os.path.join(self.tmp, "http.log")
            self.faults = os.path.join(self.tmp, "faults")
        if os_release:
            write(os.path.join(self.root, "etc", "os-release"), os_release)

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

    def fault(self, mode=None, name=None):
        """Serve the files whose name starts with NAME broken by httpd.py's
        fault MODE (self.faults given as --faults); none with no MODE."""
        write(self.faults, "%s %s\n" % (mode, name) if mode else "")

    def environ(self, **more):
        """The environment of a run: this tree's cache, config, home and
        root, a 2 s stall timeout, then self.extra_env and MORE (None
        unsets)."""
        e = {"XDG_STATE_HOME": None,
             "XDG_CONFIG_HOME": os.path.join(self.tmp, "config"),
             "HOME": os.path.join(self.tmp, "home"),
             "EXTDEPS_ROOT": self.root,
             "EXTDEPS_FETCH_TIMEOUT": "2"}
        e.update(self.extra_env)
        e.update(more)
        return environ(self.cache, **e)

    def run(self, *args, timeout=120, **more):
        """extdeps ARGS in this environment (MORE added to it): the exit
        status, stdout and stderr."""
        p = subprocess.run([self.extdeps] + list(args), capture_output=True, text=True,
                           env=self.environ(**more), timeout=timeout)
        return p.returncode, p.stdout, p.stderr

    def requests(self):
        """The lines of the server's --log self.log, split: method, path,
        status."""
        try:
            with open(self.log) as f:
                return [line.split() for line in f]
        except FileNotFoundError:
            return []

    def snapshot(self, sub, skip=transient):
        """digests() of the cache directory SUB."""
        return digests(os.path.join(self.cache, "extdeps", sub), skip)


def cases(*functions):
    """The table of a test's cases, by name: case_NAME_PART is "name-part"."""
    return {f.__name__[len("case_"):].replace("_", "-"): f for f in functions}


def run_case(make_env, cases, case):
    """CASES[CASE] on a fresh environment, or for "all" each case on one of
    its own; the exit status: 1 when a check failed, 77 when the one case
    run returned 77 (skipped)."""
    names = list(cases) if case == "all" else [case]
    skipped = False
    for name in names:
        if len(names) > 1:
            print("# %s" % name)
        env = make_env()
        try:
            skipped = cases[name](env) == 77
        finally:
            env.close()
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    return 77 if skipped and len(names) == 1 else 0
