/* depurl.c - PEP 725 DepURLs (PURL with the dep: scheme and virtual types).
 *
 * Parsed left to right so that every error can name the byte where it
 * starts. The PURL rules that matter here: '#' starts the subpath and '?' the
 * qualifiers (both must be percent-encoded elsewhere); '@' after the last '/'
 * of the path starts the version; the type is never percent-encoded.
 */
#include "extdeps/read/depurl.h"

#include "extdeps/util/strbuf.h"
#include "extdeps/util/strindex.h"
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
 * and EXTRA, but for those in AVOID (NULL: none). */
static void pct_encode_but(struct strbuf *b, const char *s, const char *extra, const char *avoid)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((isalnum(c) || strchr(".-_~:", c) || (extra && strchr(extra, c))) &&
		    !(avoid && strchr(avoid, c))) {
			strbuf_add(b, (const char *)&c, 1);
		} else {
			char t[3] = { '%', hex[c >> 4], hex[c & 15] };
			strbuf_add(b, t, 3);
		}
	}
}

static void pct_encode(struct strbuf *b, const char *s, const char *extra)
{
	pct_encode_but(b, s, extra, NULL);
}

/* What a name must not hold unencoded: the comparison operators a slip
 * such as "dep:generic/zlib>=1.2" would put there (read_name_version). */
#define NAME_RESERVED "<>=!~"

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

/* One qualifier "key=value", Q[0..LEN) at offset OFF: added to D unless
 * its value is empty. *CAP is the capacity of D's qualifiers, SEEN their
 * keys (a DepURL may hold a hundred thousand). */
static int add_qualifier(struct depurl *d, const char *q, size_t len, size_t off, size_t *cap,
			 struct strindex *seen, struct ed_parse_err *err)
{
	const char *eq = memchr(q, '=', len);
	char *key, *value;
	size_t klen;
	int rc = 0;

	if (len == 0)
		return ed_parse_err_set(err, off, "empty qualifier; expected 'key=value'");
	if (!eq)
		return ed_parse_err_set(err, off, "expected 'key=value' in qualifier '%.*s'", (int)len,
					q);
	klen = (size_t)(eq - q);
	if (klen == 0)
		return ed_parse_err_set(err, off, "empty qualifier key");
	if (isdigit((unsigned char)q[0]))
		return ed_parse_err_set(err, off, "qualifier key '%.*s' must not start with a digit",
					(int)klen, q);
	for (size_t k = 0; k < klen; k++)
		if (!is_key_char(q[k]))
			return ed_parse_err_set(err, off + k, "invalid character '%c' in qualifier key",
						q[k]);
	if (!(value = pct_decode(eq + 1, len - klen - 1, off + klen + 1, "a qualifier", true, err)))
		return -1;
	if (!(key = strndup(q, klen))) {
		free(value);
		return ed_parse_err_set(err, off, "out of memory");
	}
	lower(key);
	if (strindex_get(seen, key, NULL)) {
		rc = ed_parse_err_set(err, off, "duplicate qualifier '%.*s'", (int)klen, q);
		goto out;
	}
	/* PURL: a key with an empty value is the same as no key */
	if (!*value)
		goto out;
	if (!ALLOC_GROW(d->qualifiers, d->nqualifiers + 1, *cap) ||
	    !strindex_put(seen, key, d->nqualifiers)) {
		rc = ed_parse_err_set(err, off, "out of memory");
		goto out;
	}
	d->qualifiers[d->nqualifiers++] = (struct depurl_qualifier){ key, value };
	return 0;
out:
	free(key);
	free(value);
	return rc;
}

/* Qualifiers S[0..LEN) at offset OFF: "k=v&k=v". */
static int parse_qualifiers(struct depurl *d, const char *s, size_t len, size_t off,
			    struct ed_parse_err *err)
{
	struct strindex seen = STRINDEX_INIT;
	size_t pos = 0, cap = 0;

