/* apt_repo.c - a remote Debian or Ubuntu release in the cache, and the
 * repositories enabled beside a target (another vendor's): where each is
 * kept and fetched from, filling it (apt_repo_update) and reading it back
 * (apt_repo_load, apt_repo_load_enabled). Both kinds go through one path,
 * a "place": a cache directory with its suites. */
#include "extdeps/eco/apt_repo.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <solv/chksum.h>
#include <solv/knownid.h>
#include <solv/solvversion.h>

#include "extdeps/eco/apt_index.h"
#include "extdeps/eco/apt_release.h"
#include "extdeps/eco/apt_sources.h"
#include "extdeps/eco/apt_verify.h"
#include "extdeps/eco/arch.h"
#include "extdeps/net/fetch.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/lockfile.h"
#include "extdeps/util/osrelease.h"
#include "extdeps/util/util.h"

#define MAX_SUITES 2
#define INRELEASE_MAX ((uint64_t)64 << 20)

/* --- where --- */

/* dpkg's spelling of O's architecture; uname's ("x86_64") is accepted too. */
static const char *target_arch(const struct eco_opts *o)
{
	const char *a;

	if (!o->arch)
		return arch_host(ARCH_DPKG);
	a = arch_convert(o->arch, ARCH_DPKG);
	return a ? a : o->arch;
}

/* "DISTRO:RELEASE", as --distro names it. */
static void target_name(const struct eco_opts *o, char *out, size_t size)
{
	snprintf(out, size, "%s:%s", o->distro, o->release);
}

/* The cache directory CACHE/apt/DISTRO-RELEASE-ARCH followed by SUFFIX
 * (created) into *DIR, malloc'd. */
static int cache_dir(const struct eco_opts *o, const char *suffix, char **dir,
		     struct ed_diag *d)
{
	const char *arch = target_arch(o);
	struct repocache *c;
	char sub[256];
	int n;

	*dir = NULL;
	if (!o->distro || !o->release || !arch)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "an apt target needs a distribution, a release and an "
				   "architecture");
	for (const char *s = o->distro; *s; s++)
		if (!islower((unsigned char)*s))
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "'%s' is not a distribution name", o->distro);
	for (const char *s = o->release; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.')
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "'%s' is not a release name", o->release);
	/* dpkg's architecture names: letters, digits and '-' */
	if (!*arch || strspn(arch, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			     "0123456789-") != strlen(arch))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "'%s' is not an architecture name",
				   arch);
	n = snprintf(sub, sizeof sub, "apt/%s-%s-%s%s", o->distro, o->release, arch, suffix);
	if (n < 0 || (size_t)n >= sizeof sub)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "target name too long");
	c = repocache_new(o->cache_dir, sub);
	if (!c)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "no usable cache directory for %s (set XDG_CACHE_HOME or HOME)",
				   sub);
	*dir = util_strdup(repocache_dir(c));
	repocache_free(c);
	return *dir ? 0 : ed_diag_oom(d);
}

int apt_repo_dir(const struct eco_opts *o, char **dir, struct ed_diag *d)
{
	return cache_dir(o, "", dir, d);
}

bool apt_repo_cached(const struct eco_opts *o)
{
	struct ed_diag ignored;
	struct dirent *e;
	char *dir = NULL;
	bool found = false;
	DIR *dh;

	if (cache_dir(o, "", &dir, &ignored) || !(dh = opendir(dir))) {
		free(dir);
		return false;
	}
	while (!found && (e = readdir(dh))) {
		size_t n = strlen(e->d_name);
		found = n > 10 && !strcmp(e->d_name + n - 10, ".InRelease");
	}
	closedir(dh);
	free(dir);
	return found;
}

static bool mirror_scheme_ok(const char *url)
{
	static const char *const schemes[] = { "http://", "https://", "ftp://", "file:/" };

	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (!strncmp(url, schemes[i], strlen(schemes[i])))
			return true;
	return false;
}

static bool url_chars_ok(const char *url)
{
	for (const char *s = url; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 127)
			return false;
	return true;
}

static char *mirror_copy(const char *url)
{
	size_t n = strlen(url);

	while (n > 0 && url[n - 1] == '/')
		n--;
	return util_strndup(url, n);
}

/* URL checked (WHAT names it in messages) and copied, without trailing
 * '/', into *OUT. */
static int url_copy(const char *url, const char *what, char **out, struct ed_diag *d)
{
	*out = NULL;
	if (!mirror_scheme_ok(url) || !url_chars_ok(url))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is not a %s (http, https, ftp or file)", url, what);
	*out = mirror_copy(url);
	return *out ? 0 : ed_diag_oom(d);
}

