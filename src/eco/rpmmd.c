/* rpmmd.c - rpm-md repositories (repomd.xml, primary, file lists) and the
 * rpm database read by libsolv, downloaded and cached: what the rpm
 * backends (dnf, zypper) share. */
#include "extdeps/eco/rpmmd.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <solv/chksum.h>
#include <solv/dataiterator.h>
#include <solv/knownid.h>
#include <solv/repodata.h>
#include <solv/util.h>

#include "extdeps/eco/arch.h"
#include "extdeps/eco/installed.h"
#include "extdeps/eco/solvext.h"
#include "extdeps/net/fetch.h"
#include "extdeps/util/lockfile.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

#define PATH_BUF RPMMD_PATH_MAX
#define DATA_MAX ((uint64_t)1 << 30) /* a primary or file lists, compressed */

/* --- repomd.xml --- */

int rpmmd_repomd_find(const char *path, const char *type, struct rpmmd_entry *e,
		      struct ed_diag *d)
{
	Pool *pool = pool_create();
	Repo *repo = repo_create(pool, "repomd");
	FILE *fp = util_fopen_regular(path);
	Dataiterator di;
	bool found = false;
	int rc = 0;

	memset(e, 0, sizeof *e);
	if (!fp) {
		rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s",
				 util_open_strerror(errno));
		goto out;
	}
	if (solvext_repo_add_repomdxml(repo, fp, 0)) {
		rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "not valid repomd XML: %s",
				 pool_errstr(pool));
		goto out;
	}
	dataiterator_init(&di, pool, repo, SOLVID_META, REPOSITORY_REPOMD_TYPE, type,
			  SEARCH_STRING);
	dataiterator_prepend_keyname(&di, REPOSITORY_REPOMD);
	if (dataiterator_step(&di)) {
		const char *loc;
		const unsigned char *chk;
		Id chktype = 0;

		dataiterator_setpos_parent(&di);
		loc = pool_lookup_str(pool, SOLVID_POS, REPOSITORY_REPOMD_LOCATION);
		chk = pool_lookup_bin_checksum(pool, SOLVID_POS, REPOSITORY_REPOMD_CHECKSUM, &chktype);
		e->size = pool_lookup_num(pool, SOLVID_POS, REPOSITORY_REPOMD_SIZE, 0);
		if (loc && strlen(loc) < sizeof e->location) {
			strcpy(e->location, loc);
			found = true;
		}
		if (chk && chktype) {
			const char *hex = pool_bin2hex(pool, chk, solv_chksum_len(chktype));

			snprintf(e->checksum, sizeof e->checksum, "%s", hex);
			e->checksum_type = chktype;
		}
	}
	dataiterator_free(&di);
	if (!found)
		rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "repomd.xml has no '%s' data", type);
out:
	if (fp)
		fclose(fp);
	pool_free(pool);
	return rc;
}

