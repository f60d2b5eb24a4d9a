/* apk.c - the apk backend: Alpine Linux, from the APKINDEX.tar.gz of a
 * release's main and community repositories. */
#include "extdeps/eco/apk.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <solv/knownid.h>
#include <solv/repo_apk.h>

#include "extdeps/eco/arch.h"
#include "extdeps/eco/installed.h"
#include "extdeps/eco/solvext.h"
#include "extdeps/util/util.h"

#define PATH_BUF 4096
#define MAX_REPOS 8
#define VIRTUAL ".extdeps-build"

/* --- architectures and the target --- */

/* Alpine's architectures: its name, uname's. */
static const struct {
	const char *apk, *machine;
} apk_arches[] = {
	{ "x86_64", "x86_64" },   { "aarch64", "aarch64" }, { "x86", "i686" },
	{ "armv7", "armv7l" },    { "armhf", "armv6l" },    { "ppc64le", "ppc64le" },
	{ "s390x", "s390x" },     { "riscv64", "riscv64" }, { "loongarch64", "loongarch64" },
};

const char *apk_arch(const char *arch)
{
	const char *machine;
	size_t n = sizeof apk_arches / sizeof *apk_arches;

	/* Alpine's own spelling first: its armhf is ARMv6, dpkg's ARMv7 */
	for (size_t i = 0; arch && i < n; i++)
		if (!strcmp(apk_arches[i].apk, arch))
			return apk_arches[i].apk;
	machine = arch ? arch_convert(arch, ARCH_MACHINE) : NULL;
	for (size_t i = 0; machine && i < n; i++)
		if (!strcmp(apk_arches[i].machine, machine))
			return apk_arches[i].apk;
	return NULL;
}

/* "3.21" or "edge": what goes into the repository's path. */
static bool valid_release(const char *r)
{
	size_t major = strspn(r, "0123456789");

	return !strcmp(r, "edge") ||
	       (major && major < 4 && r[major] == '.' && r[major + 1] &&
		strspn(r + major + 1, "0123456789") == strlen(r + major + 1) &&
		strlen(r + major + 1) < 4);
}

/* The target's release and architecture, checked. */
static int target(const struct eco_opts *o, const char **release, const char **arch,
		  struct ed_diag *d)
{
	const char *want = o && o->arch ? o->arch : arch_host(ARCH_MACHINE);

	*release = o && o->release ? o->release : "3.21";
	if (!want)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "unknown machine architecture for apk; use --arch");
	if (!(*arch = apk_arch(want)))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "Alpine builds no packages for '%s' (it builds x86_64, aarch64, "
				   "x86, armv7, armhf, ppc64le, s390x, riscv64, loongarch64)",
				   want);
	if (!valid_release(*release))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is not an Alpine release (expected X.Y or 'edge')", *release);
	return 0;
}

/* --- the repositories --- */

/* One repository of the target: where its index is, where it is kept. */
struct apk_repo {
	char name[64];   /* "main": the libsolv repository's name */
	char url[2048];  /* .../main/x86_64/APKINDEX.tar.gz */
	char subdir[192]; /* apk/alpine-3.21-x86_64/main */
	char progress[128]; /* v3.21/main/x86_64/APKINDEX.tar.gz */
};

struct apk_repos {
	struct apk_repo v[MAX_REPOS];
	size_t n;
};

/* The lines of ROOT/etc/apk/repositories that name a repository apk uses
 * for every package: http(s) URLs, not commented out, without an @tag
 * (a tagged repository serves only the packages asked for with it). */
static size_t read_repositories(const char *root, char urls[][1024], size_t max)
{
	char path[PATH_BUF], line[1024];
	size_t n = 0;
	FILE *f;

	if (!util_join_root(strcmp(root, "/") ? root : "", "/etc/apk/repositories", path,
			    sizeof path) ||
	    !(f = util_fopen_regular(path)))
		return 0;
	while (n < max && fgets(line, sizeof line, f)) {
		char *p = line, *end;

		p += strspn(p, " \t");
		end = p + strcspn(p, " \t\r\n#");
		*end = '\0';
		if (strncmp(p, "https://", 8) && strncmp(p, "http://", 7))
			continue;
		while (end > p && end[-1] == '/')
			*--end = '\0';
		snprintf(urls[n++], 1024, "%s", p);
	}
	fclose(f);
	return n;
}

