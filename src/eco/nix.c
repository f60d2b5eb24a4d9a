/* nix.c - the nixpkgs backend: a channel's packages.json, a nix profile. */
#include "extdeps/eco/nix.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <solv/knownid.h>
#include <solv/repodata.h>
#include <solv/solvable.h>
#include <yajl/yajl_tree.h>

#include "extdeps/eco/installed.h"
#include "extdeps/net/fetch.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/util.h"
#include "extdeps/util/jsonstream.h"

#define PATH_BUF 4096
#define MAX_DEPTH 32
#define KEY_MAX 256

static int oom(struct ed_diag *d)
{
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
}

/* --- the target --- */

/* "24.11" or "unstable": the channel nixos-RELEASE. */
static int release(const struct eco_opts *o, const char **rel, struct ed_diag *d)
{
	const char *r = o && o->release ? o->release : "unstable";
	bool ok = !strcmp(r, "unstable");

	if (!ok && isdigit((unsigned char)r[0]) && strlen(r) <= 16) {
		ok = true;
		for (const char *p = r; *p; p++)
			ok &= isdigit((unsigned char)*p) || *p == '.';
	}
	if (!ok)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is not a nixpkgs release (expected e.g. 24.11 or unstable)",
				   r);
	*rel = r;
	return 0;
}

/* --- packages.json --- */

struct attr {
	char *name, *version;
	bool skip; /* meta.broken, or meta.available false */
};

struct parser {
	Repo *repo;
	int depth;
	char key[MAX_DEPTH + 1][KEY_MAX];
	bool seen_packages;
	struct attr a;
	const char *path;
	struct ed_diag *d;
};

static int stop(struct parser *p, const char *msg)
{
	ed_diag_set(p->d, ED_EXIT_ENV, p->path, 0, 0, "%s", msg);
	return 0;
}

static bool in_packages(const struct parser *p)
{
	return p->depth >= 2 && !strcmp(p->key[1], "packages");
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
	struct parser *p = ctx;

	if (p->depth == 3 && in_packages(p) && !strcmp(p->key[3], "version")) {
		free(p->a.version);
		if (!(p->a.version = util_strndup((const char *)s, len)))
			return oom(p->d), 0;
	}
	return 1;
}

static int cb_boolean(void *ctx, int b)
{
	struct parser *p = ctx;

	if (p->depth == 4 && in_packages(p) && !strcmp(p->key[3], "meta")) {
		if (!strcmp(p->key[4], "broken") && b)
			p->a.skip = true;
		if (!strcmp(p->key[4], "available") && !b)
			p->a.skip = true;
	}
	return 1;
}

static int cb_map_key(void *ctx, const unsigned char *k, size_t len)
{
	struct parser *p = ctx;

	if (p->depth == 2 && in_packages(p)) {
		/* an attribute path: kept whole, never cut */
		free(p->a.name);
		if (!(p->a.name = util_strndup((const char *)k, len)))
			return oom(p->d), 0;
	}
	if (p->depth <= MAX_DEPTH) {
		size_t n = len < KEY_MAX - 1 ? len : KEY_MAX - 1;

		memcpy(p->key[p->depth], k, n);
		p->key[p->depth][n] = '\0';
	}
	return 1;
}

static int open_container(struct parser *p, bool map)
{
	if (p->depth == 0 && !map)
		return stop(p, "expected a JSON object with \"packages\", found an array");
	if (p->depth == 1 && !strcmp(p->key[1], "packages")) {
		if (!map)
			return stop(p, "\"packages\" is not an object");
		p->seen_packages = true;
	}
	if (p->depth == 2 && in_packages(p) && !map)
		return stop(p, "a package entry is not an object");
	if (p->depth == MAX_DEPTH)
		return stop(p, "JSON nested too deep");
	p->depth++;
	p->key[p->depth][0] = '\0';
	return 1;
}

static int cb_start_map(void *ctx)
{
	return open_container(ctx, true);
}

static int cb_start_array(void *ctx)
{
	return open_container(ctx, false);
}

/* Nix's version order (builtins.compareVersions) is rpm's, which the pool
 * uses, but for one rule: a "pre" component sorts below everything, as '~'
 * does in rpm. So each "pre" word gets a '~' in front ("2.4pre1" ->
 * "2.4~pre1"); nix_solvable_version takes it out again. */
static Id nix_evr(Pool *pool, const char *version)
{
	char buf[512];
	size_t k = 0;

	/* two bytes a character at most: longer ones (none in nixpkgs) as they are */
	if (strlen(version) >= sizeof buf / 2)
		return pool_str2id(pool, version, 1);
	for (const char *v = version; *v; v++) {
		bool word_start = v == version || isdigit((unsigned char)v[-1]) || v[-1] == '.' ||
				  v[-1] == '-';

		if (word_start && !strncmp(v, "pre", 3) &&
		    (!v[3] || isdigit((unsigned char)v[3]) || v[3] == '.' || v[3] == '-'))
			buf[k++] = '~';
		buf[k++] = *v;
	}
	buf[k] = '\0';
	return pool_str2id(pool, buf, 1);
}