int apt_repo_mirror(const struct eco_opts *o, char **mirror, struct ed_diag *d)
{
	struct apt_sources sources = { 0 };
	struct os_release os;
	const char *root = eco_root(o), *pick = NULL;
	int rc;

	*mirror = NULL;
	if (o->mirror)
		return url_copy(o->mirror, "mirror URL", mirror, d);
	/* The host's sources serve the host's distribution only. */
	if (os_release_read(strcmp(root, "/") ? root : NULL, &os, d) || strcmp(os.id, o->distro))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "no %s mirror is configured on this machine; use --mirror URL",
				   o->distro);
	if ((rc = apt_sources_read(root, &sources, d)))
		return rc;
	/* The main archive: the source of the host's own suite, else the first
	 * that is neither flat nor the security archive. */
	for (size_t i = 0; i < sources.n && !pick; i++)
		if (os.codename[0] && !strcmp(sources.v[i].suite, os.codename))
			pick = sources.v[i].uri;
	for (size_t i = 0; i < sources.n && !pick; i++) {
		const struct apt_source *s = &sources.v[i];
		size_t sl = strlen(s->suite);

		if (sl && s->suite[sl - 1] != '/' && !strstr(s->suite, "security") &&
		    !strstr(s->uri, "security"))
			pick = s->uri;
	}
	if (pick && mirror_scheme_ok(pick) && url_chars_ok(pick))
		*mirror = mirror_copy(pick);
	apt_sources_fini(&sources);
	if (!pick)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "no %s mirror is configured on this machine; use --mirror URL",
				   o->distro);
	return *mirror ? 0 : ed_diag_oom(d);
}

/* --- places --- */

/* A flat repository's suite is a path ending in '/' ("deb URL /"). */
static bool is_flat(const char *suite)
{
	size_t n = strlen(suite);

	return n > 0 && suite[n - 1] == '/';
}

/* A suite of an enabled repository: it becomes part of URLs, so nothing
 * that could climb out of the repository or need quoting. */
static bool suite_ok(const char *suite)
{
	if (!*suite || strlen(suite) >= 128 || strstr(suite, ".."))
		return false;
	for (const char *s = suite; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("/._-+~", *s))
			return false;
	return true;
}

/* One suite of a place, and what an update made of it. */
struct suite_state {
	char name[128];  /* as in URLs: "trixie"; a flat repository's path, "/" */
	char key[128];   /* in cache file names: KEY.InRelease */
	bool optional;   /* the mirror may lack it (-updates) */
	bool flat;
	bool present;    /* fetched (or, for an optional suite, known absent: false) */
	char *text;      /* the verified text to commit */
};

static void suite_set(struct suite_state *s, const char *name, bool optional)
{
	memset(s, 0, sizeof *s);
	snprintf(s->name, sizeof s->name, "%s", name);
	s->optional = optional;
	s->flat = is_flat(name);
	snprintf(s->key, sizeof s->key, "%s", s->flat ? "flat" : name);
	for (char *c = s->key; *c; c++)
		if (*c == '/')
			*c = '_';
}

/* One apt repository kept in the cache: the target release's archive (its
 * suites under the mirror's dists/), or one enabled beside it (EXTRA:
 * another vendor's, one suite under its URL, or flat), in a directory of
 * its own. */
struct place {
	const struct eco_opts *o;
	const struct eco_repo *extra; /* NULL: the target's archive */
	char *dir;                    /* its cache directory */
	char *url;                    /* EXTRA's URL, checked, without a trailing '/' */
	char name[160];               /* for messages: "debian:13", "nvidia-cuda" */
	struct suite_state suites[MAX_SUITES];
	size_t nsuites;
};

static void place_fini(struct place *p)
{
	for (size_t i = 0; i < p->nsuites; i++)
		free(p->suites[i].text);
	free(p->dir);
	free(p->url);
	memset(p, 0, sizeof *p);
}

/* The target's archive: its release's suite and -updates. */
static int place_target(struct place *p, struct ed_diag *d)
{
	const struct eco_opts *o = p->o;
	char name[128];

	target_name(o, p->name, sizeof p->name);
	if (!o->codename || !*o->codename)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "the registry names no codename for %s %s; apt mirrors are "
				   "organised by codename",
				   o->distro ? o->distro : "?", o->release ? o->release : "?");
	for (const char *s = o->codename; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
			return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
					   "'%s' is not a codename", o->codename);
	suite_set(&p->suites[0], o->codename, false);
	snprintf(name, sizeof name, "%s-updates", o->codename);
	suite_set(&p->suites[1], name, true);
	p->nsuites = 2;
	return cache_dir(o, "", &p->dir, d);
}

/* Another vendor's repository R, in CACHE/apt/DISTRO-RELEASE-ARCH+ID. */
static int place_extra(struct place *p, const struct eco_repo *r, struct ed_diag *d)
{
	const char *suite = r->suite ? r->suite : "/";
	char suffix[80];
	int rc;

	snprintf(p->name, sizeof p->name, "%s", r->id);
	if ((rc = eco_repo_check_id(r, d)))
		return rc;
	if (!r->url)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "%s has no URL", r->id);
	if (!suite_ok(suite))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is not a suite of an apt repository (%s)", suite, r->id);
	if ((rc = url_copy(r->url, "repository URL", &p->url, d)))
		return rc;
	suite_set(&p->suites[0], suite, false);
	p->nsuites = 1;
	snprintf(suffix, sizeof suffix, "+%s", r->id);
	return cache_dir(p->o, suffix, &p->dir, d);
}