	while (pos <= len && len) {
		const char *amp = memchr(s + pos, '&', len - pos);
		size_t end = amp ? (size_t)(amp - s) : len;

		if (add_qualifier(d, s + pos, end - pos, off + pos, &cap, &seen, err)) {
			strindex_fini(&seen);
			return -1;
		}
		if (!amp)
			break;
		pos = end + 1;
	}
	strindex_fini(&seen);
	if (d->nqualifiers > 1)
		qsort(d->qualifiers, d->nqualifiers, sizeof *d->qualifiers, qual_cmp);
	return 0;
}

/* Percent-decode the '/'-separated segments of S[0..LEN) (at offset OFF)
 * and join them with '/' into *OUT, NULL when none remain. A namespace
 * refuses empty segments. A subpath drops them, and refuses '.' and '..'
 * rather than resolve them, so it can never point outside the package. */
static int join_segments(const char *s, size_t len, size_t off, bool subpath, char **out,
			 struct ed_parse_err *err)
{
	const char *what = subpath ? "a subpath segment" : "a namespace segment";
	struct strbuf b = STRBUF_INIT;

	for (size_t pos = 0, end; pos < len; pos = end + 1) {
		const char *slash = memchr(s + pos, '/', len - pos);
		char *seg;

		end = slash ? (size_t)(slash - s) : len;

		if (end == pos && subpath)
			continue;
		if (end == pos) {
			ed_parse_err_set(err, off + pos, "empty namespace segment");
			goto fail;
		}
		if (!(seg = pct_decode(s + pos, end - pos, off + pos, what, false, err)))
			goto fail;
		if (subpath && (!strcmp(seg, ".") || !strcmp(seg, ".."))) {
			ed_parse_err_set(err, off + pos, "'%s' is not allowed in a subpath", seg);
			free(seg);
			goto fail;
		}
		if (b.len)
			strbuf_addch(&b, '/');
		strbuf_addstr(&b, seg);
		free(seg);
	}
	if (b.oom) {
		ed_parse_err_set(err, off, "out of memory");
		goto fail;
	}
	*out = b.buf;
	return 0;
fail:
	strbuf_release(&b);
	return -1;
}

static char *make_id(const struct depurl *d)
{
	struct strbuf b = STRBUF_INIT;

	strbuf_addstr(&b, "dep:");
	strbuf_addstr(&b, d->type);
	strbuf_addch(&b, '/');
	if (d->namespace) {
		/* the namespace keeps its '/' separators (a segment never holds
		 * one: an encoded '/' is refused there) */
		pct_encode(&b, d->namespace, "/");
		strbuf_addch(&b, '/');
	}
	pct_encode_but(&b, d->name, NULL, NAME_RESERVED);
	return strbuf_detach(&b);
}

/* Where the parts of a DepURL lie in its text. */
struct layout {
	size_t start;             /* the path, after the scheme */
	size_t path_start;        /* the namespace, after the type */
	size_t path_end;          /* the first '?' or '#', or the end */
	size_t q_start, q_end;    /* the qualifiers, when has_q */
	size_t h_start;           /* the subpath, when has_h */
	bool has_q, has_h;
	bool virtual_legacy;      /* "virtual:", whose scheme is the type */
};

/* Printable ASCII without spaces: the caller strips the text around a
 * DepURL, and anything else must be percent-encoded. */
static int check_chars(const char *text, size_t len, struct ed_parse_err *err)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (isspace(c))
			return ed_parse_err_set(err, i, "whitespace is not allowed in a DepURL");
		if (c < 0x20 || c == 0x7f)
			return ed_parse_err_set(err, i, "control character in a DepURL");
		if (c >= 0x80)
			return ed_parse_err_set(err, i, "non-ASCII character in a DepURL; "
						"percent-encode it as UTF-8");
	}
	return 0;
}

/* The scheme: dep:, or the drafts' pkg: and virtual:. */
static int read_scheme(struct depurl *d, const char *text, size_t len, struct layout *lay,
		       struct ed_parse_err *err)
{
	size_t colon = 0, i;

