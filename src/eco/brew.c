/* brew.c - the Homebrew backend: the formula API document, a Cellar. */
#include "extdeps/eco/brew.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <solv/knownid.h>
#include <solv/repodata.h>
#include <solv/solvable.h>

#include "extdeps/eco/installed.h"
#include "extdeps/net/fetch.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/jsonstream.h"
#include "extdeps/util/util.h"

#define PATH_BUF 4096
#define MAX_DEPTH 32
#define KEY_MAX 64

static int oom(struct ed_diag *d)
{
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
}

/* --- platforms --- */

/* macOS releases by bottle name, newest first; Darwin's major version
 * gives the host's. */
static const struct {
	const char *name;
	int darwin;
} macos[] = {
	{ "tahoe", 25 },   { "sequoia", 24 },     { "sonoma", 23 },  { "ventura", 22 },
	{ "monterey", 21 }, { "big_sur", 20 },    { "catalina", 19 }, { "mojave", 18 },
	{ "high_sierra", 17 }, { "sierra", 16 },  { "el_capitan", 15 },
};

bool brew_platform_valid(const char *tag)
{
	if (!tag)
		return false;
	if (!strcmp(tag, "x86_64_linux") || !strcmp(tag, "arm64_linux"))
		return true;
	if (!strncmp(tag, "arm64_", 6))
		tag += 6;
	for (size_t i = 0; i < sizeof macos / sizeof macos[0]; i++)
		if (!strcmp(tag, macos[i].name))
			return true;
	return false;
}

static bool is_linux(const char *tag)
{
	size_t len = strlen(tag);

	return len > 6 && !strcmp(tag + len - 6, "_linux");
}

const char *brew_host_platform(void)
{
	static char tag[64];
	struct utsname u;
	bool arm;

	if (uname(&u) != 0)
		return NULL;
	arm = !strcmp(u.machine, "arm64") || !strcmp(u.machine, "aarch64");
	if (!strcmp(u.sysname, "Linux"))
		return arm ? "arm64_linux" : !strcmp(u.machine, "x86_64") ? "x86_64_linux" : NULL;
	if (!strcmp(u.sysname, "Darwin")) {
		int major = atoi(u.release);

		for (size_t i = 0; i < sizeof macos / sizeof macos[0]; i++)
			if (macos[i].darwin == major) {
				snprintf(tag, sizeof tag, "%s%s", arm ? "arm64_" : "", macos[i].name);
				return tag;
			}
	}
	return NULL;
}

/* Homebrew is macOS's package manager first: without a bottle tag a
 * target is a Mac; "arm64_*" tags are Apple silicon, "x86_64_linux" Linux. */
static bool brew_markers(const char *tag, const char **sys_platform, const char **machine)
{
	*sys_platform = "darwin";
	*machine = NULL;
	if (!tag)
		return true;
	if (!brew_platform_valid(tag))
		return false;
	if (is_linux(tag))
		*sys_platform = "linux";
	*machine = !strncmp(tag, "arm64_", 6) ? (is_linux(tag) ? "aarch64" : "arm64") : "x86_64";
	return true;
}

static int platform(const struct eco_opts *o, const char **tag, struct ed_diag *d)
{
	*tag = o && o->platform ? o->platform : brew_host_platform();
	if (!*tag)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "unknown Homebrew platform for this machine; use --platform "
				   "(e.g. arm64_sonoma, x86_64_linux)");
	if (!brew_platform_valid(*tag))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is not a Homebrew bottle tag (e.g. arm64_sonoma, sonoma, "
				   "x86_64_linux, arm64_linux)",
				   *tag);
	return 0;
}

/* --- formula.json --- */

struct strs {
	char **v;
	size_t n;
};

/* The dependency lists of a formula, top level or one variation. */
enum { L_DEPS, L_BUILD, L_REC, L_UFM, L_UFM_BUILD, L_NLISTS };

static const char *const list_fields[L_NLISTS] = {
	"dependencies", "build_dependencies", "recommended_dependencies", "uses_from_macos", NULL,
};

struct formula {
	char *name, *full_name, *version;
	long long revision;
	struct strs aliases, conflicts;
	struct strs lists[L_NLISTS], vlists[L_NLISTS];
	bool has_v[L_NLISTS];
	bool bottle_here, disabled, req_macos, req_linux;
};

struct parser {
	Repo *repo;
	const char *platform;
	bool linux;
	int depth;
	char key[MAX_DEPTH + 1][KEY_MAX];
	bool is_map[MAX_DEPTH + 1];
	struct formula f;
	const char *path;
	struct ed_diag *d;
	bool failed;
};

