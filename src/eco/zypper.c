/* zypper.c - the zypper backend: openSUSE Leap and Tumbleweed, from rpm-md
 * repositories (rpmmd.h), installed with zypper. */
#include "extdeps/eco/zypper.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "extdeps/eco/eco.h"
#include "extdeps/eco/rpmmd.h"
#include "extdeps/net/repocache.h"

#define DEFAULT_BASE "https://download.opensuse.org"

/* --- the target --- */

/* The target's release and architecture, checked. */
static int target(const struct eco_opts *o, const char **release, const char **arch,
		  struct ed_diag *d)
{
	return rpmmd_target(o, "15.6", "tumbleweed", release, arch, d);
}

static bool is_tumbleweed(const char *release)
{
	return !strcmp(release, "tumbleweed");
}

/* --- the release's own repositories --- */

/* The aliases an openSUSE installation gives its repositories, and where
 * download.opensuse.org (or a mirror of its tree) keeps each: Leap's
 * under distribution/leap/RELEASE and update/leap/RELEASE, Tumbleweed's
 * under tumbleweed/ and update/tumbleweed (ports/ARCH/ for every
 * architecture but x86_64). Leap 16.0's trees hold one
 * directory per architecture. */
static const struct own {
	const char *id, *name;
	const char *leap, *tumbleweed; /* paths under the base */
} owns[] = {
	{ "repo-oss", "the main repository (OSS)", "/distribution/leap/$releasever/repo/oss/",
	  "/tumbleweed/repo/oss/" },
	{ "repo-non-oss", "the non-OSS repository", "/distribution/leap/$releasever/repo/non-oss/",
	  "/tumbleweed/repo/non-oss/" },
	{ "repo-update", "the update repository", "/update/leap/$releasever/oss/",
	  "/update/tumbleweed/" },
};

#define NOWN (sizeof owns / sizeof owns[0])

struct own_repos {
	struct eco_repo v[NOWN];
	char url[NOWN][1024];
	bool raw[NOWN];  /* this machine's zypper may keep its metadata */
	size_t n;
};

/* The section of the repository ID in this machine's /etc/zypp/repos.d,
 * under its own alias or the one the openSUSE repository service gives it
 * ("openSUSE:repo-oss"); ALIAS (64 bytes) gets the alias found. */
static bool host_conf(const struct eco_opts *o, const char *id, struct rpmmd_repo_conf *c,
		      char *alias)
{
	snprintf(alias, 64, "%s", id);
	if (rpmmd_repo_conf_find(o, "/etc/zypp/repos.d", alias, c))
		return true;
	snprintf(alias, 64, "openSUSE:%s", id);
	return rpmmd_repo_conf_find(o, "/etc/zypp/repos.d", alias, c);
}

/* zypper's copy of repository ALIAS's metadata under O's root into DIR,
 * when it has one. */
static bool raw_cache(const struct eco_opts *o, const char *alias, char *dir, size_t size)
{
	char repomd[RPMMD_PATH_MAX];
	int n = snprintf(dir, size, "%s/var/cache/zypp/raw/%s/repodata",
			 strcmp(eco_root(o), "/") ? eco_root(o) : "", alias);

	return n > 0 && (size_t)n < size &&
	       (size_t)snprintf(repomd, sizeof repomd, "%s/repomd.xml", dir) < sizeof repomd &&
	       access(repomd, R_OK) == 0;
}

/* Whether --enable-repo names the component ID is the repository of
 * ("non-oss": repo-non-oss). */
static bool asked(const struct eco_opts *o, const char *id)
{
	for (size_t i = 0; o && i < o->nrepos; i++)
		if (o->repos[i].component && !strncmp(id, "repo-", 5) &&
		    !strcmp(o->repos[i].component, id + 5))
			return true;
	return false;
}

/* Where OWN is in download.opensuse.org's tree, or --mirror's, into URL. */
static int default_url(const struct eco_opts *o, const char *release, const char *arch,
		       const struct own *own, char *url, size_t size, struct ed_diag *d)
{
	char path[256];
	int rc;

	if (!is_tumbleweed(release))
		snprintf(path, sizeof path, "%s%s", own->leap,
			 !strncmp(release, "16.", 3) ? "$basearch/" : "");
	else if (strcmp(arch, "x86_64"))
		snprintf(path, sizeof path, "/ports/%s%s", arch, own->tumbleweed);
	else
		snprintf(path, sizeof path, "%s", own->tumbleweed);
	if ((rc = eco_mirror_url(o, DEFAULT_BASE, path, url, size, d)))
		return rc;
	return rpmmd_expand_vars(url, release, arch, url, size, d);
}

/* The target's own repositories: from --mirror, else on this machine
 * (O->host) those its zypper has enabled, at the URLs it names, else
 * download.opensuse.org's. */
