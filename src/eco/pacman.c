/* pacman.c - the pacman backend: Arch Linux's sync databases and local
 * database, read by libsolv's Arch readers. */
#include "extdeps/eco/pacman.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <solv/knownid.h>
#include <solv/repo.h>
#include <solv/solvable.h>

#include "extdeps/eco/arch.h"
#include "extdeps/eco/installed.h"
#include "extdeps/eco/solvext.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/util.h"

#define PATH_BUF 4096
/* extra.db is about 8 MB gzip'd, 50 MB as a tar */
#define DB_MAX ((uint64_t)256 << 20)
#define DB_EXPANDED_MAX ((uint64_t)256 << 20)
/* what may follow the archive's end: tar pads to its 10 KiB records */
#define TRAILER_MAX ((size_t)1 << 20)

/* The repositories of a target that is not this machine: what a fresh
 * Arch installation enables. */
static const char *const default_repos[] = { "core", "extra" };
#define NDEFAULT (sizeof default_repos / sizeof *default_repos)

/* --- versions --- */

bool pacman_evr_encode(const char *version, char *out, size_t size)
{
	size_t k = 0;

	for (const char *v = version; *v; v++) {
		if (k + 3 > size)
			return false;
		if (isalpha((unsigned char)*v) && v > version && isdigit((unsigned char)v[-1]))
			out[k++] = '~';
		out[k++] = *v == '~' || *v == '^' ? '.' : *v;
	}
	if (!size)
		return false;
	out[k] = '\0';
	return true;
}

void pacman_evr_decode(const char *evr, char *out, size_t size)
{
	size_t k = 0;

	for (const char *v = evr; *v && k + 1 < size; v++)
		if (!(*v == '~' && v > evr && isdigit((unsigned char)v[-1]) &&
		      isalpha((unsigned char)v[1])))
			out[k++] = *v;
	if (size)
		out[k] = '\0';
}

/* ID with its version encoded (pacman_evr_encode), a name as it is. */
static Id encode_id(Pool *pool, Id id)
{
	char buf[512];
	const char *s = pool_id2str(pool, id);

	if (!strpbrk(s, "~^abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") ||
	    strlen(s) >= sizeof buf / 2 || !pacman_evr_encode(s, buf, sizeof buf) || !strcmp(buf, s))
		return id;
	return pool_str2id(pool, buf, 1);
}

/* Encode the version of every versioned relation of the dependency list
 * at OFFSET of REPO, in place. */
static void encode_deps(Repo *repo, Offset offset)
{
	Pool *pool = repo->pool;

	if (!offset)
		return;
	for (Id *ids = repo->idarraydata + offset; *ids; ids++) {
		Reldep *rd;
		Id evr;

		if (!ISRELDEP(*ids))
			continue;
		rd = GETRELDEP(pool, *ids);
		if (rd->flags > 7 || (evr = encode_id(pool, rd->evr)) == rd->evr)
			continue;
		*ids = pool_rel2id(pool, rd->name, evr, rd->flags, 1);
	}
}

/* Every version REPO's reader stored, in the pool's order (pacman.h). */
static void encode_repo(Repo *repo)
{
	Id p;
	Solvable *s;

	FOR_REPO_SOLVABLES(repo, p, s) {
		s->evr = encode_id(repo->pool, s->evr);
		encode_deps(repo, s->provides);
		encode_deps(repo, s->requires);
		encode_deps(repo, s->conflicts);
		encode_deps(repo, s->obsoletes);
		encode_deps(repo, s->suggests);
	}
}

static const char *pacman_solvable_version(Pool *pool, Id p)
{
	const char *evr = pool_id2str(pool, pool->solvables[p].evr);
	size_t n = strlen(evr) + 1;
	char *out;

	if (!strchr(evr, '~'))
		return evr;
	out = pool_alloctmpspace(pool, (int)n);
	pacman_evr_decode(evr, out, n);
	return out;
}

/* --- the sync databases --- */