static const char *nix_solvable_version(Pool *pool, Id p)
{
	const char *evr = pool_id2str(pool, pool->solvables[p].evr);
	char *out;
	size_t k = 0;

	if (!strstr(evr, "~pre"))
		return evr;
	out = pool_alloctmpspace(pool, (int)strlen(evr) + 1);
	for (const char *v = evr; *v; v++)
		if (!(*v == '~' && !strncmp(v + 1, "pre", 3)))
			out[k++] = *v;
	out[k] = '\0';
	return out;
}

static Id nix_dep(Pool *pool, const char *name, int rel, const char *version)
{
	Id n = pool_str2id(pool, name, 1);

	return rel && version ? pool_rel2id(pool, n, nix_evr(pool, version), rel, 1) : n;
}

static void emit(struct parser *p)
{
	Repo *repo = p->repo;
	Pool *pool = repo->pool;
	Solvable *s;

	if (!p->a.name || p->a.skip)
		return;
	s = pool_id2solvable(pool, repo_add_solvable(repo));
	s->name = pool_str2id(pool, p->a.name, 1);
	s->evr = nix_evr(pool, p->a.version ? p->a.version : "");
	s->arch = ARCH_NOARCH;
	s->provides = repo_addid_dep(repo, s->provides,
				     pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
}

static void attr_clear(struct attr *a)
{
	free(a->name);
	free(a->version);
	memset(a, 0, sizeof *a);
}

static int cb_end_map(void *ctx)
{
	struct parser *p = ctx;

	if (p->depth == 3 && in_packages(p)) {
		emit(p);
		attr_clear(&p->a);
	}
	p->depth--;
	return 1;
}

static int cb_end_array(void *ctx)
{
	struct parser *p = ctx;

	p->depth--;
	return 1;
}

static int cb_null(void *ctx)
{
	(void)ctx;
	return 1;
}

static int cb_number(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	(void)s;
	(void)len;
	return 1;
}

static const yajl_callbacks packages_callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_boolean,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_map_key,
	.yajl_end_map = cb_end_map,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end_array,
};

Repo *nix_load_packages(Pool *pool, const char *path, enum jsonstream_codec codec,
			const char *label, uint64_t max_bytes, struct ed_diag *d)
{
	struct parser p = { .path = path, .d = d };
	int rc;

	ed_diag_clear(d);
	p.repo = repo_create(pool, label);
	rc = jsonstream_parse_file(path,
				   &(struct jsonstream_opts){ .codec = codec, .max_bytes = max_bytes },
				   &packages_callbacks, &p, d);
	attr_clear(&p.a);
	if (!rc && !p.seen_packages)
		rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				 "not a nixpkgs package listing: no \"packages\" object");
	if (rc) {
		repo_free(p.repo, 1);
		return NULL;
	}
	repo_internalize(p.repo);
	return p.repo;
}

/* --- the profile --- */

static bool exists_under(const char *root, const char *abs, char *out, size_t size)
{
	return util_join_root(root, abs, out, size) && access(out, F_OK) == 0;
}

bool nix_find_manifest(const char *root, char *out, size_t size)
{
	const char *home = getenv("HOME"), *state = getenv("XDG_STATE_HOME");
	char abs[PATH_BUF];

	if (!home || *home != '/')
		return false;
	snprintf(abs, sizeof abs, "%s/.nix-profile/manifest.json", home);
	if (exists_under(root, abs, out, size))
		return true;
	/* nix with use-xdg-base-directories */
	if (state && *state == '/')
		snprintf(abs, sizeof abs, "%s/nix/profile/manifest.json", state);
	else
		snprintf(abs, sizeof abs, "%s/.local/state/nix/profile/manifest.json", home);
	return exists_under(root, abs, out, size);
}

/* The attribute of an element's attrPath: "legacyPackages.x86_64-linux.hello"
 * and "packages.x86_64-linux.hello" -> "hello". */
static const char *attr_of(const char *attr_path)
{
	static const char *const prefixes[] = { "legacyPackages.", "packages." };

	for (size_t i = 0; i < 2; i++) {
		size_t l = strlen(prefixes[i]);
		const char *dot;

		if (!strncmp(attr_path, prefixes[i], l) && (dot = strchr(attr_path + l, '.')))
			return dot + 1;
	}
	return attr_path;
}

/* Split a store path /nix/store/HASH-NAME-VERSION into NAME and VERSION:
 * the version starts at the first '-' followed by a digit. */
