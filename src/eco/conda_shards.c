/* conda_shards.c - sharded repodata (CEP 16): a subdir's index of package
 * names (repodata_shards.msgpack.zst) and one shard per name
 * (<sha256>.msgpack.zst), read with msgpack-c after libzstd; only the
 * shards of the names a request reaches are fetched and read
 * (conda_int.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <msgpack.h>
#include <zstd.h>

#include <solv/chksum.h>
#include <solv/knownid.h>
#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/net/fetch.h"
#include "extdeps/util/util.h"
#include "conda_int.h"

/* conda's own bound on a shard, decompressed; an index of conda-forge's
 * subdirs is about 2 MiB */
#define SHARD_MAX ((size_t)16 << 20)
#define INDEX_MAX ((size_t)CONDA_SHARDS_INDEX_MAX)

/* --- reading a zstd-compressed file --- */

/* PATH decompressed (at most MAX bytes) into *OUT (malloc'd, *LEN bytes);
 * the sha256 of its compressed bytes into HASH when HASH is given. */
static int read_zst(const char *path, size_t max, unsigned char *hash, char **out, size_t *len,
		    struct ed_diag *d)
{
	FILE *f = util_fopen_regular(path); /* a FIFO in the cache is refused */
	ZSTD_DStream *z = NULL;
	Chksum *sum = NULL;
	char in[1 << 16], *buf = NULL;
	size_t got, last = 1, cap = 0, n = 0;
	int rc = 0;

	*out = NULL;
	*len = 0;
	if (!f)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot read '%s': %s", path,
				   util_open_strerror(errno));
	if (hash)
		sum = solv_chksum_create(REPOKEY_TYPE_SHA256);
	if (!(z = ZSTD_createDStream()) || (hash && !sum)) {
		rc = ed_diag_oom(d);
		goto out;
	}
	while ((got = fread(in, 1, sizeof in, f)) > 0) {
		ZSTD_inBuffer ib = { in, got, 0 };

		if (sum)
			solv_chksum_add(sum, in, (int)got);
		while (ib.pos < ib.size) {
			ZSTD_outBuffer ob;

			if (!ALLOC_GROW(buf, n + (1 << 16), cap)) {
				rc = ed_diag_oom(d);
				goto out;
			}
			ob = (ZSTD_outBuffer){ buf + n, cap - n, 0 };
			last = ZSTD_decompressStream(z, &ob, &ib);
			if (ZSTD_isError(last)) {
				rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
						 "invalid repository metadata: %s",
						 ZSTD_getErrorName(last));
				goto out;
			}
			n += ob.pos;
			if (n > max) {
				rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
						 "repository metadata larger than %zu bytes", max);
				goto out;
			}
		}
	}
	if (ferror(f))
		rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot read '%s': %s", path,
				 strerror(errno));
	else if (last != 0) /* the frame did not end */
		rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				 "invalid repository metadata: truncated zstd data");
out:
	fclose(f);
	ZSTD_freeDStream(z);
	if (sum) {
		int hlen = 0;
		const unsigned char *h = solv_chksum_get(sum, &hlen);

		if (h && hlen == 32)
			memcpy(hash, h, 32);
		solv_chksum_free(sum, NULL);
	}
	if (rc) {
		free(buf);
		return rc;
	}
	*len = n;
	*out = buf;
	return 0;
}

/* --- msgpack helpers --- */

static bool mp_is(const msgpack_object *o, const char *s)
{
	size_t n = strlen(s);

	return o->type == MSGPACK_OBJECT_STR && o->via.str.size == n && !memcmp(o->via.str.ptr, s, n);
}

/* The value of key KEY in map M, or NULL. */
static const msgpack_object *mp_get(const msgpack_object *m, const char *key)
{
	for (uint32_t i = 0; m->type == MSGPACK_OBJECT_MAP && i < m->via.map.size; i++)
		if (mp_is(&m->via.map.ptr[i].key, key))
			return &m->via.map.ptr[i].val;
	return NULL;
}