/* The name libsolv's decompressor is to read the file starting with MAGIC
 * (N bytes) as: repo-add writes gzip by default, and xz, zstd, bzip2 or
 * none when asked; NULL for anything else. */
static const char *stream_kind(const unsigned char *magic, size_t n)
{
	static const struct {
		const char *bytes, *as;
		size_t len;
	} kinds[] = {
		{ "\x1f\x8b", "sync.tar.gz", 2 },
		{ "\xfd" "7zXZ", "sync.tar.xz", 6 },
		{ "\x28\xb5\x2f\xfd", "sync.tar.zst", 4 },
		{ "BZh", "sync.tar.bz2", 3 },
	};

	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (n >= kinds[i].len && !memcmp(magic, kinds[i].bytes, kinds[i].len))
			return kinds[i].as;
	if (n >= 263 && !memcmp(magic + 257, "ustar", 5))
		return "sync.tar";
	return NULL;
}

static const char not_db[] = "not a pacman sync database (neither a tar archive nor gzip, xz, "
			     "zstd or bzip2 compressed)";

/* fetch_expect.head: a download that begins no database is refused as
 * it arrives, not stored up to DB_MAX. */
static int db_head(const unsigned char *buf, size_t len, struct ed_diag *d)
{
	return stream_kind(buf, len) ? 0 : ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "%s", not_db);
}

/* A reader of at most LEFT bytes of IN: a database that expands beyond
 * any real one is refused before libsolv holds it in memory. */
struct capped {
	FILE *in;
	uint64_t left;
	bool over;
};

static ssize_t capped_read(void *cookie, char *buf, size_t n)
{
	struct capped *c = cookie;
	size_t r;

	if (!c->left) {
		/* the end, or more than allowed */
		if (fgetc(c->in) == EOF)
			return ferror(c->in) ? -1 : 0;
		c->over = true;
		errno = EFBIG;
		return -1;
	}
	if (n > c->left)
		n = (size_t)c->left;
	r = fread(buf, 1, n, c->in);
	if (!r && ferror(c->in))
		return -1;
	c->left -= r;
	return (ssize_t)r;
}

static int capped_close(void *cookie)
{
	(void)cookie;
	return 0;
}

/* The rest of the stream after the archive's end, so that a gzip trailer
 * (its CRC and length) is checked too: false when it does not read or is
 * longer than any tar's padding. */
static bool drain(FILE *f)
{
	char buf[4096];
	size_t n, total = 0;

	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if ((total += n) > TRAILER_MAX)
			return false;
	return !ferror(f);
}

Repo *pacman_load_db(Pool *pool, const char *path, const char *label, uint64_t max_bytes,
		     struct ed_diag *d)
{
	unsigned char magic[512];
	struct capped cap = { .left = max_bytes ? max_bytes : DB_EXPANDED_MAX };
	cookie_io_functions_t io = { .read = capped_read, .close = capped_close };
	const char *as;
	FILE *raw = util_fopen_regular(path), *f = NULL;
	size_t n;
	Repo *repo = NULL;
	int rc;

	if (!raw) {
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s", util_open_strerror(errno));
		return NULL;
	}
	n = fread(magic, 1, sizeof magic, raw);
	fclose(raw);
	if (!(as = stream_kind(magic, n))) {
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "%s", not_db);
		return NULL;
	}
	if (!(cap.in = solvext_xfopen_as(path, as, "r"))) {
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s", solvext_strerror(errno));
		return NULL;
	}
	if (!(f = fopencookie(&cap, "r", io))) {
		fclose(cap.in);
		ed_diag_oom(d);
		return NULL;
	}
	repo = repo_create(pool, label);
	if ((rc = solvext_repo_add_arch_repo(repo, f, 0)))
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read the sync database: %s",
			    pool_errstr(pool));
	else if ((rc = !drain(f) && cap.over))
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "the sync database expands beyond %llu bytes",
			    (unsigned long long)(max_bytes ? max_bytes : DB_EXPANDED_MAX));
	else if ((rc = ferror(f)))
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
			    "the sync database is truncated or corrupt: it does not decompress whole");
	else if ((rc = !feof(f)))
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
			    "the sync database has more than %zu bytes after its archive's end",
			    TRAILER_MAX);
	else if ((rc = !repo->nsolvables))
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
			    "the sync database lists no package (no PKG/desc entry)");
	fclose(f);
	fclose(cap.in);
	if (rc) {
		repo_free(repo, 1);
		return NULL;
	}
	encode_repo(repo);
	repo_internalize(repo);
	return repo;
}

