/* apt.c - the apt/dpkg backend: Debian and Ubuntu. */
#include "extdeps/eco/apt.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <lz4frame.h>

#include <solv/knownid.h>
#include <solv/queue.h>
#include <solv/repodata.h>
#include <solv/solvable.h>
#include <solv/util.h>

#include "extdeps/eco/aptrepo.h"
#include "extdeps/eco/eco.h"
#include "extdeps/eco/solvext.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/util.h"

#define PATH_BUF 4096

/* --- architectures --- */

static const struct {
	const char *machine, *dpkg;
} arch_table[] = {
	{ "x86_64", "amd64" },     { "amd64", "amd64" },     { "i386", "i386" },
	{ "i486", "i386" },        { "i586", "i386" },       { "i686", "i386" },
	{ "aarch64", "arm64" },    { "arm64", "arm64" },     { "armv8l", "armhf" },
	{ "armv7l", "armhf" },     { "armv6l", "armel" },    { "armv5tel", "armel" },
	{ "ppc64le", "ppc64el" },  { "ppc64", "ppc64" },     { "s390x", "s390x" },
	{ "riscv64", "riscv64" },  { "loongarch64", "loong64" }, { "mips64", "mips64el" },
	{ "alpha", "alpha" },      { "ia64", "ia64" },       { "m68k", "m68k" },
	{ "sparc64", "sparc64" },
};

const char *apt_arch_from_machine(const char *machine)
{
	for (size_t i = 0; machine && i < sizeof arch_table / sizeof arch_table[0]; i++)
		if (!strcmp(machine, arch_table[i].machine))
			return arch_table[i].dpkg;
	return NULL;
}

const char *apt_host_arch(void)
{
	struct utsname u;

	/* A table instead of `dpkg --print-architecture`: no subprocess, and it
	 * works where dpkg is absent (a target other than this machine). */
	if (uname(&u) != 0)
		return NULL;
	return apt_arch_from_machine(u.machine);
}

static bool valid_arch(const char *a)
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

static int oom(struct ed_diag *d)
{
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
}

/* Append a copy of SRC's strings; takes nothing from SRC. */
static int sources_push(struct apt_sources *s, const struct apt_source *src, struct ed_diag *d)
{
	struct apt_source *v = realloc(s->v, (s->n + 1) * sizeof *v), *n;

	if (!v)
		return oom(d);
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
	return oom(d);
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
		if (!valid_arch(src->archs[i]))
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
				rc = oom(d);
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
		rc = oom(d);
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
			return oom(d);
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
		rc = oom(d);
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
					rc = oom(d);
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
					rc = oom(d);
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
static bool join_root(const char *root, const char *abs, char *out, size_t size)
{
	size_t rl = strlen(root);
	int n;

	while (rl > 0 && root[rl - 1] == '/')
		rl--;
	n = snprintf(out, size, "%.*s%s", (int)rl, root, abs);
	return n > 0 && (size_t)n < size;
}

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

	if (!join_root(root, "/etc/apt/sources.list", path, sizeof path) ||
	    !join_root(root, "/etc/apt/sources.list.d", dirpath, sizeof dirpath))
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
			return oom(d);
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
	if (!join_root(root, "/var/lib/dpkg/arch", path, sizeof path) || !(f = fopen(path, "re")))
		return true;
	while (fgets(line, sizeof line, f)) {
		bool dup = false;

		line[strcspn(line, " \t\r\n")] = '\0';
		if (!valid_arch(line))
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
	if (!join_root(root, "/var/lib/apt/lists", listdir, sizeof listdir))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "root path too long: '%s'", root);
	if (!dpkg_archs(root, arch, &defaults, &ndefaults)) {
		util_strv_free(defaults, ndefaults);
		return oom(d);
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
		return oom(d);
	}
	return 0;
}

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
	z->f = fopen(path, "rbe");
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
	for (size_t i = 0; i < got; i++) {
		char ch = buf[i];

		/* libsolv reads a NUL as a newline; so do we */
		if (ch == '\n' || ch == '\0') {
			scan_line(sc);
			sc->linelen = 0;
			sc->line_long = false;
		} else if (sc->linelen < sizeof sc->line) {
			sc->line[sc->linelen++] = ch;
		} else {
			sc->line_long = true;
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
		oom(d);
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
		oom(d);
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
			    "cannot read '%s': corrupt or truncated data; run 'apt-get update'",
			    path);
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
	FILE *f = fopen(path, "re");
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

/* --- the backend --- */

static int apt_pool_setup(Pool *pool, const struct eco_opts *o, struct ed_diag *d)
{
	const char *arch = o && o->arch ? o->arch : apt_host_arch();

	if (!arch)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "unknown machine architecture for dpkg; use --arch");
	if (!valid_arch(arch))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is not a dpkg architecture name", arch);
	if (pool_setdisttype(pool, DISTTYPE_DEB) < 0)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "this libsolv cannot compare Debian versions");
	/* dpkg's names ("amd64"): with uname's "x86_64" half of Debian's
	 * packages would count as a foreign architecture. */
	pool_setarch(pool, arch);
	return 0;
}

static int apt_load_available(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
			      struct ed_diag *d)
{
	const char *root = eco_root(o);
	const char *arch = o && o->arch ? o->arch : apt_host_arch();
	struct eco_load_stats local;
	struct apt_sources sources = { 0 };
	struct apt_lists lists = { 0 };
	struct repocache *cache = NULL;
	int rc;