/* P for O's target (EXTRA NULL) or for the repository EXTRA beside it. */
static int place_init(struct place *p, const struct eco_opts *o, const struct eco_repo *extra,
		      struct ed_diag *d)
{
	memset(p, 0, sizeof *p);
	p->o = o;
	p->extra = extra;
	return extra ? place_extra(p, extra, d) : place_target(p, d);
}

/* Where P's metadata is fetched from, malloc'd, without a trailing '/'. */
static int place_url(const struct place *p, char **url, struct ed_diag *d)
{
	if (!p->extra)
		return apt_repo_mirror(p->o, url, d);
	*url = util_strdup(p->url);
	return *url ? 0 : ed_diag_oom(d);
}

/* The directory of suite S under URL: URL/dists/SUITE, or a flat
 * repository's URL[/PATH]. */
static void suite_base(const char *url, const struct suite_state *s, char *out, size_t size)
{
	const char *path = s->name;
	size_t n;

	if (!s->flat) {
		snprintf(out, size, "%s/dists/%s", url, s->name);
		return;
	}
	while (*path == '/')
		path++;
	n = strlen(path);
	while (n > 0 && path[n - 1] == '/')
		n--;
	snprintf(out, size, "%s%s%.*s", url, n ? "/" : "", (int)n, path);
}

/* The file of suite S's committed InRelease in P's directory. */
static void inrelease_path(const struct place *p, const struct suite_state *s, char *out,
			   size_t size)
{
	snprintf(out, size, "%s/%s.InRelease", p->dir, s->key);
}

/* --- files --- */

/* The suffix of an index path that names its compression (".xz"), or "". */
static const char *compression_suffix(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (!dot || (slash && dot < slash) || (strcmp(dot, ".xz") && strcmp(dot, ".gz")))
		return "";
	return dot;
}

static bool data_path(const char *dir, const struct apt_release_file *f, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/data/%s%s", dir, f->sha256, compression_suffix(f->path));

	return n > 0 && (size_t)n < size;
}

static bool has_word(char *const *list, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], w))
			return true;
	return false;
}

/* One index of a release, and the component and arch it serves (both
 * NULL for a flat repository's). */
struct index_ref {
	const struct apt_release_file *file;
	const char *component, *arch;
};

/* The one index of a flat repository's release R into *OUT. */
static int flat_indexes(const struct apt_release *r, const char *name, struct index_ref **out,
			size_t *nout, struct ed_diag *d)
{
	const struct apt_release_file *f = apt_release_flat_index(r);

	*out = NULL;
	*nout = 0;
	if (!f)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "%s lists no Packages index", name);
	if (!(*out = calloc(1, sizeof **out)))
		return ed_diag_oom(d);
	(*out)->file = f;
	*nout = 1;
	return 0;
}

/* The indexes of release R that serve ARCH: for each component its
 * binary-ARCH index, and binary-all where the release keeps the "all"
 * packages apart; a flat repository's (FLAT) one index, whatever the
 * architecture (it lists every one). A malloc'd array into *OUT, its length
 * into *NOUT. NAME names R in messages. ED_EXIT_INPUT when R does not list
 * ARCH, ED_EXIT_ENV when a component lacks its binary-ARCH index. */
static int release_indexes(const struct apt_release *r, const char *arch, bool flat,
			   const char *name, struct index_ref **out, size_t *nout,
			   struct ed_diag *d)
{
	bool want_all = has_word(r->archs, r->narchs, "all") && !r->all_in_arch_indexes &&
			strcmp(arch, "all") != 0;
	struct index_ref *v;
	size_t n = 0;

	if (flat)
		return flat_indexes(r, name, out, nout, d);
	*out = NULL;
	*nout = 0;
	if (!(v = calloc(r->ncomponents * 2 + 1, sizeof *v)))
		return ed_diag_oom(d);
	if (r->narchs && !has_word(r->archs, r->narchs, arch)) {
		free(v);
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is not an architecture of %s", arch, name);
	}
	for (size_t i = 0; i < r->ncomponents; i++) {
		const char *comp = r->components[i];
		const struct apt_release_file *f = apt_release_index(r, comp, arch);

		if (!f) {
			free(v);
			return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
					   "%s lists no Packages index for %s/binary-%s", name, comp,
					   arch);
		}
		v[n++] = (struct index_ref){ f, comp, arch };
		if (want_all && (f = apt_release_index(r, comp, "all")))
			v[n++] = (struct index_ref){ f, comp, "all" };
	}
	*out = v;
	*nout = n;
	return 0;
}

/* The Release text TEXT into R, as a flat repository's when FLAT. */
static int release_parse(const char *text, size_t len, const char *name, bool flat,
			 struct apt_release *r, struct ed_diag *d)
{
	return flat ? apt_release_parse_flat(text, len, name, r, d)
		    : apt_release_parse(text, len, name, r, d);
}

/* Read the verified text of the InRelease at PATH into R (FLAT: a flat
 * repository's); TEXT (may be NULL) receives the signed text. */
static int release_read(const char *path, bool flat, struct apt_release *r, char **text,
			struct ed_diag *d)
{
	size_t len, tlen;
	char *raw = util_read_file(path, &len, d), *body;
	int rc;