/* --- the local database --- */

static bool local_path(const char *root, char *out, size_t size)
{
	return util_join_root(root, "/var/lib/pacman/local", out, size);
}

/* What libsolv's sync reader does for each package and its local reader
 * does not: an entry without a name goes, and each package provides its
 * own name at its version, as the solver needs. */
static void finish_local(Repo *repo)
{
	Pool *pool = repo->pool;
	Id p;
	Solvable *s;

	FOR_REPO_SOLVABLES(repo, p, s) {
		if (!s->name) {
			solvable_free(s, 1);
			continue;
		}
		if (!s->arch)
			s->arch = ARCH_ANY;
		if (!s->evr)
			s->evr = ID_EMPTY;
		s->provides = repo_addid_dep(repo, s->provides,
					     pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
	}
}

Repo *pacman_load_local(Pool *pool, const char *root, struct ed_diag *d)
{
	char dir[PATH_BUF];
	struct stat st;
	Repo *repo = repo_create(pool, "@System");

	if (!local_path(root, dir, sizeof dir) || stat(dir, &st) != 0)
		return repo;
	/* libsolv skips what it cannot open: the directory must be readable */
	if (!S_ISDIR(st.st_mode) || access(dir, R_OK | X_OK) != 0) {
		ed_diag_set(d, ED_EXIT_ENV, dir, 0, 0, "cannot read pacman's local database: %s",
			    S_ISDIR(st.st_mode) ? strerror(errno) : "not a directory");
		repo_free(repo, 1);
		return NULL;
	}
	if (solvext_repo_add_arch_local(repo, dir, 0)) {
		ed_diag_set(d, ED_EXIT_ENV, dir, 0, 0, "cannot read pacman's local database: %s",
			    pool_errstr(pool));
		repo_free(repo, 1);
		return NULL;
	}
	finish_local(repo);
	encode_repo(repo);
	repo_internalize(repo);
	return repo;
}

/* --- pacman.conf --- */

/* LINE without surrounding blanks. */
static char *trim(char *line)
{
	char *end;

	while (isspace((unsigned char)*line))
		line++;
	end = line + strlen(line);
	while (end > line && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return line;
}

/* "KEY = VALUE" into *VALUE when LINE's key is KEY. */
static bool key_value(char *line, const char *key, char **value)
{
	size_t n = strlen(key);
	char *p;

	if (strncmp(line, key, n))
		return false;
	p = line + n;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '=')
		return false;
	*value = trim(p + 1);
	return true;
}

/* The first Server of the mirror list at ABS under ROOT into OUT. */
static bool first_server(const char *root, const char *abs, char *out, size_t size)
{
	char path[PATH_BUF], line[2048], *value;
	FILE *f;
	bool found = false;

	if (*abs != '/' || !util_join_root(root, abs, path, sizeof path) ||
	    !(f = util_fopen_regular(path)))
		return false;
	while (!found && fgets(line, sizeof line, f))
		if (key_value(trim(line), "Server", &value) && *value &&
		    (size_t)snprintf(out, size, "%s", value) < size)
			found = true;
	fclose(f);
	return found;
}

/* A repository name that can name a file: letters, digits, '-', '_', '.'. */
static bool valid_repo(const char *name)
{
	size_t n = strlen(name);

	return n && n < 64 && name[0] != '.' &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n;
}

bool pacman_conf_read(const char *root, struct pacman_conf *c)
{
	char path[PATH_BUF], line[2048];
	FILE *f;
	bool in_repo = false;

	memset(c, 0, sizeof *c);
	if (!util_join_root(root, "/etc/pacman.conf", path, sizeof path) ||
	    !(f = util_fopen_regular(path)))
		return false;
	while (fgets(line, sizeof line, f)) {
		char *l = trim(line), *value;
		size_t i = c->n - 1;

		if (*l == '[') {
			char *close = strchr(l, ']');

			if (close)
				*close = '\0';
			in_repo = close && strcmp(l + 1, "options") && valid_repo(l + 1) &&
				  c->n < PACMAN_REPOS_MAX;
			if (in_repo)
				snprintf(c->repo[c->n++], sizeof c->repo[0], "%s", l + 1);
		} else if (in_repo && !c->server[i][0]) {
			if (key_value(l, "Server", &value))
				snprintf(c->server[i], sizeof c->server[i], "%s", value);
			else if (key_value(l, "Include", &value))
				first_server(root, value, c->server[i], sizeof c->server[i]);
		}
	}
	fclose(f);
	return true;
}

/* --- the target --- */

/* The target's architecture, checked. */
static int target_arch(const struct eco_opts *o, const char **arch, struct ed_diag *d)
{
	*arch = o && o->arch ? o->arch : arch_host(ARCH_MACHINE);
	if (!*arch)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "unknown machine architecture for pacman; use --arch");
	if (!**arch || strlen(*arch) > 32 ||
	    strspn(*arch, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(*arch))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is not a pacman architecture", *arch);
	return 0;
}

static int pacman_pool_setup(Pool *pool, const struct eco_opts *o, struct ed_diag *d)
{
	const char *arch;
	int rc;

	if ((rc = target_arch(o, &arch, d)) || (rc = eco_set_disttype(pool, &eco_pacman, d)))
		return rc;
	/* "any" packages install on every architecture (libsolv's ARCH_ANY) */
	pool_setarch(pool, arch);
	return 0;
}

/* TEMPLATE (a mirror list's Server: $repo and $arch) for REPO on ARCH into
 * OUT. */
static int expand_server(const char *template, const char *repo, const char *arch, char *out,
			 size_t size, struct ed_diag *d)
{
	size_t k = 0;

	for (const char *p = template; *p;) {
		const char *word = NULL;
		size_t skip = 1;

		if (!strncmp(p, "$repo", 5))
			word = repo, skip = 5;
		else if (!strncmp(p, "$arch", 5))
			word = arch, skip = 5;
		if (word) {
			size_t n = strlen(word);

			if (k + n >= size)
				break;
			memcpy(out + k, word, n);
			k += n;
		} else if (k + 1 < size) {
			out[k++] = *p;
		} else {
			break;
		}
		p += skip;
	}
	if (k + 1 >= size)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "the mirror URL '%s' is too long",
				   template);
	out[k] = '\0';
	return 0;
}

