/* apt_index.c - Packages lists and dpkg's status file read into libsolv
 * repositories (with what libsolv's reader leaves out: .lz4 lists, download
 * sizes). */
#include "extdeps/eco/apt_index.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lz4frame.h>

#include <solv/knownid.h>
#include <solv/queue.h>
#include <solv/repodata.h>
#include <solv/solvable.h>
#include <solv/util.h>

#include "extdeps/eco/solvext.h"
#include "extdeps/util/util.h"

/* --- reading lists: lz4 --- */

struct lz4_file {
	FILE *f;
	LZ4F_dctx *dctx;
	size_t ip, il;
	size_t pending; /* LZ4F_decompress's last hint: 0 at a frame's end */
	bool started;
	unsigned char in[1 << 16];
};

static ssize_t lz4_read(void *cookie, char *buf, size_t size)
{
	struct lz4_file *z = cookie;
	size_t out = 0;

	while (out < size) {
		size_t dst, src, r;

		if (z->ip == z->il) {
			z->il = fread(z->in, 1, sizeof z->in, z->f);
			z->ip = 0;
			if (!z->il) {
				/* A file cut inside a frame must not pass for a short list. */
				if (ferror(z->f) || (z->started && z->pending != 0)) {
					errno = EIO;
					return -1;
				}
				break;
			}
			z->started = true;
		}
		dst = size - out;
		src = z->il - z->ip;
		r = LZ4F_decompress(z->dctx, buf + out, &dst, z->in + z->ip, &src, NULL);
		if (LZ4F_isError(r)) {
			errno = EIO;
			return -1;
		}
		z->pending = r;
		z->ip += src;
		out += dst;
	}
	return (ssize_t)out;
}

static int lz4_close(void *cookie)
{
	struct lz4_file *z = cookie;
	int rc = fclose(z->f);

	LZ4F_freeDecompressionContext(z->dctx);
	free(z);
	return rc;
}

static FILE *lz4_fopen(const char *path)
{
	struct lz4_file *z = calloc(1, sizeof *z);
	FILE *fp;

	if (!z)
		return NULL;
	z->f = util_fopen_regular(path);
	if (!z->f) {
		int e = errno;

		free(z);
		errno = e;
		return NULL;
	}
	if (LZ4F_isError(LZ4F_createDecompressionContext(&z->dctx, LZ4F_VERSION))) {
		fclose(z->f);
		free(z);
		errno = ENOMEM;
		return NULL;
	}
	fp = fopencookie(z, "r", (cookie_io_functions_t){ .read = lz4_read, .close = lz4_close });
	if (!fp)
		lz4_close(z);
	return fp;
}

FILE *apt_open_list(const char *path)
{
	size_t len = strlen(path);

	/* libsolv's solv_xfopen knows no lz4: it would read the compressed
	 * bytes as text and return garbage packages. */
	if (len > 4 && !strcmp(path + len - 4, ".lz4"))
		return lz4_fopen(path);
	return solvext_xfopen(path, "r");
}

/* --- reading lists: the Size: pass --- */

/* libsolv's Debian reader never stores Size:, so the stream libsolv reads is
 * scanned on the way for each stanza's Package and Size; afterwards the
 * records are matched, in file order and by name, to the solvables made. */
struct size_rec {
	size_t name_off, name_len;
	unsigned long long size;
	bool has_size;
};

struct size_scan {
	FILE *raw;
	bool error;
	/* the line being scanned; only its first bytes can matter */
	char line[256];
	size_t linelen;
	bool line_long;
	/* the stanza being scanned */
	bool cur_named, cur_sized;
	size_t cur_off, cur_len;
	unsigned long long cur_size;
	/* results */
	struct size_rec *recs;
	size_t nrecs, caprecs;
	char *names;
	size_t nameslen, namescap;
};

