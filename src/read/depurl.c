/* depurl.c - PEP 725 DepURLs (PURL with the dep: scheme and virtual types).
 *
 * Parsed left to right so that every error can name the byte where it
 * starts. The PURL rules that matter here: '#' starts the subpath and '?' the
 * qualifiers (both must be percent-encoded elsewhere); '@' after the last '/'
 * of the path starts the version; the type is never percent-encoded.
 */
#include "extdeps/read/depurl.h"

#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Percent-decode S[0..LEN) (at offset OFF of the whole text) into a new
 * string. WHAT names the component for messages; SLASH_OK says whether a
 * decoded '/' may appear (not in namespace or subpath segments). */
static char *pct_decode(const char *s, size_t len, size_t off, const char *what, bool slash_ok,
			struct ed_parse_err *err)
{
	char *out = malloc(len + 1);
	size_t o = 0;

	if (!out) {
		ed_parse_err_set(err, off, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '%') {
			out[o++] = s[i];
			continue;
		}
		int hi = i + 1 < len ? util_hex_value(s[i + 1]) : -1;
		int lo = i + 2 < len ? util_hex_value(s[i + 2]) : -1;
		if (hi < 0 || lo < 0) {
			size_t n = len - i < 3 ? len - i : 3;
			ed_parse_err_set(err, off + i, "invalid percent-encoding '%.*s'", (int)n, s + i);
			goto fail;
		}
		char c = (char)(hi * 16 + lo);
		if (c == '\0') {
			ed_parse_err_set(err, off + i, "'%%00' is not allowed in a DepURL");
			goto fail;
		}
		if (c == '/' && !slash_ok) {
			ed_parse_err_set(err, off + i, "an encoded '/' is not allowed in %s", what);
			goto fail;
		}
		out[o++] = c;
		i += 2;
	}
	out[o] = '\0';
	return out;
fail:
	free(out);
	return NULL;
}

/* Byte offset in the raw text S of byte DOFF of its percent-decoded form. */
static size_t raw_offset(const char *s, size_t len, size_t doff)
{
	size_t i = 0;

	for (size_t d = 0; d < doff && i < len; d++)
		i += s[i] == '%' ? 3 : 1;
	return i < len ? i : len;
}

/* Characters PURL never percent-encodes, plus ':' (unambiguous everywhere)
 * and EXTRA. */
static void pct_encode(struct strbuf *b, const char *s, const char *extra)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || strchr(".-_~:", c) || (extra && strchr(extra, c))) {
			strbuf_add(b, (const char *)&c, 1);
		} else {
			char t[3] = { '%', hex[c >> 4], hex[c & 15] };
			strbuf_add(b, t, 3);
		}
	}
}

static void lower(char *s)
{
	for (; s && *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

void depurl_free(struct depurl *d)
{
	if (!d)
		return;
	free(d->type);
	free(d->namespace);
	free(d->name);
	free(d->version);
	pep440_spec_free(d->spec);
	for (size_t i = 0; i < d->nqualifiers; i++) {
		free(d->qualifiers[i].key);
		free(d->qualifiers[i].value);
	}
	free(d->qualifiers);
	free(d->subpath);
	free(d->id);
	free(d);
}

/* Types whose PURL definition makes names case-insensitive (PURL-TYPES):
 * namespace and name are lower-cased; pypi also maps '_' to '-'. */
static const char *const lower_types[] = {
	"alpm", "apk", "bitbucket", "composer", "deb", "github", "hex", "pypi",
};

static void normalize_names(struct depurl *d)
{
	bool lc = false;

	for (size_t i = 0; i < sizeof lower_types / sizeof *lower_types; i++)
		lc = lc || !strcmp(d->type, lower_types[i]);
	/* virtual names are PEP 725's own small vocabulary: case-insensitive */
	if (!strcmp(d->type, "virtual"))
		lc = true;
	if (!lc)
		return;
	lower(d->namespace);
	lower(d->name);
	if (!strcmp(d->type, "pypi"))
		for (char *p = d->name; *p; p++)
			if (*p == '_')
				*p = '-';
}

static int qual_cmp(const void *a, const void *b)
{
	const struct depurl_qualifier *qa = a, *qb = b;
	return strcmp(qa->key, qb->key);
}

static bool is_type_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '+' || c == '-';
}

static bool is_key_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_';
}

/* Qualifiers S[0..LEN) at offset OFF: "k=v&k=v". */
static int parse_qualifiers(struct depurl *d, const char *s, size_t len, size_t off,
			    struct ed_parse_err *err)
{
	size_t pos = 0;