/* Whether the containers of the msgpack document in BUF (LEN bytes) could
 * hold what they declare: msgpack-c's unpacker allocates an array's or a
 * map's declared count before it reads a byte of it, so five bytes that
 * declare four billion entries would cost gigabytes. Every item still to
 * read takes at least a byte; a document that declares more than its bytes
 * can hold is refused as truncated. Scalars are skipped by their size. */
static bool mp_plausible(const unsigned char *buf, size_t len)
{
	/* payload bytes after the type byte, by type (0xc4..0xdf); -1: a
	 * length of that many bytes follows; 0xc1 is never used */
	static const signed char fixed[] = {
		/* c4 bin8/16/32 */ -1, -2, -4, /* c7 ext8/16/32 */ -1, -2, -4,
		/* ca float32/64 */ 4, 8, /* cc uint8..64 */ 1, 2, 4, 8,
		/* d0 int8..64 */ 1, 2, 4, 8, /* d4 fixext */ 2, 3, 5, 9, 17,
		/* d9 str8/16/32 */ -1, -2, -4, /* dc array16/32 */ 2, 4, /* de map16/32 */ 2, 4,
	};
	size_t pos = 0, pending = 1;

	while (pending) {
		unsigned b;
		uint64_t n = 0, skip = 0, items = 0;

		if (pos >= len)
			return false;
		b = buf[pos++];
		pending--;
		if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
			continue;
		if (b == 0xc1)
			return false;
		if (b >= 0x80 && b <= 0x9f) {
			items = (b & 0x0f) * (b <= 0x8f ? 2 : 1);
		} else if (b >= 0xa0 && b <= 0xbf) {
			skip = b & 0x1f;
		} else {
			int f = fixed[b - 0xc4], w = f < 0 ? -f : (b >= 0xdc ? f : 0);

			if (len - pos < (size_t)w)
				return false;
			for (int i = 0; i < w; i++)
				n = n << 8 | buf[pos + (size_t)i];
			pos += (size_t)w;
			if (b >= 0xdc)
				items = n * (b >= 0xde ? 2 : 1);
			else
				skip = f < 0 ? n + (b >= 0xc7 && b <= 0xc9) : (uint64_t)f;
		}
		/* what is still to read needs a byte an item: pending <= len - pos */
		if (skip > len - pos || pending > len - pos - skip)
			return false;
		pos += (size_t)skip;
		if (items > len - pos - pending)
			return false;
		pending += (size_t)items;
	}
	return true;
}

/* BUF (LEN bytes) as one msgpack map into U; ED_EXIT_ENV otherwise. */
static int mp_unpack(msgpack_unpacked *u, const char *buf, size_t len, const char *path,
		     struct ed_diag *d)
{
	size_t off = 0;
	msgpack_unpack_return r;

	msgpack_unpacked_init(u);
	if (!mp_plausible((const unsigned char *)buf, len))
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				   "invalid repository metadata: truncated msgpack data");
	r = msgpack_unpack_next(u, buf, len, &off);
	if (r == MSGPACK_UNPACK_NOMEM_ERROR)
		return ed_diag_oom(d);
	if (r != MSGPACK_UNPACK_SUCCESS || off != len)
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				   "invalid repository metadata: %s",
				   r == MSGPACK_UNPACK_CONTINUE ? "truncated msgpack data"
				   : r == MSGPACK_UNPACK_SUCCESS ? "data after the msgpack document"
								 : "not msgpack data");
	if (u->data.type != MSGPACK_OBJECT_MAP)
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				   "invalid repository metadata: expected a map");
	return 0;
}

/* --- the index --- */

bool conda_find_shards(const char *dir, const char *subdir, char *out, size_t size)
{
	struct stat st;
	int n = snprintf(out, size, "%s/%s/" CONDA_SHARDS_INDEX, dir, subdir);

	return n > 0 && (size_t)n < size && stat(out, &st) == 0 && S_ISREG(st.st_mode);
}

struct shard_entry {
	const char *name; /* into the index's buffer, not NUL-terminated */
	uint32_t len;
	const unsigned char *hash; /* 32 bytes */
};

