/* dnf.c - the dnf/rpm backend: Fedora and the RHEL family (AlmaLinux,
 * Rocky, RHEL, CentOS Stream, Oracle Linux), from rpm-md repositories. */
#include "extdeps/eco/dnf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "extdeps/eco/arch.h"
#include "extdeps/eco/dnf_modules.h"
#include "extdeps/eco/eco.h"
#include "extdeps/eco/installed.h"
#include "extdeps/eco/rpmmd.h"
#include "extdeps/net/fetch.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

#define PATH_BUF RPMMD_PATH_MAX

/* --- architectures and the target --- */

/* The target's release and architecture, checked. */
static int target(const struct eco_opts *o, const char **release, const char **arch,
		  struct ed_diag *d)
{
	return rpmmd_target(o, "41", "rawhide", release, arch, d);
}

/* --- the RHEL family's own repositories --- */

/* Where an EL distribution publishes BaseOS and AppStream ($releasever and
 * $basearch as in dnf's .repo files). RHEL's are those of its freely
 * redistributable UBI subset; "el" reads AlmaLinux's, binary compatible
 * with the rest of the family. */
static const struct el_vendor {
	const char *distro;
	const char *release; /* only this release; NULL: any */
	const char *baseos, *appstream;
} el_vendors[] = {
	{ "almalinux", NULL, "https://repo.almalinux.org/almalinux/$releasever/BaseOS/$basearch/os",
	  "https://repo.almalinux.org/almalinux/$releasever/AppStream/$basearch/os" },
	/* CentOS Stream 8 ended: only its vault remains */
	{ "centos", "8", "https://vault.centos.org/8-stream/BaseOS/$basearch/os",
	  "https://vault.centos.org/8-stream/AppStream/$basearch/os" },
	{ "centos", NULL, "https://mirror.stream.centos.org/$releasever-stream/BaseOS/$basearch/os",
	  "https://mirror.stream.centos.org/$releasever-stream/AppStream/$basearch/os" },
	{ "el", NULL, "https://repo.almalinux.org/almalinux/$releasever/BaseOS/$basearch/os",
	  "https://repo.almalinux.org/almalinux/$releasever/AppStream/$basearch/os" },
	{ "ol", NULL, "https://yum.oracle.com/repo/OracleLinux/OL$releasever/baseos/latest/$basearch",
	  "https://yum.oracle.com/repo/OracleLinux/OL$releasever/appstream/$basearch" },
	{ "rhel", NULL,
	  "https://cdn-ubi.redhat.com/content/public/ubi/dist/ubi$releasever/$releasever/$basearch/baseos/os",
	  "https://cdn-ubi.redhat.com/content/public/ubi/dist/ubi$releasever/$releasever/$basearch/appstream/os" },
	{ "rocky", NULL, "https://dl.rockylinux.org/pub/rocky/$releasever/BaseOS/$basearch/os",
	  "https://dl.rockylinux.org/pub/rocky/$releasever/AppStream/$basearch/os" },
};

static const struct el_vendor *el_vendor(const struct eco_opts *o, const char *release)
{
	for (size_t i = 0; o && o->distro && i < sizeof el_vendors / sizeof el_vendors[0]; i++)
		if (!strcmp(el_vendors[i].distro, o->distro) &&
		    (!el_vendors[i].release || !strcmp(el_vendors[i].release, release)))
			return &el_vendors[i];
	return NULL;
}

/* The target's own repositories as eco_repos: none for Fedora (its
 * metalink, or --mirror, is the one repository), BaseOS and AppStream for
 * an EL distribution (under --mirror: MIRROR/BaseOS/$basearch/os, the
 * layout of AlmaLinux's and Rocky's release directories). */
struct own_repos {
	struct eco_repo v[2];
	char url[2][1024];
	size_t n;
};

static int own_repos(const struct eco_opts *o, const char *release, struct own_repos *r,
		     struct ed_diag *d)
{
	static const char *const ids[] = { "baseos", "appstream" };
	static const char *const names[] = { "BaseOS", "AppStream" };
	const struct el_vendor *v = el_vendor(o, release);

	memset(r, 0, sizeof *r);
	if (!v)
		return 0;
	for (size_t i = 0; i < 2; i++) {
		char path[64];
		int rc;

		snprintf(path, sizeof path, "/%s/$basearch/os", names[i]);
		if (o->mirror)
			rc = eco_mirror_url(o, NULL, path, r->url[i], sizeof r->url[i], d);
		else
			rc = snprintf(r->url[i], sizeof r->url[i], "%s", i ? v->appstream : v->baseos) < 0;
		if (rc)
			return rc;
		r->v[i] = (struct eco_repo){ .id = ids[i], .name = names[i], .url = r->url[i] };
	}
	r->n = 2;
	return 0;
}