/* The hex digest of type TYPE of the file at PATH into HEX (129 bytes). */
static bool file_checksum(const char *path, Id type, char *hex)
{
	Chksum *c = solv_chksum_create(type);
	FILE *f = util_fopen_regular(path);
	const unsigned char *bin;
	unsigned char buf[65536];
	size_t n;
	int len = 0;

	if (!c || !f) {
		if (f)
			fclose(f);
		solv_chksum_free(c, NULL);
		return false;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		solv_chksum_add(c, buf, (int)n);
	if (ferror(f)) {
		fclose(f);
		solv_chksum_free(c, NULL);
		return false;
	}
	fclose(f);
	bin = solv_chksum_get(c, &len);
	for (int i = 0; i < len && i < 64; i++)
		sprintf(hex + 2 * i, "%02x", bin[i]);
	solv_chksum_free(c, NULL);
	return true;
}

/* DIR/base name of LOCATION. */
static bool local_path(const char *dir, const char *location, char *out, size_t size)
{
	const char *base = strrchr(location, '/');
	int n;

	base = base ? base + 1 : location;
	/* a name from the network: never a path outside DIR */
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return false;
	n = snprintf(out, size, "%s/%s", dir, base);
	return n > 0 && (size_t)n < size;
}

/* The file of TYPE ("primary") that REPOMD names, by base name in DIR, into
 * PATH; its entry into E. */
static int data_file(const char *repomd, const char *dir, const char *type,
		     struct rpmmd_entry *e, char *path, size_t size, struct ed_diag *d)
{
	if (rpmmd_repomd_find(repomd, type, e, d))
		return ED_EXIT_ENV;
	if (!local_path(dir, e->location, path, size))
		return ed_diag_set(d, ED_EXIT_ENV, repomd, 0, 0, "bad %s location '%s'", type,
				   e->location);
	return 0;
}

/* PATH against the size and checksum repomd.xml gives for it (E). */
static int verify(const char *path, const struct rpmmd_entry *e, struct ed_diag *d)
{
	struct stat st;
	char hex[129];

	if (stat(path, &st) != 0)
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s",
				   util_open_strerror(UTIL_ENOTREG));
	/* The size first: it refuses an oversized file without hashing it. */
	if (e->size && (unsigned long long)st.st_size != e->size)
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				   "size %llu does not match repomd.xml's %llu; the download is "
				   "truncated or corrupt",
				   (unsigned long long)st.st_size, e->size);
	if (!e->checksum_type)
		return 0;
	if (!file_checksum(path, e->checksum_type, hex))
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s",
				   util_open_strerror(errno));
	if (strcmp(hex, e->checksum))
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				   "%s checksum %s does not match repomd.xml's %s",
				   solv_chksum_type2str(e->checksum_type), hex, e->checksum);
	return 0;
}

/* Parse the rpm-md TYPE data at PATH into REPO (FLAGS: repo_add_rpmmd's). */
static bool add_xml(Repo *repo, const char *path, const char *type, int flags,
		    struct ed_diag *d)
{
	FILE *fp = solvext_xfopen(path, "r");

	if (!fp) {
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s", solvext_strerror(errno));
		return false;
	}
	if (solvext_repo_add_rpmmd(repo, fp, NULL, flags) || ferror(fp)) {
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "corrupt rpm-md %s data: %s", type,
			    *pool_errstr(repo->pool) ? pool_errstr(repo->pool) : "read error");
		fclose(fp);
		return false;
	}
	fclose(fp);
	return true;
}

bool rpmmd_names_type(const char *path, const char *type)
{
	struct rpmmd_entry e;
	struct ed_diag ignored;

	return !rpmmd_repomd_find(path, type, &e, &ignored);
}

/* --- loading --- */

Repo *rpmmd_load_dir(Pool *pool, const char *dir, const char *label, struct repocache *cache,
		     const char *key, bool files, const struct rpmmd_extra *extra, bool *hit,
		     struct ed_diag *d)
{
	char repomd[PATH_BUF], primary[PATH_BUF], filelists[PATH_BUF], more[PATH_BUF] = "";
	unsigned char cookie[REPOCACHE_COOKIE_LEN];
	struct rpmmd_entry e, fe, me;
	bool cookie_ok = false;
	Repo *repo;

	if (hit)
		*hit = false;
	snprintf(repomd, sizeof repomd, "%s/repomd.xml", dir);
	if (data_file(repomd, dir, "primary", &e, primary, sizeof primary, d) ||
	    (files && data_file(repomd, dir, "filelists", &fe, filelists, sizeof filelists, d)) ||
	    (extra && rpmmd_names_type(repomd, extra->type) &&
	     data_file(repomd, dir, extra->type, &me, more, sizeof more, d)))
		return NULL;
	if (cache && key) {
		const char *paths[4] = { repomd, primary };
		size_t n = 2;

		if (files)
			paths[n++] = filelists;
		if (*more)
			paths[n++] = more;
		cookie_ok = repocache_cookie_files(paths, n, cookie);
		if (cookie_ok && (repo = repocache_load(cache, pool, label, key, cookie))) {
			if (*more && extra->load(pool, NULL, more, label, d))
				return NULL;
			if (hit)
				*hit = true;
			return repo;
		}
	}
	if (verify(primary, &e, d) || (files && verify(filelists, &fe, d)) ||
	    (*more && verify(more, &me, d)))
		return NULL;
	repo = repo_create(pool, label);
	/* the file lists extend the primary's packages, matched by pkgid */
	if (!add_xml(repo, primary, "primary", 0, d) ||
	    (files && !add_xml(repo, filelists, "filelists", REPO_EXTEND_SOLVABLES, d)) ||
	    (*more && extra->load(pool, repo, more, label, d))) {
		repo_free(repo, 1);
		return NULL;
	}
	if (cache && key && cookie_ok)
		repocache_store(cache, repo, key, cookie);
	return repo;
}