/* Where REPO's database is for O's target: --mirror (a Server line, with
 * $repo and $arch, or a base URL, under which Arch's mirrors keep
 * $repo/os/$arch), else the host's pacman.conf's Server for REPO, else
 * Arch's geographic mirror (Arch Linux ARM's for other architectures). */
static int db_url(const struct eco_opts *o, const char *repo, const char *arch, char *out,
		  size_t size, struct ed_diag *d)
{
	char template[1024], file[96];
	struct pacman_conf conf;
	int rc;

	if (o && o->mirror) {
		if (strstr(o->mirror, "$repo"))
			rc = eco_mirror_url(o, NULL, "", template, sizeof template, d);
		else
			rc = eco_mirror_url(o, NULL, "/$repo/os/$arch", template, sizeof template, d);
		if (rc)
			return rc;
	} else {
		template[0] = '\0';
		if (pacman_conf_read(eco_root(o), &conf))
			for (size_t i = 0; i < conf.n && !template[0]; i++)
				if (!strcmp(conf.repo[i], repo))
					snprintf(template, sizeof template, "%s", conf.server[i]);
		if (!template[0])
			snprintf(template, sizeof template, "%s",
				 strcmp(arch, "x86_64") ? "http://mirror.archlinuxarm.org/$arch/$repo"
							: "https://geo.mirror.pkgbuild.com/$repo/os/$arch");
	}
	snprintf(file, sizeof file, "/%s.db", repo);
	/* the template's URL and then the file */
	if ((rc = expand_server(template, repo, arch, out, size - strlen(file), d)))
		return rc;
	while (*out && out[strlen(out) - 1] == '/')
		out[strlen(out) - 1] = '\0';
	strcat(out, file);
	return 0;
}