/* The mirror ROOT's repositories file names: its first URL up to the
 * release ("https://mirror/alpine" of "https://mirror/alpine/v3.21/main"),
 * into OUT; false when none does. */
static bool configured_mirror(const char *root, char *out, size_t size)
{
	char urls[MAX_REPOS][1024];
	size_t n = read_repositories(root, urls, MAX_REPOS);

	for (size_t i = 0; i < n; i++) {
		char *repo = strrchr(urls[i], '/'), *rel;

		if (!repo)
			continue;
		*repo = '\0';
		if (!(rel = strrchr(urls[i], '/')) || (strcmp(rel, "/edge") && rel[1] != 'v'))
			continue;
		*rel = '\0';
		snprintf(out, size, "%s", urls[i]);
		return true;
	}
	return false;
}

static int add_repo(struct apk_repos *r, const char *name, const char *base, const char *release,
		    const char *arch, struct ed_diag *d)
{
	struct apk_repo *x = &r->v[r->n];
	char own[64];
	int len;

	snprintf(own, sizeof own, "%s", name);
	/* another repository of the same name (two mirrors' main) */
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].name, own))
			snprintf(own, sizeof own, "%.40s-%zu", name, r->n + 1);
	len = snprintf(x->url, sizeof x->url, "%s/%s/APKINDEX.tar.gz", base, arch);
	if (len < 0 || (size_t)len >= sizeof x->url)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "the URL '%s' is too long", base);
	snprintf(x->name, sizeof x->name, "%s", own);
	snprintf(x->subdir, sizeof x->subdir, "apk/alpine-%s-%s/%s", release, arch, own);
	snprintf(x->progress, sizeof x->progress, "%s%s/%s/%s/APKINDEX.tar.gz",
		 strcmp(release, "edge") ? "v" : "", release, own, arch);
	r->n++;
	return 0;
}

/* A repository name from the last part of URL: letters, digits, '-'. */
static void url_repo_name(const char *url, char *out, size_t size)
{
	const char *last = strrchr(url, '/');
	size_t n = 0;

	for (last = last ? last + 1 : url; *last && n + 1 < size; last++)
		if (isalnum((unsigned char)*last) || *last == '-')
			out[n++] = (char)tolower((unsigned char)*last);
	out[n] = '\0';
	if (!n)
		snprintf(out, size, "repo");
}

/* The target's repositories: on this machine those its repositories file
 * lists; else main and community of the release under --mirror, the
 * machine's mirror or Alpine's CDN. */
static int repos_of(const struct eco_opts *o, struct apk_repos *r, const char **release,
		    const char **arch, struct ed_diag *d)
{
	static const char *const own[] = { "main", "community" };
	char urls[MAX_REPOS][1024], base[1024], path[64];
	size_t n;
	int rc;

	memset(r, 0, sizeof *r);
	if ((rc = target(o, release, arch, d)))
		return rc;
	if (o && o->host && !o->mirror &&
	    (n = read_repositories(eco_root(o), urls, MAX_REPOS)) > 0) {
		for (size_t i = 0; i < n && !rc; i++) {
			char name[48];

			url_repo_name(urls[i], name, sizeof name);
			rc = add_repo(r, name, urls[i], *release, *arch, d);
		}
		return rc;
	}
	if (!(o && o->mirror) && !configured_mirror(eco_root(o), base, sizeof base))
		snprintf(base, sizeof base, "https://dl-cdn.alpinelinux.org/alpine");
	for (size_t i = 0; i < 2 && !rc; i++) {
		char url[1200];

		snprintf(path, sizeof path, "/%s%s/%s", strcmp(*release, "edge") ? "v" : "",
			 *release, own[i]);
		if (!(rc = eco_mirror_url(o, base, path, url, sizeof url, d)))
			rc = add_repo(r, own[i], url, *release, *arch, d);
	}
	return rc;
}

/* --- the index --- */

/* Whether the gzip streams of PATH (named AS) unpack whole, within the
 * limit; D says why not. */
