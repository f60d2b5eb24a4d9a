/* apt_sources.c - the host's apt configuration: sources.list(5) and deb822
 * *.sources files, apt's list file names, and the lists on disk. */
#include "extdeps/eco/apt_sources.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "extdeps/util/util.h"

#define PATH_BUF 4096

bool apt_valid_arch(const char *a)
{
	if (!*a || strlen(a) > 32)
		return false;
	for (; *a; a++)
		if (!islower((unsigned char)*a) && !isdigit((unsigned char)*a) && *a != '-')
			return false;
	return true;
}

/* --- sources --- */

static void source_fini(struct apt_source *src)
{
	free(src->uri);
	free(src->suite);
	util_strv_free(src->components, src->ncomponents);
	util_strv_free(src->archs, src->narchs);
	free(src->file);
	memset(src, 0, sizeof *src);
}

void apt_sources_fini(struct apt_sources *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		source_fini(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* Append a copy of SRC's strings; takes nothing from SRC. */
static int sources_push(struct apt_sources *s, const struct apt_source *src, struct ed_diag *d)
{
	struct apt_source *v = realloc(s->v, (s->n + 1) * sizeof *v), *n;

	if (!v)
		return ed_diag_oom(d);
	s->v = v;
	n = &v[s->n];
	memset(n, 0, sizeof *n);
	n->uri = util_strdup(src->uri);
	n->suite = util_strdup(src->suite);
	n->file = util_strdup(src->file);
	n->line = src->line;
	if (!n->uri || !n->suite || !n->file)
		goto fail;
	for (size_t i = 0; i < src->ncomponents; i++)
		if (!util_strv_push(&n->components, &n->ncomponents, src->components[i]))
			goto fail;
	for (size_t i = 0; i < src->narchs; i++)
		if (!util_strv_push(&n->archs, &n->narchs, src->archs[i]))
			goto fail;
	s->n++;
	return 0;
fail:
	source_fini(n);
	return ed_diag_oom(d);
}

/* Split [P, END) on whitespace and commas into *LIST. */
static bool split_words(const char *p, const char *end, char ***list, size_t *n)
{
	while (p < end) {
		const char *w;

		while (p < end && (isspace((unsigned char)*p) || *p == ','))
			p++;
		w = p;
		while (p < end && !isspace((unsigned char)*p) && *p != ',')
			p++;
		if (p > w) {
			char *word = util_strndup(w, (size_t)(p - w));
			bool ok = word && util_strv_push(list, n, word);

			free(word);
			if (!ok)
				return false;
		}
	}
	return true;
}

static bool is_flat(const char *suite)
{
	size_t len = strlen(suite);

	return len > 0 && suite[len - 1] == '/';
}

/* The length of URI without its trailing '/'s. */
static size_t uri_len(const char *uri)
{
	size_t n = strlen(uri);

	while (n > 0 && uri[n - 1] == '/')
		n--;
	return n;
}

bool apt_sources_have(const struct apt_sources *s, const char *uri, const char *suite)
{
	size_t n = uri_len(uri);

	for (size_t i = 0; i < s->n; i++)
		if (uri_len(s->v[i].uri) == n && !strncmp(s->v[i].uri, uri, n) &&
		    !strcmp(s->v[i].suite, suite))
			return true;
	return false;
}

bool apt_sources_have_component(const struct apt_sources *s, const char *component)
{
	for (size_t i = 0; i < s->n; i++)
		for (size_t k = 0; !is_flat(s->v[i].suite) && k < s->v[i].ncomponents; k++)
			if (!strcmp(s->v[i].components[k], component))
				return true;
	return false;
}

/* The checks apt makes on an entry, reported at FILE:LINE. */
static int source_check(const struct apt_source *src, int col, struct ed_diag *d)
{
	if (is_flat(src->suite) && src->ncomponents)
		return ed_diag_set(d, ED_EXIT_ENV, src->file, src->line, col,
				   "suite '%s' is a flat repository path but components follow",
				   src->suite);
	if (!is_flat(src->suite) && !src->ncomponents)
		return ed_diag_set(d, ED_EXIT_ENV, src->file, src->line, col,
				   "suite '%s' needs at least one component", src->suite);
	for (size_t i = 0; i < src->narchs; i++)
		if (!apt_valid_arch(src->archs[i]))
			return ed_diag_set(d, ED_EXIT_ENV, src->file, src->line, col,
					   "'%s' is not an architecture name", src->archs[i]);
	return 0;
}

/* The next whitespace-delimited token of LINE at *P, as [*START, *END). */
static bool next_token(const char *line, size_t *p, size_t *start, size_t *end)
{
	while (line[*p] && isspace((unsigned char)line[*p]))
		(*p)++;
	if (!line[*p])
		return false;
	*start = *p;
	while (line[*p] && !isspace((unsigned char)line[*p]))
		(*p)++;
	*end = *p;
	return true;
}

static int parse_list_line(char *line, const char *file, int lineno, struct apt_sources *s,
			   struct ed_diag *d)
{
	struct apt_source src = { .file = (char *)file, .line = lineno };
	char **words = NULL;
	size_t nwords = 0, p = 0, ts, te, st, en;
	bool is_deb;
	int rc = 0;
	char *hash = strchr(line, '#');

	/* apt drops everything from '#' on, also after an entry. */
	if (hash)
		*hash = '\0';
	if (!next_token(line, &p, &ts, &te))
		return 0;
	is_deb = te - ts == 3 && !strncmp(line + ts, "deb", 3);
	if (!is_deb && !(te - ts == 7 && !strncmp(line + ts, "deb-src", 7)))
		return ed_diag_set(d, ED_EXIT_ENV, file, lineno, (int)ts + 1,
				   "'%.*s' is not a source type (expected 'deb' or 'deb-src')",
				   (int)(te - ts), line + ts);
	while (line[p] && isspace((unsigned char)line[p]))
		p++;
	if (line[p] == '[') {
		char *close = strchr(line + p, ']');
		size_t op, os, oe;

		if (!close)
			return ed_diag_set(d, ED_EXIT_ENV, file, lineno, (int)p + 1,
					   "unterminated option list: expected ']'");
		*close = '\0';
		op = p + 1;
		while (next_token(line, &op, &os, &oe)) {
			char saved = line[oe];

			line[oe] = '\0';
			/* Only arch= decides which lists exist; arch+= and arch-=
			 * adjust apt's default set, which we approximate by ours. */
			if (!strncmp(line + os, "arch=", 5) &&
			    !split_words(line + os + 5, line + oe, &src.archs, &src.narchs)) {
				line[oe] = saved;
				rc = ed_diag_oom(d);
				goto out;
			}
			line[oe] = saved;
		}
		*close = ']';
		p = (size_t)(close - line) + 1;
	}
	if (!next_token(line, &p, &st, &en)) {
		rc = ed_diag_set(d, ED_EXIT_ENV, file, lineno, (int)p + 1, "expected a URI");
		goto out;
	}
	if (!is_deb)
		goto out;
	src.uri = util_strndup(line + st, en - st);
	if (!next_token(line, &p, &st, &en)) {
		rc = ed_diag_set(d, ED_EXIT_ENV, file, lineno, (int)p + 1, "expected a suite");
		goto out;
	}
	src.suite = util_strndup(line + st, en - st);
	if (!src.uri || !src.suite || !split_words(line + p, line + strlen(line), &words, &nwords)) {
		rc = ed_diag_oom(d);
		goto out;
	}
	src.components = words;
	src.ncomponents = nwords;
	rc = source_check(&src, (int)st + 1, d);
	if (!rc)
		rc = sources_push(s, &src, d);
out:
	free(src.uri);
	free(src.suite);
	util_strv_free(words, nwords);
	util_strv_free(src.archs, src.narchs);
	return rc;
}

int apt_sources_parse_list(const char *text, const char *file, struct apt_sources *s,
			   struct ed_diag *d)
{
	int lineno = 0, rc = 0;

	for (const char *p = text; *p && !rc;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = util_strndup(p, len);

		lineno++;
		if (!line)
			return ed_diag_oom(d);
		rc = parse_list_line(line, file, lineno, s, d);
		free(line);
		p += len + (nl ? 1 : 0);
	}
	return rc;
}

/* deb822: one field of the stanza being read. */
struct field {
	const char *key;
	char *value; /* continuation lines joined with a space */
};

enum { F_TYPES, F_URIS, F_SUITES, F_COMPONENTS, F_ARCHS, F_ENABLED, F_COUNT };

static const char *const field_names[F_COUNT] = {
	"Types", "URIs", "Suites", "Components", "Architectures", "Enabled",
};

/* apt's StringToBool for the false side. */
static bool is_false(const char *v)
{
	static const char *const no[] = { "no", "false", "without", "off", "disable", "0" };

	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (!strcasecmp(v, no[i]))
			return true;
	return false;
}

static bool has_word(const char *text, const char *word)
{
	char **w = NULL;
	size_t n = 0;
	bool found = false;

	if (!text || !split_words(text, text + strlen(text), &w, &n))
		return false;
	for (size_t i = 0; i < n; i++)
		found |= !strcmp(w[i], word);
	util_strv_free(w, n);
	return found;
}

static int stanza_emit(struct field *f, const char *file, int line, struct apt_sources *s,
		       struct ed_diag *d)
{
	struct apt_source src = { .file = (char *)file, .line = line };
	char **uris = NULL, **suites = NULL;
	size_t nuris = 0, nsuites = 0;
	int rc = 0;

	if (!f[F_TYPES].value)
		return ed_diag_set(d, ED_EXIT_ENV, file, line, 1, "entry has no 'Types' field");
	if (!has_word(f[F_TYPES].value, "deb") ||
	    (f[F_ENABLED].value && is_false(f[F_ENABLED].value)))
		return 0;
	if (!f[F_URIS].value)
		return ed_diag_set(d, ED_EXIT_ENV, file, line, 1, "entry has no 'URIs' field");
	if (!f[F_SUITES].value)
		return ed_diag_set(d, ED_EXIT_ENV, file, line, 1, "entry has no 'Suites' field");
	if (!split_words(f[F_URIS].value, f[F_URIS].value + strlen(f[F_URIS].value), &uris, &nuris) ||
	    !split_words(f[F_SUITES].value, f[F_SUITES].value + strlen(f[F_SUITES].value), &suites,
			 &nsuites) ||
	    (f[F_COMPONENTS].value &&
	     !split_words(f[F_COMPONENTS].value,
			  f[F_COMPONENTS].value + strlen(f[F_COMPONENTS].value), &src.components,
			  &src.ncomponents)) ||
	    (f[F_ARCHS].value &&
	     !split_words(f[F_ARCHS].value, f[F_ARCHS].value + strlen(f[F_ARCHS].value), &src.archs,
			  &src.narchs))) {
		rc = ed_diag_oom(d);
		goto out;
	}
	for (size_t i = 0; i < nuris && !rc; i++)
		for (size_t j = 0; j < nsuites && !rc; j++) {
			src.uri = uris[i];
			src.suite = suites[j];
			rc = source_check(&src, 1, d);
			if (!rc)
				rc = sources_push(s, &src, d);
		}
out:
	util_strv_free(uris, nuris);
	util_strv_free(suites, nsuites);
	util_strv_free(src.components, src.ncomponents);
	util_strv_free(src.archs, src.narchs);
	return rc;
}

static void fields_clear(struct field *f)
{
	for (int i = 0; i < F_COUNT; i++) {
		free(f[i].value);
		f[i].value = NULL;
	}
}

int apt_sources_parse_deb822(const char *text, const char *file, struct apt_sources *s,
			     struct ed_diag *d)
{
	struct field f[F_COUNT];
	struct field *last = NULL; /* the field continuation lines extend */
	int lineno = 0, stanza_line = 0, rc = 0;
	bool in_stanza = false;

	for (int i = 0; i < F_COUNT; i++)
		f[i] = (struct field){ .key = field_names[i] };
	for (const char *p = text; !rc;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		bool blank = true;

		if (!*p && !nl)
			break;
		lineno++;
		for (size_t i = 0; i < len; i++)
			blank &= isspace((unsigned char)p[i]) != 0;
		if (len && p[0] == '#') {
			/* comment lines may sit inside a stanza */
		} else if (blank) {
			if (in_stanza)
				rc = stanza_emit(f, file, stanza_line, s, d);
			fields_clear(f);
			in_stanza = false;
			last = NULL;
		} else if (p[0] == ' ' || p[0] == '\t') {
			if (!in_stanza) {
				rc = ed_diag_set(d, ED_EXIT_ENV, file, lineno, 1,
						 "continuation line outside a field");
			} else if (last) {
				char *joined = NULL;

				if (asprintf(&joined, "%s %.*s", last->value, (int)len, p) < 0)
					rc = ed_diag_oom(d);
				else {
					free(last->value);
					last->value = joined;
				}
			}
		} else {
			const char *colon = memchr(p, ':', len);
			const char *v;

			if (!colon) {
				rc = ed_diag_set(d, ED_EXIT_ENV, file, lineno, 1,
						 "expected 'Field: value'");
				break;
			}
			if (!in_stanza)
				stanza_line = lineno;
			in_stanza = true;
			last = NULL;
			v = colon + 1;
			while (v < p + len && isspace((unsigned char)*v))
				v++;
			for (int i = 0; i < F_COUNT; i++) {
				if (strlen(f[i].key) != (size_t)(colon - p) ||
				    strncasecmp(f[i].key, p, (size_t)(colon - p)))
					continue;
				free(f[i].value);
				f[i].value = util_strndup(v, (size_t)(p + len - v));
				if (!f[i].value)
					rc = ed_diag_oom(d);
				last = &f[i];
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (!rc && in_stanza)
		rc = stanza_emit(f, file, stanza_line, s, d);
	fields_clear(f);
	return rc;
}

/* ROOT joined with ABS (which starts with '/'), without doubling the '/'. */
static int read_sources_file(const char *path, bool deb822, struct apt_sources *s,
			     struct ed_diag *d)
{
	struct stat st;
	size_t len;
	char *text;
	int rc;

	if (stat(path, &st) != 0 && errno == ENOENT)
		return 0;
	text = util_read_file(path, &len, d);
	if (!text) {
		d->status = ED_EXIT_ENV;
		return ED_EXIT_ENV;
	}
	rc = deb822 ? apt_sources_parse_deb822(text, path, s, d)
		    : apt_sources_parse_list(text, path, s, d);
	free(text);
	return rc;
}

/* apt reads only these names in sources.list.d, and warns about others. */
static int sources_name_kind(const char *name)
{
	size_t len = strlen(name);

	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return 0;
	if (len > 5 && !strcmp(name + len - 5, ".list"))
		return 1;
	if (len > 8 && !strcmp(name + len - 8, ".sources"))
		return 2;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int apt_sources_read(const char *root, struct apt_sources *s, struct ed_diag *d)
{
	char path[PATH_BUF], dirpath[PATH_BUF];
	char **names = NULL;
	size_t nnames = 0;
	struct dirent *e;
	DIR *dir;
	int rc;

	if (!util_join_root(root, "/etc/apt/sources.list", path, sizeof path) ||
	    !util_join_root(root, "/etc/apt/sources.list.d", dirpath, sizeof dirpath))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "root path too long: '%s'", root);
	rc = read_sources_file(path, false, s, d);
	if (rc)
		return rc;
	dir = opendir(dirpath);
	if (!dir)
		return 0;
	while ((e = readdir(dir))) {
		if (sources_name_kind(e->d_name) && !util_strv_push(&names, &nnames, e->d_name)) {
			closedir(dir);
			util_strv_free(names, nnames);
			return ed_diag_oom(d);
		}
	}
	closedir(dir);
	if (nnames)
		qsort(names, nnames, sizeof *names, cmp_str);
	for (size_t i = 0; i < nnames && !rc; i++) {
		int n = snprintf(path, sizeof path, "%s/%s", dirpath, names[i]);

		if (n < 0 || (size_t)n >= sizeof path)
			continue;
		rc = read_sources_file(path, sources_name_kind(names[i]) == 2, s, d);
	}
	util_strv_free(names, nnames);
	return rc;
}

/* --- list file names --- */

bool apt_uri_to_filename(const char *uri, char *out, size_t size)
{
	/* apt's QuoteString set for file names, plus '%', controls and 8-bit */
	static const char bad[] = "\\|{}[]<>\"^~_=!@#$%^&*";
	const char *p = uri, *at, *slash;
	size_t o = 0;

	/* Drop "scheme:" and "//", then any "user[:password]@". */
	for (const char *q = uri; *q; q++) {
		if (*q == ':') {
			p = q + 1;
			break;
		}
		if (!isalnum((unsigned char)*q) && *q != '+' && *q != '-' && *q != '.')
			break;
	}
	if (p[0] == '/' && p[1] == '/') {
		p += 2;
		slash = strchr(p, '/');
		at = strchr(p, '@');
		if (at && (!slash || at < slash))
			p = at + 1;
		/* [v6addr]: apt prints the host bare once the scheme is gone */
		if (*p == '[') {
			const char *close = strchr(p, ']');

			if (close && (!slash || close < slash)) {
				size_t hl = (size_t)(close - p - 1);

				if (hl + 1 > size)
					return false;
				memcpy(out, p + 1, hl);
				o = hl;
				p = close + 1;
			}
		}
	}
	for (; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch <= 0x20 || ch >= 0x7f || strchr(bad, ch)) {
			if (o + 4 > size)
				return false;
			o += (size_t)snprintf(out + o, size - o, "%%%02x", ch);
		} else {
			if (o + 2 > size)
				return false;
			out[o++] = ch == '/' ? '_' : (char)ch;
		}
	}
	out[o] = '\0';
	return true;
}

bool apt_list_name(const struct apt_source *src, const char *component, const char *arch,
		   char *out, size_t size)
{
	size_t ul = strlen(src->uri);
	const char *sep = ul && src->uri[ul - 1] == '/' ? "" : "/";
	char *uri = NULL;
	bool ok;
	int n;

	/* apt's MetaIndexURI: "/" is the URI itself, another flat path is
	 * appended, a suite lives under dists/. */
	if (!strcmp(src->suite, "/"))
		n = asprintf(&uri, "%s%sPackages", src->uri, sep);
	else if (is_flat(src->suite))
		n = asprintf(&uri, "%s%s%sPackages", src->uri, sep, src->suite);
	else
		n = asprintf(&uri, "%s%sdists/%s/%s/binary-%s/Packages", src->uri, sep, src->suite,
			     component, arch);
	if (n < 0)
		return false;
	ok = apt_uri_to_filename(uri, out, size);
	free(uri);
	return ok;
}

/* --- finding the lists --- */

void apt_lists_fini(struct apt_lists *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].label);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Compression suffixes apt may keep lists under (Acquire::GzipIndexes,
 * Acquire::CompressionTypes); plain first. */
static const char *const list_suffixes[] = { "", ".lz4", ".zst", ".gz", ".xz", ".bz2" };

/* Add the list NAME in LISTDIR when a file exists; true when found. */
static bool lists_add(struct apt_lists *l, const char *listdir, const char *name,
		      const char *label, bool *oom_flag)
{
	char path[PATH_BUF];
	struct stat st;

	for (size_t i = 0; i < sizeof list_suffixes / sizeof list_suffixes[0]; i++) {
		int n = snprintf(path, sizeof path, "%s/%s%s", listdir, name, list_suffixes[i]);
		struct apt_list *v;

		if (n < 0 || (size_t)n >= sizeof path || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		for (size_t j = 0; j < l->n; j++)
			if (!strcmp(l->v[j].path, path))
				return true;
		v = realloc(l->v, (l->n + 1) * sizeof *v);
		if (!v) {
			*oom_flag = true;
			return true;
		}
		l->v = v;
		v[l->n].path = util_strdup(path);
		v[l->n].label = util_strdup(label);
		if (!v[l->n].path || !v[l->n].label) {
			free(v[l->n].path);
			free(v[l->n].label);
			*oom_flag = true;
			return true;
		}
		l->n++;
		return true;
	}
	return false;
}

/* dpkg's architectures: ARCH, then those in ROOT/var/lib/dpkg/arch. */
static bool dpkg_archs(const char *root, const char *arch, char ***archs, size_t *n)
{
	char path[PATH_BUF], line[128];
	FILE *f;

	if (!util_strv_push(archs, n, arch))
		return false;
	if (!util_join_root(root, "/var/lib/dpkg/arch", path, sizeof path) || !(f = util_fopen_regular(path)))
		return true;
	while (fgets(line, sizeof line, f)) {
		bool dup = false;

		line[strcspn(line, " \t\r\n")] = '\0';
		if (!apt_valid_arch(line))
			continue;
		for (size_t i = 0; i < *n; i++)
			dup |= !strcmp((*archs)[i], line);
		if (!dup && !util_strv_push(archs, n, line)) {
			fclose(f);
			return false;
		}
	}
	fclose(f);
	return true;
}

int apt_lists_find(const char *root, const struct apt_sources *sources, const char *arch,
		   struct apt_lists *out, struct ed_diag *d)
{
	char listdir[PATH_BUF], name[PATH_BUF], label[512];
	char **defaults = NULL;
	size_t ndefaults = 0;
	bool no_mem = false;

	memset(out, 0, sizeof *out);
	if (!util_join_root(root, "/var/lib/apt/lists", listdir, sizeof listdir))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "root path too long: '%s'", root);
	if (!dpkg_archs(root, arch, &defaults, &ndefaults)) {
		util_strv_free(defaults, ndefaults);
		return ed_diag_oom(d);
	}
	for (size_t i = 0; i < sources->n && !no_mem; i++) {
		const struct apt_source *src = &sources->v[i];
		char *const *archs = src->narchs ? src->archs : defaults;
		size_t narchs = src->narchs ? src->narchs : ndefaults;

		if (is_flat(src->suite)) {
			snprintf(label, sizeof label, "%s", src->suite);
			if (apt_list_name(src, NULL, NULL, name, sizeof name) &&
			    !lists_add(out, listdir, name, label, &no_mem))
				out->missing++;
			continue;
		}
		for (size_t c = 0; c < src->ncomponents; c++) {
			for (size_t a = 0; a < narchs; a++) {
				snprintf(label, sizeof label, "%s/%s/%s", src->suite,
					 src->components[c], archs[a]);
				if (apt_list_name(src, src->components[c], archs[a], name, sizeof name) &&
				    !lists_add(out, listdir, name, label, &no_mem))
					out->missing++;
			}
			/* binary-all exists only where the Release file lists "all"
			 * as an architecture: optional. */
			snprintf(label, sizeof label, "%s/%s/all", src->suite, src->components[c]);
			if (apt_list_name(src, src->components[c], "all", name, sizeof name))
				lists_add(out, listdir, name, label, &no_mem);
		}
	}
	util_strv_free(defaults, ndefaults);
	if (no_mem) {
		apt_lists_fini(out);
		return ed_diag_oom(d);
	}
	return 0;
}
