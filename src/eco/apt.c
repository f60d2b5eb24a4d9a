/* apt.c - the apt/dpkg backend: Debian and Ubuntu. The host's lists
 * (apt_sources.c), a remote release's (apt_repo.c), read by apt_index.c. */
#include "extdeps/eco/apt.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <solv/pool.h>

#include "extdeps/eco/apt_index.h"
#include "extdeps/eco/apt_repo.h"
#include "extdeps/eco/apt_sources.h"
#include "extdeps/eco/arch.h"
#include "extdeps/eco/eco.h"
#include "extdeps/eco/installed.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/util.h"

#define PATH_BUF 4096

/* --- the backend --- */

/* dpkg's status file under O's root, into PATH. */
static bool status_path(const struct eco_opts *o, char *path, size_t size)
{
	return util_join_root(eco_root(o), "/var/lib/dpkg/status", path, size);
}

static bool apt_has_db(const struct eco_opts *o)
{
	char path[PATH_BUF];
	struct stat st;

	return status_path(o, path, sizeof path) && !stat(path, &st);
}

static int apt_open_db(const struct eco_opts *o, struct installed **out, struct ed_diag *d)
{
	char path[PATH_BUF];

	*out = NULL;
	if (!apt_has_db(o) || !status_path(o, path, sizeof path))
		return 0;
	*out = installed_open_dpkg(path, d);
	return *out ? 0 : d->status ? (int)d->status : ED_EXIT_ENV;
}

static int apt_pool_setup(Pool *pool, const struct eco_opts *o, struct ed_diag *d)
{
	const char *arch = o && o->arch ? o->arch : arch_host(ARCH_DPKG);
	int rc;

	if (!arch)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "unknown machine architecture for dpkg; use --arch");
	if (!apt_valid_arch(arch))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is not a dpkg architecture name", arch);
	if ((rc = eco_set_disttype(pool, &eco_apt, d)))
		return rc;
	/* dpkg's names ("amd64"): with uname's "x86_64" half of Debian's
	 * packages would count as a foreign architecture. */
	pool_setarch(pool, arch);
	return 0;
}

Repo *apt_reload_list(const char *path, const char *name,
		      const unsigned char cookie[REPOCACHE_COOKIE_LEN])
{
	const char *paths[1] = { path };
	unsigned char now[REPOCACHE_COOKIE_LEN];
	Pool *pool = pool_create();
	Repo *repo = NULL;

	if (!eco_set_disttype(pool, &eco_apt, NULL) &&
	    repocache_cookie_files(paths, 1, now) && !memcmp(now, cookie, sizeof now))
		repo = apt_load_list(pool, path, name, NULL);
	if (repo && (!repocache_cookie_files(paths, 1, now) || memcmp(now, cookie, sizeof now)))
		repo = NULL;
	if (!repo)
		pool_free(pool);
	return repo;
}

/* The target's metadata as update() downloaded it (fetched first when the
 * cache lacks it, unless offline), then the repositories enabled beside it:
 * read as another machine's, from the cache and not apt's lists. */
static int load_downloaded(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
			   struct ed_diag *d)
{
	struct eco_opts away = *o;
	int rc;

	away.host = false;
	if ((rc = apt_repo_load(pool, &away, st, d)))
		return rc;
	return apt_repo_load_enabled(pool, &away, NULL, st, d);
}

static int apt_load_available(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
			      struct ed_diag *d)
{
	const char *root = eco_root(o);
	const char *arch = o && o->arch ? o->arch : arch_host(ARCH_DPKG);
	struct eco_load_stats local;
	struct apt_sources sources = { 0 };
	struct apt_lists lists = { 0 };
	struct repocache *cache = NULL;
	int rc;