/* The downloaded database of REPO, as an eco_file_target. The buffers are
 * the caller's. */
struct db_target {
	char url[2048], sub[96], name[80], label[80], what[128], key[80];
};

static Repo *parse_db(Pool *pool, const char *path, const char *label, void *ud,
		      struct ed_diag *d)
{
	(void)ud;
	return pacman_load_db(pool, path, label, 0, d);
}

static int file_target(const struct eco_opts *o, const char *repo, struct eco_file_target *t,
		       struct db_target *b, struct ed_diag *d)
{
	const char *arch;
	int rc;

	if ((rc = target_arch(o, &arch, d)) ||
	    (rc = db_url(o, repo, arch, b->url, sizeof b->url, d)))
		return rc;
	snprintf(b->sub, sizeof b->sub, "pacman/arch-%s", arch);
	snprintf(b->name, sizeof b->name, "%s.db", repo);
	snprintf(b->label, sizeof b->label, "%s", repo);
	snprintf(b->what, sizeof b->what, "sync database %s.db of Arch Linux (%s)", repo, arch);
	snprintf(b->key, sizeof b->key, "%s", repo);
	*t = (struct eco_file_target){
		.subdir = b->sub,
		.name = b->name,
		.url = b->url,
		.max_size = DB_MAX,
		.head = db_head,
		.what = b->what,
		.parse = parse_db,
		.label = b->label,
		.key = b->key,
	};
	return 0;
}

static int pacman_update(const struct eco_opts *o, struct eco_update_stats *st,
			 struct ed_diag *d)
{
	int rc = 0;

	/* this machine's own databases are pacman's to refresh (pacman -Sy) */
	if (o && o->host)
		return 0;
	if (o && o->offline)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot update Arch Linux with --offline");
	for (size_t i = 0; i < NDEFAULT && !rc; i++) {
		struct eco_file_target t;
		struct db_target b;

		if (!(rc = file_target(o, default_repos[i], &t, &b, d)))
			rc = eco_file_update(o, &t, st, d);
	}
	return rc;
}

/* Add ONE's counts to ALL. */
static void add_stats(struct eco_load_stats *all, const struct eco_load_stats *one)
{
	all->repos += one->repos;
	all->cache_hits += one->cache_hits;
	all->cache_writes += one->cache_writes;
	all->missing += one->missing;
	all->solvables += one->solvables;
}

/* The databases update() downloads, downloaded first where missing. */
static int load_downloaded(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
			   struct ed_diag *d)
{
	struct eco_opts away = *o;
	int rc = 0;

	away.host = false;
	for (size_t i = 0; i < NDEFAULT && !rc; i++) {
		struct eco_file_target t;
		struct db_target b;
		struct eco_load_stats one;

		if (!(rc = file_target(&away, default_repos[i], &t, &b, d)) &&
		    !(rc = eco_file_load(pool, &away, &t, pacman_update, &one, d)))
			add_stats(st, &one);
	}
	return rc;
}

/* Whether the cache holds what update() downloads for O's target. */
static bool downloaded(const struct eco_opts *o)
{
	const char *arch;
	struct ed_diag ignored;
	struct repocache *c;
	char sub[96], path[PATH_BUF];
	bool all = true;

	if (target_arch(o, &arch, &ignored))
		return false;
	snprintf(sub, sizeof sub, "pacman/arch-%s", arch);
	if (!(c = repocache_new(o->cache_dir, sub)))
		return false;
	for (size_t i = 0; i < NDEFAULT && all; i++) {
		snprintf(path, sizeof path, "%s/%s.db", repocache_dir(c), default_repos[i]);
		all = access(path, F_OK) == 0;
	}
	repocache_free(c);
	return all;
}