	if (text)
		*text = NULL;
	if (!raw) {
		if (d)
			d->status = ED_EXIT_ENV;
		return ED_EXIT_ENV;
	}
	body = apt_release_clearsigned_text(raw, len, &tlen);
	free(raw);
	if (!body)
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "broken signature armour");
	rc = release_parse(body, tlen, path, flat, r, d);
	if (!rc && text)
		*text = body;
	else
		free(body);
	return rc;
}

/* The InRelease files an update commits (KEY.InRelease) are the verified
 * text after a first line with its own sha256, so that a load, which does
 * not run gpgv, still notices one damaged since. */
#define SELF_SUM "Extdeps-Text-SHA256: "
#define SELF_SUM_LEN (sizeof SELF_SUM - 1)

static void text_sha256(const char *text, size_t len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	Chksum *h = solv_chksum_create(REPOKEY_TYPE_SHA256);
	const unsigned char *sum = NULL;
	int n = 0;

	hex[0] = '\0';
	if (!h)
		return;
	solv_chksum_add(h, text, (int)len);
	sum = solv_chksum_get(h, &n);
	for (int i = 0; sum && n == 32 && i < 32; i++) {
		hex[2 * i] = digits[sum[i] >> 4];
		hex[2 * i + 1] = digits[sum[i] & 15];
		hex[2 * i + 2] = '\0';
	}
	solv_chksum_free(h, NULL);
}

/* Read the committed InRelease at PATH into R (FLAT: a flat repository's),
 * checking its own sha256: ED_EXIT_ENV, "'PATH': damaged ...", when it
 * does not match. */
static int committed_read(const char *path, bool flat, struct apt_release *r,
			  struct ed_diag *d)
{
	size_t len, body_len;
	char *raw = util_read_file(path, &len, d), hex[65];
	const char *body;
	int rc;

	memset(r, 0, sizeof *r);
	if (!raw) {
		if (d)
			d->status = ED_EXIT_ENV;
		return ED_EXIT_ENV;
	}
	body = len > SELF_SUM_LEN + 65 ? raw + SELF_SUM_LEN + 65 : NULL;
	body_len = body ? len - SELF_SUM_LEN - 65 : 0;
	if (body)
		text_sha256(body, body_len, hex);
	if (!body || strncmp(raw, SELF_SUM, SELF_SUM_LEN) || raw[SELF_SUM_LEN + 64] != '\n' ||
	    strncmp(raw + SELF_SUM_LEN, hex, 64)) {
		free(raw);
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				   "damaged (it no longer matches the InRelease it was written from)");
	}
	rc = release_parse(body, body_len, path, flat, r, d);
	free(raw);
	return rc;
}

/* --- updating --- */

/* What the suites of one update of a place share. */
struct update {
	struct place *p;
	struct fetch *f;
	const char *url, *arch;
	struct eco_update_stats *st;
};

/* REL, read from URL, must be current and, unless it is a flat
 * repository's, SUITE's. */
static int check_release(const struct apt_release *rel, const char *url,
			 const struct suite_state *suite, struct ed_diag *d)
{
	char when[64];

	/* a mirror serving an expired Release may be withholding updates */
	if (rel->valid_until && time(NULL) > rel->valid_until) {
		strftime(when, sizeof when, "%a, %d %b %Y %H:%M:%S UTC", gmtime(&rel->valid_until));
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "'%s' expired on %s (Valid-Until): the mirror's metadata is stale",
				   url, when);
	}
	/* a flat repository's Release names no suite */
	if (suite->flat || (rel->codename && !strcmp(rel->codename, suite->name)) ||
	    (rel->suite && !strcmp(rel->suite, suite->name)))
		return 0;
	return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "'%s' is for suite '%s', not '%s'", url,
			   rel->codename ? rel->codename : rel->suite ? rel->suite : "?",
			   suite->name);
}

/* Download suite S's index FILE into DIR/data, unless it is there: named by
 * its checksum, a cached copy is current when it hashes to it (fetch_file
 * checks), and one that does not is fetched again, whole. */
static int fetch_index(const struct update *u, const struct suite_state *s,
		       const struct apt_release_file *file, struct ed_diag *d)
{
	struct fetch_expect exp = { .sha256 = file->sha256, .size = file->size };
	struct fetch_result res;
	char base[PATH_MAX], url[PATH_MAX * 2], dest[PATH_MAX], label[PATH_MAX];
	int rc;

	/* progress names suite, component and file: every index is "Packages.xz" */
	snprintf(label, sizeof label, "%s/%s", s->flat ? "." : s->name, file->path);
	exp.label = label;
	if (!data_path(u->p->dir, file, dest, sizeof dest))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cache path too long");
	suite_base(u->url, s, base, sizeof base);
	snprintf(url, sizeof url, "%s/%s", base, file->path);
	if ((rc = fetch_file(u->f, url, dest, &exp, &res, d)))
		return rc;
	eco_update_count(u->st, &res);
	return 0;
}

/* Download the indexes of REL, suite S's InRelease from URL, that serve the
 * target's architecture. */