struct conda_shard_index {
	char *buf;
	msgpack_unpacked u;
	bool unpacked;
	struct shard_entry *entries; /* sorted by name */
	size_t n;
	char *shards_base; /* info.shards_base_url, NUL-terminated; "" when absent */
};

static int entry_cmp(const void *a, const void *b)
{
	const struct shard_entry *x = a, *y = b;
	int c = memcmp(x->name, y->name, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

void conda_shard_index_free(struct conda_shard_index *x)
{
	if (!x)
		return;
	if (x->unpacked)
		msgpack_unpacked_destroy(&x->u);
	free(x->buf);
	free(x->entries);
	free(x->shards_base);
	free(x);
}

struct conda_shard_index *conda_shard_index_read(const char *path, struct ed_diag *d)
{
	struct conda_shard_index *x = calloc(1, sizeof *x);
	const msgpack_object *shards, *info, *base;
	size_t len;
	int rc;

	if (!x) {
		ed_diag_oom(d);
		return NULL;
	}
	if ((rc = read_zst(path, INDEX_MAX, NULL, &x->buf, &len, d)))
		goto fail;
	x->unpacked = true;
	if ((rc = mp_unpack(&x->u, x->buf, len, path, d)))
		goto fail;
	shards = mp_get(&x->u.data, "shards");
	info = mp_get(&x->u.data, "info");
	base = info ? mp_get(info, "shards_base_url") : NULL;
	if (!shards || shards->type != MSGPACK_OBJECT_MAP) {
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
			    "invalid repository metadata: no map of shards");
		goto fail;
	}
	if (base && base->type != MSGPACK_OBJECT_STR) {
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
			    "invalid repository metadata: shards_base_url is not a string");
		goto fail;
	}
	x->shards_base = base ? util_strndup(base->via.str.ptr, base->via.str.size)
			      : util_strdup("");
	x->entries = calloc(shards->via.map.size + 1, sizeof *x->entries);
	if (!x->shards_base || !x->entries) {
		ed_diag_oom(d);
		goto fail;
	}
	for (uint32_t i = 0; i < shards->via.map.size; i++) {
		const msgpack_object *k = &shards->via.map.ptr[i].key, *v = &shards->via.map.ptr[i].val;

		if (k->type != MSGPACK_OBJECT_STR || v->type != MSGPACK_OBJECT_BIN ||
		    v->via.bin.size != 32) {
			ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				    "invalid repository metadata: shard %u is not a name and a "
				    "sha256",
				    (unsigned)i);
			goto fail;
		}
		x->entries[x->n++] = (struct shard_entry){ k->via.str.ptr, k->via.str.size,
							   (const unsigned char *)v->via.bin.ptr };
	}
	qsort(x->entries, x->n, sizeof *x->entries, entry_cmp);
	return x;
fail:
	conda_shard_index_free(x);
	return NULL;
}

int conda_check_shard_index(const char *path, void *ud, struct ed_diag *d)
{
	struct conda_shard_index *x = conda_shard_index_read(path, d);

	(void)ud;
	conda_shard_index_free(x);
	return x ? 0 : ED_EXIT_ENV;
}

static int hash_cmp(const void *a, const void *b)
{
	return memcmp(*(const unsigned char *const *)a, *(const unsigned char *const *)b, 32);
}

/* Whether NAME is a shard's file, HEX.msgpack.zst, or the validators
 * fetch.h keeps beside it (.meta); its hash into HASH. */
static bool shard_file(const char *name, unsigned char hash[32])
{
	if (strlen(name) < 64 || (strcmp(name + 64, ".msgpack.zst") &&
				  strcmp(name + 64, ".msgpack.zst.meta")))
		return false;
	for (int i = 0; i < 64; i++) {
		const char *digits = "0123456789abcdef", *at = strchr(digits, name[i]);

		if (!name[i] || !at)
			return false;
		hash[i / 2] = (unsigned char)(i % 2 ? hash[i / 2] << 4 | (at - digits) : at - digits);
	}
	return true;
}