/* The sync database at PATH as repository LABEL, through a .solv cache
 * keyed on its path in CACHE (may be NULL). */
static Repo *load_sync(Pool *pool, struct repocache *cache, const char *path, const char *label,
		       bool *hit, struct ed_diag *d)
{
	unsigned char cookie[REPOCACHE_COOKIE_LEN];
	const char *paths[1] = { path };
	char key[128];
	bool cookie_ok = cache && repocache_cookie_files(paths, 1, cookie);
	Repo *repo = NULL;

	*hit = false;
	repocache_key_for_path(path, key, sizeof key);
	if (cookie_ok && (repo = repocache_load(cache, pool, label, key, cookie))) {
		*hit = true;
		return repo;
	}
	if ((repo = pacman_load_db(pool, path, label, 0, d)) && cookie_ok)
		repocache_store(cache, repo, key, cookie);
	return repo;
}

/* This machine's sync databases: those of the repositories pacman.conf
 * enables, as pacman -Sy left them. *NONE: not one of them is there. */
static int load_host(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st, bool *none,
		     struct ed_diag *d)
{
	struct pacman_conf conf;
	struct repocache *cache = o->no_cache ? NULL : repocache_new(o->cache_dir, "pacman");
	int rc = 0;

	*none = true;
	pacman_conf_read(eco_root(o), &conf);
	for (size_t i = 0; i < conf.n && !rc; i++) {
		char abs[256], path[PATH_BUF];
		bool hit;
		Repo *repo;

		snprintf(abs, sizeof abs, "/var/lib/pacman/sync/%s.db", conf.repo[i]);
		if (!util_join_root(eco_root(o), abs, path, sizeof path) || access(path, F_OK)) {
			st->missing++;
			continue;
		}
		*none = false;
		if (!(repo = load_sync(pool, cache, path, conf.repo[i], &hit, d))) {
			rc = d->status ? (int)d->status : ED_EXIT_ENV;
			break;
		}
		st->repos++;
		st->cache_hits += hit;
		st->cache_writes += !hit && cache;
		st->solvables += (size_t)repo->nsolvables;
	}
	repocache_free(cache);
	return rc;
}

static int pacman_load_available(Pool *pool, const struct eco_opts *o,
				 struct eco_load_stats *st, struct ed_diag *d)
{
	struct eco_opts none = { 0 };
	struct eco_load_stats local;
	bool missing;
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	if (!o)
		o = &none;
	/* another machine, or this one named and downloaded for
	 * ('extdeps update --distro=arch') */
	if (!o->host || (o->named && downloaded(o)))
		return load_downloaded(pool, o, st, d);
	if ((rc = load_host(pool, o, st, &missing, d)) || !missing)
		return rc;
	/* a fresh container: no sync databases, but what update downloaded */
	if (downloaded(o))
		return load_downloaded(pool, o, st, d);
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
			   "no pacman sync databases under '%s' (var/lib/pacman/sync); run "
			   "'pacman -Sy' (as root), or 'extdeps update --distro=arch' to plan from "
			   "a download",
			   eco_root(o));
}

static int pacman_load_installed(Pool *pool, const struct eco_opts *o, Repo **out,
				 struct ed_diag *d)
{
	Repo *repo;

	if (out)
		*out = NULL;
	if (!(repo = pacman_load_local(pool, eco_root(o), d)))
		return ED_EXIT_ENV;
	return eco_installed_done(pool, repo, out);
}

/* --- installing --- */

/* A package name (alpm-package-name: letters, digits and @._+-, not
 * starting with '-' or '.'), or a provision such as "libfoo.so=1-64",
 * optionally with a version constraint (NAME>=VERSION), as pacman -S takes
 * them: never an option. */