	while (colon < len && isalpha((unsigned char)text[colon]))
		colon++;
	if (colon == len || text[colon] != ':')
		return ed_parse_err_set(err, 0, "expected 'dep:' scheme");
	if (colon == 3 && !strncasecmp(text, "dep", 3)) {
		/* the canonical scheme */
	} else if (colon == 3 && !strncasecmp(text, "pkg", 3)) {
		d->legacy = true;
	} else if (colon == 7 && !strncasecmp(text, "virtual", 7)) {
		d->legacy = true;
		lay->virtual_legacy = true;
	} else {
		return ed_parse_err_set(err, 0, "expected 'dep:' scheme, not '%.*s:'", (int)colon,
					text);
	}
	i = colon + 1;
	/* PURL: parsers accept and ignore "pkg://" */
	while (i < len && text[i] == '/')
		i++;
	lay->start = i;
	return 0;
}

/* Where the path ends, and the qualifiers and subpath after it, neither of
 * which may hold its own separator unencoded. */
static int find_parts(const char *text, size_t len, struct layout *lay, struct ed_parse_err *err)
{
	size_t end = lay->start;

	while (end < len && text[end] != '?' && text[end] != '#')
		end++;
	lay->path_end = lay->q_end = end;
	if (end < len && text[end] == '?') {
		lay->has_q = true;
		lay->q_start = end + 1;
		for (lay->q_end = lay->q_start; lay->q_end < len && text[lay->q_end] != '#';
		     lay->q_end++)
			if (text[lay->q_end] == '?')
				return ed_parse_err_set(err, lay->q_end, "'?' must be percent-encoded "
							"as '%%3F' in qualifiers");
	}
	if (lay->q_end < len) {
		lay->has_h = true;
		lay->h_start = lay->q_end + 1;
		const char *hash = memchr(text + lay->h_start, '#', len - lay->h_start);
		if (hash)
			return ed_parse_err_set(err, (size_t)(hash - text), "'#' must be "
						"percent-encoded as '%%23' in a subpath");
	}
	return 0;
}

/* The type, lower-cased: the path up to its first '/'. */
static int read_type(struct depurl *d, const char *text, struct layout *lay,
		     struct ed_parse_err *err)
{
	size_t i = lay->start, t = i;

	if (lay->virtual_legacy) {
		lay->path_start = i;
		if (!(d->type = strdup("virtual")))
			return ed_parse_err_set(err, 0, "out of memory");
		return 0;
	}
	while (t < lay->path_end && text[t] != '/')
		t++;
	if (t == i)
		return ed_parse_err_set(err, i, "expected a type such as 'generic' or 'virtual' "
					"after '%.*s'", (int)(i), text);
	if (!isalpha((unsigned char)text[i]))
		return ed_parse_err_set(err, i, "type '%.*s' must start with a letter",
					(int)(t - i), text + i);
	for (size_t k = i; k < t; k++)
		if (!is_type_char(text[k]))
			return ed_parse_err_set(err, k, "invalid character '%c' in type '%.*s'",
						text[k], (int)(t - i), text + i);
	if (!(d->type = strndup(text + i, t - i)))
		return ed_parse_err_set(err, i, "out of memory");
	lower(d->type);
	if (t == lay->path_end)
		return ed_parse_err_set(err, t, "expected '/' and a name after type '%s'", d->type);
	lay->path_start = t + 1;
	return 0;
}

/* The name and the optional @version in TEXT[LAST..END). */
static int read_name_version(struct depurl *d, const char *text, size_t last, size_t end,
			     struct ed_parse_err *err)
{
	const char *atp = memchr(text + last, '@', end - last);
	size_t at = atp ? (size_t)(atp - text) : end;
	struct ed_parse_err verr = { 0 };

	if (at == last)
		return ed_parse_err_set(err, last, "expected a name after '%.*s'", (int)last, text);
	/* "dep:generic/zlib>=1.2" is a common slip: a name never holds an
	 * unencoded comparison operator, so say where the version goes */
	for (size_t k = last; k < at; k++)
		if (strchr(NAME_RESERVED, text[k]))
			return ed_parse_err_set(err, k, "'%c' in a name; a version is written "
						"after '@', as in 'dep:generic/zlib@>=1.2'", text[k]);
	if (!(d->name = pct_decode(text + last, at - last, last, "a name", true, err)))
		return -1;
	if (!atp)
		return 0;