/* Whether DIR holds the TYPE file REPOMD names. */
static bool has_data(const char *repomd, const char *dir, const char *type)
{
	struct rpmmd_entry e;
	struct ed_diag ignored;
	char path[PATH_BUF];

	return !data_file(repomd, dir, type, &e, path, sizeof path, &ignored) &&
	       access(path, F_OK) == 0;
}

/* Whether the cache in DIR lacks what O's load needs: repomd.xml, the file
 * lists when they are asked for, EXTRA's data where named. */
static bool needs_update(const struct eco_opts *o, const char *dir, const char *repomd,
			 const struct rpmmd_extra *extra)
{
	return access(repomd, F_OK) != 0 ||
	       (o && o->file_lists && !has_data(repomd, dir, "filelists")) ||
	       (extra && rpmmd_names_type(repomd, extra->type) &&
		!has_data(repomd, dir, extra->type));
}

int rpmmd_load(Pool *pool, const struct eco_opts *o, const struct rpmmd_source *s,
	       struct eco_load_stats *st, struct ed_diag *d)
{
	const char *dir = repocache_dir(s->cache);
	char repomd[PATH_BUF], hint[2048];
	bool hit = false, files = o && o->file_lists;
	Repo *repo = NULL;
	int rc;

	snprintf(repomd, sizeof repomd, "%s/repomd.xml", dir);
	eco_update_command(o, s->enabled, hint, sizeof hint);
	if (needs_update(o, dir, repomd, s->extra)) {
		if (o && o->offline)
			return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
					   "no %s for %s (%s) in the cache '%s' and "
					   "--offline forbids downloading it; run %s",
					   files ? "metadata with file lists" : "metadata", s->what,
					   s->arch, dir, hint);
		if ((rc = s->update(s, d)))
			return rc;
	}
	/* No reader's lock: the .solv cache is written into the same
	 * directory under its lock. An update beside this load that removes
	 * what it reads makes it fail, and it is tried once more. */
	for (int tries = 0; tries < 2; tries++) {
		repo = rpmmd_load_dir(pool, dir, s->label, o && o->no_cache ? NULL : s->cache,
				      files ? "primary+filelists" : "primary", files, s->extra, &hit,
				      d);
		if (repo || (o && o->offline) || tries)
			break;
		/* damaged or missing files heal: an update fetches again what
		 * no longer verifies */
		ed_diag_clear(d);
		if ((rc = s->update(s, d)))
			return rc;
	}
	if (!repo) {
		if (o && o->offline)
			eco_diag_add_update_hint(d, o, s->enabled);
		return d ? (int)d->status : ED_EXIT_ENV;
	}
	st->repos++;
	st->cache_hits += hit;
	st->cache_writes += !hit && !(o && o->no_cache);
	st->solvables += (size_t)repo->nsolvables;
	return 0;
}

/* --- updating --- */

/* Remove the data files of earlier revisions from DIR: the primaries, file
 * lists and EXTRA's data REPOMD does not name (createrepo names them
 * HASH-primary.xml.gz, HASH-modules.yaml.xz; the .solv caches stay). */
