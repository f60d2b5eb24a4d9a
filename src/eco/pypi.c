/* pypi.c - the wheels installed in the site-packages of the Python that will
 * build, as check's database of the pypi ecosystem (pypi.h). */
#include "extdeps/eco/pypi.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extdeps/util/pysite.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/strindex.h"
#include "extdeps/util/util.h"

#define PATH_BUF 4096
#define NAME_MAX_LEN 256
#define VERSION_MAX_LEN 128
/* the headers come first and are short; a file that goes on without the
 * blank line that ends them is not read to its end */
#define HEADER_LINES_MAX 4096

size_t pypi_normalize(const char *name, size_t len, char *out, size_t size)
{
	size_t o = 0;
	bool sep = false;

	if (!size)
		return 0;
	for (size_t i = 0; i < len && o + 1 < size; i++) {
		char c = name[i];

		if (c == '-' || c == '_' || c == '.') {
			sep = true;
			continue;
		}
		if (sep && o && o + 2 < size)
			out[o++] = '-';
		sep = false;
		out[o++] = (char)tolower((unsigned char)c);
	}
	out[o] = '\0';
	return o;
}

/* The value of the header line LINE when it is the field KEY (names are
 * case-insensitive, as in e-mail headers), trimmed, into OUT; false when it
 * is another field or does not fit. */
static bool header_value(const char *line, size_t len, const char *key, char *out, size_t size)
{
	size_t kl = strlen(key);
	const char *v, *end = line + len;

	if (len <= kl || strncasecmp(line, key, kl) || line[kl] != ':')
		return false;
	for (v = line + kl + 1; v < end && (*v == ' ' || *v == '\t'); v++)
		;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end == v || (size_t)(end - v) >= size)
		return false;
	memcpy(out, v, (size_t)(end - v));
	out[end - v] = '\0';
	return true;
}

/* The Name and Version of the Core Metadata file at PATH (its headers, up
 * to the first blank line), "" when absent. False when the file cannot be
 * opened (errno says why). */
static bool read_metadata(const char *path, char *name, char *version)
{
	FILE *f = util_fopen_regular(path);
	char *line = NULL;
	size_t cap = 0;

	name[0] = version[0] = '\0';
	if (!f)
		return false;
	for (size_t n = 0; n < HEADER_LINES_MAX && getline(&line, &cap, f) > 0; n++) {
		size_t len = strcspn(line, "\r\n");

		if (!len)
			break;
		if (!name[0] && header_value(line, len, "Name", name, NAME_MAX_LEN))
			continue;
		if (!version[0])
			header_value(line, len, "Version", version, VERSION_MAX_LEN);
	}
	free(line);
	fclose(f);
	return true;
}

/* NAME-VERSION.dist-info (BASE, LEN bytes before ".dist-info"): the name
 * into NAME, and the version into VERSION unless VERSION is NULL. Versions
 * hold no '-', so the last one divides them. */
static bool dir_name_parts(const char *base, size_t len, char *name, char *version)
{
	const char *dash = memrchr(base, '-', len);
	size_t nl, vl;

	if (!dash || dash == base || dash + 1 == base + len)
		return false;
	nl = (size_t)(dash - base);
	vl = len - nl - 1;
	if (nl >= NAME_MAX_LEN || vl >= VERSION_MAX_LEN)
		return false;
	memcpy(name, base, nl);
	name[nl] = '\0';
	if (version) {
		memcpy(version, dash + 1, vl);
		version[vl] = '\0';
	}
	return true;
}

/* The name and version of the dist-info directory ENTRY of DIR; false when
 * it is to be skipped. */
static bool dist_info(const char *dir, const char *entry, size_t stem, char *name, char *version)
{
	char path[PATH_BUF];

	if ((size_t)snprintf(path, sizeof path, "%s/%s/METADATA", dir, entry) >= sizeof path)
		return false;
	if (!read_metadata(path, name, version))
		/* no METADATA: the directory's name says it; unreadable: skipped */
		return errno == ENOENT && dir_name_parts(entry, stem, name, version);
	if (!version[0])
		return false;
	return name[0] || dir_name_parts(entry, stem, name, NULL);
}

struct reader {
	struct installed *db;
	char **names;        /* normalised, one malloc'd string each: the keys of SEEN */
	size_t nnames;
	struct strindex seen;
};

/* Add the wheels of site-packages DIR; false when out of memory. */
static bool read_dir(struct reader *r, const char *dir)
{
	static const char suffix[] = ".dist-info";
	const size_t sl = sizeof suffix - 1;
	struct dirent *e;
	bool ok = true;
	DIR *dh = opendir(dir);

	if (!dh)
		return true; /* gone or unreadable: nothing installed there */
	while (ok && (e = readdir(dh))) {
		char name[NAME_MAX_LEN], version[VERSION_MAX_LEN], norm[NAME_MAX_LEN];
		size_t len = strlen(e->d_name), nl;

		if (len <= sl || strcmp(e->d_name + len - sl, suffix) ||
		    !dist_info(dir, e->d_name, len - sl, name, version))
			continue;
		nl = pypi_normalize(name, strlen(name), norm, sizeof norm);
		if (!nl || strindex_get(&r->seen, norm, &(size_t){ 0 }))
			continue; /* shadowed by an earlier directory, or by itself */
		ok = util_strv_push(&r->names, &r->nnames, norm) &&
		     strindex_put(&r->seen, r->names[r->nnames - 1], r->nnames - 1) &&
		     installed_add(r->db, norm, nl, version, strlen(version));
	}
	closedir(dh);
	return ok;
}

struct installed *pypi_open_site(const char *const *dirs, size_t n, struct ed_diag *d)
{
	struct reader r = { .seen = STRINDEX_INIT };
	struct strbuf source = { 0 };
	bool ok;

	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addch(&source, ':');
		strbuf_addstr(&source, dirs[i]);
	}
	ok = !source.oom && (r.db = installed_new(INSTALLED_PYPI, strbuf_str(&source)));
	for (size_t i = 0; ok && i < n; i++)
		ok = read_dir(&r, dirs[i]);
	strbuf_release(&source);
	strindex_fini(&r.seen);
	util_strv_free(r.names, r.nnames);
	if (!ok) {
		installed_free(r.db);
		ed_diag_oom(d);
		return NULL;
	}
	installed_sort(r.db);
	return r.db;
}

/* --- the backend --- */

static bool pypi_has_db(const struct eco_opts *o)
{
	struct pysite site;
	bool any;

	if (!pysite_find(eco_root(o), NULL, &site))
		return false;
	any = site.n > 0;
	pysite_fini(&site);
	return any;
}

static int pypi_open_db(const struct eco_opts *o, struct installed **out, struct ed_diag *d)
{
	struct pysite site;

	*out = NULL;
	if (!pysite_find(eco_root(o), NULL, &site))
		return ed_diag_oom(d);
	if (site.n && !(*out = pypi_open_site((const char *const *)site.dirs, site.n, d))) {
		pysite_fini(&site);
		return ED_EXIT_ENV;
	}
	pysite_fini(&site);
	return 0;
}

static const char *const pypi_ecosystems[] = { "pypi", NULL };

/* A database only (eco.h): no pool, no repositories, no install command. */
const struct eco_ops eco_pypi = {
	.name = "pypi",
	.database = "site-packages",
	.scope = ECO_USER,
	.arch_scheme = ARCH_MACHINE,
	.open_db = pypi_open_db,
	.has_db = pypi_has_db,
	.ecosystems = pypi_ecosystems,
};
