#!/usr/bin/env python3
"""The build's snapshot tool (tools/snapshot.c) on mapping files with errors:
it fails, names FILE:LINE:COL as the registry's loader does, and leaves no
output behind; on good files it writes the C file.

    snapshot_errors.py SNAPSHOT FIXTURES_MAPPINGS
"""
import os
import subprocess
import sys
import tempfile

snapshot, maps = sys.argv[1], sys.argv[2]
good = os.path.join(maps, 'good')
cases = [
    # (files, the message expected on stderr)
    ([os.path.join(maps, 'bad', 'unknown-key', 'registry.yaml')],
     "mappings/registry.yaml:4:5: error: unknown key 'descripton' in a dependency; "
     "did you mean 'description'?"),
    # an error across files, found by registry_check()
    ([os.path.join(good, 'registry.yaml'), 'TMP/debian.yaml'],
     "mappings/debian.yaml:7:3: error: unknown DepURL 'dep:generic/openblaz' in mappings; "
     "did you mean 'dep:generic/openblas'?"),
]
failed = 0
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, 'out.c')
    with open(os.path.join(tmp, 'debian.yaml'), 'w') as f:
        f.write('schema: 1\necosystem: debian\nname: Debian\n'
                'package_manager: {name: apt-get, install: [apt-get, install], needs_root: true}\n'
                'mappings:\n'
                '  dep:generic/openblas: {specs: [libopenblas-dev]}\n'
                '  dep:generic/openblaz: {specs: [libopenblas-dev]}\n')
    for files, want in cases:
        files = [f.replace('TMP', tmp) for f in files]
        # registry.yaml is read first whatever the order given
        r = subprocess.run([snapshot, out] + files[::-1], capture_output=True, text=True)
        if r.returncode == 0 or want not in r.stderr or os.path.exists(out):
            print(f'FAIL {files}: rc {r.returncode}, stderr {r.stderr!r}')
            failed += 1
    files = [os.path.join(good, f) for f in sorted(os.listdir(good))]
    r = subprocess.run([snapshot, out] + files, capture_output=True, text=True)
    text = open(out).read() if os.path.exists(out) else ''
    if r.returncode != 0 or 'reg_snap_words' not in text or '"mappings/debian.yaml' not in text:
        print(f'FAIL good: rc {r.returncode}, stderr {r.stderr!r}')
        failed += 1
sys.exit(1 if failed else 0)
