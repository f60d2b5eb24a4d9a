/* apt_release.c - reading a Release file: its fields, its SHA256 list and
 * its Valid-Until date, and the signed text of a clear-signed InRelease. */
#include "extdeps/eco/apt_release.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

void apt_release_fini(struct apt_release *r)
{
	if (!r)
		return;
	free(r->suite);
	free(r->codename);
	util_strv_free(r->components, r->ncomponents);
	util_strv_free(r->archs, r->narchs);
	for (size_t i = 0; i < r->nfiles; i++)
		free(r->files[i].path);
	free(r->files);
	memset(r, 0, sizeof *r);
}

static bool split_words(const char *p, const char *end, char ***list, size_t *n)
{
	while (p < end) {
		const char *w;
		char *s;
		bool ok;

		while (p < end && isspace((unsigned char)*p))
			p++;
		w = p;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		if (p == w)
			break;
		s = util_strndup(w, (size_t)(p - w));
		ok = s && util_strv_push(list, n, s);
		free(s);
		if (!ok)
			return false;
	}
	return true;
}

static bool is_hex64(const char *p, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]) && !(p[i] >= 'a' && p[i] <= 'f'))
			return false;
	return true;
}

/* Index paths become parts of URLs: nothing that could climb out of
 * dists/SUITE or need quoting. */
static bool safe_path(const char *p, size_t n)
{
	if (!n || p[0] == '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!isalnum(c) && !strchr("/._-+~", c))
			return false;
		if (c == '.' && i + 1 < n && p[i + 1] == '.')
			return false;
	}
	return true;
}

/* One " SHA256 SIZE PATH" line, LINE of NAME. */
static int parse_sum_line(const char *p, const char *end, const char *name, int line,
			  struct apt_release *r, struct ed_diag *d)
{
	const char *start = p, *tok[3];
	size_t len[3];
	int ntok = 0;
	struct apt_release_file *v;
	uint64_t size = 0;

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		if (ntok == 3)
			return ed_diag_set(d, ED_EXIT_ENV, name, line, (int)(p - start) + 1,
					   "unexpected text after a SHA256 entry");
		tok[ntok] = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		len[ntok] = (size_t)(p - tok[ntok]);
		ntok++;
	}
	if (ntok < 3)
		return ed_diag_set(d, ED_EXIT_ENV, name, line, 1,
				   "a SHA256 entry needs a checksum, a size and a path");
	if (!is_hex64(tok[0], len[0]))
		return ed_diag_set(d, ED_EXIT_ENV, name, line, (int)(tok[0] - start) + 1,
				   "expected a SHA256 checksum (64 hex digits)");
	for (size_t i = 0; i < len[1]; i++) {
		if (!isdigit((unsigned char)tok[1][i]) || size > (UINT64_MAX - 9) / 10)
			return ed_diag_set(d, ED_EXIT_ENV, name, line, (int)(tok[1] - start) + 1,
					   "expected a size in bytes");
		size = size * 10 + (uint64_t)(tok[1][i] - '0');
	}
	if (!safe_path(tok[2], len[2]))
		return ed_diag_set(d, ED_EXIT_ENV, name, line, (int)(tok[2] - start) + 1,
				   "'%.*s' is not a valid index path", (int)len[2], tok[2]);
	if (!ALLOC_GROW(r->files, r->nfiles + 1, r->files_alloc))
		return ed_diag_oom(d);
	v = &r->files[r->nfiles];
	v->path = util_strndup(tok[2], len[2]);
	if (!v->path)
		return ed_diag_oom(d);
	v->size = size;
	memcpy(v->sha256, tok[0], 64);
	v->sha256[64] = '\0';
	r->nfiles++;
	return 0;
}

/* An RFC 2822 date as Release files write it ("Sat, 09 Dec 2023 20:16:24
 * UTC"; the zone UTC, GMT or +0000) from V to END, into *OUT. */
static int parse_date(const char *v, const char *end, const char *name, int line, int col,
		      time_t *out, struct ed_diag *d)
{
	char buf[64], *rest;
	struct tm tm = { 0 };

	if ((size_t)(end - v) >= sizeof buf)
		goto bad;
	memcpy(buf, v, (size_t)(end - v));
	buf[end - v] = '\0';
	rest = strptime(buf, "%a, %d %b %Y %H:%M:%S", &tm);
	if (!rest)
		goto bad;
	while (*rest == ' ')
		rest++;
	if (strcmp(rest, "UTC") && strcmp(rest, "GMT") && strcmp(rest, "+0000") && strcmp(rest, "Z"))
		goto bad;
	*out = timegm(&tm);
	return 0;
bad:
	return ed_diag_set(d, ED_EXIT_ENV, name, line, col,
			   "Valid-Until: '%.*s' is not a date such as 'Sat, 09 Dec 2023 20:16:24 UTC'",
			   (int)(end - v), v);
}

/* Parse as apt_release_parse says; FLAT: no Components field needed. */
static int parse(const char *text, size_t len, const char *name, bool flat,
		 struct apt_release *r, struct ed_diag *d)
{
	const char *p = text, *end = text + len;
	bool in_sha = false, has_sha = false, has_components = false;
	int line = 0, rc = 0;

	memset(r, 0, sizeof *r);
	while (p < end && !rc) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end, *colon;