static void scan_end_stanza(struct size_scan *sc)
{
	if (sc->cur_named && !sc->error) {
		if (sc->nrecs == sc->caprecs) {
			size_t cap = sc->caprecs ? sc->caprecs * 2 : 1024;
			struct size_rec *r = realloc(sc->recs, cap * sizeof *r);

			if (!r) {
				sc->error = true;
				return;
			}
			sc->recs = r;
			sc->caprecs = cap;
		}
		sc->recs[sc->nrecs++] = (struct size_rec){
			.name_off = sc->cur_off, .name_len = sc->cur_len,
			.size = sc->cur_size, .has_size = sc->cur_sized,
		};
	}
	sc->cur_named = sc->cur_sized = false;
}

/* The trimmed value of LINE after "TAG:" when its tag is TAG (any case). */
static const char *tag_value(const char *line, size_t len, const char *tag, size_t *vlen)
{
	size_t tl = strlen(tag);
	const char *v, *end = line + len;

	if (len <= tl || line[tl] != ':' || strncasecmp(line, tag, tl))
		return NULL;
	v = line + tl + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*vlen = (size_t)(end - v);
	return v;
}

static void scan_line(struct size_scan *sc)
{
	const char *v;
	size_t vlen;

	if (sc->linelen == 0 && !sc->line_long) {
		scan_end_stanza(sc);
		return;
	}
	if ((v = tag_value(sc->line, sc->linelen, "Package", &vlen)) && !sc->line_long) {
		if (sc->nameslen + vlen > sc->namescap) {
			size_t cap = sc->namescap ? sc->namescap * 2 : 65536;
			char *n;

			while (cap < sc->nameslen + vlen)
				cap *= 2;
			if (!(n = realloc(sc->names, cap))) {
				sc->error = true;
				return;
			}
			sc->names = n;
			sc->namescap = cap;
		}
		memcpy(sc->names + sc->nameslen, v, vlen);
		sc->cur_off = sc->nameslen;
		sc->cur_len = vlen;
		sc->nameslen += vlen;
		sc->cur_named = true;
	} else if ((v = tag_value(sc->line, sc->linelen, "Size", &vlen)) && !sc->line_long) {
		unsigned long long size = 0;
		bool ok = vlen > 0 && vlen <= 19;

		for (size_t i = 0; ok && i < vlen; i++) {
			ok = isdigit((unsigned char)v[i]) != 0;
			size = size * 10 + (unsigned)(v[i] - '0');
		}
		/* A malformed Size leaves the package without a download size. */
		sc->cur_sized = ok;
		sc->cur_size = ok ? size : 0;
	}
}

static ssize_t scan_read(void *cookie, char *buf, size_t size)
{
	struct size_scan *sc = cookie;
	size_t got = fread(buf, 1, size, sc->raw);

	if (got == 0 && ferror(sc->raw)) {
		sc->error = true;
		errno = EIO;
		return -1;
	}
	/* line by line with memchr: this pass sits on the critical path of a
	 * cold plan */
	for (const char *p = buf, *end = buf + got; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t seg = nl ? (size_t)(nl - p) : (size_t)(end - p);
		/* libsolv reads a NUL as a newline; so do we */
		size_t z = strnlen(p, seg), room = sizeof sc->line - sc->linelen;
		bool eol = nl || z < seg;

		seg = z;
		memcpy(sc->line + sc->linelen, p, seg < room ? seg : room);
		sc->linelen += seg < room ? seg : room;
		sc->line_long |= seg > room;
		p += seg;
		if (eol) {
			scan_line(sc);
			sc->linelen = 0;
			sc->line_long = false;
			p++;
		}
	}
	if (got == 0) {
		/* end of input: a last line without '\n', a last stanza */
		if (sc->linelen || sc->line_long)
			scan_line(sc);
		sc->linelen = 0;
		sc->line_long = false;
		scan_end_stanza(sc);
	}
	return (ssize_t)got;
}

static int scan_close(void *cookie)
{
	struct size_scan *sc = cookie;

	return fclose(sc->raw);
}