static int fetch_indexes(const struct update *u, const struct apt_release *rel,
			 const struct suite_state *s, const char *url, struct ed_diag *d)
{
	struct index_ref *idx = NULL;
	size_t nidx = 0;
	char label[PATH_MAX + 32];
	int rc;

	snprintf(label, sizeof label, "'%s'", url);
	if ((rc = release_indexes(rel, u->arch, s->flat, label, &idx, &nidx, d)))
		return rc;
	for (size_t i = 0; i < nidx && !rc; i++)
		rc = fetch_index(u, s, idx[i].file, d);
	free(idx);
	return rc;
}

/* What the check of a downloaded InRelease needs, and what it found. */
struct inrelease_check {
	const struct update *u;
	const char *url;
	const struct suite_state *suite;
	struct eco_update_stats vst; /* the verification's counts, of the last check */
};

/* The keyring that verifies P (apt_verify.h): another vendor's own, ""
 * when the registry names none; NULL: the distribution's. */
static const char *place_keyring(const struct place *p)
{
	if (!p->extra)
		return NULL;
	return p->extra->keyring ? p->extra->keyring : "";
}

/* fetch_expect.check of an InRelease: the signature (gpgv), then the text
 * parses, is current and is the suite's. A download that fails never
 * replaces the copy conditional requests revalidate; a cached copy that
 * fails (check_cached: the keyring may have changed) is fetched again. */
static int check_inrelease(const char *path, void *ud, struct ed_diag *d)
{
	struct inrelease_check *c = ud;
	struct apt_release rel = { 0 };
	int rc;

	memset(&c->vst, 0, sizeof c->vst);
	if ((rc = apt_verify_inrelease(c->u->p->o, place_keyring(c->u->p), path, c->url,
				       &c->vst, d)))
		return rc;
	if (!(rc = release_read(path, c->suite->flat, &rel, NULL, d)))
		rc = check_release(&rel, c->url, c->suite, d);
	else if (d && !strcmp(d->file, path))
		snprintf(d->file, sizeof d->file, "%s", c->url); /* not the temporary */
	apt_release_fini(&rel);
	return rc;
}

/* Fetch, verify and parse S's InRelease; download its indexes. An optional
 * suite the mirror does not have is left absent. */
static int update_suite(const struct update *u, struct suite_state *s, struct ed_diag *d)
{
	struct apt_release rel = { 0 };
	struct inrelease_check chk = { .u = u, .suite = s };
	struct fetch_expect exp = { .max_size = INRELEASE_MAX, .check = check_inrelease,
				    .check_ud = &chk, .check_cached = true };
	struct fetch_result res;
	char base[PATH_MAX], url[PATH_MAX + 16], dest[PATH_MAX], label[160];
	int rc;

	snprintf(label, sizeof label, "%s/InRelease", s->flat ? "." : s->name);
	exp.label = label;
	suite_base(u->url, s, base, sizeof base);
	snprintf(url, sizeof url, "%s/InRelease", base);
	snprintf(dest, sizeof dest, "%s/%s.InRelease.fetch", u->p->dir, s->key);
	chk.url = url;
	if ((rc = fetch_file(u->f, url, dest, &exp, &res, d))) {
		if (s->optional && res.http_status == 404) {
			ed_diag_clear(d);
			return 0; /* the suite does not exist (yet) */
		}
		return rc;
	}
	eco_update_count(u->st, &res);
	u->st->unverified += chk.vst.unverified;
	if (chk.vst.no_keyring) {
		u->st->no_keyring = true;
		memcpy(u->st->keyring, chk.vst.keyring, sizeof u->st->keyring);
	}
	if ((rc = release_read(dest, s->flat, &rel, &s->text, d))) {
		/* Name the URL, not the cached copy. */
		if (d && !strcmp(d->file, dest) && strlen(url) < sizeof d->file)
			memcpy(d->file, url, strlen(url) + 1);
		return rc;
	}
	if (!(rc = fetch_indexes(u, &rel, s, url, d)))
		s->present = true;
	else
		/* an InRelease whose indexes do not verify may be the fault
		 * (unsigned, nothing else checked it): asked for anew next time */
		fetch_forget(dest);
	apt_release_fini(&rel);
	return rc;
}

/* Replace the file at PATH by TEXT, after the line with its sha256 (see
 * committed_read). */
static int write_file(const char *path, const char *text, struct ed_diag *d)
{
	struct atomicfile af = ATOMICFILE_INIT;
	char head[SELF_SUM_LEN + 66], hex[65];
	int rc;

	text_sha256(text, strlen(text), hex);
	snprintf(head, sizeof head, "%s%s\n", SELF_SUM, hex);
	if (!(rc = atomicfile_open(&af, path, d)) &&
	    !(rc = atomicfile_write(&af, head, strlen(head), d)) &&
	    !(rc = atomicfile_write(&af, text, strlen(text), d)))
		rc = atomicfile_commit(&af, d);
	atomicfile_abort(&af);
	return rc;
}

/* Put each suite's verified InRelease in place; remove that of an optional
 * suite the mirror no longer has. */
static int commit_suites(const struct place *p, struct ed_diag *d)
{
	char path[PATH_MAX];
	int rc;

	for (size_t i = 0; i < p->nsuites; i++) {
		inrelease_path(p, &p->suites[i], path, sizeof path);
		if (!p->suites[i].present)
			unlink(path);
		else if ((rc = write_file(path, p->suites[i].text, d)))
			return rc;
	}
	return 0;
}