size_t conda_shards_expire(const char *dir, const struct conda_shard_index *x)
{
	const unsigned char **hashes = malloc((x->n ? x->n : 1) * sizeof *hashes);
	size_t removed = 0;
	struct dirent *e;
	DIR *dh;

	if (!hashes)
		return 0;
	for (size_t i = 0; i < x->n; i++)
		hashes[i] = x->entries[i].hash;
	qsort(hashes, x->n, sizeof *hashes, hash_cmp);
	if ((dh = opendir(dir))) {
		while ((e = readdir(dh))) {
			unsigned char hash[32];
			const unsigned char *key = hash;
			char path[CONDA_PATH_BUF + 128];

			if (!shard_file(e->d_name, hash) ||
			    bsearch(&key, hashes, x->n, sizeof *hashes, hash_cmp))
				continue;
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			removed += unlink(path) == 0;
		}
		closedir(dh);
	}
	free(hashes);
	return removed;
}

/* The entry of NAME in X, or NULL. */
static const struct shard_entry *index_find(const struct conda_shard_index *x, const char *name)
{
	struct shard_entry key = { name, (uint32_t)strlen(name), NULL };

	return bsearch(&key, x->entries, x->n, sizeof *x->entries, entry_cmp);
}

/* --- a shard --- */

/* a shard's lists of records, in repodata.json's order */
static const char *const sections[] = { "packages", "packages.conda" };

/* The string or list of strings V of FIELD into R. */
static void record_value(struct conda_record *r, enum conda_field field, const msgpack_object *v)
{
	if (v->type == MSGPACK_OBJECT_STR) {
		conda_record_string(r, field, v->via.str.ptr, v->via.str.size);
	} else if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
		conda_record_number(r, field, (unsigned long long)v->via.u64);
	} else if (v->type == MSGPACK_OBJECT_ARRAY) {
		for (uint32_t i = 0; i < v->via.array.size; i++)
			if (v->via.array.ptr[i].type == MSGPACK_OBJECT_STR)
				conda_record_item(r, field, v->via.array.ptr[i].via.str.ptr,
						  v->via.array.ptr[i].via.str.size);
	}
}

/* Whether the shard document M has the shape CEP 16 gives it: maps
 * "packages" and "packages.conda" (either may be absent) of file names to
 * record maps. */
static int shard_check(const msgpack_object *m, const char *path, struct ed_diag *d)
{
	for (int s = 0; s < 2; s++) {
		const msgpack_object *sec = mp_get(m, sections[s]);

		if (!sec || sec->type == MSGPACK_OBJECT_NIL)
			continue;
		if (sec->type != MSGPACK_OBJECT_MAP)
			return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
					   "invalid repository metadata: '%s' is not a map",
					   sections[s]);
		for (uint32_t i = 0; i < sec->via.map.size; i++)
			if (sec->via.map.ptr[i].key.type != MSGPACK_OBJECT_STR ||
			    sec->via.map.ptr[i].val.type != MSGPACK_OBJECT_MAP)
				return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
						   "invalid repository metadata: a record of '%s' "
						   "is not a file name and a map",
						   sections[s]);
	}
	return 0;
}

/* The record REC listed as FN into K (through R). */
static bool shard_record(struct conda_sink *k, struct conda_record *r, const msgpack_object *fn,
			 const msgpack_object *rec, bool conda)
{
	conda_record_reset(r, fn->via.str.ptr, fn->via.str.size, conda);
	for (uint32_t f = 0; f < rec->via.map.size; f++) {
		const msgpack_object *key = &rec->via.map.ptr[f].key;

		if (key->type == MSGPACK_OBJECT_STR)
			record_value(r, conda_record_key(key->via.str.ptr, key->via.str.size),
				     &rec->via.map.ptr[f].val);
	}
	return conda_sink_add(k, r);
}

/* A shard read: its document, pointing into its buffer. */
struct shard_doc {
	char *buf;
	msgpack_unpacked u;
};

static void shard_doc_fini(struct shard_doc *doc)
{
	msgpack_unpacked_destroy(&doc->u);
	free(doc->buf);
}

/* The shard at PATH, whose compressed bytes must hash to HASH, into DOC
 * (shard_doc_fini). *MISMATCH (and ED_EXIT_ENV) when they do not, or when
 * it is no zstd data. */