static void remove_stale(const char *dir, const char *repomd, const struct rpmmd_extra *extra)
{
	const char *types[] = { "primary", "filelists", extra ? extra->type : NULL };
	size_t ntypes = extra ? 3 : 2;
	DIR *dh = opendir(dir);
	struct dirent *ent;
	struct rpmmd_entry e;
	struct ed_diag ignored;
	char keep[3][PATH_BUF];

	for (size_t i = 0; i < ntypes; i++)
		if (data_file(repomd, dir, types[i], &e, keep[i], sizeof keep[i], &ignored))
			keep[i][0] = '\0';
	while (dh && (ent = readdir(dh))) {
		char path[PATH_BUF], xml[80], yaml[80];
		bool data = false, kept = false;

		for (size_t i = 0; i < ntypes && !data; i++) {
			snprintf(xml, sizeof xml, "%s.xml", types[i]);
			snprintf(yaml, sizeof yaml, "%s.yaml", types[i]);
			data = strstr(ent->d_name, xml) || strstr(ent->d_name, yaml);
		}
		if (!data)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
		for (size_t i = 0; i < ntypes && !kept; i++)
			kept = !strcmp(path, keep[i]);
		if (!kept)
			unlink(path);
	}
	if (dh)
		closedir(dh);
}

/* What progress calls the file NAME of U: "LABEL/NAME", or NULL (its
 * base name). */
static const char *progress_label(const struct rpmmd_update *u, const char *name, char *buf,
				  size_t size)
{
	if (!u->label)
		return NULL;
	snprintf(buf, size, "%s/%s", u->label, name);
	return buf;
}

/* Download the TYPE file the verified repomd.xml names, verified. */
static int fetch_data(struct rpmmd_update *u, const char *type, struct ed_diag *d)
{
	struct rpmmd_entry e;
	struct fetch_result r = { 0 };
	struct fetch_expect exp = { .max_size = DATA_MAX };
	char path[PATH_BUF], url[4096], hex[129], label[256];
	const char *name;
	int rc;

	if ((rc = data_file(u->use, u->dir, type, &e, path, sizeof path, d)))
		return rc;
	snprintf(url, sizeof url, "%s%s", u->base, e.location);
	/* HASH-primary.xml.gz as primary.xml.gz */
	name = strstr(strrchr(path, '/'), type);
	exp.label = progress_label(u, name ? name : strrchr(path, '/') + 1, label, sizeof label);
	exp.sha256 = e.checksum_type == REPOKEY_TYPE_SHA256 ? e.checksum : NULL;
	exp.size = e.size;
	if ((rc = fetch_file(u->f, url, path, &exp, &r, d)))
		return rc;
	eco_update_count(u->st, &r);
	/* other checksum types: verified here */
	if (e.checksum_type && e.checksum_type != REPOKEY_TYPE_SHA256 &&
	    (!file_checksum(path, e.checksum_type, hex) || strcmp(hex, e.checksum))) {
		unlink(path);
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "'%s': checksum does not match repomd.xml", url);
	}
	return 0;
}

int rpmmd_check_repomd(const char *path, void *ud, struct ed_diag *d)
{
	struct rpmmd_entry e;

	(void)ud;
	return rpmmd_repomd_find(path, "primary", &e, d);
}

/* repomd.xml from U->base: without a metalink it is trusted as the
 * transport delivers it, once it reads. */
static int repomd_from_base(struct rpmmd_update *u, struct ed_diag *d)
{
	struct fetch_expect exp = { .max_size = RPMMD_REPOMD_MAX, .check = rpmmd_check_repomd };
	struct fetch_result r = { 0 };
	char url[4096], label[256];
	int rc;

	snprintf(url, sizeof url, "%srepodata/repomd.xml", u->base);
	exp.label = progress_label(u, "repomd.xml", label, sizeof label);
	rc = fetch_file(u->f, url, u->next, &exp, &r, d);
	if (rc)
		return rc;
	eco_update_count(u->st, &r);
	u->use = u->next;
	return 0;
}