		line++;
		if (le > p && le[-1] == '\r')
			le--;
		if (p < le && (*p == ' ' || *p == '\t')) {
			/* continuation of the field before */
			if (in_sha)
				rc = parse_sum_line(p, le, name, line, r, d);
		} else if (p < le) {
			colon = memchr(p, ':', (size_t)(le - p));
			if (!colon) {
				rc = ed_diag_set(d, ED_EXIT_ENV, name, line, 1,
						 "expected 'Field: value'");
				break;
			}
			const char *v = colon + 1;
			size_t klen = (size_t)(colon - p);
			while (v < le && (*v == ' ' || *v == '\t'))
				v++;
			in_sha = klen == 6 && !strncasecmp(p, "SHA256", 6);
			if (in_sha) {
				has_sha = true;
			} else if (klen == 10 && !strncasecmp(p, "Components", 10)) {
				has_components = true;
				if (!split_words(v, le, &r->components, &r->ncomponents))
					rc = ed_diag_oom(d);
			} else if (klen == 13 && !strncasecmp(p, "Architectures", 13)) {
				if (!split_words(v, le, &r->archs, &r->narchs))
					rc = ed_diag_oom(d);
			} else if (klen == 31 &&
				   !strncasecmp(p, "No-Support-for-Architecture-all", 31)) {
				r->all_in_arch_indexes = true;
			} else if (klen == 5 && !strncasecmp(p, "Suite", 5)) {
				free(r->suite);
				if (!(r->suite = util_strndup(v, (size_t)(le - v))))
					rc = ed_diag_oom(d);
			} else if (klen == 11 && !strncasecmp(p, "Valid-Until", 11)) {
				rc = parse_date(v, le, name, line, (int)(v - p) + 1, &r->valid_until, d);
			} else if (klen == 8 && !strncasecmp(p, "Codename", 8)) {
				free(r->codename);
				if (!(r->codename = util_strndup(v, (size_t)(le - v))))
					rc = ed_diag_oom(d);
			}
		}
		p = eol ? eol + 1 : end;
	}
	if (!rc && !has_sha)
		rc = ed_diag_set(d, ED_EXIT_ENV, name, 0, 0,
				 "no SHA256 section: the indexes cannot be verified");
	if (!rc && !has_components && !flat)
		rc = ed_diag_set(d, ED_EXIT_ENV, name, 0, 0, "no Components field");
	if (rc)
		apt_release_fini(r);
	return rc;
}

int apt_release_parse(const char *text, size_t len, const char *name,
			  struct apt_release *r, struct ed_diag *d)
{
	return parse(text, len, name, false, r, d);
}

int apt_release_parse_flat(const char *text, size_t len, const char *name,
			   struct apt_release *r, struct ed_diag *d)
{
	return parse(text, len, name, true, r, d);
}

const struct apt_release_file *apt_release_find(const struct apt_release *r,
						const char *path)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].path, path))
			return &r->files[i];
	return NULL;
}

/* Of DIR/Packages.xz, .gz and plain (DIR "": at the top), the first R lists. */
static const struct apt_release_file *first_packages(const struct apt_release *r,
						     const char *dir)
{
	static const char *const ext[] = { ".xz", ".gz", "" };
	char path[512];

	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		const struct apt_release_file *f;
		int n = snprintf(path, sizeof path, "%s%sPackages%s", dir, *dir ? "/" : "",
				 ext[i]);

		if (n > 0 && (size_t)n < sizeof path && (f = apt_release_find(r, path)))
			return f;
	}
	return NULL;
}

const struct apt_release_file *apt_release_index(const struct apt_release *r,
						 const char *component, const char *arch)
{
	char dir[256];
	int n = snprintf(dir, sizeof dir, "%s/binary-%s", component, arch);

	return n > 0 && (size_t)n < sizeof dir ? first_packages(r, dir) : NULL;
}

const struct apt_release_file *apt_release_flat_index(const struct apt_release *r)
{
	return first_packages(r, "");
}

char *apt_release_clearsigned_text(const char *text, size_t len, size_t *out_len)
{
	static const char begin[] = "-----BEGIN PGP SIGNED MESSAGE-----";
	static const char sig[] = "-----BEGIN PGP SIGNATURE-----";
	const char *p = text, *end = text + len;
	struct strbuf b = STRBUF_INIT;
	char *s;

	if (len < sizeof begin - 1 || memcmp(text, begin, sizeof begin - 1) != 0) {
		s = util_strndup(text, len);
		if (s && out_len)
			*out_len = len;
		return s;
	}
	/* Armour headers ("Hash: SHA512") end at the first empty line. */
	for (;;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			return NULL;
		p = eol + 1;
		if (p < end && (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n'))) {
			p += *p == '\r' ? 2 : 1;
			break;
		}
	}
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;

		if ((size_t)(le - p) >= sizeof sig - 1 && !memcmp(p, sig, sizeof sig - 1))
			break;
		if (!eol)
			return NULL; /* no signature block */
		if (le - p >= 2 && p[0] == '-' && p[1] == ' ')
			p += 2;
		strbuf_add(&b, p, (size_t)(le - p + 1));
		p = le + 1;
	}
	if (p >= end) {
		strbuf_release(&b);
		return NULL;
	}
	s = strbuf_detach(&b);
	if (s && out_len)
		*out_len = strlen(s);
	return s;
}