/* The target's distribution as cache directories name it: O->distro
 * when it is a plain word, else "fedora". */
static const char *distro_of(const struct eco_opts *o)
{
	const char *p = o && o->distro ? o->distro : "";

	for (const char *q = p; *q; q++)
		if (!islower((unsigned char)*q) && !isdigit((unsigned char)*q) && *q != '-')
			return "fedora";
	return *p && strlen(p) < 64 ? p : "fedora";
}

/* The target's cache: CACHE/dnf/DISTRO-RELEASE-ARCH, created; that of the
 * repository EXTRA (NULL: none) of the target or enabled beside it
 * ...-ARCH+ID. */
static struct repocache *target_cache(const struct eco_opts *o, const char *release,
				      const char *arch, const struct eco_repo *extra,
				      struct ed_diag *d)
{
	char sub[192];
	struct repocache *c;

	if (extra && eco_repo_check_id(extra, d))
		return NULL;
	snprintf(sub, sizeof sub, "dnf/%s-%s-%s%s%s", distro_of(o), release, arch,
		 extra ? "+" : "", extra ? extra->id : "");
	c = repocache_new(o ? o->cache_dir : NULL, sub);
	if (!c)
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
			    "no usable cache directory for '%s' (set XDG_CACHE_HOME)", sub);
	return c;
}

/* --- metalink --- */

void dnf_metalink_fini(struct dnf_metalink *ml)
{
	if (!ml)
		return;
	util_strv_free(ml->urls, ml->nurls);
	memset(ml, 0, sizeof *ml);
}

static const char *find_in(const char *p, const char *end, const char *what)
{
	return p ? memmem(p, (size_t)(end - p), what, strlen(what)) : NULL;
}

/* Copy [P, END) to a new string with the XML entities a URL can hold
 * decoded. */
static char *xml_text(const char *p, const char *end)
{
	static const struct {
		const char *ent, *ch;
	} ents[] = { { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
		     { "&apos;", "'" } };
	struct strbuf b = STRBUF_INIT;

	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	while (p < end) {
		size_t i, n = sizeof ents / sizeof ents[0], l = 0;

		for (i = 0; *p == '&' && i < n; i++) {
			l = strlen(ents[i].ent);
			if ((size_t)(end - p) >= l && !memcmp(p, ents[i].ent, l))
				break;
		}
		if (*p == '&' && i < n) {
			strbuf_addstr(&b, ents[i].ch);
			p += l;
		} else {
			strbuf_add(&b, p++, 1);
		}
	}
	return strbuf_detach(&b);
}

int dnf_metalink_parse(const char *text, size_t len, const char *file, struct dnf_metalink *ml,
		       struct ed_diag *d)
{
	const char *end = text + len, *p, *fend, *alt, *hash;

	memset(ml, 0, sizeof *ml);
	p = find_in(text, end, "<file name=\"repomd.xml\"");
	fend = find_in(p, end, "</file>");
	if (!p || !fend)
		return ed_diag_set(d, ED_EXIT_ENV, file, 0, 0,
				   "not a metalink for repomd.xml (no <file name=\"repomd.xml\">)");
	/* Older repomd.xml versions some mirrors still serve are listed first,
	 * as alternates; the current one's hash follows them. */
	alt = find_in(p, fend, "</mm0:alternates>");
	if (alt)
		p = alt;
	hash = find_in(p, fend, "<hash type=\"sha256\">");
	if (hash) {
		const char *h = hash + strlen("<hash type=\"sha256\">");
		size_t n = 0;

		while (h + n < fend && isxdigit((unsigned char)h[n]) && n < 64)
			n++;
		if (n != 64)
			return ed_diag_set(d, ED_EXIT_ENV, file, 0, 0,
					   "malformed sha256 of repomd.xml in the metalink");
		for (size_t i = 0; i < 64; i++)
			ml->sha256[i] = (char)tolower((unsigned char)h[i]);
		ml->sha256[64] = '\0';
	}
	for (const char *u = find_in(p, fend, "<url"); u; u = find_in(u + 4, fend, "<url")) {
		const char *gt = find_in(u, fend, ">"), *close = find_in(gt, fend, "</url>");
		char *url;

		if (!gt || !close)
			break;
		if (!(url = xml_text(gt + 1, close))) {
			dnf_metalink_fini(ml);
			return ed_diag_oom(d);
		}
		if ((!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7)) &&
		    !util_strv_push(&ml->urls, &ml->nurls, url)) {
			free(url);
			dnf_metalink_fini(ml);
			return ed_diag_oom(d);
		}
		free(url);
		u = close;
	}
	if (!ml->nurls) {
		dnf_metalink_fini(ml);
		return ed_diag_set(d, ED_EXIT_ENV, file, 0, 0,
				   "the metalink lists no http(s) mirror of repomd.xml");
	}
	return 0;
}