	while (pos <= len && len) {
		const char *amp = memchr(s + pos, '&', len - pos);
		size_t end = amp ? (size_t)(amp - s) : len;
		const char *eq = memchr(s + pos, '=', end - pos);

		if (end == pos)
			return ed_parse_err_set(err, off + pos, "empty qualifier; expected "
					       "'key=value'");
		if (!eq)
			return ed_parse_err_set(err, off + pos, "expected 'key=value' in "
					       "qualifier '%.*s'", (int)(end - pos), s + pos);
		size_t klen = (size_t)(eq - (s + pos));
		if (klen == 0)
			return ed_parse_err_set(err, off + pos, "empty qualifier key");
		if (isdigit((unsigned char)s[pos]))
			return ed_parse_err_set(err, off + pos, "qualifier key '%.*s' must not "
					       "start with a digit", (int)klen, s + pos);
		for (size_t k = 0; k < klen; k++)
			if (!is_key_char(s[pos + k]))
				return ed_parse_err_set(err, off + pos + k, "invalid character '%c' "
						       "in qualifier key", s[pos + k]);
		size_t vstart = pos + klen + 1;
		char *value = pct_decode(s + vstart, end - vstart, off + vstart, "a qualifier", true,
					 err);
		if (!value)
			return -1;
		char *key = strndup(s + pos, klen);
		if (!key) {
			free(value);
			return ed_parse_err_set(err, off + pos, "out of memory");
		}
		lower(key);
		for (size_t q = 0; q < d->nqualifiers; q++) {
			if (!strcmp(d->qualifiers[q].key, key)) {
				free(key);
				free(value);
				return ed_parse_err_set(err, off + pos, "duplicate qualifier '%.*s'",
							(int)klen, s + pos);
			}
		}
		/* PURL: a key with an empty value is the same as no key */
		if (!*value) {
			free(key);
			free(value);
		} else {
			struct depurl_qualifier *nq = realloc(d->qualifiers,
							      (d->nqualifiers + 1) * sizeof *nq);
			if (!nq) {
				free(key);
				free(value);
				return ed_parse_err_set(err, off + pos, "out of memory");
			}
			d->qualifiers = nq;
			nq[d->nqualifiers].key = key;
			nq[d->nqualifiers].value = value;
			d->nqualifiers++;
		}
		if (!amp)
			break;
		pos = end + 1;
	}
	if (d->nqualifiers > 1)
		qsort(d->qualifiers, d->nqualifiers, sizeof *d->qualifiers, qual_cmp);
	return 0;
}

/* Subpath S[0..LEN) at offset OFF: segments joined by '/', leading, trailing
 * and repeated slashes dropped; '.' and '..' refused rather than resolved, so
 * a subpath can never point outside the package. */
static int parse_subpath(struct depurl *d, const char *s, size_t len, size_t off,
			 struct ed_parse_err *err)
{
	struct strbuf b = { 0 };
	size_t pos = 0;

	while (pos < len) {
		const char *slash = memchr(s + pos, '/', len - pos);
		size_t end = slash ? (size_t)(slash - s) : len;
		if (end > pos) {
			char *seg = pct_decode(s + pos, end - pos, off + pos, "a subpath segment",
					       false, err);
			if (!seg) {
				strbuf_release(&b);
				return -1;
			}
			if (!strcmp(seg, ".") || !strcmp(seg, "..")) {
				ed_parse_err_set(err, off + pos, "'%s' is not allowed in a subpath",
						 seg);
				free(seg);
				strbuf_release(&b);
				return -1;
			}
			if (b.len)
				strbuf_add(&b, "/", 1);
			strbuf_addstr(&b, seg);
			free(seg);
		}
		pos = end + 1;
	}
	if (b.oom) {
		strbuf_release(&b);
		return ed_parse_err_set(err, off, "out of memory");
	}
	d->subpath = b.buf; /* NULL when nothing remained */
	return 0;
}

static char *make_id(const struct depurl *d)
{
	struct strbuf b = { 0 };

	strbuf_addstr(&b, "dep:");
	strbuf_addstr(&b, d->type);
	strbuf_add(&b, "/", 1);
	if (d->namespace) {
		/* the namespace keeps its '/' separators */
		const char *p = d->namespace;
		while (*p) {
			const char *slash = strchr(p, '/');
			size_t n = slash ? (size_t)(slash - p) : strlen(p);
			char *seg = strndup(p, n);
			if (!seg) {
				strbuf_release(&b);
				return NULL;
			}
			pct_encode(&b, seg, NULL);
			free(seg);
			strbuf_add(&b, "/", 1);
			p += n;
			if (*p)
				p++;
		}
	}
	pct_encode(&b, d->name, NULL);
	return strbuf_detach(&b);
}