static bool gzip_whole(const char *path, const char *as, struct ed_diag *d)
{
	FILE *f = solvext_xfopen_as(path, as, "r");
	unsigned long long total = 0;
	char buf[65536];
	size_t got;
	bool bad;

	if (!f) {
		ed_diag_set(d, ED_EXIT_ENV, as, 0, 0, "cannot read: %s", solvext_strerror(errno));
		return false;
	}
	while ((got = fread(buf, 1, sizeof buf, f)) > 0 && total <= APK_INDEX_UNPACKED_MAX)
		total += got;
	bad = ferror(f);
	/* zlib reports a stream cut short only when it is closed */
	if (fclose(f) != 0 || bad) {
		ed_diag_set(d, ED_EXIT_ENV, as, 0, 0,
			    "truncated or corrupt APKINDEX (a gzip stream is cut short or fails "
			    "its check)");
		return false;
	}
	if (total > APK_INDEX_UNPACKED_MAX) {
		ed_diag_set(d, ED_EXIT_ENV, as, 0, 0, "the APKINDEX unpacks to more than %llu bytes",
			    APK_INDEX_UNPACKED_MAX);
		return false;
	}
	return true;
}

/* fetch_expect.head, and the first check of a cached index: an
 * APKINDEX.tar.gz is gzip streams (a signature's, then the index's), apk
 * v3's index begins "ADB". */
static int index_head(const unsigned char *buf, size_t len, struct ed_diag *d)
{
	if (len >= 3 && ((buf[0] == 0x1f && buf[1] == 0x8b) || !memcmp(buf, "ADB", 3)))
		return 0;
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
			   "not an APKINDEX.tar.gz (neither gzip nor an apk v3 index)");
}

Repo *apk_load_index(Pool *pool, const char *path, const char *as, const char *label,
		     struct ed_diag *d)
{
	unsigned char magic[3] = { 0 };
	struct ed_diag why;
	size_t got;
	FILE *f = util_fopen_regular(path);
	Repo *repo;
	int rc;

	if (!f) {
		ed_diag_set(d, ED_EXIT_ENV, as, 0, 0, "cannot read: %s", util_open_strerror(errno));
		return NULL;
	}
	got = fread(magic, 1, 3, f);
	if (index_head(magic, got, &why)) {
		fclose(f);
		ed_diag_set(d, ED_EXIT_ENV, as, 0, 0, "%s", why.msg);
		return NULL;
	}
	if (magic[0] == 0x1f && !gzip_whole(path, as, d)) {
		fclose(f);
		return NULL;
	}
	rewind(f);
	repo = repo_create(pool, label);
	rc = solvext_repo_add_apk_repo(repo, f, 0);
	fclose(f);
	if (rc || !repo->nsolvables) {
		ed_diag_set(d, ED_EXIT_ENV, as, 0, 0, "not a usable APKINDEX: %s",
			    rc && *pool_errstr(pool) ? pool_errstr(pool) : "it lists no package");
		repo_free(repo, 1);
		return NULL;
	}
	repo_internalize(repo);
	return repo;
}

/* --- installed --- */

static bool installed_path(const char *root, char *out, size_t size)
{
	return util_join_root(strcmp(root, "/") ? root : "", "/lib/apk/db/installed", out, size);
}

Repo *apk_load_installed_db(Pool *pool, const char *root, struct ed_diag *d)
{
	char path[PATH_BUF];
	Repo *repo = repo_create(pool, "@System");
	FILE *f;

	if (!installed_path(root, path, sizeof path) || access(path, F_OK) != 0)
		return repo;
	if (!(f = util_fopen_regular(path))) {
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s", util_open_strerror(errno));
		repo_free(repo, 1);
		return NULL;
	}
	if (solvext_repo_add_apk_repo(repo, f, APK_ADD_INSTALLED_DB) || ferror(f)) {
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read apk's installed database: %s",
			    *pool_errstr(pool) ? pool_errstr(pool) : "read error");
		fclose(f);
		repo_free(repo, 1);
		return NULL;
	}
	fclose(f);
	repo_internalize(repo);
	return repo;
}

/* A pool holding only ROOT's installed database, or NULL. */
static Pool *installed_pool(const char *root, Repo **repo, struct ed_diag *d)
{
	Pool *pool = pool_create();

	if (pool_setdisttype(pool, DISTTYPE_APK) < 0 ||
	    !(*repo = apk_load_installed_db(pool, root, d))) {
		pool_free(pool);
		return NULL;
	}
	return pool;
}