static int shard_read(const char *path, const unsigned char *hash, struct shard_doc *doc,
		      bool *mismatch, struct ed_diag *d)
{
	unsigned char got[32];
	size_t len;
	int rc;

	*mismatch = false;
	msgpack_unpacked_init(&doc->u);
	if ((rc = read_zst(path, SHARD_MAX, got, &doc->buf, &len, d))) {
		*mismatch = true; /* damaged: as good as another's */
		return rc;
	}
	if (memcmp(got, hash, 32)) {
		*mismatch = true;
		rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				 "the shard does not hash to the sha256 its index names");
	} else if (!(rc = mp_unpack(&doc->u, doc->buf, len, path, d))) {
		rc = shard_check(&doc->u.data, path, d);
	}
	if (rc)
		shard_doc_fini(doc);
	return rc;
}

/* --- the walk --- */

/* URL of the shard HEX of SRC into OUT: shards_base_url resolved against
 * the index's URL (absolute, from the root, or relative). */
static bool shard_url(const struct conda_shard_src *src, const char *hex, char *out, size_t size)
{
	const char *base = src->index->shards_base;
	int n;

	if (!strncmp(base, "http://", 7) || !strncmp(base, "https://", 8)) {
		n = snprintf(out, size, "%s%s%s.msgpack.zst", base,
			     *base && base[strlen(base) - 1] != '/' ? "/" : "", hex);
	} else if (base[0] == '/') {
		const char *host = strstr(src->url, "://");
		const char *path = host ? strchr(host + 3, '/') : NULL;
		int hostlen = path ? (int)(path - src->url) : (int)strlen(src->url);

		n = snprintf(out, size, "%.*s%s%s%s.msgpack.zst", hostlen, src->url, base,
			     base[strlen(base) - 1] != '/' ? "/" : "", hex);
	} else {
		const char *slash = strrchr(src->url, '/');

		if (!strncmp(base, "./", 2))
			base += 2;
		n = snprintf(out, size, "%.*s/%s%s%s.msgpack.zst",
			     slash ? (int)(slash - src->url) : (int)strlen(src->url), src->url, base,
			     *base && base[strlen(base) - 1] != '/' ? "/" : "", hex);
	}
	return n > 0 && (size_t)n < size;
}

/* Where the shard HEX of SRC is read: a directory channel's own file
 * (relative to its index), else the cache, where it is kept by its hash. */
static bool shard_path(const struct conda_shard_src *src, const char *hex, char *out, size_t size)
{
	const char *base = src->index->shards_base;
	int n;

	if (src->url) {
		n = snprintf(out, size, "%s/%s.msgpack.zst", src->cache_dir, hex);
	} else {
		if (!strncmp(base, "./", 2))
			base += 2;
		if (base[0] == '/' || strstr(base, "://"))
			return false;
		n = snprintf(out, size, "%s/%s%s%s.msgpack.zst", src->cache_dir, base,
			     *base && base[strlen(base) - 1] != '/' ? "/" : "", hex);
	}
	return n > 0 && (size_t)n < size;
}