/* --- loading --- */

/* --- the backend --- */

static int dnf_pool_setup(Pool *pool, const struct eco_opts *o, struct ed_diag *d)
{
	const char *release, *arch;
	int rc = target(o, &release, &arch, d);

	if (rc)
		return rc;
	/* Debian's libsolv defaults to Debian rules; rpm-md needs rpm's. */
	if ((rc = eco_set_disttype(pool, &eco_dnf, d)))
		return rc;
	pool_setarch(pool, arch);
	return 0;
}

static int update_one(const struct eco_opts *o, const struct eco_repo *extra,
		      struct eco_update_stats *st, struct ed_diag *d);

/* rpmmd_source.update: S->ud is the eco_opts, the label names the
 * repository enabled beside the target (NULL: the target's own). */
struct source {
	struct rpmmd_source s;
	const struct eco_opts *o;
	const struct eco_repo *extra;
};

static int source_update(const struct rpmmd_source *s, struct ed_diag *d)
{
	const struct source *src = s->ud;

	return update_one(src->o, src->extra, NULL, d);
}

/* EXTRA when it is one of O's --enable-repo, NULL when it is the target's
 * own (EL's BaseOS and AppStream): what a hint's update command names. */
static const struct eco_repo *enabled_repo(const struct eco_opts *o, const struct eco_repo *extra)
{
	for (size_t i = 0; extra && o && i < o->nrepos; i++)
		if (extra == &o->repos[i])
			return extra;
	return NULL;
}

/* The rpm-md repository of O's target (EXTRA NULL) or of the repository
 * EXTRA enabled beside it into POOL, from its cache directory. */
static int load_one(Pool *pool, const struct eco_opts *o, const char *release,
		    const char *arch, const struct eco_repo *extra, struct eco_load_stats *st,
		    struct ed_diag *d)
{
	struct source src = { .o = o, .extra = extra };
	char label[128], what[128];
	int rc;

	if (!(src.s.cache = target_cache(o, release, arch, extra, d)))
		return d && d->status ? (int)d->status : ED_EXIT_ENV;
	if (extra) {
		snprintf(label, sizeof label, "%s", extra->id);
		snprintf(what, sizeof what, "%s", extra->id);
	} else {
		snprintf(label, sizeof label, "fedora-%s", release);
		/* an EL target's own repositories are its extras: this is
		 * Fedora, or a distribution named without them */
		snprintf(what, sizeof what, "%s %s",
			 o && o->distro && strcmp(o->distro, "fedora") ? o->distro : "Fedora",
			 release);
	}
	src.s.label = label;
	src.s.what = what;
	src.s.arch = arch;
	src.s.extra = &dnf_modules_data;
	src.s.enabled = enabled_repo(o, extra);
	src.s.update = source_update;
	src.s.ud = &src;
	rc = rpmmd_load(pool, o, &src.s, st, d);
	repocache_free(src.s.cache);
	return rc;
}

static int dnf_load_available(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
			      struct ed_diag *d)
{
	const char *release, *arch;
	struct eco_load_stats local;
	int rc;

	struct own_repos own;

	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	if ((rc = target(o, &release, &arch, d)) || (rc = own_repos(o, release, &own, d)))
		return rc;
	for (size_t i = 0; i < (own.n ? own.n : 1) && !rc; i++)
		rc = load_one(pool, o, release, arch, own.n ? &own.v[i] : NULL, st, d);
	/* repositories enabled beside the target's (no components here) */
	for (size_t i = 0; o && i < o->nrepos && !rc; i++)
		if (o->repos[i].url)
			rc = load_one(pool, o, release, arch, &o->repos[i], st, d);
	return rc;
}