static bool split_store_path(const char *sp, char *name, char *version, size_t size)
{
	const char *base = strrchr(sp, '/'), *dash;

	base = base ? base + 1 : sp;
	if (strlen(base) < 34 || base[32] != '-')
		return false;
	base += 33;
	for (dash = base; *dash; dash++)
		if (dash[0] == '-' && isdigit((unsigned char)dash[1]))
			break;
	snprintf(name, size, "%.*s", (int)(dash - base), base);
	snprintf(version, size, "%s", *dash ? dash + 1 : "");
	return true;
}

static void add_element(Repo *repo, yajl_val el)
{
	static const char *k_attr[] = { "attrPath", NULL };
	static const char *k_paths[] = { "storePaths", NULL };
	static const char *k_active[] = { "active", NULL };
	Pool *pool = repo->pool;
	yajl_val attr = yajl_tree_get(el, k_attr, yajl_t_string);
	yajl_val paths = yajl_tree_get(el, k_paths, yajl_t_array);
	yajl_val active = yajl_tree_get(el, k_active, yajl_t_any);
	char name[512] = "", version[512] = "";
	Solvable *s;

	if (!YAJL_IS_OBJECT(el) || YAJL_IS_FALSE(active))
		return;
	if (paths && paths->u.array.len && YAJL_IS_STRING(paths->u.array.values[0]))
		split_store_path(YAJL_GET_STRING(paths->u.array.values[0]), name, version,
				 sizeof name);
	if (attr)
		snprintf(name, sizeof name, "%s", attr_of(YAJL_GET_STRING(attr)));
	if (!*name)
		return;
	s = pool_id2solvable(pool, repo_add_solvable(repo));
	s->name = pool_str2id(pool, name, 1);
	s->evr = nix_evr(pool, version);
	s->arch = ARCH_NOARCH;
	s->provides = repo_addid_dep(repo, s->provides,
				     pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
}

Repo *nix_load_manifest(Pool *pool, const char *path, struct ed_diag *d)
{
	static const char *k_elements[] = { "elements", NULL };
	char err[256];
	size_t len;
	char *text = util_read_file(path, &len, d);
	yajl_val root, elements;
	Repo *repo;

	if (!text) {
		d->status = ED_EXIT_ENV;
		return NULL;
	}
	root = yajl_tree_parse(text, err, sizeof err);
	free(text);
	if (!root) {
		char *nl = strchr(err, '\n');

		if (nl)
			*nl = '\0';
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "not a valid profile manifest: %s",
			    *err ? err : "invalid JSON");
		return NULL;
	}
	elements = yajl_tree_get(root, k_elements, yajl_t_any);
	/* version 1 and 2: a list; version 3: an object keyed by name */
	if (!YAJL_IS_ARRAY(elements) && !YAJL_IS_OBJECT(elements)) {
		yajl_tree_free(root);
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
			    "not a valid profile manifest: no \"elements\" list or object");
		return NULL;
	}
	repo = repo_create(pool, "@System");
	if (YAJL_IS_ARRAY(elements))
		for (size_t i = 0; i < elements->u.array.len; i++)
			add_element(repo, elements->u.array.values[i]);
	else
		for (size_t i = 0; i < elements->u.object.len; i++)
			add_element(repo, elements->u.object.values[i]);
	yajl_tree_free(root);
	repo_internalize(repo);
	return repo;
}

/* --- the backend --- */

static int nix_pool_setup(Pool *pool, const struct eco_opts *o, struct ed_diag *d)
{
	const char *rel;
	int rc = release(o, &rel, d);

	if (rc)
		return rc;
	/* builtins.compareVersions splits at '.' and '-' and compares numbers
	 * numerically: rpm's comparison is the nearest libsolv has */
	return eco_set_disttype(pool, &eco_nix, d);
}

/* packages.json.br is about 30 MB (200 MB of JSON) */
#define LISTING_MAX ((uint64_t)512 << 20)

static Repo *parse_listing(Pool *pool, const char *path, const char *label, void *ud,
			   struct ed_diag *d)
{
	(void)ud;
	return nix_load_packages(pool, path, JSONSTREAM_BROTLI, label, 0, d);
}

/* The channel nixos-RELEASE's package listing. The buffers are the caller's. */
struct listing {
	char url[2048], sub[64], label[64], what[96];
};

static int file_target(const struct eco_opts *o, struct eco_file_target *t, struct listing *l,
		       struct ed_diag *d)
{
	const char *rel;
	char path[64];
	int rc;