/* Whether one of the N releases REL names the data file NAME (data_path's
 * base name). */
static bool names_data(const struct apt_release *rel, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < rel[i].nfiles; j++) {
			const struct apt_release_file *f = &rel[i].files[j];

			if (!strncmp(name, f->sha256, 64) &&
			    !strcmp(name + 64, compression_suffix(f->path)))
				return true;
		}
	return false;
}

/* Remove the data files no committed InRelease of P names. */
static void collect_garbage(const struct place *p)
{
	struct apt_release rel[MAX_SUITES] = { 0 };
	char path[PATH_MAX], victim[PATH_MAX];
	struct dirent *e;
	DIR *dd;

	snprintf(path, sizeof path, "%s/data", p->dir);
	if (!(dd = opendir(path)))
		return;
	/* A release that does not parse keeps nothing (it did parse, to be
	 * committed). */
	for (size_t i = 0; i < p->nsuites; i++)
		if (p->suites[i].present)
			release_parse(p->suites[i].text, strlen(p->suites[i].text), "",
				      p->suites[i].flat, &rel[i], NULL);
	while ((e = readdir(dd)))
		if (e->d_name[0] != '.' && !names_data(rel, p->nsuites, e->d_name) &&
		    snprintf(victim, sizeof victim, "%s/%s", path, e->d_name) < (int)sizeof victim)
			unlink(victim);
	for (size_t i = 0; i < p->nsuites; i++)
		apt_release_fini(&rel[i]);
	closedir(dd);
}

/* The update of P, with its directory's lock held. */
static int update_locked(struct place *p, struct eco_update_stats *st, struct ed_diag *d)
{
	struct fetch_opts fo;
	struct update u = { .p = p, .arch = target_arch(p->o), .st = st };
	char *url = NULL, path[PATH_MAX];
	int rc;

	eco_fetch_opts(p->o, &fo);
	for (size_t i = 0; i < p->nsuites; i++) {
		free(p->suites[i].text);
		p->suites[i].text = NULL;
		p->suites[i].present = false;
	}
	if ((rc = place_url(p, &url, d)))
		return rc;
	u.url = url;
	snprintf(path, sizeof path, "%s/data", p->dir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot create '%s': %s", path,
				 strerror(errno));
		goto out;
	}
	/* what an update killed midway left behind */
	lockfile_sweep(p->dir);
	lockfile_sweep(path);
	if (!(u.f = fetch_new(&fo, d))) {
		rc = d->status;
		goto out;
	}
	for (size_t i = 0; i < p->nsuites && !rc; i++)
		rc = update_suite(&u, &p->suites[i], d);
	/* Everything verified: the new InRelease files name only present data. */
	if (!rc && !(rc = commit_suites(p, d)))
		collect_garbage(p);
out:
	fetch_free(u.f);
	free(url);
	return rc;
}

/* Update O's target (EXTRA NULL) or the repository EXTRA beside it, under
 * its directory's lock, adding what it did to ST. */
static int update_place(const struct eco_opts *o, const struct eco_repo *extra,
			struct eco_update_stats *st, struct ed_diag *d)
{
	struct eco_update_stats one = { 0 };
	struct lockfile lk = LOCKFILE_INIT;
	struct lockfile_opts lo;
	struct place p;
	int rc;

	if ((rc = place_init(&p, o, extra, d)))
		goto out;
	eco_lock_opts(o, false, &lo);
	if (o->offline)
		rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot update %s with --offline",
				 p.name);
	else if (!(rc = lockfile_lock_dir(&lk, p.dir, &lo, d)))
		rc = update_locked(&p, &one, d);
	lockfile_unlock(&lk);
	st->files += one.files;
	st->downloaded += one.downloaded;
	st->unchanged += one.unchanged;
	st->bytes += one.bytes;
	st->unverified += one.unverified;
	if (one.no_keyring) {
		st->no_keyring = true;
		memcpy(st->keyring, one.keyring, sizeof st->keyring);
	}
out:
	place_fini(&p);
	return rc;
}

bool apt_repo_on_host(const struct apt_sources *host, const struct eco_repo *r)
{
	const char *suite = r->suite ? r->suite : "/";

	if (r->component)
		return apt_sources_have_component(host, r->component);
	return (r->url && apt_sources_have(host, r->url, suite)) ||
	       (r->home_url && apt_sources_have(host, r->home_url, suite));
}

/* Whether the repository R enabled beside O's target is extdeps' to fetch
 * and load: another vendor's, unless the target is this machine and its
 * apt sources HOST have it (its lists are then apt's). */
static bool fetched_here(const struct eco_opts *o, const struct apt_sources *host,
			 const struct eco_repo *r)
{
	return !r->component && !(o->host && host && apt_repo_on_host(host, r));
}

