#include "extdeps/eco/installed.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <solv/pool.h>
#include <solv/repo.h>

#include "extdeps/eco/solvext.h"
#include "extdeps/util/util.h"

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	char data[];
};

struct installed {
	enum installed_kind kind;
	char *source;
	char *text; /* the file read, for kinds whose entries point into it */
	struct arena_block *arena;
	struct installed_pkg *pkgs;
	size_t count, cap;
};

const char *installed_kind_name(enum installed_kind kind)
{
	static const char *const names[] = { "dpkg", "rpm", "conda", "brew", "nix", "pypi",
					      "pacman", "apk" };
	return names[kind];
}

static struct installed *db_new(enum installed_kind kind, const char *source)
{
	struct installed *db = calloc(1, sizeof *db);

	if (!db)
		return NULL;
	db->kind = kind;
	if (!(db->source = util_strdup(source))) {
		free(db);
		return NULL;
	}
	return db;
}

void installed_free(struct installed *db)
{
	if (!db)
		return;
	while (db->arena) {
		struct arena_block *next = db->arena->next;
		free(db->arena);
		db->arena = next;
	}
	free(db->pkgs);
	free(db->text);
	free(db->source);
	free(db);
}

/* Copy S[0..N) into the database's arena. */
static const char *db_str(struct installed *db, const char *s, size_t n)
{
	struct arena_block *b = db->arena;
	char *p;

	if (!b || b->used + n + 1 > b->size) {
		size_t size = n + 1 > 16384 ? n + 1 : 16384;
		if (!(b = malloc(sizeof *b + size)))
			return NULL;
		b->next = db->arena;
		b->used = 0;
		b->size = size;
		db->arena = b;
	}
	p = b->data + b->used;
	memcpy(p, s, n);
	p[n] = '\0';
	b->used += n + 1;
	return p;
}

static bool db_add(struct installed *db, const char *name, const char *version, const char *arch,
		   const char *provider)
{
	if (db->count == db->cap) {
		size_t cap = db->cap ? db->cap * 2 : 256;
		struct installed_pkg *p = realloc(db->pkgs, cap * sizeof *p);
		if (!p)
			return false;
		db->pkgs = p;
		db->cap = cap;
	}
	db->pkgs[db->count++] = (struct installed_pkg){ name, version, arch, provider };
	return true;
}

static int pkg_cmp(const void *a, const void *b)
{
	const struct installed_pkg *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (!x->provider != !y->provider)
		return x->provider ? 1 : -1;
	/* the rest by address, which is file order: a stable result */
	return x < y ? -1 : x > y;
}

static struct installed *db_done(struct installed *db)
{
	if (db->count)
		qsort(db->pkgs, db->count, sizeof *db->pkgs, pkg_cmp);
	return db;
}

static struct installed *oom(struct installed *db, struct ed_diag *d)
{
	installed_free(db);
	ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
	return NULL;
}

struct installed *installed_new(enum installed_kind kind, const char *source)
{
	return db_new(kind, source);
}

bool installed_add(struct installed *db, const char *name, size_t name_len, const char *version,
		   size_t version_len)
{
	const char *n = db_str(db, name, name_len), *v = db_str(db, version, version_len);

	return n && v && db_add(db, n, v, NULL, NULL);
}

bool installed_add_provided(struct installed *db, const char *name, const char *version,
			    const char *provider)
{
	const char *n = db_str(db, name, strlen(name)), *p = db_str(db, provider, strlen(provider));
	const char *v = version ? db_str(db, version, strlen(version)) : NULL;

	return n && p && (v || !version) && db_add(db, n, v, NULL, p);
}

void installed_sort(struct installed *db)
{
	db_done(db);
}

enum installed_kind installed_kind(const struct installed *db)
{
	return db->kind;
}

const char *installed_source(const struct installed *db)
{
	return db->source;
}

size_t installed_count(const struct installed *db)
{
	return db->count;
}