/* Match the records to the solvables of REPO from FIRST on. */
static void apply_sizes(Repo *repo, Id first, const struct size_scan *sc)
{
	Pool *pool = repo->pool;
	Repodata *data = repo_last_repodata(repo);
	size_t j = 0;

	for (Id p = first; p < repo->end && j < sc->nrecs; p++) {
		Solvable *s = pool->solvables + p;
		const char *name;
		size_t k, limit, nl;

		if (s->repo != repo || !s->name)
			continue;
		name = pool_id2str(pool, s->name);
		nl = strlen(name);
		/* Resynchronise over a few records when libsolv and the scan
		 * disagree about a stanza; never set a size by position alone. */
		limit = j + 16 < sc->nrecs ? j + 16 : sc->nrecs;
		for (k = j; k < limit; k++)
			if (sc->recs[k].name_len == nl &&
			    !memcmp(sc->names + sc->recs[k].name_off, name, nl))
				break;
		if (k == limit)
			continue;
		if (sc->recs[k].has_size)
			repodata_set_num(data, p, SOLVABLE_DOWNLOADSIZE, sc->recs[k].size);
		j = k + 1;
	}
}

Repo *apt_load_list(Pool *pool, const char *path, const char *label, struct ed_diag *d)
{
	struct size_scan *sc = calloc(1, sizeof *sc);
	Repo *repo = NULL;
	FILE *fp = NULL;
	Id first;

	if (!sc) {
		ed_diag_oom(d);
		return NULL;
	}
	sc->raw = apt_open_list(path);
	if (!sc->raw) {
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot read '%s': %s", path,
			    solvext_strerror(errno));
		goto out;
	}
	fp = fopencookie(sc, "r", (cookie_io_functions_t){ .read = scan_read, .close = scan_close });
	if (!fp) {
		fclose(sc->raw);
		ed_diag_oom(d);
		goto out;
	}
	repo = repo_create(pool, label);
	first = pool->nsolvables;
	if (solvext_repo_add_debpackages(repo, fp, REPO_NO_INTERNALIZE)) {
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot read '%s': %s", path,
			    pool_errstr(pool));
		repo_free(repo, 1);
		repo = NULL;
		goto out;
	}
	if (sc->error || ferror(fp)) {
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
			    "cannot read '%s': corrupt or truncated data", path);
		repo_free(repo, 1);
		repo = NULL;
		goto out;
	}
	apply_sizes(repo, first, sc);
	repo_internalize(repo);
out:
	if (fp)
		fclose(fp);
	free(sc->recs);
	free(sc->names);
	free(sc);
	return repo;
}

/* --- installed --- */

/* dpkg states whose files are all in place and configured. */
static bool status_installed(const char *status)
{
	const char *state = status ? strrchr(status, ' ') : NULL;

	state = state ? state + 1 : status;
	return state && (!strcmp(state, "installed") || !strcmp(state, "triggers-pending") ||
			 !strcmp(state, "triggers-awaited"));
}

Repo *apt_load_status(Pool *pool, const char *path, struct ed_diag *d)
{
	FILE *f = util_fopen_regular(path);
	Repo *repo;
	Solvable *s;
	Queue drop;
	Id p;

	if (!f) {
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot read '%s': %s", path,
			    strerror(errno));
		return NULL;
	}
	repo = repo_create(pool, "@System");
	if (solvext_repo_add_debpackages(repo, f, 0) || ferror(f)) {
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot read '%s': %s", path,
			    ferror(f) ? "read error" : pool_errstr(pool));
		fclose(f);
		repo_free(repo, 1);
		return NULL;
	}
	fclose(f);
	/* libsolv keeps every stanza, also removed packages whose
	 * configuration files remain; the status string tells. */
	queue_init(&drop);
	FOR_REPO_SOLVABLES(repo, p, s)
	{
		if (!status_installed(solvable_lookup_str(s, SOLVABLE_INSTALLSTATUS)))
			queue_push(&drop, p);
	}
	for (int i = drop.count - 1; i >= 0; i--)
		repo_free_solvable(repo, drop.elements[i], 1);
	queue_free(&drop);
	return repo;
}