	/* Another release than the host's: the downloaded metadata. A zeroed
	 * eco_opts (no distro) still means this machine. */
	if (o && !o->host && o->distro)
		return aptrepo_load(pool, o, st, d);
	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	if (!arch)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "unknown machine architecture for dpkg; use --arch");
	rc = apt_sources_read(root, &sources, d);
	if (rc)
		goto out;
	if (!sources.n) {
		rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				 "no apt sources configured under '%s' (etc/apt/sources.list, "
				 "etc/apt/sources.list.d)",
				 root);
		goto out;
	}
	rc = apt_lists_find(root, &sources, arch, &lists, d);
	if (rc)
		goto out;
	st->missing = lists.missing;
	if (!lists.n) {
		rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				 "no apt package lists under '%s' for the configured sources; "
				 "run 'apt-get update'",
				 root);
		goto out;
	}
	if (!(o && o->no_cache))
		cache = repocache_new(o ? o->cache_dir : NULL, "apt");
	for (size_t i = 0; i < lists.n; i++) {
		const char *path = lists.v[i].path;
		unsigned char cookie[REPOCACHE_COOKIE_LEN];
		char key[256];
		bool cookie_ok = false;
		Repo *repo = NULL;

		if (cache) {
			const char *paths[1] = { path };

			repocache_key_for_path(path, key, sizeof key);
			cookie_ok = repocache_cookie_files(paths, 1, cookie);
			if (cookie_ok)
				repo = repocache_load(cache, pool, lists.v[i].label, key, cookie);
			if (repo)
				st->cache_hits++;
		}
		if (!repo) {
			repo = apt_load_list(pool, path, lists.v[i].label, d);
			if (!repo) {
				rc = d ? d->status : ED_EXIT_ENV;
				goto out;
			}
			if (cache && cookie_ok && repocache_store(cache, repo, key, cookie))
				st->cache_writes++;
		}
		st->repos++;
		st->solvables += (size_t)repo->nsolvables;
	}
out:
	repocache_free(cache);
	apt_lists_fini(&lists);
	apt_sources_fini(&sources);
	return rc;
}

static int apt_load_installed(Pool *pool, const struct eco_opts *o, Repo **out,
			      struct ed_diag *d)
{
	char path[PATH_BUF];
	Repo *repo;

	if (out)
		*out = NULL;
	if (!join_root(eco_root(o), "/var/lib/dpkg/status", path, sizeof path))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "root path too long");
	repo = apt_load_status(pool, path, d);
	if (!repo)
		return ED_EXIT_ENV;
	pool_set_installed(pool, repo);
	if (out)
		*out = repo;
	return 0;
}

/* Debian policy 5.6.1: lower case letters, digits, + - . ; two or more,
 * starting alphanumeric. */
static size_t span_name(const char *p)
{
	size_t n = 0;

	if (!islower((unsigned char)p[0]) && !isdigit((unsigned char)p[0]))
		return 0;
	while (islower((unsigned char)p[n]) || isdigit((unsigned char)p[n]) || p[n] == '+' ||
	       p[n] == '-' || p[n] == '.')
		n++;
	return n >= 2 ? n : 0;
}

/* NAME[:ARCH][=VERSION | /RELEASE], each part in its strict set, so nothing
 * that reaches apt-get's argv can be read as an option or a file. */
static bool valid_spec(const char *spec)
{
	size_t n = span_name(spec);
	const char *p = spec + n;

	if (!n || n > 128)
		return false;
	if (*p == ':') {
		size_t a = 0;

		for (p++; islower((unsigned char)p[a]) || isdigit((unsigned char)p[a]) || p[a] == '-';)
			a++;
		if (!a)
			return false;
		p += a;
	}
	if (*p == '=') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		for (; *p; p++)
			if (!isalnum((unsigned char)*p) && !strchr(".+~:-", *p))
				return false;
	} else if (*p == '/') {
		p++;
		if (!isalnum((unsigned char)*p))
			return false;
		for (; *p; p++)
			if (!isalnum((unsigned char)*p) && !strchr(".+-", *p))
				return false;
	}
	return *p == '\0' && strlen(spec) <= 256;
}

static char **apt_install_argv(const struct eco_opts *o, const char *const *specs, size_t n,
			       unsigned flags, struct ed_diag *d)
{
	const char *prefix[6];
	size_t k = 0;

	(void)o; /* the same command for every target of the ecosystem */
	prefix[k++] = "apt-get";
	prefix[k++] = "install";
	if (flags & ECO_INSTALL_YES)
		prefix[k++] = "-y";
	if (flags & ECO_INSTALL_NO_RECOMMENDS)
		prefix[k++] = "--no-install-recommends";
	if (flags & ECO_INSTALL_SIMULATE)
		prefix[k++] = "-s";
	prefix[k] = NULL;
	return eco_argv_new(prefix, specs, n, valid_spec, "Debian package spec", NULL, d);
}

static bool apt_install_needs_root(const struct eco_opts *o)
{
	(void)o; /* dpkg's database is root's, whatever the root dir */
	return true;
}

static const char *const apt_ecosystems[] = { "debian", "ubuntu", NULL };

const struct eco_ops eco_apt = {
	.name = "apt",
	.database = "dpkg",
	.disttype = DISTTYPE_DEB,
	.version_rules = "deb",
	.pool_setup = apt_pool_setup,
	.load_available = apt_load_available,
	.load_installed = apt_load_installed,
	.install_argv = apt_install_argv,
	.install_needs_root = apt_install_needs_root,
	.ecosystems = apt_ecosystems,
	.update = aptrepo_update,
};
