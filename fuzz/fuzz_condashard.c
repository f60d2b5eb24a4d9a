/* libFuzzer target: conda's sharded repodata (CEP 16) as a channel serves
 * it, loaded by the conda backend from a directory channel. The first byte
 * picks what the rest is: bit 0 clear, the subdir's shard index
 * (repodata_shards.msgpack.zst); set, the one shard of a package "pkg",
 * under an index made here that names it by its hash. Bit 1 set: the rest
 * is the file as it lies (zstd, as served); clear: it is msgpack, zstd
 * compressed here, so that the fuzzer reaches the msgpack readers. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <msgpack.h>
#include <solv/chksum.h>
#include <solv/knownid.h>
#include <solv/pool.h>
#include <zstd.h>

#include "extdeps/eco/backends.h"
#include "extdeps/eco/eco.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], subdir[96], shards[128];

static void put(const char *path, const void *buf, size_t len, bool compress)
{
	void *z = NULL;
	FILE *f;

	if (compress) {
		size_t cap = ZSTD_compressBound(len), n;

		if (!(z = malloc(cap ? cap : 1)) ||
		    ZSTD_isError(n = ZSTD_compress(z, cap, buf, len, 1)))
			abort();
		buf = z;
		len = n;
	}
	if (!(f = fopen(path, "wb")) || fwrite(buf, 1, len, f) != len || fclose(f))
		abort();
	free(z);
}

/* The index naming the shard SHA256 for "pkg". */
static void put_index(const unsigned char sha256[32])
{
	char path[160];
	msgpack_sbuffer sb;
	msgpack_packer pk;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "info", 4);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str_with_body(&pk, "shards_base_url", 15);
	msgpack_pack_str_with_body(&pk, "./shards/", 9);
	msgpack_pack_str_with_body(&pk, "shards", 6);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str_with_body(&pk, "pkg", 3);
	msgpack_pack_bin_with_body(&pk, sha256, 32);
	snprintf(path, sizeof path, "%s/repodata_shards.msgpack.zst", subdir);
	put(path, sb.data, sb.size, true);
	msgpack_sbuffer_destroy(&sb);
}

static void put_shard(const uint8_t *data, size_t size, bool compress)
{
	char path[256], hex[65];
	const unsigned char *sum;
	unsigned char sha[32];
	Chksum *h = solv_chksum_create(REPOKEY_TYPE_SHA256);
	int len;

	/* the shard's name is the hash of the file, compressed */
	snprintf(path, sizeof path, "%s/tmp", shards);
	put(path, data, size, compress);
	{
		FILE *f = fopen(path, "rb");
		unsigned char buf[4096];
		size_t n;

		if (!f)
			abort();
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			solv_chksum_add(h, buf, (int)n);
		fclose(f);
	}
	sum = solv_chksum_get(h, &len);
	memcpy(sha, sum, 32);
	solv_chksum_free(h, NULL);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", sha[i]);
	{
		char to[256];

		snprintf(to, sizeof to, "%s/%s.msgpack.zst", shards, hex);
		if (rename(path, to))
			abort();
	}
	put_index(sha);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *channels[1] = { dir };
	static const char *const names[] = { "pkg" };
	struct eco_opts o = { .channels = channels, .nchannels = 1, .platform = "linux-64",
			      .no_cache = true, .offline = true, .names = names, .nnames = 1 };
	const struct eco_ops *conda = eco_find("conda");
	struct eco_load_stats st;
	struct ed_diag d;
	char path[160];
	Pool *pool;

	if (!size)
		return 0;
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/extdeps-fuzz-XXXXXX");
		if (!mkdtemp(dir))
			abort();
		snprintf(subdir, sizeof subdir, "%s/linux-64", dir);
		snprintf(shards, sizeof shards, "%s/shards", subdir);
		if (mkdir(subdir, 0755) || mkdir(shards, 0755))
			abort();
	}
	if (data[0] & 1) {
		put_shard(data + 1, size - 1, !(data[0] & 2));
	} else {
		snprintf(path, sizeof path, "%s/repodata_shards.msgpack.zst", subdir);
		put(path, data + 1, size - 1, !(data[0] & 2));
	}
	ed_diag_clear(&d);
	pool = pool_create();
	if (conda->pool_setup(pool, &o, &d))
		abort();
	if (!conda->load_available(pool, &o, &st, &d))
		pool_createwhatprovides(pool);
	pool_free(pool);
	return 0;
}