static bool valid_spec(const char *spec)
{
	size_t n = strspn(spec, "abcdefghijklmnopqrstuvwxyz0123456789@._+-");
	const char *p = spec + n;

	if (!n || n > 128 || spec[0] == '-' || spec[0] == '.' || strlen(spec) > 256)
		return false;
	if (!*p)
		return true;
	p += strspn(p, "<>=");
	if (p == spec + n || p - (spec + n) > 2 || !isalnum((unsigned char)*p))
		return false;
	return strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+:-") ==
	       strlen(p);
}

static char **pacman_install_argv(const struct eco_opts *o, const char *const *specs, size_t n,
				  unsigned flags, struct ed_diag *d)
{
	const char *prefix[7];
	size_t k = 0;

	(void)o; /* the same command for every target of the ecosystem */
	prefix[k++] = "pacman";
	prefix[k++] = "-S";
	/* what is installed already stays as it is; what extdeps installs is
	 * marked a dependency, so that pacman -Qdtq lists it once unneeded */
	prefix[k++] = "--needed";
	if (flags & ECO_INSTALL_YES)
		prefix[k++] = "--noconfirm";
	prefix[k++] = "--asdeps";
	/* pacman installs no optional dependencies: ECO_INSTALL_NO_RECOMMENDS
	 * needs no option */
	if (flags & ECO_INSTALL_SIMULATE)
		prefix[k++] = "--print";
	prefix[k] = NULL;
	return eco_argv_new(prefix, specs, n, valid_spec, "pacman package name", NULL, d);
}

static bool pacman_install_needs_root(const struct eco_opts *o)
{
	(void)o; /* pacman's database is root's */
	return true;
}

/* --- check --- */

static bool pacman_has_db(const struct eco_opts *o)
{
	char dir[PATH_BUF];
	struct stat st;

	return local_path(eco_root(o), dir, sizeof dir) && !stat(dir, &st) && S_ISDIR(st.st_mode);
}

static int pacman_open_db(const struct eco_opts *o, struct installed **out, struct ed_diag *d)
{
	char dir[PATH_BUF];
	Pool *pool;
	Repo *repo;
	Id p;
	Solvable *s;
	bool ok = true;

	*out = NULL;
	if (!pacman_has_db(o) || !local_path(eco_root(o), dir, sizeof dir))
		return 0;
	if (!(pool = pool_create()))
		return ed_diag_oom(d);
	if (eco_set_disttype(pool, &eco_pacman, d) ||
	    !(repo = pacman_load_local(pool, eco_root(o), d))) {
		pool_free(pool);
		return ED_EXIT_ENV;
	}
	if (!(*out = installed_new(INSTALLED_PACMAN, dir)))
		ok = false;
	FOR_REPO_SOLVABLES(repo, p, s) {
		const char *name = pool_id2str(pool, s->name);
		const char *version = pacman_solvable_version(pool, p);

		if (ok && !installed_add(*out, name, strlen(name), version, strlen(version)))
			ok = false;
	}
	pool_free(pool);
	if (!ok) {
		installed_free(*out);
		*out = NULL;
		return ed_diag_oom(d);
	}
	installed_sort(*out);
	return 0;
}

static const char *const pacman_ecosystems[] = { "arch", NULL };
static const char *const pacman_refresh[] = { "pacman", "-Sy", NULL };

const struct eco_ops eco_pacman = {
	.name = "pacman",
	.database = "pacman",
	.scope = ECO_SYSTEM,
	.arch_scheme = ARCH_MACHINE,
	.disttype = DISTTYPE_ARCH,
	.version_rules = "pacman",
	.pool_setup = pacman_pool_setup,
	.load_available = pacman_load_available,
	.load_installed = pacman_load_installed,
	.install_argv = pacman_install_argv,
	.install_needs_root = pacman_install_needs_root,
	.refresh_argv = pacman_refresh,
	.open_db = pacman_open_db,
	.has_db = pacman_has_db,
	.ecosystems = pacman_ecosystems,
	.update = pacman_update,
	.solvable_version = pacman_solvable_version,
};