static int own_repos(const struct eco_opts *o, const char *release, const char *arch,
		     struct own_repos *r, struct ed_diag *d)
{
	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < NOWN; i++) {
		struct rpmmd_repo_conf c = { 0 };
		char alias[64], *url = r->url[r->n];
		bool conf = o && o->host && !o->mirror && host_conf(o, owns[i].id, &c, alias);
		int rc;

		/* zypper would not install from a repository it has disabled,
		 * unless --enable-repo names it */
		if (conf && !c.enabled && !asked(o, owns[i].id))
			continue;
		if (conf && c.baseurl[0])
			rc = rpmmd_expand_vars(c.baseurl, release, arch, url, sizeof r->url[0], d);
		else
			rc = default_url(o, release, arch, &owns[i], url, sizeof r->url[0], d);
		if (rc)
			return rc;
		r->raw[r->n] = conf;
		r->v[r->n] = (struct eco_repo){ .id = owns[i].id, .name = owns[i].name, .url = url };
		r->n++;
	}
	return 0;
}

/* The cache directory of repository R of the target: CACHE/zypper/
 * opensuse-RELEASE-ARCH+ID, created. */
static struct repocache *repo_cache(const struct eco_opts *o, const char *release,
				    const char *arch, const struct eco_repo *r, struct ed_diag *d)
{
	char sub[192];
	struct repocache *c;

	if (eco_repo_check_id(r, d))
		return NULL;
	/* Leap and Tumbleweed are told apart by their release */
	snprintf(sub, sizeof sub, "zypper/opensuse-%s-%s+%s", release, arch, r->id);
	if (!(c = repocache_new(o ? o->cache_dir : NULL, sub)))
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
			    "no usable cache directory for '%s' (set XDG_CACHE_HOME)", sub);
	return c;
}

/* --- update --- */

/* Download repository R's metadata into its cache directory. ST may be
 * NULL; counts are added. */
static int update_one(const struct eco_opts *o, const struct eco_repo *r,
		      struct eco_update_stats *st, struct ed_diag *d)
{
	struct rpmmd_update u = { .o = o, .st = st, .label = r->id };
	const char *release, *arch;
	struct repocache *cache;
	int rc;

	if ((rc = target(o, &release, &arch, d)) ||
	    (rc = eco_repo_url(r, "/", u.base, sizeof u.base, d)) ||
	    (rc = rpmmd_expand_vars(u.base, release, arch, u.base, sizeof u.base, d)))
		return rc;
	if (o && o->offline)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot update %s with --offline",
				   r->id);
	if (!(cache = repo_cache(o, release, arch, r, d)))
		return d && d->status ? (int)d->status : ED_EXIT_ENV;
	u.dir = repocache_dir(cache);
	rc = rpmmd_update(&u, d);
	repocache_free(cache);
	return rc;
}

/* eco_ops.update: the target's own repositories (not on this machine,
 * whose zypper keeps them), then each repository enabled beside them. */
static int zypper_update(const struct eco_opts *o, struct eco_update_stats *st,
			 struct ed_diag *d)
{
	const char *release, *arch;
	struct own_repos own;
	int rc;

	if ((rc = target(o, &release, &arch, d)) ||
	    (rc = own_repos(o, release, arch, &own, d)))
		return rc;
	for (size_t i = 0; !(o && o->host) && i < own.n && !rc; i++)
		rc = update_one(o, &own.v[i], st, d);
	for (size_t i = 0; o && i < o->nrepos && !rc; i++)
		if (o->repos[i].url)
			rc = update_one(o, &o->repos[i], st, d);
	return rc;
}

/* --- loading --- */

struct source {
	struct rpmmd_source s;
	const struct eco_opts *o;
	const struct eco_repo *r;
};

static int source_update(const struct rpmmd_source *s, struct ed_diag *d)
{
	const struct source *src = s->ud;

	return update_one(src->o, src->r, NULL, d);
}

/* Repository R into POOL: from zypper's own copy of its metadata (RAW, on
 * this machine) where that reads, else from its cache directory. A target
 * named with --distro reads what update() downloaded first (eco.h).
 * ENABLED: R is one of --enable-repo's (messages name it). */
static int load_one(Pool *pool, const struct eco_opts *o, const struct eco_repo *r, bool raw,
		    bool enabled, struct eco_load_stats *st, struct ed_diag *d)
{
	const char *release, *arch;
	struct source src = { .o = o, .r = r };
	char dir[RPMMD_PATH_MAX], alias[64];
	struct rpmmd_repo_conf c;
	int rc;

	if ((rc = target(o, &release, &arch, d)))
		return rc;
	if (!(src.s.cache = repo_cache(o, release, arch, r, d)))
		return d && d->status ? (int)d->status : ED_EXIT_ENV;
	snprintf(dir, sizeof dir, "%s/repomd.xml", repocache_dir(src.s.cache));
	if (raw && !o->file_lists && !(o->named && access(dir, F_OK) == 0) &&
	    host_conf(o, r->id, &c, alias) && raw_cache(o, alias, dir, sizeof dir)) {
		bool hit = false;
		Repo *repo = rpmmd_load_dir(pool, dir, r->id, o->no_cache ? NULL : src.s.cache,
					    "zypp-primary", false, NULL, &hit, d);

		if (repo) {
			st->repos++;
			st->cache_hits += hit;
			st->cache_writes += !hit && !o->no_cache;
			st->solvables += (size_t)repo->nsolvables;
			repocache_free(src.s.cache);
			return 0;
		}
		/* a copy zypper left damaged: ours instead */
		ed_diag_clear(d);
	}
	src.s.label = r->id;
	src.s.what = r->id;
	src.s.arch = arch;
	src.s.enabled = enabled ? r : NULL;
	src.s.update = source_update;
	src.s.ud = &src;
	rc = rpmmd_load(pool, o, &src.s, st, d);
	repocache_free(src.s.cache);
	return rc;
}