static void strs_free(struct strs *s)
{
	util_strv_free(s->v, s->n);
	s->v = NULL;
	s->n = 0;
}

static void formula_clear(struct formula *f)
{
	free(f->name);
	free(f->full_name);
	free(f->version);
	strs_free(&f->aliases);
	strs_free(&f->conflicts);
	for (int i = 0; i < L_NLISTS; i++) {
		strs_free(&f->lists[i]);
		strs_free(&f->vlists[i]);
	}
	memset(f, 0, sizeof *f);
}

static int fail_oom(struct parser *p)
{
	p->failed = true;
	oom(p->d);
	return 0;
}

static bool key_is(const struct parser *p, int level, const char *k)
{
	return level <= p->depth && !strcmp(p->key[level], k);
}

static bool push(struct parser *p, struct strs *s, const char *v, size_t len)
{
	char *c = util_strndup(v, len);
	bool ok = c && util_strv_push(&s->v, &s->n, c);

	free(c);
	return ok;
}

static bool set_str(char **dst, const char *v, size_t len)
{
	free(*dst);
	*dst = util_strndup(v, len);
	return *dst != NULL;
}

/* A string inside a dependency list whose field is at level BASE (2: the
 * formula; 4: a variation), in LISTS. */
static bool list_string(struct parser *p, int base, struct strs *lists, const char *v, size_t len)
{
	const char *field = p->key[base];
	int which = -1;

	for (int i = 0; i < L_NLISTS; i++)
		if (list_fields[i] && !strcmp(field, list_fields[i]))
			which = i;
	if (which < 0)
		return true;
	if (p->depth == base + 1 && !p->is_map[base + 1])
		return push(p, &lists[which], v, len);
	/* uses_from_macos: {"perl": "build"} or {"zlib": ["build", "test"]} */
	if (which == L_UFM && p->depth >= base + 2 && p->is_map[base + 2]) {
		const char *name = p->key[base + 2];
		struct strs *build = &lists[L_UFM_BUILD];

		if (len == 5 && !memcmp(v, "build", 5)) {
			if (build->n && !strcmp(build->v[build->n - 1], name))
				return true;
			return push(p, build, name, strlen(name));
		}
		if (len == 4 && !memcmp(v, "test", 4))
			return true;
		return push(p, &lists[L_UFM], name, strlen(name));
	}
	return true;
}

static void bottle_tag(struct parser *p, const char *tag, size_t len)
{
	if ((len == strlen(p->platform) && !memcmp(tag, p->platform, len)) ||
	    (len == 3 && !memcmp(tag, "all", 3)))
		p->f.bottle_here = true;
}

/* In bottle.stable.files (level 5 container)? */
static bool in_bottle_files(const struct parser *p)
{
	return p->depth == 5 && key_is(p, 2, "bottle") && key_is(p, 3, "stable") &&
	       key_is(p, 4, "files");
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
	struct parser *p = ctx;
	const char *v = (const char *)s;
	struct formula *f = &p->f;
	bool ok = true;

	if (p->depth < 2)
		return 1;
	if (p->depth == 2) {
		if (key_is(p, 2, "name"))
			ok = set_str(&f->name, v, len);
		else if (key_is(p, 2, "full_name"))
			ok = set_str(&f->full_name, v, len);
		else if (key_is(p, 2, "oldname"))
			ok = push(p, &f->aliases, v, len);
	} else if (p->depth == 3 && key_is(p, 2, "versions") && key_is(p, 3, "stable")) {
		ok = set_str(&f->version, v, len);
	} else if (p->depth == 3 && !p->is_map[3] &&
		   (key_is(p, 2, "aliases") || key_is(p, 2, "oldnames"))) {
		ok = push(p, &f->aliases, v, len);
	} else if (p->depth == 3 && !p->is_map[3] && key_is(p, 2, "conflicts_with")) {
		ok = push(p, &f->conflicts, v, len);
	} else if (p->depth == 4 && key_is(p, 2, "requirements") && key_is(p, 4, "name")) {
		f->req_macos |= len == 5 && !memcmp(v, "macos", 5);
		f->req_linux |= len == 5 && !memcmp(v, "linux", 5);
	} else if (in_bottle_files(p) && !p->is_map[5]) {
		bottle_tag(p, v, len); /* an abridged list of tags */
	} else if (key_is(p, 2, "variations") && p->depth >= 5 && !strcmp(p->key[3], p->platform)) {
		ok = list_string(p, 4, f->vlists, v, len);
	} else if (p->depth >= 3) {
		ok = list_string(p, 2, f->lists, v, len);
	}
	return ok ? 1 : fail_oom(p);
}