	if (!st)
		st = &local;
	/* Another release than the host's, or the host's named and
	 * downloaded with 'extdeps update --distro': the downloaded metadata.
	 * A zeroed eco_opts (no distro) still means this machine. */
	if (o && o->distro && (!o->host || (o->named && apt_repo_cached(o))))
		return load_downloaded(pool, o, st, d);
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
	if (!lists.n && o && o->distro && apt_repo_cached(o)) {
		/* a fresh container: no lists, but what update downloaded */
		rc = load_downloaded(pool, o, st, d);
		goto out;
	}
	if (!lists.n && o && o->distro && o->release) {
		rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				 "no apt package lists under '%s' for the configured sources; "
				 "run 'apt-get update' (as root), or 'extdeps update --distro=%s:%s' "
				 "to plan from a download",
				 root, o->distro, o->release);
		goto out;
	}
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
				/* this machine's lists are apt's to mend */
				if (d && strstr(d->msg, "corrupt or truncated")) {
					struct ed_diag why = *d;

					ed_diag_set(d, why.status, why.file, why.line, why.col,
						    "%s; run 'apt-get update'", why.msg);
				}
				goto out;
			}
			/* written while the plan goes on (repocache.h) */
			if (cache && cookie_ok && repocache_store_later(cache, repo, key, cookie, apt_reload_list, path))
				st->cache_writes++;
		}
		st->repos++;
		st->solvables += (size_t)repo->nsolvables;
	}
	/* the repositories enabled beside this machine's lists */
	if (o)
		rc = apt_repo_load_enabled(pool, o, &sources, st, d);
out:
	repocache_free(cache);
	apt_lists_fini(&lists);
	apt_sources_fini(&sources);
	return rc;
}

static bool apt_has_repo(const struct eco_opts *o, const struct eco_repo *r)
{
	struct apt_sources sources = { 0 };
	struct ed_diag ignored;
	bool has;

	if (apt_sources_read(eco_root(o), &sources, &ignored))
		return false;
	has = apt_repo_on_host(&sources, r);
	apt_sources_fini(&sources);
	return has;
}

static int apt_load_installed(Pool *pool, const struct eco_opts *o, Repo **out,
			      struct ed_diag *d)
{
	char path[PATH_BUF];
	Repo *repo;

	if (out)
		*out = NULL;
	if (!status_path(o, path, sizeof path))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "root path too long");
	if (!(repo = apt_load_status(pool, path, d)))
		return ED_EXIT_ENV;
	return eco_installed_done(pool, repo, out);
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
/* debconf must not stop to ask on a terminal nobody watches */
static const char *const apt_install_env[] = { "DEBIAN_FRONTEND=noninteractive", NULL };
static const char *const apt_refresh[] = { "apt-get", "update", NULL };

/* eco_ops.metadata_missing: sources without a list (a fresh container). */
static bool apt_metadata_missing(const struct eco_opts *o)
{
	const char *arch = o && o->arch ? o->arch : arch_host(ARCH_DPKG);
	struct apt_sources sources = { 0 };
	struct apt_lists lists = { 0 };
	struct ed_diag ignored;
	bool missing;

	if (!arch || apt_sources_read(eco_root(o), &sources, &ignored))
		return false;
	missing = sources.n && !apt_lists_find(eco_root(o), &sources, arch, &lists, &ignored) &&
		  !lists.n;
	apt_lists_fini(&lists);
	apt_sources_fini(&sources);
	return missing;
}

const struct eco_ops eco_apt = {
	.name = "apt",
	.database = "dpkg",
	.scope = ECO_SYSTEM,
	.arch_scheme = ARCH_DPKG,
	.disttype = DISTTYPE_DEB,
	.version_rules = "deb",
	.pool_setup = apt_pool_setup,
	.load_available = apt_load_available,
	.load_installed = apt_load_installed,
	.install_argv = apt_install_argv,
	.install_needs_root = apt_install_needs_root,
	.install_env = apt_install_env,
	.refresh_argv = apt_refresh,
	.metadata_missing = apt_metadata_missing,
	.metadata_missing_sh = "! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1",
	.open_db = apt_open_db,
	.has_db = apt_has_db,
	.ecosystems = apt_ecosystems,
	.update = apt_repo_update,
	.repo_kinds = ECO_REPO_URL | ECO_REPO_COMPONENT,
	.has_repo = apt_has_repo,
};