static char **dnf_install_argv(const struct eco_opts *o, const char *const *specs, size_t n,
			       unsigned flags, struct ed_diag *d)
{
	const char *prefix[6];
	size_t k = 0;

	(void)o; /* the same command for every target of the ecosystem */
	prefix[k++] = "dnf";
	prefix[k++] = "install";
	if (flags & ECO_INSTALL_YES)
		prefix[k++] = "-y";
	if (flags & ECO_INSTALL_NO_RECOMMENDS)
		prefix[k++] = "--setopt=install_weak_deps=False";
	if (flags & ECO_INSTALL_SIMULATE)
		prefix[k++] = "--assumeno";
	prefix[k] = NULL;
	return eco_argv_new(prefix, specs, n, rpmmd_valid_spec, "rpm package spec", NULL, d);
}

static bool dnf_install_needs_root(const struct eco_opts *o)
{
	(void)o; /* the rpm database is root's */
	return true;
}

#define MIRRORS_TRIED 5

/* The base URL of a repomd.xml URL: everything before "repodata/repomd.xml". */
static bool base_of(const char *url, char *out, size_t size)
{
	const char *at = strstr(url, "repodata/repomd.xml");

	if (!at || (size_t)(at - url) >= size)
		return false;
	snprintf(out, size, "%.*s", (int)(at - url), url);
	return true;
}

/* fetch_expect.check of a metalink: it parses and names a mirror. */
static int check_metalink(const char *path, void *ud, struct ed_diag *d)
{
	struct dnf_metalink ml = { 0 };
	char *text;
	size_t len;
	int rc;

	(void)ud;
	if (!(text = util_read_file(path, &len, d)))
		return ED_EXIT_ENV;
	rc = dnf_metalink_parse(text, len, path, &ml, d);
	dnf_metalink_fini(&ml);
	free(text);
	return rc;
}

/* The target of an update from a metalink (rpmmd_update.ud). */
struct release {
	const char *release, *arch;
};

/* Download the release's metalink to PATH and parse it into ML. */
static int fetch_metalink(struct rpmmd_update *u, const char *path, struct dnf_metalink *ml,
			  struct ed_diag *d)
{
	struct fetch_expect exp = { .max_size = RPMMD_REPOMD_MAX, .check = check_metalink };
	struct fetch_result r = { 0 };
	const struct release *t = u->ud;
	char url[4096], *text;
	size_t len;
	int rc;

	if (!strcmp(t->release, "rawhide"))
		snprintf(url, sizeof url,
			 "https://mirrors.fedoraproject.org/metalink?repo=rawhide&arch=%s", t->arch);
	else
		snprintf(url, sizeof url,
			 "https://mirrors.fedoraproject.org/metalink?repo=fedora-%s&arch=%s",
			 t->release, t->arch);
	rc = fetch_file(u->f, url, path, &exp, &r, d);
	if (rc)
		return rc;
	eco_update_count(u->st, &r);
	if (!(text = util_read_file(path, &len, d)))
		return ED_EXIT_ENV;
	rc = dnf_metalink_parse(text, len, path, ml, d);
	free(text);
	return rc;
}

/* repomd.xml as the release's metalink gives it: the cached one while it
 * still hashes to the metalink's sha256, else from the first mirrors that
 * serve one that does. */
static int repomd_from_metalink(struct rpmmd_update *u, struct ed_diag *d)
{
	struct dnf_metalink ml = { 0 };
	struct fetch_result r = { 0 };
	char path[PATH_BUF], hex[129];
	int rc;

	snprintf(path, sizeof path, "%s/metalink.xml", u->dir);
	if ((rc = fetch_metalink(u, path, &ml, d)))
		goto out;
	if (ml.sha256[0] && fetch_sha256_file(u->repomd, hex) && !strcmp(hex, ml.sha256)) {
		u->use = u->repomd;
		base_of(ml.urls[0], u->base, sizeof u->base);
	}
	for (size_t i = 0; !u->use && i < ml.nurls && i < MIRRORS_TRIED; i++) {
		struct fetch_expect exp = { .sha256 = ml.sha256[0] ? ml.sha256 : NULL,
					    .max_size = RPMMD_REPOMD_MAX };

		if (!base_of(ml.urls[i], u->base, sizeof u->base))
			continue;
		rc = fetch_file(u->f, ml.urls[i], u->next, &exp, &r, d);
		if (!rc) {
			eco_update_count(u->st, &r);
			u->use = u->next;
		}
	}
	if (!u->use && !rc)
		rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				 "no usable mirror of repomd.xml in the metalink");