/* mkdir DIR (its parent exists). */
static bool ensure_dir(const char *dir)
{
	struct stat st;

	return (mkdir(dir, 0755) == 0 || errno == EEXIST) && stat(dir, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

/* The shard of entry E of SRC into DOC: read from where it is kept,
 * fetched there first (through W's fetcher, made on first use) when it is
 * not there or does not hash to its name. */
static int shard_get(struct conda_shard_walk *w, struct conda_shard_src *src,
		     const struct shard_entry *e, struct shard_doc *doc, struct ed_diag *d)
{
	char hex[65], path[CONDA_PATH_BUF], url[CONDA_PATH_BUF];
	struct fetch_expect exp = { .sha256 = hex, .max_size = SHARD_MAX, .label = url };
	struct fetch_opts fo;
	struct stat st;
	bool present, mismatch = true;
	int rc = ED_EXIT_ENV;

	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", e->hash[i]);
	if (!shard_path(src, hex, path, sizeof path))
		return ed_diag_set(d, ED_EXIT_ENV, src->index_path, 0, 0,
				   "shards_base_url '%s' is not under the channel's directory",
				   src->index->shards_base);
	present = stat(path, &st) == 0;
	if (present && !(rc = shard_read(path, e->hash, doc, &mismatch, d)))
		return 0;
	if (!src->url)
		return present ? rc
			       : ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot read '%s': %s",
					     path, strerror(errno));
	/* one that hashes right but does not read is the channel's fault */
	if (present && !mismatch)
		return rc;
	if (w->offline)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "the shard of '%.*s' (%s) is not in the cache; --offline "
				   "forbids downloading it",
				   (int)e->len, e->name, src->label);
	if (!shard_url(src, hex, url, sizeof url) || !ensure_dir(src->cache_dir))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot create '%s': %s",
				   src->cache_dir, strerror(errno));
	if (!w->fetch) {
		eco_fetch_opts(w->opts, &fo);
		if (!(w->fetch = fetch_new(&fo, d)))
			return d->status;
	}
	ed_diag_clear(d);
	if ((rc = fetch_file(w->fetch, url, path, &exp, NULL, d)))
		return rc;
	w->fetched++;
	return shard_read(path, e->hash, doc, &mismatch, d);
}

/* Queue NAME (a pool id) once. */
static bool want(struct conda_shard_walk *w, Id name)
{
	size_t had = w->seen_cap;

	if (!ALLOC_GROW(w->seen, (size_t)name + 1, w->seen_cap))
		return false;
	if (w->seen_cap > had)
		memset(w->seen + had, 0, w->seen_cap - had);
	if (!w->seen[name]) {
		w->seen[name] = 1;
		queue_push(&w->todo, name);
	}
	return true;
}

/* The name match spec SPEC (LEN bytes) is about: after a "channel::", up
 * to the version, the build or the brackets. */
static Id spec_name(Pool *pool, const char *spec, size_t len)
{
	const char *end = spec + len, *p;
	size_t n;

	for (p = spec; p + 1 < end; p++)
		if (p[0] == ':' && p[1] == ':')
			spec = p + 2;
	while (spec < end && (*spec == ' ' || *spec == '\t'))
		spec++;
	for (n = 0; spec + n < end && !strchr(" \t=<>!~[", spec[n]); n++)
		;
	return n ? pool_strn2id(pool, spec, (unsigned)n, 1) : 0;
}

/* The names DOC's records depend on, queued. */
static bool want_deps(struct conda_shard_walk *w, const struct shard_doc *doc)
{
	for (int s = 0; s < 2; s++) {
		const msgpack_object *sec = mp_get(&doc->u.data, sections[s]);

		for (uint32_t i = 0; sec && sec->type == MSGPACK_OBJECT_MAP && i < sec->via.map.size;
		     i++) {
			const msgpack_object *deps = mp_get(&sec->via.map.ptr[i].val, "depends");

			for (uint32_t k = 0;
			     deps && deps->type == MSGPACK_OBJECT_ARRAY && k < deps->via.array.size;
			     k++) {
				const msgpack_object *dep = &deps->via.array.ptr[k];
				Id name;

				if (dep->type == MSGPACK_OBJECT_STR &&
				    (name = spec_name(w->pool, dep->via.str.ptr, dep->via.str.size)) &&
				    !want(w, name))
					return false;
			}
		}
	}
	return true;
}

/* The shards a source read. */
struct shard_docs {
	struct shard_doc *v;
	size_t n, cap;
};

/* A record of a shard, for sorting. */
struct shard_ref {
	const msgpack_object *fn, *rec;
};

static int ref_cmp(const void *a, const void *b)
{
	const msgpack_object *x = ((const struct shard_ref *)a)->fn,
			     *y = ((const struct shard_ref *)b)->fn;
	uint32_t n = x->via.str.size < y->via.str.size ? x->via.str.size : y->via.str.size;
	int c = memcmp(x->via.str.ptr, y->via.str.ptr, n);

	return c ? c : (x->via.str.size > y->via.str.size) - (x->via.str.size < y->via.str.size);
}