	if ((rc = release(o, &rel, d)))
		return rc;
	/* --mirror replaces the channels' host: MIRROR/nixos-RELEASE/... */
	snprintf(path, sizeof path, "/nixos-%s/packages.json.br", rel);
	if ((rc = eco_mirror_url(o, "https://channels.nixos.org", path, l->url, sizeof l->url, d)))
		return rc;
	snprintf(l->sub, sizeof l->sub, "nix/nixos-%s", rel);
	snprintf(l->label, sizeof l->label, "nixos-%s", rel);
	snprintf(l->what, sizeof l->what, "package listing of nixos-%s", rel);
	*t = (struct eco_file_target){
		.subdir = l->sub,
		.name = "packages.json.br",
		.url = l->url,
		.max_size = LISTING_MAX,
		.head = jsonstream_head_brotli,
		.what = l->what,
		.parse = parse_listing,
		.label = l->label,
		.key = "packages",
	};
	return 0;
}

static int nix_update(const struct eco_opts *o, struct eco_update_stats *st, struct ed_diag *d)
{
	struct eco_file_target t;
	struct listing l;
	int rc = file_target(o, &t, &l, d);

	return rc ? rc : eco_file_update(o, &t, st, d);
}

static int nix_load_available(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
			      struct ed_diag *d)
{
	struct eco_file_target t;
	struct listing l;
	int rc = file_target(o, &t, &l, d);

	return rc ? rc : eco_file_load(pool, o, &t, nix_update, st, d);
}

static int nix_load_installed(Pool *pool, const struct eco_opts *o, Repo **out,
			      struct ed_diag *d)
{
	char path[PATH_BUF];
	Repo *repo = NULL;

	if (out)
		*out = NULL;
	/* no profile (or an old nix-env one, manifest.nix): nothing known */
	if (nix_find_manifest(eco_root(o), path, sizeof path) &&
	    !(repo = nix_load_manifest(pool, path, d)))
		return ED_EXIT_ENV;
	return eco_installed_done(pool, repo, out);
}

/* An attribute path: identifiers (letters, digits, '_', '-', '\'') joined
 * by '.', each starting with a letter or '_'. */
static bool valid_spec(const char *spec)
{
	bool start = true;

	if (strlen(spec) > 256)
		return false;
	for (const char *p = spec; *p; p++) {
		if (start) {
			if (!isalpha((unsigned char)*p) && *p != '_')
				return false;
			start = false;
		} else if (*p == '.') {
			start = true;
		} else if (!isalnum((unsigned char)*p) && !strchr("_-'", *p)) {
			return false;
		}
	}
	return !start;
}

static char **nix_install_argv(const struct eco_opts *o, const char *const *specs, size_t n,
			       unsigned flags, struct ed_diag *d)
{
	static const char *const prefix[] = { "nix", "profile", "install", NULL };

	(void)o; /* the same command for every target of the ecosystem */
	(void)flags; /* nix never asks, and installs no weak dependencies */
	return eco_argv_new(prefix, specs, n, valid_spec, "nixpkgs attribute path", "nixpkgs#", d);
}

static bool nix_install_needs_root(const struct eco_opts *o)
{
	(void)o; /* a user's profile */
	return false;
}

static bool nix_has_db(const struct eco_opts *o)
{
	char path[PATH_BUF];

	return nix_find_manifest(eco_root(o), path, sizeof path);
}

static int nix_open_db(const struct eco_opts *o, struct installed **out, struct ed_diag *d)
{
	char path[PATH_BUF];

	*out = NULL;
	if (!nix_find_manifest(eco_root(o), path, sizeof path))
		return 0;
	*out = installed_open_nix(path, d);
	return *out ? 0 : d->status ? (int)d->status : ED_EXIT_ENV;
}

/* nix-shell -p ATTR...: a shell with the packages, nothing installed. */
static char **nix_shell_argv(const char *const *specs, size_t n, struct ed_diag *d)
{
	static const char *const prefix[] = { "nix-shell", "-p", NULL };

	return eco_argv_new(prefix, specs, n, valid_spec, "nixpkgs attribute path", NULL, d);
}

static const char *const nix_ecosystems[] = { "nixpkgs", NULL };

const struct eco_ops eco_nix = {
	.name = "nix",
	.database = "nix profile",
	.scope = ECO_USER,
	.arch_scheme = ARCH_MACHINE,
	.disttype = DISTTYPE_RPM,
	.version_rules = "nix",
	.pool_setup = nix_pool_setup,
	.load_available = nix_load_available,
	.load_installed = nix_load_installed,
	.install_argv = nix_install_argv,
	.install_needs_root = nix_install_needs_root,
	.open_db = nix_open_db,
	.has_db = nix_has_db,
	.shell_format = "nix",
	.shell_argv = nix_shell_argv,
	.ecosystems = nix_ecosystems,
	.update = nix_update,
	.solvable_version = nix_solvable_version,
	.dep = nix_dep,
};