bool apk_virtual_deps(const char *root, const char *name, char ***out, size_t *n)
{
	struct ed_diag ignored;
	Repo *repo;
	Pool *pool = installed_pool(root, &repo, &ignored);
	Solvable *s;
	Id p;
	bool ok = pool != NULL;

	*out = NULL;
	*n = 0;
	FOR_REPO_SOLVABLES(repo, p, s) {
		if (!ok || strcmp(pool_id2str(pool, s->name), name) || !s->requires)
			continue;
		for (Id *dep = repo->idarraydata + s->requires; *dep && ok; dep++) {
			char word[512];
			const char *text = pool_dep2str(pool, *dep);
			size_t k = 0;

			/* "zlib-dev >= 1.3" as apk writes it: "zlib-dev>=1.3" */
			for (; *text && k + 1 < sizeof word; text++)
				if (*text != ' ')
					word[k++] = *text;
			word[k] = '\0';
			ok = util_strv_push(out, n, word);
		}
	}
	if (pool)
		pool_free(pool);
	return ok;
}

/* --- the backend --- */

static int apk_pool_setup(Pool *pool, const struct eco_opts *o, struct ed_diag *d)
{
	const char *release, *arch;
	int rc = target(o, &release, &arch, d);

	if (rc || (rc = eco_set_disttype(pool, &eco_apk, d)))
		return rc;
	pool_setarch(pool, arch);
	return 0;
}

static Repo *parse_index(Pool *pool, const char *path, const char *label, void *ud,
			 struct ed_diag *d)
{
	(void)ud;
	/* a temporary download (PATH.XXXXXX) is gzip'd as the index is */
	return apk_load_index(pool, path, "APKINDEX.tar.gz", label, d);
}

static void file_target(const struct apk_repo *r, struct eco_file_target *t)
{
	*t = (struct eco_file_target){
		.subdir = r->subdir,
		.name = "APKINDEX.tar.gz",
		.url = r->url,
		.max_size = APK_INDEX_MAX,
		.head = index_head,
		.what = "APKINDEX",
		.progress = r->progress,
		.parse = parse_index,
		.label = r->name,
		.key = "apkindex",
	};
}

static int apk_update(const struct eco_opts *o, struct eco_update_stats *st, struct ed_diag *d)
{
	const char *release, *arch;
	struct apk_repos r;
	int rc = repos_of(o, &r, &release, &arch, d);

	if (!rc && o && o->offline)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "cannot update alpine %s with --offline", release);
	for (size_t i = 0; i < r.n && !rc; i++) {
		struct eco_file_target t;

		file_target(&r.v[i], &t);
		rc = eco_file_update(o, &t, st, d);
	}
	return rc;
}

static int apk_load_available(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
			      struct ed_diag *d)
{
	const char *release, *arch;
	struct eco_load_stats local, one;
	struct apk_repos r;
	int rc = repos_of(o, &r, &release, &arch, d);

	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	for (size_t i = 0; i < r.n && !rc; i++) {
		struct eco_file_target t;

		file_target(&r.v[i], &t);
		/* a repository the cache lacks downloads them all */
		if (!(rc = eco_file_load(pool, o, &t, apk_update, &one, d))) {
			st->repos += one.repos;
			st->cache_hits += one.cache_hits;
			st->cache_writes += one.cache_writes;
			st->solvables += one.solvables;
		}
	}
	return rc;
}

static int apk_load_installed(Pool *pool, const struct eco_opts *o, Repo **out,
			      struct ed_diag *d)
{
	Repo *repo;

	if (out)
		*out = NULL;
	if (!(repo = apk_load_installed_db(pool, eco_root(o), d)))
		return ED_EXIT_ENV;
	return eco_installed_done(pool, repo, out);
}

/* A package name, or a name packages provide (so:libz.so.1, pc:zlib,
 * cmd:cmake), with an optional constraint as apk add takes it
 * ("zlib-dev>=1.3"). Never an option (no leading '-'). */