const struct installed_pkg *installed_find(const struct installed *db, const char *name, size_t *n)
{
	size_t lo = 0, hi = db ? db->count : 0, end;

	*n = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(db->pkgs[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < (db ? db->count : 0) && !strcmp(db->pkgs[end].name, name); end++)
		;
	*n = end - lo;
	return *n ? &db->pkgs[lo] : NULL;
}

/* --- dpkg --- */

/* The value of a "Field: value" line from LINE to EOL, trimmed, copied
 * into the arena; NULL when out of memory. */
static char *field_value(struct installed *db, const char *line, const char *eol, size_t keylen)
{
	const char *v = line + keylen;

	while (v < eol && (*v == ' ' || *v == '\t'))
		v++;
	while (eol > v && (eol[-1] == ' ' || eol[-1] == '\r'))
		eol--;
	return (char *)db_str(db, v, (size_t)(eol - v));
}

/* "libblas.so.3, foo (= 1.2), bar:any" (in the arena, cut in place): each
 * name with its version. */
static bool dpkg_provides(struct installed *db, char *list, const char *provider, const char *arch)
{
	char *p = list;

	while (*p) {
		char *name, *version = NULL;
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		name = p;
		while (*p && *p != ' ' && *p != ',' && *p != '(')
			p++;
		if (*p == ' ' || *p == '(') {
			char *open = strchr(p, '('), *comma = strchr(p, ',');
			if (*p == ' ')
				*p++ = '\0';
			if (open && (!comma || open < comma)) {
				char *close = strchr(open, ')');
				*open = '\0';
				version = open + 1;
				while (*version == '=' || *version == ' ')
					version++;
				if (close) {
					*close = '\0';
					p = close + 1;
				}
			}
		}
		if (*p == ',')
			*p++ = '\0';
		{
			char *colon = strchr(name, ':');
			if (colon)
				*colon = '\0'; /* bar:any */
		}
		if (*name && !db_add(db, name, version, arch, provider))
			return false;
	}
	return true;
}

/* A "Field:" line of the stanza being read: where it is, not yet copied. */
struct span {
	const char *p, *eol;
};

static bool status_installed_line(const char *p, const char *eol)
{
	/* "Status: install ok installed": the last word is the state */
	while (eol > p && (eol[-1] == ' ' || eol[-1] == '\r'))
		eol--;
	return eol - p >= 17 && !memcmp(eol - 10, " installed", 10);
}

/* Add the stanza whose fields are NAME, VERSION, ARCH and PROVIDES. */
static bool dpkg_stanza(struct installed *db, struct span name, struct span version,
			struct span arch, struct span provides)
{
	const char *n = field_value(db, name.p, name.eol, 8);
	const char *v = field_value(db, version.p, version.eol, 8);
	const char *a = arch.p ? field_value(db, arch.p, arch.eol, 13) : NULL;
	char *prov = provides.p ? field_value(db, provides.p, provides.eol, 9) : NULL;

	if (!n || !v || (arch.p && !a) || (provides.p && !prov))
		return false;
	return db_add(db, n, v, a, NULL) && (!prov || dpkg_provides(db, prov, n, a));
}

/* Scan the status text P..END: dpkg's status is RFC 822 stanzas of which
 * five fields matter here, so a scan of line starts is ten times faster than
 * a full control parse. False when out of memory. */
static bool dpkg_scan(struct installed *db, const char *p, const char *end)
{
	/* the current stanza */
	struct span name = { 0 }, version = { 0 }, arch = { 0 }, provides = { 0 };
	bool installed = false;

	for (;;) {
		const char *eol = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		bool blank = p >= end || *p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n');
		struct span line;

		if (!eol)
			eol = end;
		line = (struct span){ p, eol };
		if (blank) {
			if (name.p && installed && version.p && !dpkg_stanza(db, name, version, arch, provides))
				return false;
			name = version = arch = provides = (struct span){ 0 };
			installed = false;
			if (p >= end)
				return true;
		} else if (eol - p >= 8 && !memcmp(p, "Package:", 8)) {
			name = line;
		} else if (eol - p >= 8 && !memcmp(p, "Version:", 8)) {
			version = line;
		} else if (eol - p >= 13 && !memcmp(p, "Architecture:", 13)) {
			arch = line;
		} else if (eol - p >= 9 && !memcmp(p, "Provides:", 9)) {
			provides = line;
		} else if (eol - p >= 7 && !memcmp(p, "Status:", 7)) {
			installed = status_installed_line(p, eol);
		}
		p = eol < end ? eol + 1 : end;
	}
}

struct installed *installed_open_dpkg(const char *path, struct ed_diag *d)
{
	struct installed *db = db_new(INSTALLED_DPKG, path);
	const char *why = NULL;
	struct stat st;
	void *map = NULL;
	bool ok;
	int fd;

	if (!db)
		return oom(db, d);
	/* mapped, not read: the file is a few MB of which a few fields are
	 * copied out, and copying it all in cost more than scanning it */
	if ((fd = util_open_regular(path)) < 0 || fstat(fd, &st) != 0)
		why = util_open_strerror(errno == EISDIR ? UTIL_ENOTREG : errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (st.st_size > 0 &&
		 (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED)
		why = strerror(errno);
	if (fd >= 0)
		close(fd);
	if (why) {
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot read '%s': %s", path, why);
		installed_free(db);
		return NULL;
	}
	ok = dpkg_scan(db, map, map ? (const char *)map + st.st_size : NULL);
	if (map)
		munmap(map, (size_t)st.st_size);
	return ok ? db_done(db) : oom(db, d);
}

/* --- rpm --- */

/* The places librpm keeps its database: Fedora's since 36, and the old one
 * (a symlink to it on Fedora); sqlite, Berkeley DB or ndb. */
bool installed_has_rpmdb(const char *root)
{
	static const char *const dbs[] = {
		"/usr/lib/sysimage/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/Packages",
		"/usr/lib/sysimage/rpm/Packages.db",  "/var/lib/rpm/rpmdb.sqlite",
		"/var/lib/rpm/Packages",              "/var/lib/rpm/Packages.db",
	};
	char path[4096];
	size_t rl;

	if (!root)
		root = "";
	rl = strlen(root);
	while (rl > 0 && root[rl - 1] == '/')
		rl--;
	for (size_t i = 0; i < sizeof dbs / sizeof dbs[0]; i++) {
		snprintf(path, sizeof path, "%.*s%s", (int)rl, root, dbs[i]);
		if (access(path, R_OK) == 0)
			return true;
	}
	return false;
}

struct installed *installed_open_rpm(const char *root, struct ed_diag *d)
{
	struct installed *db = db_new(INSTALLED_RPM, root && *root ? root : "/");
	Pool *pool;
	Repo *repo;
	Id p;
	Solvable *s;

	if (!db)
		return oom(db, d);
	pool = pool_create();
	if (root && *root && strcmp(root, "/"))
		pool_set_rootdir(pool, root);
	repo = repo_create(pool, "@System");
	if (solvext_repo_add_rpmdb(repo, NULL, REPO_USE_ROOTDIR)) {
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot read the rpm database under '%s': %s",
			    db->source, pool_errstr(pool));
		pool_free(pool);
		installed_free(db);
		return NULL;
	}
	FOR_REPO_SOLVABLES(repo, p, s) {
		/* pool strings live in the pool: copy before it goes */
		const char *name = pool_id2str(pool, s->name), *evr = pool_id2str(pool, s->evr),
			   *arch = pool_id2str(pool, s->arch);
		const char *n = db_str(db, name, strlen(name)), *v = db_str(db, evr, strlen(evr)),
			   *a = db_str(db, arch, strlen(arch));
		if (!n || !v || !a || !db_add(db, n, v, a, NULL)) {
			pool_free(pool);
			return oom(db, d);
		}
	}
	pool_free(pool);
	return db_done(db);
}

/* --- conda --- */

struct installed *installed_open_conda(const char *prefix, struct ed_diag *d)
{
	char dir[4096];
	struct installed *db;
	struct dirent *e;
	DIR *dh;

	snprintf(dir, sizeof dir, "%s/conda-meta", prefix);
	if (!(db = db_new(INSTALLED_CONDA, dir)))
		return oom(db, d);
	if (!(dh = opendir(dir))) {
		ed_diag_set(d, ED_EXIT_ENV, dir, 0, 0, "cannot list the conda prefix: %s", strerror(errno));
		installed_free(db);
		return NULL;
	}
	while ((e = readdir(dh))) {
		size_t len = strlen(e->d_name);
		const char *build, *ver, *n, *v;
		if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		len -= 5;
		/* NAME-VERSION-BUILD: names may hold '-', versions and builds do not */
		build = memrchr(e->d_name, '-', len);
		if (!build || build == e->d_name)
			continue;
		ver = memrchr(e->d_name, '-', (size_t)(build - e->d_name));
		if (!ver || ver == e->d_name)
			continue;
		n = db_str(db, e->d_name, (size_t)(ver - e->d_name));
		v = db_str(db, ver + 1, (size_t)(build - ver - 1));
		if (!n || !v || !db_add(db, n, v, NULL, NULL)) {
			closedir(dh);
			return oom(db, d);
		}
	}
	closedir(dh);
	return db_done(db);
}

/* --- Homebrew --- */

struct installed *installed_open_cellar(const char *cellar, struct ed_diag *d)
{
	struct installed *db = db_new(INSTALLED_BREW, cellar);
	struct dirent *e;
	DIR *dh;

	if (!db)
		return oom(db, d);
	if (!(dh = opendir(cellar))) {
		ed_diag_set(d, ED_EXIT_ENV, cellar, 0, 0, "cannot list the Homebrew Cellar: %s",
			    strerror(errno));
		installed_free(db);
		return NULL;
	}
	while ((e = readdir(dh))) {
		char sub[4096];
		struct dirent *ve;
		DIR *vh;
		const char *n;
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s/%s", cellar, e->d_name);
		if (!(vh = opendir(sub)))
			continue;
		n = NULL;
		while ((ve = readdir(vh))) {
			const char *v;
			if (ve->d_name[0] == '.')
				continue;
			if (!n && !(n = db_str(db, e->d_name, strlen(e->d_name))))
				break;
			if (!(v = db_str(db, ve->d_name, strlen(ve->d_name))) || !db_add(db, n, v, NULL, NULL)) {
				n = NULL;
				break;
			}
		}
		closedir(vh);
		if (ve) {
			closedir(dh);
			return oom(db, d);
		}
	}
	closedir(dh);
	return db_done(db);
}

/* --- nix --- */

struct installed *installed_open_nix(const char *path, struct ed_diag *d)
{
	struct installed *db = db_new(INSTALLED_NIX, path);
	size_t len;
	const char *p;

	if (!db)
		return oom(db, d);
	if (!(db->text = util_read_file(path, &len, d))) {
		d->status = ED_EXIT_ENV;
		installed_free(db);
		return NULL;
	}
	for (p = db->text; (p = strstr(p, "/nix/store/")); ) {
		const char *start = p + 11, *q = start, *dash, *ver = NULL, *n, *v;
		p = start;
		while (*q && *q != '"' && *q != '/')
			q++;
		/* HASH-NAME-VERSION: the hash is 32 characters */
		if (q - start < 34 || start[32] != '-')
			continue;
		/* the version starts at the first '-' followed by a digit */
		for (dash = start + 33; dash < q; dash++)
			if (*dash == '-' && dash + 1 < q && isdigit((unsigned char)dash[1])) {
				ver = dash;
				break;
			}
		n = db_str(db, start + 33, (size_t)((ver ? ver : q) - (start + 33)));
		v = ver ? db_str(db, ver + 1, (size_t)(q - ver - 1)) : NULL;
		if (!n || (ver && !v) || !db_add(db, n, v ? v : "", NULL, NULL))
			return oom(db, d);
		p = q;
	}
	return db_done(db);
}