int apt_repo_update(const struct eco_opts *o, struct eco_update_stats *st, struct ed_diag *d)
{
	struct eco_update_stats local;
	struct apt_sources host = { 0 };
	int rc = 0;

	if (!st)
		st = &local;
	memset(st, 0, sizeof *st);
	if (!o->host)
		rc = update_place(o, NULL, st, d);
	else if (o->nrepos)
		rc = apt_sources_read(eco_root(o), &host, d);
	for (size_t i = 0; i < o->nrepos && !rc; i++)
		if (fetched_here(o, &host, &o->repos[i]))
			rc = update_place(o, &o->repos[i], st, d);
	apt_sources_fini(&host);
	return rc;
}

/* --- loading --- */

static void index_cookie(const char *sha256, unsigned char cookie[REPOCACHE_COOKIE_LEN])
{
	Chksum *h = solv_chksum_create(REPOKEY_TYPE_SHA256);
	const unsigned char *sum;
	int len = 0;

	memset(cookie, 0, REPOCACHE_COOKIE_LEN);
	if (!h)
		return;
	/* The libsolv version too: a newer one may write another format. */
	solv_chksum_add(h, "aptrepo", 8);
	solv_chksum_add(h, solv_toolversion, (int)strlen(solv_toolversion) + 1);
	solv_chksum_add(h, sha256, (int)strlen(sha256));
	sum = solv_chksum_get(h, &len);
	if (sum && len == REPOCACHE_COOKIE_LEN)
		memcpy(cookie, sum, REPOCACHE_COOKIE_LEN);
	solv_chksum_free(h, NULL);
}

/* Whether the data file at PATH hashes to SHA256: checked before a .solv
 * cache entry is rebuilt from it (a warm load reads the entry alone). */
static bool data_intact(const char *path, const char *sha256)
{
	char hex[65];

	return fetch_sha256_file(path, hex) && !strcmp(hex, sha256);
}

/* The repository name and .solv cache key path of index IDX of suite S of
 * P: "SUITE/COMPONENT/ARCH" for the target's, "ID" (a flat repository) or
 * "ID:SUITE/COMPONENT/ARCH" for another's. */
static void index_names(const struct place *p, const struct suite_state *s,
			const struct index_ref *idx, char *label, size_t lsize, char *keypath,
			size_t ksize)
{
	if (!idx->component) {
		snprintf(label, lsize, "%s", p->name);
		snprintf(keypath, ksize, "%s/%s_Packages", p->dir, s->key);
		return;
	}
	snprintf(label, lsize, "%s%s%s/%s/%s", p->extra ? p->name : "", p->extra ? ":" : "",
		 s->name, idx->component, idx->arch);
	snprintf(keypath, ksize, "%s/%s_%s_binary-%s", p->dir, s->key, idx->component, idx->arch);
}

/* One index of a suite (IDX, its file at PATH) into POOL: from the .solv
 * cache when it holds the entry for the index's checksum, else parsed once
 * the file hashes to it, and cached. NULL with D filled; *DAMAGED when the
 * cached file is missing, damaged or unreadable (an update mends it). */
static Repo *load_index(Pool *pool, const struct place *p, const struct suite_state *s,
			const struct index_ref *idx, const char *path, struct repocache *cache,
			struct eco_load_stats *st, bool *damaged, struct ed_diag *d)
{
	unsigned char cookie[REPOCACHE_COOKIE_LEN];
	char label[256], key[256], keypath[PATH_MAX];
	Repo *repo = NULL;

	index_names(p, s, idx, label, sizeof label, keypath, sizeof keypath);
	if (cache) {
		repocache_key_for_path(keypath, key, sizeof key);
		index_cookie(idx->file->sha256, cookie);
		if ((repo = repocache_load(cache, pool, label, key, cookie))) {
			st->cache_hits++;
			return repo;
		}
	}
	*damaged = true;
	if (access(path, F_OK) != 0) {
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "missing");
		return NULL;
	}
	if (!data_intact(path, idx->file->sha256)) {
		ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
			    "damaged (it no longer hashes to the SHA256 InRelease gives)");
		return NULL;
	}
	if (!(repo = apt_load_list(pool, path, label, d)))
		return NULL;
	*damaged = false;
	if (cache && repocache_store(cache, repo, key, cookie))
		st->cache_writes++;
	return repo;
}

/* Suite S's indexes for the target's architecture into POOL; *DAMAGED as
 * load_index, or when the committed InRelease is damaged. */
static int load_suite(Pool *pool, const struct place *p, const struct suite_state *s,
		      struct repocache *cache, struct eco_load_stats *st, bool *damaged,
		      struct ed_diag *d)
{
	struct apt_release rel;
	struct index_ref *idx = NULL;
	size_t nidx = 0;
	char path[PATH_MAX];
	int rc;

	inrelease_path(p, s, path, sizeof path);
	if ((rc = committed_read(path, s->flat, &rel, d))) {
		*damaged = true;
		goto out;
	}
	if ((rc = release_indexes(&rel, target_arch(p->o), s->flat, path, &idx, &nidx, d)))
		goto out;
	for (size_t i = 0; i < nidx; i++) {
		Repo *repo;

		if (!data_path(p->dir, idx[i].file, path, sizeof path)) {
			rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cache path too long");
			goto out;
		}
		if (!(repo = load_index(pool, p, s, &idx[i], path, cache, st, damaged, d))) {
			rc = d && d->status ? d->status : ED_EXIT_ENV;
			goto out;
		}
		st->repos++;
		st->solvables += (size_t)repo->nsolvables;
	}
out:
	free(idx);
	apt_release_fini(&rel);
	return rc;
}