static int cb_integer(void *ctx, long long n)
{
	struct parser *p = ctx;

	if (p->depth == 2 && key_is(p, 2, "revision"))
		p->f.revision = n;
	return 1;
}

static int cb_boolean(void *ctx, int b)
{
	struct parser *p = ctx;

	if (p->depth == 2 && key_is(p, 2, "disabled"))
		p->f.disabled = b;
	return 1;
}

static int cb_map_key(void *ctx, const unsigned char *k, size_t len)
{
	struct parser *p = ctx;

	if (p->depth <= MAX_DEPTH) {
		size_t n = len < KEY_MAX - 1 ? len : KEY_MAX - 1;

		memcpy(p->key[p->depth], k, n);
		p->key[p->depth][n] = '\0';
	}
	return 1;
}

static int open_container(struct parser *p, bool map)
{
	if (p->depth == 0 && map) {
		ed_diag_set(p->d, ED_EXIT_ENV, p->path, 0, 0,
			    "expected a JSON array of formulae, found an object");
		p->failed = true;
		return 0;
	}
	if (p->depth == 1 && !map) {
		ed_diag_set(p->d, ED_EXIT_ENV, p->path, 0, 0,
			    "expected a formula object in the top-level array");
		p->failed = true;
		return 0;
	}
	if (in_bottle_files(p) && map)
		bottle_tag(p, p->key[5], strlen(p->key[5]));
	/* a variation's list, even an empty one, replaces the default */
	if (p->depth == 4 && !map && key_is(p, 2, "variations") && !strcmp(p->key[3], p->platform))
		for (int i = 0; i < L_NLISTS; i++)
			if (list_fields[i] && !strcmp(p->key[4], list_fields[i]))
				p->f.has_v[i] = true;
	if (p->depth == MAX_DEPTH) {
		ed_diag_set(p->d, ED_EXIT_ENV, p->path, 0, 0, "JSON nested deeper than %d levels",
			    MAX_DEPTH);
		p->failed = true;
		return 0;
	}
	p->depth++;
	p->is_map[p->depth] = map;
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

static Id str(Pool *pool, const char *s)
{
	return pool_str2id(pool, s, 1);
}

static void add_deps(Repo *repo, Offset *where, const struct strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		*where = repo_addid_dep(repo, *where, str(repo->pool, s->v[i]), 0);
}

/* The formula just read, as a solvable (or nothing; see brew.h). */
static void emit(struct parser *p)
{
	struct formula *f = &p->f;
	Repo *repo = p->repo;
	Pool *pool = repo->pool;
	const struct strs *l[L_NLISTS];
	char evr[256];
	Solvable *s;
	Id id;

	if (!f->name || !f->version || f->disabled)
		return;
	if ((f->req_macos && p->linux) || (f->req_linux && !p->linux))
		return;
	for (int i = 0; i < L_NLISTS; i++) {
		int base = i == L_UFM_BUILD ? L_UFM : i;

		l[i] = f->has_v[base] ? &f->vlists[i] : &f->lists[i];
	}
	/* Homebrew's pkg_version: the revision after '_' */
	if (f->revision > 0)
		snprintf(evr, sizeof evr, "%s_%lld", f->version, f->revision);
	else
		snprintf(evr, sizeof evr, "%s", f->version);
	id = repo_add_solvable(repo);
	s = pool_id2solvable(pool, id);
	s->name = str(pool, f->name);
	s->evr = str(pool, evr);
	/* arch 0 would make it uninstallable */
	s->arch = ARCH_NOARCH;
	s->provides = repo_addid_dep(repo, s->provides, pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
	if (f->full_name && strcmp(f->full_name, f->name))
		s->provides = repo_addid_dep(repo, s->provides, str(pool, f->full_name), 0);
	add_deps(repo, &s->provides, &f->aliases);
	add_deps(repo, &s->requires, l[L_DEPS]);
	add_deps(repo, &s->recommends, l[L_REC]);
	/* on macOS the system's copy serves */
	if (p->linux)
		add_deps(repo, &s->requires, l[L_UFM]);
	/* without a bottle for the platform, Homebrew builds from source */
	if (!f->bottle_here) {
		add_deps(repo, &s->requires, l[L_BUILD]);
		if (p->linux)
			add_deps(repo, &s->requires, l[L_UFM_BUILD]);
	}
	add_deps(repo, &s->conflicts, &f->conflicts);
}

static int cb_end_map(void *ctx)
{
	struct parser *p = ctx;

	if (p->depth == 2) {
		emit(p);
		formula_clear(&p->f);
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

static int cb_other(void *ctx)
{
	(void)ctx;
	return 1;
}

static int cb_double(void *ctx, double v)
{
	(void)ctx;
	(void)v;
	return 1;
}

static const yajl_callbacks formula_callbacks = {
	.yajl_null = cb_other,
	.yajl_boolean = cb_boolean,
	.yajl_integer = cb_integer,
	.yajl_double = cb_double,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_map_key,
	.yajl_end_map = cb_end_map,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end_array,
};

Repo *brew_load_formulae(Pool *pool, const char *path, const char *label, const char *tag,
			 uint64_t max_bytes, struct ed_diag *d)
{
	struct parser p = { .platform = tag, .linux = is_linux(tag), .path = path, .d = d };
	int rc;

	ed_diag_clear(d);
	p.repo = repo_create(pool, label);
	rc = jsonstream_parse_file(path, &(struct jsonstream_opts){ .max_bytes = max_bytes },
				   &formula_callbacks, &p, d);
	formula_clear(&p.f);
	if (rc) {
		repo_free(p.repo, 1);
		return NULL;
	}
	repo_internalize(p.repo);
	return p.repo;
}

/* --- the Cellar --- */

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool brew_find_cellar(const char *root, char *out, size_t size)
{
	static const char *const prefixes[] = { "/opt/homebrew", "/usr/local",
						 "/home/linuxbrew/.linuxbrew" };
	const char *cellar = getenv("HOMEBREW_CELLAR"), *prefix = getenv("HOMEBREW_PREFIX");
	char dir[PATH_BUF];

	if (cellar && *cellar)
		return util_root_path(root, cellar, out, size) && is_dir(out);
	if (prefix && *prefix)
		return snprintf(dir, sizeof dir, "%s/Cellar", prefix) < (int)sizeof dir &&
		       util_root_path(root, dir, out, size) && is_dir(out);
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		snprintf(dir, sizeof dir, "%s/Cellar", prefixes[i]);
		if (util_root_path(root, dir, out, size) && is_dir(out))
			return true;
	}
	return false;
}

Repo *brew_load_cellar(Pool *pool, const char *cellar, struct ed_diag *d)
{
	struct installed *db = installed_open_cellar(cellar, d);
	Repo *repo;
	struct dirent *e;
	DIR *dh;

	if (!db)
		return NULL;
	repo = repo_create(pool, "@System");
	/* installed.c lists NAME/VERSION; the names come from the same listing */
	dh = opendir(cellar);
	while (dh && (e = readdir(dh))) {
		const struct installed_pkg *pkg;
		size_t n;

		if (e->d_name[0] == '.')
			continue;
		pkg = installed_find(db, e->d_name, &n);
		for (size_t i = 0; i < n; i++) {
			char receipt[PATH_BUF];
			Solvable *s;

			/* a keg without its receipt is an interrupted install */
			snprintf(receipt, sizeof receipt, "%s/%s/%s/INSTALL_RECEIPT.json", cellar,
				 pkg[i].name, pkg[i].version);
			if (access(receipt, F_OK) != 0)
				continue;
			s = pool_id2solvable(pool, repo_add_solvable(repo));
			s->name = str(pool, pkg[i].name);
			s->evr = str(pool, pkg[i].version);
			s->arch = ARCH_NOARCH;
			s->provides = repo_addid_dep(
				repo, s->provides, pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
		}
	}
	if (dh)
		closedir(dh);
	installed_free(db);
	repo_internalize(repo);
	return repo;
}

/* --- the backend --- */

static int brew_pool_setup(Pool *pool, const struct eco_opts *o, struct ed_diag *d)
{
	const char *tag;
	int rc = platform(o, &tag, d);

	if (rc)
		return rc;
	/* Homebrew's versions are dotted numbers with an "_N" revision;
	 * rpm's comparison orders them (Debian's would not split at '_'). */
	return eco_set_disttype(pool, &eco_brew, d);
}

/* formula.json is about 30 MB; refuse what no API document comes near */
#define FORMULA_MAX ((uint64_t)512 << 20)

static Repo *parse_formulae(Pool *pool, const char *path, const char *label, void *tag,
			    struct ed_diag *d)
{
	return brew_load_formulae(pool, path, label, tag, 0, d);
}

/* The formula API document: one file for every platform, read for TAG. */
static int file_target(const struct eco_opts *o, struct eco_file_target *t, char *url,
		       size_t url_size, char *key, size_t key_size, struct ed_diag *d)
{
	const char *tag;
	int rc;

	if ((rc = platform(o, &tag, d)))
		return rc;
	/* --mirror: the API's base, as HOMEBREW_API_DOMAIN */
	if ((rc = eco_mirror_url(o, "https://formulae.brew.sh/api", "/formula.json", url, url_size,
				 d)))
		return rc;
	snprintf(key, key_size, "formula-%s", tag);
	*t = (struct eco_file_target){
		.subdir = "brew/formulae",
		.name = "formula.json",
		.url = url,
		.max_size = FORMULA_MAX,
		.head = jsonstream_head_plain,
		.what = "Homebrew formula metadata",
		.parse = parse_formulae,
		.ud = (void *)tag,
		.label = "homebrew",
		.key = key,
	};
	return 0;
}

static int brew_update(const struct eco_opts *o, struct eco_update_stats *st, struct ed_diag *d)
{
	struct eco_file_target t;
	char url[2048], key[96];
	int rc = file_target(o, &t, url, sizeof url, key, sizeof key, d);

	return rc ? rc : eco_file_update(o, &t, st, d);
}

static int brew_load_available(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
			       struct ed_diag *d)
{
	struct eco_file_target t;
	char url[2048], key[96];
	int rc = file_target(o, &t, url, sizeof url, key, sizeof key, d);

	return rc ? rc : eco_file_load(pool, o, &t, brew_update, st, d);
}

static int brew_load_installed(Pool *pool, const struct eco_opts *o, Repo **out,
			       struct ed_diag *d)
{
	char cellar[PATH_BUF];
	Repo *repo = NULL;

	if (out)
		*out = NULL;
	/* no Homebrew on this machine: nothing installed */
	if (brew_find_cellar(eco_root(o), cellar, sizeof cellar) &&
	    !(repo = brew_load_cellar(pool, cellar, d)))
		return ED_EXIT_ENV;
	return eco_installed_done(pool, repo, out);
}

/* A formula name (lower case, digits, "@._+-"), optionally tap-qualified
 * (USER/TAP/NAME). */
static bool valid_spec(const char *spec)
{
	int slashes = 0;
	bool start = true;

	if (strlen(spec) > 256)
		return false;
	for (const char *p = spec; *p; p++) {
		if (start && !isalnum((unsigned char)*p))
			return false;
		start = false;
		if (*p == '/') {
			if (++slashes > 2)
				return false;
			start = true;
		} else if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
			   !strchr("@._+-", *p)) {
			return false;
		}
	}
	return !start && (slashes == 0 || slashes == 2);
}

static char **brew_install_argv(const struct eco_opts *o, const char *const *specs, size_t n,
				unsigned flags, struct ed_diag *d)
{
	/* brew never asks, and has no switch for weak dependencies */
	const char *prefix[] = { "brew", "install",
				 (flags & ECO_INSTALL_SIMULATE) ? "--dry-run" : NULL, NULL };

	(void)o; /* the same command for every target of the ecosystem */
	return eco_argv_new(prefix, specs, n, valid_spec, "Homebrew formula name", NULL, d);
}

static bool brew_install_needs_root(const struct eco_opts *o)
{
	(void)o; /* brew refuses to run as root */
	return false;
}

static bool brew_has_db(const struct eco_opts *o)
{
	char cellar[PATH_BUF];

	return brew_find_cellar(eco_root(o), cellar, sizeof cellar);
}

static int brew_open_db(const struct eco_opts *o, struct installed **out, struct ed_diag *d)
{
	char cellar[PATH_BUF];

	*out = NULL;
	if (!brew_find_cellar(eco_root(o), cellar, sizeof cellar))
		return 0;
	*out = installed_open_cellar(cellar, d);
	return *out ? 0 : d->status ? (int)d->status : ED_EXIT_ENV;
}

static const char *const brew_ecosystems[] = { "homebrew", NULL };

const struct eco_ops eco_brew = {
	.name = "brew",
	.database = "Cellar",
	.scope = ECO_USER,
	.arch_scheme = ARCH_MACHINE,
	.disttype = DISTTYPE_RPM,
	.version_rules = "rpm",
	.pool_setup = brew_pool_setup,
	.load_available = brew_load_available,
	.load_installed = brew_load_installed,
	.install_argv = brew_install_argv,
	.install_needs_root = brew_install_needs_root,
	/* Homebrew will not run as root at all */
	.refuses_root = true,
	.open_db = brew_open_db,
	.has_db = brew_has_db,
	.ecosystems = brew_ecosystems,
	.markers = brew_markers,
	.update = brew_update,
};