static bool valid_spec(const char *spec)
{
	size_t len = strlen(spec), name;

	if (!len || len > 256 || !isalnum((unsigned char)spec[0]))
		return false;
	if (!strncmp(spec, "so:", 3) || !strncmp(spec, "pc:", 3) || !strncmp(spec, "cmd:", 4))
		spec += spec[0] == 'c' ? 4 : 3;
	name = strspn(spec, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-");
	if (!name)
		return false;
	spec += name;
	if (!*spec)
		return true;
	spec += strspn(spec, "<>=~");
	return *spec && strspn(spec, "abcdefghijklmnopqrstuvwxyz0123456789_.-") == strlen(spec);
}

/* apk add --virtual replaces the virtual package's dependencies: those
 * an earlier install recorded are named again, so that they stay. */
static char **apk_install_argv(const struct eco_opts *o, const char *const *specs, size_t n,
			       unsigned flags, struct ed_diag *d)
{
	const char *prefix[7];
	char **kept = NULL, **argv = NULL;
	const char **all;
	size_t nkept = 0, nall = 0, k = 0;

	/* apk never asks, and has no weak dependencies to leave out;
	 * --no-cache: the indexes are fetched for the command (a fresh
	 * container has none) and not kept */
	prefix[k++] = "apk";
	prefix[k++] = "add";
	prefix[k++] = "--no-cache";
	prefix[k++] = "--virtual";
	prefix[k++] = VIRTUAL;
	if (flags & ECO_INSTALL_SIMULATE)
		prefix[k++] = "--simulate";
	prefix[k] = NULL;
	if (!apk_virtual_deps(eco_root(o), VIRTUAL, &kept, &nkept)) {
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
		return NULL;
	}
	if (!(all = calloc(nkept + n + 1, sizeof *all))) {
		util_strv_free(kept, nkept);
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < nkept + n; i++) {
		const char *s = i < nkept ? kept[i] : specs[i - nkept];

		k = 0;
		while (k < nall && strcmp(all[k], s ? s : ""))
			k++;
		if (k == nall)
			all[nall++] = s;
	}
	/* nothing new asked for: N is 0, as eco_argv_new says */
	argv = eco_argv_new(prefix, all, n ? nall : 0, valid_spec, "apk package spec", NULL, d);
	free(all);
	util_strv_free(kept, nkept);
	return argv;
}

static bool apk_install_needs_root(const struct eco_opts *o)
{
	(void)o; /* apk's database is root's */
	return true;
}

static bool apk_has_db(const struct eco_opts *o)
{
	char path[PATH_BUF];

	return installed_path(eco_root(o), path, sizeof path) && access(path, R_OK) == 0;
}

/* check's view of the database: packages, and the library sonames,
 * pkg-config modules and commands they provide (so:, pc:, cmd:), by which
 * the registry's names can be found. */
static int apk_open_db(const struct eco_opts *o, struct installed **out, struct ed_diag *d)
{
	char path[PATH_BUF];
	Repo *repo;
	Pool *pool;
	Solvable *s;
	Id p;
	bool ok = true;

	*out = NULL;
	if (!apk_has_db(o) || !installed_path(eco_root(o), path, sizeof path))
		return 0;
	if (!(pool = installed_pool(eco_root(o), &repo, d)))
		return d->status ? (int)d->status : ED_EXIT_ENV;
	if (!(*out = installed_new(INSTALLED_APK, path)))
		ok = false;
	FOR_REPO_SOLVABLES(repo, p, s) {
		const char *name = pool_id2str(pool, s->name), *evr = pool_id2str(pool, s->evr);

		ok = ok && installed_add(*out, name, strlen(name), evr, strlen(evr));
		for (Id *dep = s->provides ? repo->idarraydata + s->provides : NULL; ok && dep && *dep;
		     dep++) {
			Id what = *dep, version = 0;
			const char *pn;

			if (ISRELDEP(what)) {
				Reldep *rd = GETRELDEP(pool, what);

				what = rd->name;
				version = rd->evr;
			}
			pn = pool_id2str(pool, what);
			if (strncmp(pn, "so:", 3) && strncmp(pn, "pc:", 3) && strncmp(pn, "cmd:", 4))
				continue;
			ok = installed_add_provided(*out, pn, version ? pool_id2str(pool, version) : NULL,
						    name);
		}
	}
	pool_free(pool);
	if (!ok) {
		installed_free(*out);
		*out = NULL;
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
	}
	installed_sort(*out);
	return 0;
}

static const char *const apk_refresh[] = { "apk", "update", NULL };

static const char *const apk_ecosystems[] = { "alpine", NULL };

const struct eco_ops eco_apk = {
	.name = "apk",
	.database = "apk",
	.scope = ECO_SYSTEM,
	.arch_scheme = ARCH_MACHINE,
	.disttype = DISTTYPE_APK,
	.version_rules = "apk",
	.pool_setup = apk_pool_setup,
	.load_available = apk_load_available,
	.load_installed = apk_load_installed,
	.install_argv = apk_install_argv,
	.install_needs_root = apk_install_needs_root,
	.refresh_argv = apk_refresh,
	.open_db = apk_open_db,
	.has_db = apk_has_db,
	.ecosystems = apk_ecosystems,
	.update = apk_update,
	.libc = "musl",
};