struct depurl *depurl_parse(const char *text, size_t len, struct ed_parse_err *err)
{
	struct depurl *d = calloc(1, sizeof *d);
	size_t i, colon, path_start, path_end, q_start = 0, q_end = 0, h_start = 0;
	bool has_q = false, has_h = false, virtual_legacy = false;

	if (!d) {
		ed_parse_err_set(err, 0, "out of memory");
		return NULL;
	}
	if (!text)
		len = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (isspace(c)) {
			ed_parse_err_set(err, i, "whitespace is not allowed in a DepURL");
			goto fail;
		}
		if (c < 0x20 || c == 0x7f) {
			ed_parse_err_set(err, i, "control character in a DepURL");
			goto fail;
		}
		if (c >= 0x80) {
			ed_parse_err_set(err, i, "non-ASCII character in a DepURL; percent-encode "
					 "it as UTF-8");
			goto fail;
		}
	}

	/* scheme */
	for (colon = 0; colon < len && isalpha((unsigned char)text[colon]); colon++)
		;
	if (colon == len || text[colon] != ':') {
		ed_parse_err_set(err, 0, "expected 'dep:' scheme");
		goto fail;
	}
	if (colon == 3 && !strncasecmp(text, "dep", 3)) {
		/* the canonical scheme */
	} else if (colon == 3 && !strncasecmp(text, "pkg", 3)) {
		d->legacy = true;
	} else if (colon == 7 && !strncasecmp(text, "virtual", 7)) {
		d->legacy = true;
		virtual_legacy = true;
	} else {
		ed_parse_err_set(err, 0, "expected 'dep:' scheme, not '%.*s:'", (int)colon, text);
		goto fail;
	}
	i = colon + 1;
	/* PURL: parsers accept and ignore "pkg://" */
	while (i < len && text[i] == '/')
		i++;

	/* where the path ends: the first '?' or '#' */
	path_end = i;
	while (path_end < len && text[path_end] != '?' && text[path_end] != '#')
		path_end++;
	if (path_end < len && text[path_end] == '?') {
		has_q = true;
		q_start = path_end + 1;
		q_end = q_start;
		while (q_end < len && text[q_end] != '#') {
			if (text[q_end] == '?') {
				ed_parse_err_set(err, q_end, "'?' must be percent-encoded as '%%3F' "
						 "in qualifiers");
				goto fail;
			}
			q_end++;
		}
	} else {
		q_end = path_end;
	}
	if (q_end < len) {
		has_h = true;
		h_start = q_end + 1;
		const char *hash = memchr(text + h_start, '#', len - h_start);
		if (hash) {
			ed_parse_err_set(err, (size_t)(hash - text), "'#' must be percent-encoded "
					 "as '%%23' in a subpath");
			goto fail;
		}
	}

	/* type */
	if (virtual_legacy) {
		d->type = strdup("virtual");
		if (!d->type) {
			ed_parse_err_set(err, 0, "out of memory");
			goto fail;
		}
		path_start = i;
	} else {
		size_t t = i;
		while (t < path_end && text[t] != '/')
			t++;
		if (t == i) {
			ed_parse_err_set(err, i, "expected a type such as 'generic' or 'virtual' "
					 "after '%.*s'", (int)(i), text);
			goto fail;
		}
		if (!isalpha((unsigned char)text[i])) {
			ed_parse_err_set(err, i, "type '%.*s' must start with a letter", (int)(t - i),
					 text + i);
			goto fail;
		}
		for (size_t k = i; k < t; k++) {
			if (!is_type_char(text[k])) {
				ed_parse_err_set(err, k, "invalid character '%c' in type '%.*s'",
						 text[k], (int)(t - i), text + i);
				goto fail;
			}
		}
		if (!(d->type = strndup(text + i, t - i))) {
			ed_parse_err_set(err, i, "out of memory");
			goto fail;
		}
		lower(d->type);
		if (t == path_end) {
			ed_parse_err_set(err, t, "expected '/' and a name after type '%s'", d->type);
			goto fail;
		}
		path_start = t + 1;
	}

	/* namespace segments and name[@version] */
	{
		size_t last = path_end, name_end, at;
		while (last > path_start && text[last - 1] != '/')
			last--;
		struct strbuf ns = { 0 };
		size_t pos = path_start;
		while (pos < last) {
			size_t end = pos;
			while (text[end] != '/')
				end++;
			if (end == pos) {
				strbuf_release(&ns);
				ed_parse_err_set(err, pos, "empty namespace segment");
				goto fail;
			}
			char *seg = pct_decode(text + pos, end - pos, pos, "a namespace segment",
					       false, err);
			if (!seg) {
				strbuf_release(&ns);
				goto fail;
			}
			if (ns.len)
				strbuf_add(&ns, "/", 1);
			strbuf_addstr(&ns, seg);
			free(seg);
			pos = end + 1;
		}
		if (ns.oom) {
			strbuf_release(&ns);
			ed_parse_err_set(err, path_start, "out of memory");
			goto fail;
		}
		d->namespace = ns.buf;

		const char *atp = memchr(text + last, '@', path_end - last);
		at = atp ? (size_t)(atp - text) : path_end;
		name_end = at;
		if (name_end == last) {
			ed_parse_err_set(err, last, "expected a name after '%.*s'", (int)last, text);
			goto fail;
		}
		/* "dep:generic/zlib>=1.2" is a common slip: a name never holds an
		 * unencoded comparison operator, so say where the version goes */
		for (size_t k = last; k < name_end; k++) {
			if (strchr("<>=!~", text[k])) {
				ed_parse_err_set(err, k, "'%c' in a name; a version is written after "
						 "'@', as in 'dep:generic/zlib@>=1.2'", text[k]);
				goto fail;
			}
		}
		if (!(d->name = pct_decode(text + last, name_end - last, last, "a name", true, err)))
			goto fail;
		if (atp) {
			size_t vs = at + 1, vlen = path_end - vs;
			struct ed_parse_err verr = { 0 };
			if (vlen == 0) {
				ed_parse_err_set(err, at, "expected a version specifier after '@'");
				goto fail;
			}
			if (!(d->version = pct_decode(text + vs, vlen, vs, "a version", true, err)))
				goto fail;
			d->spec = pep440_spec_parse(d->version, strlen(d->version), &verr);
			if (!d->spec) {
				ed_parse_err_set(err, vs + raw_offset(text + vs, vlen, verr.offset),
						 "%s", verr.msg);
				goto fail;
			}
		}
	}

	/* PEP 725: virtual dependencies live in two namespaces */
	if (!strcmp(d->type, "virtual")) {
		if (!d->namespace) {
			ed_parse_err_set(err, path_start, "a virtual DepURL needs a namespace: "
					 "'compiler' or 'interface'");
			goto fail;
		}
		lower(d->namespace);
		if (strcmp(d->namespace, "compiler") && strcmp(d->namespace, "interface")) {
			ed_parse_err_set(err, path_start, "unknown virtual namespace '%s'; expected "
					 "'compiler' or 'interface'", d->namespace);
			goto fail;
		}
	}

	if (has_q && parse_qualifiers(d, text + q_start, q_end - q_start, q_start, err))
		goto fail;
	if (has_h && parse_subpath(d, text + h_start, len - h_start, h_start, err))
		goto fail;

	normalize_names(d);
	if (!strcmp(d->type, "virtual") && !strcmp(d->namespace, "compiler") &&
	    !strcmp(d->name, "cpp")) {
		char *cxx = strdup("cxx");
		if (!cxx) {
			ed_parse_err_set(err, 0, "out of memory");
			goto fail;
		}
		free(d->name);
		d->name = cxx;
		d->aliased = true;
	}
	if (!(d->id = make_id(d))) {
		ed_parse_err_set(err, 0, "out of memory");
		goto fail;
	}
	return d;
fail:
	depurl_free(d);
	return NULL;
}

char *depurl_str(const struct depurl *d)
{
	struct strbuf b = { 0 };

	if (!d || !d->id)
		return NULL;
	strbuf_addstr(&b, d->id);
	if (d->spec) {
		/* PEP 725 writes specifiers unencoded (dep:generic/openssl@>=3); their
		 * characters never collide with PURL separators */
		char *v = pep440_spec_str(d->spec);
		if (!v) {
			strbuf_release(&b);
			return NULL;
		}
		strbuf_add(&b, "@", 1);
		strbuf_addstr(&b, v);
		free(v);
	}
	for (size_t q = 0; q < d->nqualifiers; q++) {
		strbuf_add(&b, q ? "&" : "?", 1);
		strbuf_addstr(&b, d->qualifiers[q].key);
		strbuf_add(&b, "=", 1);
		/* URLs in values (download_url=https://...) stay readable */
		pct_encode(&b, d->qualifiers[q].value, "/");
	}
	if (d->subpath && *d->subpath) {
		strbuf_add(&b, "#", 1);
		pct_encode(&b, d->subpath, "/");
	}
	return strbuf_detach(&b);
}
