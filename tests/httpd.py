#!/usr/bin/env python3
"""A small HTTP server for download tests, on 127.0.0.1 at a free port.

    httpd.py ROOT [--log FILE] [--faults FILE]

Prints the port on the first line of stdout, then serves the files under
ROOT with ETag and Last-Modified, answering conditional requests with 304.

Faults are chosen by the URL: leading path segments "f:MODE:NAME" apply
MODE to every file whose base name starts with NAME, and are removed before
the rest of the path is looked up under ROOT. So a test points the client
at http://127.0.0.1:PORT/f:truncate:Packages/repo to break the Packages
files of the repository served from ROOT/repo. With --faults, the lines
"MODE NAME" of FILE (read anew for every request; absent or empty: none)
apply too, so that a test can break a mirror without changing its URL,
which conditional requests are tied to. Modes:

    truncate     announce the full Content-Length, send half the body, close
    corrupt      send the right length with one byte changed
    corruptonce  the first 200 answer for each path: a NUL in the middle of
                 the body, with the file's own ETag and Last-Modified; then
                 the file
    garbage      the file's status and validators, a body that is no format
    404          answer 404 Not Found
    500once      answer 503 to the first request for each path, then serve
    stall        send the headers, then nothing for 60 s
    drip         send the headers, then the body 2 bytes a second
    huge         announce a Content-Length of 1 TiB, send the body, close
    flood        no Content-Length: zeros until the client hangs up
    zeros        a Content-Length of 1 GiB, and that many zeros
    noetag       serve without ETag and Last-Modified

Every request is logged to FILE (when given) as "METHOD PATH STATUS".
"""
import argparse
import email.utils
import hashlib
import http.server
import os
import sys
import threading
import time
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "testhttpd"
    seen = set()
    corrupted = set()
    lock = threading.Lock()

    def log_message(self, fmt, *args):
        pass

    def record(self, status):
        log = self.server.log_path
        if log:
            with self.lock, open(log, "a") as f:
                f.write("%s %s %d\n" % (self.command, self.path, status))

    def plain(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.record(status)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        parts = [p for p in path.split("/") if p]
        faults = []
        while parts and parts[0].startswith("f:"):
            bits = parts.pop(0).split(":", 2)
            if len(bits) == 3:
                faults.append((bits[1], bits[2]))
        rel = "/".join(parts)
        base = parts[-1] if parts else ""
        faults += self.file_faults()
        modes = {m for m, name in faults if base.startswith(name)}
        full = os.path.realpath(os.path.join(self.server.root, rel))
        if not full.startswith(self.server.root + os.sep) or not os.path.isfile(full):
            return self.plain(404, "not found\n")
        if "404" in modes:
            return self.plain(404, "not found\n")
        if "500once" in modes:
            with self.lock:
                first = self.path not in self.seen
                self.seen.add(self.path)
            if first:
                return self.plain(503, "try again\n")
        with open(full, "rb") as f:
            body = f.read()
        st = os.stat(full)
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        modified = email.utils.formatdate(int(st.st_mtime), usegmt=True)
        validators = "noetag" not in modes
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if validators and ((inm and inm == etag) or (not inm and ims == modified)):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            self.record(304)
            return
        if "corrupt" in modes and body:
            body = bytes([body[0] ^ 0x20]) + body[1:]
        if "corruptonce" in modes and body:
            with self.lock:
                first = self.path not in self.corrupted
                self.corrupted.add(self.path)
            if first:
                # a NUL in the middle: no text format takes it, no signature
                # or checksum survives it
                at = len(body) // 2
                body = body[:at] + (b"\xff" if body[at] == 0 else b"\0") + body[at + 1:]
        if "garbage" in modes:
            body = b"<html><body>this is not the file you asked for</body></html>\n" * 8
        if "flood" in modes:
            return self.flood()
        if "zeros" in modes:
            return self.flood(1 << 30)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(1 << 40 if "huge" in modes else len(body)))
        if validators:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
        self.end_headers()
        self.record(200)
        if self.command == "HEAD":
            return
        if "stall" in modes:
            self.wfile.flush()
            time.sleep(60)
            return
        if "drip" in modes:
            self.wfile.flush()
            try:
                for at in range(0, len(body), 2):
                    self.wfile.write(body[at:at + 2])
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass
            self.close_connection = True
            return
        if "truncate" in modes or "huge" in modes:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


def file_faults(self):
    path = self.server.faults_path
    try:
        with open(path) as f:
            return [tuple(l.split()[:2]) for l in f if len(l.split()) >= 2]
    except (TypeError, OSError):
        return []


def flood(self, length=None):
    """Zeros until the client hangs up: LENGTH of them, announced, or
    without a length, for ever."""
    self.send_response(200)
    self.send_header("Content-Type", "application/octet-stream")
    if length is not None:
        self.send_header("Content-Length", str(length))
    self.send_header("Connection", "close")
    self.end_headers()
    self.record(200)
    self.close_connection = True
    chunk = bytes(1 << 20)
    sent = 0
    try:
        while length is None or sent < length:
            self.wfile.write(chunk)
            sent += len(chunk)
    except OSError:
        pass


Handler.file_faults = file_faults
Handler.flood = flood


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--log")
    ap.add_argument("--faults")
    args = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.root = os.path.realpath(args.root)
    srv.log_path = args.log
    srv.faults_path = args.faults
    print(srv.server_address[1], flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