/* Every suite of P into POOL. On failure the repositories added are
 * removed again; *DAMAGED as load_suite. */
static int load_suites(Pool *pool, const struct place *p, struct eco_load_stats *st,
		       bool *damaged, struct ed_diag *d)
{
	struct repocache *cache = NULL;
	int first = pool->nrepos, rc = 0;
	char path[PATH_MAX];

	*damaged = false;
	memset(st, 0, sizeof *st);
	if (!p->o->no_cache)
		cache = repocache_new(p->o->cache_dir, "apt");
	for (size_t i = 0; i < p->nsuites && !rc; i++) {
		inrelease_path(p, &p->suites[i], path, sizeof path);
		if (p->suites[i].optional && access(path, F_OK) != 0)
			continue;
		rc = load_suite(pool, p, &p->suites[i], cache, st, damaged, d);
	}
	repocache_free(cache);
	for (int r = pool->nrepos - 1; rc && r >= first; r--)
		if (pool->repos[r])
			repo_free(pool->repos[r], 1);
	return rc;
}

/* Take P's lock anew, as a writer, and update P. */
static int relock_and_update(struct place *p, struct lockfile *lk, struct ed_diag *d)
{
	struct lockfile_opts lo;
	int rc;

	eco_lock_opts(p->o, false, &lo);
	lockfile_unlock(lk);
	if ((rc = lockfile_lock_dir(lk, p->dir, &lo, d)))
		return rc;
	return update_locked(p, &(struct eco_update_stats){ 0 }, d);
}

/* Load P into POOL, under its directory's reader's lock, updating it first
 * when the cache lacks it, and once more when it is damaged. */
static int load_locked(Pool *pool, struct place *p, struct lockfile *lk,
		       struct eco_load_stats *st, struct ed_diag *d)
{
	bool damaged = false;
	char path[PATH_MAX], hint[2048];
	int rc;

	eco_update_command(p->o, p->extra, hint, sizeof hint);
	inrelease_path(p, &p->suites[0], path, sizeof path);
	if (access(path, F_OK) != 0) {
		if (p->o->offline)
			return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
					   "no metadata for %s in the cache; run %s", p->name,
					   hint);
		if ((rc = relock_and_update(p, lk, d)))
			return rc;
	}
	rc = load_suites(pool, p, st, &damaged, d);
	/* A damaged cache heals: the update fetches what no longer verifies
	 * again, then the load is tried once more. */
	if (rc && damaged && !p->o->offline) {
		ed_diag_clear(d);
		if (!(rc = relock_and_update(p, lk, d)))
			rc = load_suites(pool, p, st, &damaged, d);
	}
	if (rc && damaged)
		eco_diag_add_update_hint(d, p->o, p->extra);
	return rc;
}

/* O's target (EXTRA NULL) or the repository EXTRA beside it into POOL. */
static int load_place(Pool *pool, const struct eco_opts *o, const struct eco_repo *extra,
		      struct eco_load_stats *st, struct ed_diag *d)
{
	struct lockfile lk = LOCKFILE_INIT;
	struct lockfile_opts lo;
	struct place p;
	int rc;

	memset(st, 0, sizeof *st);
	if ((rc = place_init(&p, o, extra, d)))
		goto out;
	/* A reader's lock: an update running beside us removes the data files
	 * the InRelease we would read names. Shared with other loads, and
	 * read-only where the cache cannot be written. */
	eco_lock_opts(o, true, &lo);
	if (!(rc = lockfile_lock_dir(&lk, p.dir, &lo, d)))
		rc = load_locked(pool, &p, &lk, st, d);
	lockfile_unlock(&lk);
out:
	place_fini(&p);
	return rc;
}

int apt_repo_load(Pool *pool, const struct eco_opts *o, struct eco_load_stats *st,
		 struct ed_diag *d)
{
	struct eco_load_stats local;

	return load_place(pool, o, NULL, st ? st : &local, d);
}

int apt_repo_load_enabled(Pool *pool, const struct eco_opts *o, const struct apt_sources *host,
			  struct eco_load_stats *st, struct ed_diag *d)
{
	struct eco_load_stats one;
	int rc;

	for (size_t i = 0; i < o->nrepos; i++) {
		const struct eco_repo *r = &o->repos[i];

		/* this machine's sources decide its components */
		if (r->component && o->host && host &&
		    !apt_sources_have_component(host, r->component))
			return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
					   "%s ('%s') is not among this machine's apt sources; "
					   "enable it, as root: %s",
					   r->name ? r->name : r->id, r->component,
					   r->enable ? r->enable : "(no commands known)");
		if (!fetched_here(o, host, r))
			continue;
		if ((rc = load_place(pool, o, r, &one, d)))
			return rc;
		st->repos += one.repos;
		st->cache_hits += one.cache_hits;
		st->cache_writes += one.cache_writes;
		st->solvables += one.solvables;
	}
	return 0;
}