/* The update, with U->dir's lock held. */
static int update_locked(struct rpmmd_update *u, struct ed_diag *d)
{
	struct fetch_opts fo;
	int rc;

	eco_fetch_opts(u->o, &fo);
	lockfile_sweep(u->dir);
	if (!(u->f = fetch_new(&fo, d)))
		return d->status;
	rc = u->get_repomd ? u->get_repomd(u, d) : repomd_from_base(u, d);
	if (!rc && !(rc = fetch_data(u, "primary", d)) && u->o && u->o->file_lists)
		rc = fetch_data(u, "filelists", d);
	if (!rc && u->extra && rpmmd_names_type(u->use, u->extra->type))
		rc = fetch_data(u, u->extra->type, d);
	if (!rc && u->use == u->next)
		rc = atomicfile_rename(u->next, u->repomd, d);
	if (!rc)
		remove_stale(u->dir, u->repomd, u->extra);
	fetch_free(u->f);
	u->f = NULL;
	return rc;
}

int rpmmd_update(struct rpmmd_update *u, struct ed_diag *d)
{
	struct lockfile lk = LOCKFILE_INIT;
	struct lockfile_opts lo;
	int rc;

	u->use = NULL;
	snprintf(u->repomd, sizeof u->repomd, "%s/repomd.xml", u->dir);
	snprintf(u->next, sizeof u->next, "%s/repomd.xml.next", u->dir);
	eco_lock_opts(u->o, false, &lo);
	if (!(rc = lockfile_lock_dir(&lk, u->dir, &lo, d)))
		rc = update_locked(u, d);
	lockfile_unlock(&lk);
	return rc;
}

int rpmmd_expand_vars(const char *url, const char *release, const char *arch, char *out,
		      size_t size, struct ed_diag *d)
{
	static const struct {
		const char *var;
		int which; /* 0: release, 1: arch */
	} vars[] = { { "$releasever", 0 }, { "${releasever}", 0 }, { "$basearch", 1 },
		     { "${basearch}", 1 } };
	struct strbuf b = STRBUF_INIT;
	int rc = 0;

	for (const char *p = url; *p;) {
		size_t i = 0, n = sizeof vars / sizeof vars[0];

		while (*p == '$' && i < n && strncmp(p, vars[i].var, strlen(vars[i].var)))
			i++;
		if (*p == '$' && i < n) {
			strbuf_addstr(&b, vars[i].which ? arch : release);
			p += strlen(vars[i].var);
		} else {
			strbuf_add(&b, p++, 1);
		}
	}
	if (b.oom)
		rc = ed_diag_oom(d);
	else if (b.len >= size)
		rc = ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "the URL '%s' is too long", url);
	else
		memcpy(out, strbuf_str(&b), b.len + 1);
	strbuf_release(&b);
	return rc;
}

bool rpmmd_valid_spec(const char *spec)
{
	size_t len = strlen(spec), depth = 0;

	if (!len || len > 256 || !isalnum((unsigned char)spec[0]))
		return false;
	for (const char *p = spec; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')') {
			if (!depth--)
				return false;
		} else if (!isalnum((unsigned char)*p) && !strchr("._+-:~^ <>=", *p)) {
			return false;
		}
	}
	return depth == 0;
}

/* --- installed --- */

Repo *rpmmd_load_rpmdb(Pool *pool, const char *root, struct ed_diag *d)
{
	Repo *repo = repo_create(pool, "@System");
	char *saved;
	int rc;

	if (!installed_has_rpmdb(root))
		return repo;
	saved = pool_get_rootdir(pool) ? util_strdup(pool_get_rootdir(pool)) : NULL;
	pool_set_rootdir(pool, strcmp(root, "/") ? root : NULL);
	rc = solvext_repo_add_rpmdb_reffp(repo, NULL, REPO_USE_ROOTDIR);
	pool_set_rootdir(pool, saved);
	free(saved);
	if (rc) {
		ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot read the rpm database under '%s': %s",
			    root, pool_errstr(pool));
		repo_free(repo, 1);
		return NULL;
	}
	return repo;
}


/* Letters, digits, '_' and '.', at most MAX. */
static bool valid_word(const char *w, size_t max)
{
	if (!w || !*w || strlen(w) > max)
		return false;
	for (; *w; w++)
		if (!isalnum((unsigned char)*w) && *w != '_' && *w != '.')
			return false;
	return true;
}