static int zypper_load_available(Pool *pool, const struct eco_opts *o,
				 struct eco_load_stats *st, struct ed_diag *d)
{
	const char *release, *arch;
	struct eco_load_stats local;
	struct own_repos own;
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	if ((rc = target(o, &release, &arch, d)) ||
	    (rc = own_repos(o, release, arch, &own, d)))
		return rc;
	for (size_t i = 0; i < own.n && !rc; i++)
		rc = load_one(pool, o, &own.v[i], own.raw[i], false, st, d);
	for (size_t i = 0; o && i < o->nrepos && !rc; i++)
		if (o->repos[i].url)
			rc = load_one(pool, o, &o->repos[i], false, true, st, d);
	return rc;
}

static int zypper_pool_setup(Pool *pool, const struct eco_opts *o, struct ed_diag *d)
{
	const char *release, *arch;
	int rc = target(o, &release, &arch, d);

	if (rc || (rc = eco_set_disttype(pool, &eco_zypper, d)))
		return rc;
	pool_setarch(pool, arch);
	return 0;
}

/* --- installing --- */

static char **zypper_install_argv(const struct eco_opts *o, const char *const *specs, size_t n,
				  unsigned flags, struct ed_diag *d)
{
	const char *prefix[6];
	size_t k = 0;

	(void)o; /* the same command for every target */
	prefix[k++] = "zypper";
	/* a global option: before the command */
	if (flags & ECO_INSTALL_YES)
		prefix[k++] = "--non-interactive";
	prefix[k++] = "install";
	if (flags & ECO_INSTALL_NO_RECOMMENDS)
		prefix[k++] = "--no-recommends";
	if (flags & ECO_INSTALL_SIMULATE)
		prefix[k++] = "--dry-run";
	prefix[k] = NULL;
	return eco_argv_new(prefix, specs, n, rpmmd_valid_spec, "rpm package spec", NULL, d);
}

static bool zypper_install_needs_root(const struct eco_opts *o)
{
	(void)o; /* the rpm database is root's */
	return true;
}

/* The alias zypper knows R by on this machine: the one its enable command
 * names (zypper modifyrepo --enable ALIAS; zypper addrepo URL ALIAS, the
 * last word), else R's id. */
static const char *repo_alias(const struct eco_repo *r, char *buf, size_t size)
{
	const char *e = r->enable, *at;

	if (e && (at = strstr(e, "modifyrepo --enable "))) {
		at += strlen("modifyrepo --enable ");
		snprintf(buf, size, "%.*s", (int)strcspn(at, " ;"), at);
		return buf;
	}
	if (e && (at = strstr(e, "addrepo "))) {
		size_t end = strcspn(at, ";"), start = end;

		while (start > 0 && at[start - 1] == ' ')
			start--, end--;
		while (start > 0 && at[start - 1] != ' ')
			start--;
		snprintf(buf, size, "%.*s", (int)(end - start), at + start);
		return buf;
	}
	return r->id;
}

/* eco_ops.has_repo: /etc/zypp/repos.d under the root enables R. */
static bool zypper_has_repo(const struct eco_opts *o, const struct eco_repo *r)
{
	struct rpmmd_repo_conf c;
	char id[128], alias[64];

	return host_conf(o, repo_alias(r, id, sizeof id), &c, alias) && c.enabled;
}

static const char *const zypper_refresh[] = { "zypper", "refresh", NULL };

static const char *const zypper_ecosystems[] = { "opensuse", NULL };

const struct eco_ops eco_zypper = {
	.name = "zypper",
	.database = "rpm",
	.scope = ECO_SYSTEM,
	.arch_scheme = ARCH_RPM,
	.disttype = DISTTYPE_RPM,
	.version_rules = "rpm",
	.pool_setup = zypper_pool_setup,
	.load_available = zypper_load_available,
	.load_installed = rpmmd_load_installed,
	.install_argv = zypper_install_argv,
	.install_needs_root = zypper_install_needs_root,
	.refresh_argv = zypper_refresh,
	.open_db = rpmmd_open_db,
	.has_db = rpmmd_has_db,
	.ecosystems = zypper_ecosystems,
	.update = zypper_update,
	.repo_kinds = ECO_REPO_URL | ECO_REPO_COMPONENT,
	.has_repo = zypper_has_repo,
};