	size_t vs = at + 1, vlen = end - vs;
	if (vlen == 0)
		return ed_parse_err_set(err, at, "expected a version specifier after '@'");
	if (!(d->version = pct_decode(text + vs, vlen, vs, "a version", true, err)))
		return -1;
	if (!(d->spec = pep440_spec_parse(d->version, strlen(d->version), &verr)))
		return ed_parse_err_set(err, vs + raw_offset(text + vs, vlen, verr.offset), "%s",
					verr.msg);
	return 0;
}

/* The namespace segments, the name and the version: '@' after the last '/'
 * starts the version. */
static int read_path(struct depurl *d, const char *text, const struct layout *lay,
		     struct ed_parse_err *err)
{
	size_t last = lay->path_end;

	while (last > lay->path_start && text[last - 1] != '/')
		last--;
	if (join_segments(text + lay->path_start, last - lay->path_start, lay->path_start, false,
			  &d->namespace, err))
		return -1;
	return read_name_version(d, text, last, lay->path_end, err);
}

/* PEP 725: virtual dependencies live in two namespaces. */
static int check_virtual(struct depurl *d, const struct layout *lay, struct ed_parse_err *err)
{
	if (strcmp(d->type, "virtual"))
		return 0;
	if (!d->namespace)
		return ed_parse_err_set(err, lay->path_start, "a virtual DepURL needs a namespace: "
					"'compiler' or 'interface'");
	lower(d->namespace);
	if (strcmp(d->namespace, "compiler") && strcmp(d->namespace, "interface"))
		return ed_parse_err_set(err, lay->path_start, "unknown virtual namespace '%s'; "
					"expected 'compiler' or 'interface'", d->namespace);
	return 0;
}

/* Names in their canonical case, the cpp alias rewritten, and the id. */
static int canonicalize(struct depurl *d, struct ed_parse_err *err)
{
	normalize_names(d);
	if (!strcmp(d->type, "virtual") && !strcmp(d->namespace, "compiler") &&
	    !strcmp(d->name, "cpp")) {
		char *cxx = strdup("cxx");
		if (!cxx)
			return ed_parse_err_set(err, 0, "out of memory");
		free(d->name);
		d->name = cxx;
		d->aliased = true;
	}
	if (!(d->id = make_id(d)))
		return ed_parse_err_set(err, 0, "out of memory");
	return 0;
}

struct depurl *depurl_parse(const char *text, size_t len, struct ed_parse_err *err)
{
	struct depurl *d = calloc(1, sizeof *d);
	struct layout lay = { 0 };

	if (!d) {
		ed_parse_err_set(err, 0, "out of memory");
		return NULL;
	}
	if (!text)
		len = 0;
	if (check_chars(text, len, err) || read_scheme(d, text, len, &lay, err) ||
	    find_parts(text, len, &lay, err) || read_type(d, text, &lay, err) ||
	    read_path(d, text, &lay, err) || check_virtual(d, &lay, err) ||
	    (lay.has_q &&
	     parse_qualifiers(d, text + lay.q_start, lay.q_end - lay.q_start, lay.q_start, err)) ||
	    (lay.has_h &&
	     join_segments(text + lay.h_start, len - lay.h_start, lay.h_start, true, &d->subpath,
			   err)) ||
	    canonicalize(d, err)) {
		depurl_free(d);
		return NULL;
	}
	return d;
}

char *depurl_str(const struct depurl *d)
{
	struct strbuf b = STRBUF_INIT;

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

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

bool depurl_same(const struct depurl *a, const struct depurl *b)
{
	char *va, *vb;
	bool same;

	if (!str_same(a->type, b->type) || !str_same(a->namespace, b->namespace) ||
	    !str_same(a->name, b->name) || !str_same(a->id, b->id) ||
	    !str_same(a->subpath, b->subpath) || a->nqualifiers != b->nqualifiers ||
	    !a->spec != !b->spec)
		return false;
	for (size_t i = 0; i < a->nqualifiers; i++)
		if (strcmp(a->qualifiers[i].key, b->qualifiers[i].key) ||
		    strcmp(a->qualifiers[i].value, b->qualifiers[i].value))
			return false;
	if (!a->spec)
		return true;
	va = pep440_spec_str(a->spec);
	vb = pep440_spec_str(b->spec);
	same = va && vb && !strcmp(va, vb);
	free(va);
	free(vb);
	return same;
}