int rpmmd_target(const struct eco_opts *o, const char *default_release, const char *rolling,
		 const char **release, const char **arch, struct ed_diag *d)
{
	*arch = o && o->arch ? o->arch : arch_host(ARCH_RPM);
	*release = o && o->release ? o->release : default_release;
	if (!*arch)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "unknown machine architecture for rpm; use --arch");
	if (!valid_word(*arch, 32))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "'%s' is not an rpm architecture",
				   *arch);
	if (!valid_word(*release, 32))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is not a release (expected a number or '%s')", *release,
				   rolling);
	return 0;
}

int rpmmd_load_installed(Pool *pool, const struct eco_opts *o, Repo **out, struct ed_diag *d)
{
	Repo *repo;

	if (out)
		*out = NULL;
	if (!(repo = rpmmd_load_rpmdb(pool, eco_root(o), d)))
		return ED_EXIT_ENV;
	return eco_installed_done(pool, repo, out);
}

bool rpmmd_has_db(const struct eco_opts *o)
{
	return installed_has_rpmdb(eco_root(o));
}

int rpmmd_open_db(const struct eco_opts *o, struct installed **out, struct ed_diag *d)
{
	*out = NULL;
	if (!installed_has_rpmdb(eco_root(o)))
		return 0;
	*out = installed_open_rpm(eco_root(o), d);
	return *out ? 0 : d->status ? (int)d->status : ED_EXIT_ENV;
}

/* --- .repo files --- */

/* The section ID of the .repo file at PATH into C: false when it has none. */
static bool repo_file_section(const char *path, const char *id, struct rpmmd_repo_conf *c)
{
	FILE *f = util_fopen_regular(path);
	char line[2048];
	bool in = false, found = false;

	if (!f)
		return false;
	while (fgets(line, sizeof line, f)) {
		char *p = line, *end = line + strcspn(line, "\r\n"), *value;
		size_t klen;

		*end = '\0';
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '[') {
			char *close = strchr(p, ']');

			if (in)
				break;
			in = close && (size_t)(close - p - 1) == strlen(id) && !strncmp(p + 1, id, strlen(id));
			if (in) {
				/* dnf's and zypper's enabled= default to 1 */
				*c = (struct rpmmd_repo_conf){ .enabled = true };
				found = true;
			}
			continue;
		}
		klen = strcspn(p, " \t=");
		value = p + klen + strspn(p + klen, " \t");
		if (!in || *value != '=')
			continue;
		value += 1 + strspn(value + 1, " \t");
		if (klen == 7 && !strncmp(p, "enabled", 7))
			c->enabled = !strcmp(value, "1") || !strcasecmp(value, "true") ||
				     !strcasecmp(value, "yes");
		else if (klen == 7 && !strncmp(p, "baseurl", 7) && !c->baseurl[0])
			/* the first of a list (dnf's may hold several) */
			snprintf(c->baseurl, sizeof c->baseurl, "%.*s",
				 (int)strcspn(value, " \t,"), value);
	}
	fclose(f);
	return found;
}

bool rpmmd_repo_conf_find(const struct eco_opts *o, const char *dir, const char *id,
			  struct rpmmd_repo_conf *c)
{
	char path[PATH_BUF], file[PATH_BUF];
	struct rpmmd_repo_conf one;
	struct dirent *ent;
	bool found = false;
	DIR *dh;

	memset(c, 0, sizeof *c);
	snprintf(path, sizeof path, "%s%s", strcmp(eco_root(o), "/") ? eco_root(o) : "", dir);
	if (!(dh = opendir(path)))
		return false;
	while (!c->enabled && (ent = readdir(dh))) {
		size_t n = strlen(ent->d_name);

		if (n < 6 || strcmp(ent->d_name + n - 5, ".repo") ||
		    (size_t)snprintf(file, sizeof file, "%s/%s", path, ent->d_name) >= sizeof file)
			continue;
		if (repo_file_section(file, id, &one) && (!found || one.enabled)) {
			*c = one;
			found = true;
		}
	}
	closedir(dh);
	return found;
}