out:
	dnf_metalink_fini(&ml);
	return rc;
}

/* Update the cache of O's target (EXTRA NULL: from its metalink, or
 * --mirror as a baseurl) or of the repository EXTRA beside it (from its
 * URL), under the directory's lock. ST may be NULL; counts are added. */
static int update_one(const struct eco_opts *o, const struct eco_repo *extra,
		      struct eco_update_stats *st, struct ed_diag *d)
{
	struct rpmmd_update u = { .o = o, .st = st, .extra = &dnf_modules_data };
	struct release t;
	struct repocache *cache;
	int rc;

	if ((rc = target(o, &t.release, &t.arch, d)))
		return rc;
	/* a baseurl */
	if (extra)
		rc = eco_repo_url(extra, "/", u.base, sizeof u.base, d);
	else if (o && o->mirror)
		rc = eco_mirror_url(o, NULL, "/", u.base, sizeof u.base, d);
	if (rc || (rc = rpmmd_expand_vars(u.base, t.release, t.arch, u.base, sizeof u.base, d)))
		return rc;
	if (!u.base[0]) {
		u.get_repomd = repomd_from_metalink;
		u.ud = &t;
	}
	if (o && o->offline)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot update %s with --offline",
				   extra ? extra->id : "Fedora");
	if (!(cache = target_cache(o, t.release, t.arch, extra, d)))
		return d && d->status ? (int)d->status : ED_EXIT_ENV;
	u.dir = repocache_dir(cache);
	rc = rpmmd_update(&u, d);
	repocache_free(cache);
	return rc;
}

/* eco_ops.update: the target's cache (not when O->host), then that of each
 * repository enabled beside it. */
static int dnf_update(const struct eco_opts *o, struct eco_update_stats *st, struct ed_diag *d)
{
	const char *release, *arch;
	struct own_repos own;
	int rc;

	if ((rc = target(o, &release, &arch, d)) || (rc = own_repos(o, release, &own, d)))
		return rc;
	for (size_t i = 0; !(o && o->host) && i < (own.n ? own.n : 1) && !rc; i++)
		rc = update_one(o, own.n ? &own.v[i] : NULL, st, d);
	for (size_t i = 0; o && i < o->nrepos && !rc; i++)
		if (o->repos[i].url)
			rc = update_one(o, &o->repos[i], st, d);
	return rc;
}

/* The id dnf knows R by on this machine: the one its enable command turns
 * on (dnf config-manager --set-enabled ol9_codeready_builder), else R's. */
static const char *dnf_repo_id(const struct eco_repo *r, char *buf, size_t size)
{
	const char *at = r->enable ? strstr(r->enable, "--set-enabled ") : NULL;

	if (!at)
		return r->id;
	at += strlen("--set-enabled ");
	snprintf(buf, size, "%.*s", (int)strcspn(at, " ;"), at);
	return buf;
}

/* eco_ops.has_repo: a .repo file of /etc/yum.repos.d under the root
 * enables R (by the id its enable command names, else its own). */
static bool dnf_has_repo(const struct eco_opts *o, const struct eco_repo *r)
{
	struct rpmmd_repo_conf c;
	char idbuf[128];

	return rpmmd_repo_conf_find(o, "/etc/yum.repos.d", dnf_repo_id(r, idbuf, sizeof idbuf), &c) &&
	       c.enabled;
}

static const char *const dnf_refresh[] = { "dnf", "makecache", NULL };

static const char *const dnf_ecosystems[] = { "fedora", "el", NULL };

const struct eco_ops eco_dnf = {
	.name = "dnf",
	.database = "rpm",
	.scope = ECO_SYSTEM,
	.arch_scheme = ARCH_RPM,
	.disttype = DISTTYPE_RPM,
	.version_rules = "rpm",
	.pool_setup = dnf_pool_setup,
	.load_available = dnf_load_available,
	.load_installed = rpmmd_load_installed,
	.install_argv = dnf_install_argv,
	.install_needs_root = dnf_install_needs_root,
	.refresh_argv = dnf_refresh,
	.open_db = rpmmd_open_db,
	.has_db = rpmmd_has_db,
	.ecosystems = dnf_ecosystems,
	.update = dnf_update,
	.repo_kinds = ECO_REPO_URL,
	.hidden_why = dnf_modules_why,
	.has_repo = dnf_has_repo,
};
