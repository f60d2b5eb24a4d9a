#!/usr/bin/env python3
"""A repodata.json channel's subdirs as sharded repodata (CEP 16).

    conda_shards.py SRC DST   (SRC/SUBDIR/repodata.json -> DST/SUBDIR/)

For each subdir of SRC, DST gets repodata_shards.msgpack.zst, the index
({"version": 1, "info": {"base_url", "shards_base_url": "./shards/",
"subdir"}, "shards": {name: sha256 bytes}}), and shards/SHA256.msgpack.zst,
one per package name, named by the sha256 of its compressed bytes, with
that name's records in "packages" and "packages.conda", md5 and sha256 as
bytes, as CEP 16 writes them: msgpack, then zstd. For
tests/conda_shards_test.py and bench/load-conda; needs python's msgpack and
zstandard modules (Debian's python3-msgpack and python3-zstandard).
"""
import hashlib
import json
import os
import sys

import msgpack
import zstandard


def write(src, dst):
    """DST from SRC; {subdir: {name: sha256 hex}}."""
    cctx = zstandard.ZstdCompressor(level=3)
    hashes = {}
    for subdir in sorted(os.listdir(src)):
        path = os.path.join(src, subdir, "repodata.json")
        if not os.path.isfile(path):
            continue
        with open(path) as f:
            data = json.load(f)
        shards = {}
        for section in ("packages", "packages.conda"):
            for fn, rec in data.get(section, {}).items():
                rec = dict(rec)
                for k in ("md5", "sha256"):
                    if isinstance(rec.get(k), str):
                        rec[k] = bytes.fromhex(rec[k])
                shard = shards.setdefault(rec["name"], {"packages": {}, "packages.conda": {}})
                shard[section][fn] = rec
        os.makedirs(os.path.join(dst, subdir, "shards"), exist_ok=True)
        index = {}
        for name, shard in shards.items():
            blob = cctx.compress(msgpack.packb(shard, use_bin_type=True))
            index[name] = hashlib.sha256(blob).digest()
            with open(os.path.join(dst, subdir, "shards", index[name].hex() + ".msgpack.zst"),
                      "wb") as f:
                f.write(blob)
        hashes[subdir] = {n: h.hex() for n, h in index.items()}
        doc = {"version": 1,
               "info": {"base_url": "./", "shards_base_url": "./shards/", "subdir": subdir},
               "shards": index}
        with open(os.path.join(dst, subdir, "repodata_shards.msgpack.zst"), "wb") as f:
            f.write(cctx.compress(msgpack.packb(doc, use_bin_type=True)))
    return hashes


if __name__ == "__main__":
    write(sys.argv[1], sys.argv[2])