/* The records of DOCS into REPO in the order a repodata.json sorted by
 * file name lists them (its "packages", then its "packages.conda"), so
 * that the solvables, and so the solutions of ties, are those of the same
 * channel read whole, whatever names reached them in whatever order. */
static int add_sorted(Repo *repo, const struct shard_docs *docs, size_t *skipped,
		      struct ed_diag *d)
{
	struct conda_sink k;
	struct conda_record r = { 0 };
	struct shard_ref *refs = NULL;
	size_t cap = 0;
	int rc = 0;

	conda_sink_init(&k, repo, false);
	for (int s = 0; s < 2 && !rc; s++) {
		size_t n = 0;

		for (size_t i = 0; i < docs->n && !rc; i++) {
			const msgpack_object *sec = mp_get(&docs->v[i].u.data, sections[s]);

			for (uint32_t j = 0; sec && sec->type == MSGPACK_OBJECT_MAP &&
					     j < sec->via.map.size && !rc;
			     j++) {
				if (!ALLOC_GROW(refs, n + 1, cap))
					rc = ed_diag_oom(d);
				else
					refs[n++] = (struct shard_ref){ &sec->via.map.ptr[j].key,
									&sec->via.map.ptr[j].val };
			}
		}
		if (n)
			qsort(refs, n, sizeof *refs, ref_cmp);
		for (size_t i = 0; i < n && !rc; i++)
			if (!shard_record(&k, &r, refs[i].fn, refs[i].rec, s == 1))
				rc = ed_diag_oom(d);
	}
	*skipped += k.skipped;
	conda_sink_fini(&k);
	conda_record_release(&r);
	free(refs);
	return rc;
}

int conda_shards_load(struct conda_shard_walk *w, struct ed_diag *d)
{
	Pool *pool = w->pool;
	struct shard_docs *docs = calloc(w->nsrcs ? w->nsrcs : 1, sizeof *docs);
	int rc = 0;

	if (!docs)
		return ed_diag_oom(d);
	queue_init(&w->todo);
	/* every name of every index, or those asked for */
	for (size_t i = 0; !w->names && i < w->nsrcs && !rc; i++)
		for (size_t e = 0; e < w->srcs[i].index->n && !rc; e++)
			if (!want(w, pool_strn2id(pool, w->srcs[i].index->entries[e].name,
						  w->srcs[i].index->entries[e].len, 1)))
				rc = ed_diag_oom(d);
	for (size_t i = 0; w->names && i < w->nnames && !rc; i++)
		if (!want(w, pool_str2id(pool, w->names[i], 1)))
			rc = ed_diag_oom(d);
	/* the closure first: each shard read once, its depends followed */
	for (int t = 0; t < w->todo.count && !rc; t++) {
		const char *name = pool_id2str(pool, w->todo.elements[t]);

		for (size_t i = 0; i < w->nsrcs && !rc; i++) {
			const struct shard_entry *e = index_find(w->srcs[i].index, name);
			struct shard_docs *sd = &docs[i];

			if (!e)
				continue;
			if (!ALLOC_GROW(sd->v, sd->n + 1, sd->cap))
				rc = ed_diag_oom(d);
			else if (!(rc = shard_get(w, &w->srcs[i], e, &sd->v[sd->n], d)) &&
				 (sd->n++, w->shards++, !want_deps(w, &sd->v[sd->n - 1])))
				rc = ed_diag_oom(d);
		}
	}
	/* then the packages, a repository at a time */
	for (size_t i = 0; i < w->nsrcs && !rc; i++)
		rc = add_sorted(w->srcs[i].repo, &docs[i], &w->skipped, d);
	for (size_t i = 0; i < w->nsrcs; i++) {
		for (size_t j = 0; j < docs[i].n; j++)
			shard_doc_fini(&docs[i].v[j]);
		free(docs[i].v);
	}
	free(docs);
	queue_free(&w->todo);
	free(w->seen);
	w->seen = NULL;
	w->seen_cap = 0;
	return rc;
}
