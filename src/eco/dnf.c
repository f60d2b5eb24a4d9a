/* dnf.c - the dnf/rpm backend: Fedora and the RHEL family (AlmaLinux,
 * Rocky, RHEL, CentOS Stream, Oracle Linux), from rpm-md repositories. */
#include "extdeps/eco/dnf.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <solv/chksum.h>
#include <solv/dataiterator.h>
#include <solv/knownid.h>
#include <solv/repodata.h>
#include <solv/util.h>

#include "extdeps/eco/arch.h"
#include "extdeps/eco/dnf_modules.h"
#include "extdeps/eco/eco.h"
#include "extdeps/eco/installed.h"
#include "extdeps/eco/solvext.h"
#include "extdeps/net/fetch.h"
#include "extdeps/net/repocache.h"
#include "extdeps/util/lockfile.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"

#define PATH_BUF 4096

/* --- architectures and the target --- */

/* Letters, digits, '_' and '.': what can go into a cache directory name and
 * a metalink query without quoting. */
static bool valid_word(const char *w, size_t max)
{
	if (!w || !*w || strlen(w) > max)
		return false;
	for (; *w; w++)
		if (!isalnum((unsigned char)*w) && *w != '_' && *w != '.')
			return false;
	return true;
}

/* The target's release and architecture, checked. */
static int target(const struct eco_opts *o, const char **release, const char **arch,
		  struct ed_diag *d)
{
	*arch = o && o->arch ? o->arch : arch_host(ARCH_RPM);
	*release = o && o->release ? o->release : "41";
	if (!*arch)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "unknown machine architecture for rpm; use --arch");
	if (!valid_word(*arch, 32))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "'%s' is not an rpm architecture",
				   *arch);
	if (!valid_word(*release, 32))
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is not a release (expected a number or 'rawhide')",
				   *release);
	return 0;
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

/* URL with dnf's $releasever and $basearch replaced, into OUT. */
static int expand_vars(const char *url, const char *release, const char *arch, char *out,
		       size_t size, struct ed_diag *d)
{
	struct strbuf b = STRBUF_INIT;
	int rc = 0;

	for (const char *p = url; *p;) {
		if (!strncmp(p, "$releasever", 11)) {
			strbuf_addstr(&b, release);
			p += 11;
		} else if (!strncmp(p, "$basearch", 9)) {
			strbuf_addstr(&b, arch);
			p += 9;
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

/* --- repomd.xml --- */

int dnf_repomd_find(const char *path, const char *type, struct dnf_repomd_entry *e,
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
		rc = ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s", strerror(errno));
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
		     struct dnf_repomd_entry *e, char *path, size_t size, struct ed_diag *d)
{
	if (dnf_repomd_find(repomd, type, e, d))
		return ED_EXIT_ENV;
	if (!local_path(dir, e->location, path, size))
		return ed_diag_set(d, ED_EXIT_ENV, repomd, 0, 0, "bad %s location '%s'", type,
				   e->location);
	return 0;
}

/* PATH against the size and checksum repomd.xml gives for it (E). */
static int verify(const char *path, const struct dnf_repomd_entry *e, struct ed_diag *d)
{
	struct stat st;
	char hex[129];

	if (stat(path, &st) != 0)
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s", strerror(errno));
	/* The size first: it refuses an oversized file without hashing it. */
	if (e->size && (unsigned long long)st.st_size != e->size)
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0,
				   "size %llu does not match repomd.xml's %llu; the download is "
				   "truncated or corrupt",
				   (unsigned long long)st.st_size, e->size);
	if (!e->checksum_type)
		return 0;
	if (!file_checksum(path, e->checksum_type, hex))
		return ed_diag_set(d, ED_EXIT_ENV, path, 0, 0, "cannot read: %s", strerror(errno));
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

/* Whether REPOMD names data of TYPE. */
static bool names_type(const char *repomd, const char *type)
{
	struct dnf_repomd_entry e;
	struct ed_diag ignored;

	return !dnf_repomd_find(repomd, type, &e, &ignored);
}

/* EL's module streams of the repository LABEL: the packages of streams
 * not enabled by default, as a disabled repository beside it, and out of
 * REPO when it was just parsed (NULL: read from a .solv cache, which holds
 * it filtered already). */
static int add_modules(Pool *pool, Repo *repo, const char *path, const char *label,
		       struct ed_diag *d)
{
	char hidden[160];

	snprintf(hidden, sizeof hidden, "%s:modules", label);
	return dnf_modules_load(pool, repo, path, hidden, NULL, d);
}

Repo *dnf_load_dir(Pool *pool, const char *dir, const char *label, struct repocache *cache,
		   const char *key, bool files, bool *hit, struct ed_diag *d)
{
	char repomd[PATH_BUF], primary[PATH_BUF], filelists[PATH_BUF], modules[PATH_BUF] = "";
	unsigned char cookie[REPOCACHE_COOKIE_LEN];
	struct dnf_repomd_entry e, fe, me;
	bool cookie_ok = false;
	Repo *repo;

	if (hit)
		*hit = false;
	snprintf(repomd, sizeof repomd, "%s/repomd.xml", dir);
	if (data_file(repomd, dir, "primary", &e, primary, sizeof primary, d) ||
	    (files && data_file(repomd, dir, "filelists", &fe, filelists, sizeof filelists, d)) ||
	    (names_type(repomd, "modules") &&
	     data_file(repomd, dir, "modules", &me, modules, sizeof modules, d)))
		return NULL;
	if (cache && key) {
		const char *paths[4] = { repomd, primary };
		size_t n = 2;

		if (files)
			paths[n++] = filelists;
		if (*modules)
			paths[n++] = modules;
		cookie_ok = repocache_cookie_files(paths, n, cookie);
		if (cookie_ok && (repo = repocache_load(cache, pool, label, key, cookie))) {
			if (*modules && add_modules(pool, NULL, modules, label, d))
				return NULL;
			if (hit)
				*hit = true;
			return repo;
		}
	}
	if (verify(primary, &e, d) || (files && verify(filelists, &fe, d)) ||
	    (*modules && verify(modules, &me, d)))
		return NULL;
	repo = repo_create(pool, label);
	/* the file lists extend the primary's packages, matched by pkgid */
	if (!add_xml(repo, primary, "primary", 0, d) ||
	    (files && !add_xml(repo, filelists, "filelists", REPO_EXTEND_SOLVABLES, d)) ||
	    (*modules && add_modules(pool, repo, modules, label, d))) {
		repo_free(repo, 1);
		return NULL;
	}
	if (cache && key && cookie_ok)
		repocache_store(cache, repo, key, cookie);
	return repo;
}

/* --- installed --- */

Repo *dnf_load_rpmdb(Pool *pool, const char *root, struct ed_diag *d)
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

/* Whether DIR holds the TYPE file REPOMD names. */
static bool has_data(const char *repomd, const char *dir, const char *type)
{
	struct dnf_repomd_entry e;
	struct ed_diag ignored;
	char path[PATH_BUF];

	return !data_file(repomd, dir, type, &e, path, sizeof path, &ignored) &&
	       access(path, F_OK) == 0;
}

/* Whether the cache in DIR lacks what O's load needs: repomd.xml, and the
 * file lists when they are asked for. */
static bool needs_update(const struct eco_opts *o, const char *dir, const char *repomd)
{
	return access(repomd, F_OK) != 0 ||
	       (o && o->file_lists && !has_data(repomd, dir, "filelists")) ||
	       (names_type(repomd, "modules") && !has_data(repomd, dir, "modules"));
}

/* The rpm-md repository of O's target (EXTRA NULL) or of the repository
 * EXTRA enabled beside it into POOL, from its cache directory, updated
 * first when the cache lacks it, and once more when it is damaged. */
static int load_one(Pool *pool, const struct eco_opts *o, const char *release,
		    const char *arch, const struct eco_repo *extra, struct eco_load_stats *st,
		    struct ed_diag *d)
{
	struct repocache *cache;
	char repomd[PATH_BUF], label[128];
	bool hit = false, files = o && o->file_lists;
	Repo *repo;
	int rc = 0;

	if (!(cache = target_cache(o, release, arch, extra, d)))
		return d && d->status ? (int)d->status : ED_EXIT_ENV;
	snprintf(repomd, sizeof repomd, "%s/repomd.xml", repocache_dir(cache));
	if (needs_update(o, repocache_dir(cache), repomd)) {
		if (o && o->offline) {
			rc = ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
					 "no %s for %s%s (%s) in the cache '%s' and "
					 "--offline forbids downloading it",
					 files ? "metadata with file lists" : "metadata",
					 extra ? extra->id : "Fedora ", extra ? "" : release, arch,
					 repocache_dir(cache));
			goto out;
		}
		if ((rc = update_one(o, extra, NULL, d)))
			goto out;
	}
	if (extra)
		snprintf(label, sizeof label, "%s", extra->id);
	else
		snprintf(label, sizeof label, "fedora-%s", release);
	/* No reader's lock: the .solv cache is written into the same
	 * directory under its lock. An update beside this load that removes
	 * what it reads makes it fail, and it is tried once more. */
	for (int tries = 0; tries < 2; tries++) {
		repo = dnf_load_dir(pool, repocache_dir(cache), label,
				    o && o->no_cache ? NULL : cache,
				    files ? "primary+filelists" : "primary", files, &hit, d);
		if (repo || (o && o->offline) || tries)
			break;
		/* damaged or missing files heal: an update fetches again what
		 * no longer verifies */
		ed_diag_clear(d);
		if ((rc = update_one(o, extra, NULL, d)))
			goto out;
	}
	if (!repo) {
		rc = d ? d->status : ED_EXIT_ENV;
		goto out;
	}
	st->repos++;
	st->cache_hits += hit;
	st->cache_writes += !hit && !(o && o->no_cache);
	st->solvables += (size_t)repo->nsolvables;
out:
	repocache_free(cache);
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

static int dnf_load_installed(Pool *pool, const struct eco_opts *o, Repo **out,
			      struct ed_diag *d)
{
	Repo *repo;

	if (out)
		*out = NULL;
	if (!(repo = dnf_load_rpmdb(pool, eco_root(o), d)))
		return ED_EXIT_ENV;
	return eco_installed_done(pool, repo, out);
}

/* An rpm name or a provide as dnf takes it on its command line: NAME,
 * NAME-VERSION[-RELEASE], "pkgconfig(name)", "perl(Foo::Bar)", a
 * "NAME >= VERSION" in one argument. Never an option (no leading '-'). */
static bool valid_spec(const char *spec)
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
	return eco_argv_new(prefix, specs, n, valid_spec, "rpm package spec", NULL, d);
}

static bool dnf_install_needs_root(const struct eco_opts *o)
{
	(void)o; /* the rpm database is root's */
	return true;
}

#define REPOMD_MAX ((uint64_t)4 << 20)
#define DATA_MAX ((uint64_t)1 << 30) /* a primary or file lists, compressed */
#define MIRRORS_TRIED 5

/* Remove the data files of earlier revisions from DIR: the primaries,
 * file lists and module data REPOMD does not name. */
static void remove_stale(const char *dir, const char *repomd)
{
	static const char *const types[] = { "primary", "filelists", "modules" };
	static const char *const stems[] = { "primary.xml", "filelists.xml", "modules.yaml" };
	DIR *dh = opendir(dir);
	struct dirent *ent;
	struct dnf_repomd_entry e;
	struct ed_diag ignored;
	char keep[3][PATH_BUF];

	for (int i = 0; i < 3; i++)
		if (data_file(repomd, dir, types[i], &e, keep[i], sizeof keep[i], &ignored))
			keep[i][0] = '\0';
	while (dh && (ent = readdir(dh))) {
		char path[PATH_BUF];
		int i = 0;

		while (i < 3 && !strstr(ent->d_name, stems[i]))
			i++;
		if (i == 3)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
		if (strcmp(path, keep[0]) && strcmp(path, keep[1]) && strcmp(path, keep[2]))
			unlink(path);
	}
	if (dh)
		closedir(dh);
}

/* One update of a target's cache directory, under its lock. */
struct update {
	const struct eco_opts *o;
	const char *release, *arch, *dir;
	struct fetch *f;
	char repomd[PATH_BUF]; /* DIR/repomd.xml, what loads read */
	char next[PATH_BUF];   /* DIR/repomd.xml.next, downloaded, not yet in place */
	char base[2048];       /* where the data files are: the mirror's base URL */
	bool baseurl;          /* BASE is given (--mirror, another vendor's
				* repository): no metalink */
	const char *use;       /* the verified repomd.xml: REPOMD or NEXT */
	struct eco_update_stats *st;
};

/* Download the TYPE file the verified repomd.xml names, verified. */
static int fetch_data(struct update *u, const char *type, struct ed_diag *d)
{
	struct dnf_repomd_entry e;
	struct fetch_result r = { 0 };
	struct fetch_expect exp = { .max_size = DATA_MAX };
	char path[PATH_BUF], url[4096], hex[129];
	int rc;

	if ((rc = data_file(u->use, u->dir, type, &e, path, sizeof path, d)))
		return rc;
	snprintf(url, sizeof url, "%s%s", u->base, e.location);
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

/* The base URL of a repomd.xml URL: everything before "repodata/repomd.xml". */
static bool base_of(const char *url, char *out, size_t size)
{
	const char *at = strstr(url, "repodata/repomd.xml");

	if (!at || (size_t)(at - url) >= size)
		return false;
	snprintf(out, size, "%.*s", (int)(at - url), url);
	return true;
}

/* fetch_expect.check of a repomd.xml: it names a primary, so that one that
 * does not never replaces the copy conditional requests revalidate. */
static int check_repomd(const char *path, void *ud, struct ed_diag *d)
{
	struct dnf_repomd_entry e;

	(void)ud;
	return dnf_repomd_find(path, "primary", &e, d);
}

/* repomd.xml from a baseurl (--mirror, another vendor's repository):
 * without a metalink it is trusted as the transport delivers it, once it
 * reads. */
static int repomd_from_mirror(struct update *u, struct ed_diag *d)
{
	struct fetch_expect exp = { .max_size = REPOMD_MAX, .check = check_repomd };
	struct fetch_result r = { 0 };
	char url[4096];
	int rc;

	snprintf(url, sizeof url, "%srepodata/repomd.xml", u->base);
	rc = fetch_file(u->f, url, u->next, &exp, &r, d);
	if (rc)
		return rc;
	eco_update_count(u->st, &r);
	u->use = u->next;
	return 0;
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

/* Download the release's metalink to PATH and parse it into ML. */
static int fetch_metalink(struct update *u, const char *path, struct dnf_metalink *ml,
			  struct ed_diag *d)
{
	struct fetch_expect exp = { .max_size = REPOMD_MAX, .check = check_metalink };
	struct fetch_result r = { 0 };
	char url[4096], *text;
	size_t len;
	int rc;

	if (!strcmp(u->release, "rawhide"))
		snprintf(url, sizeof url,
			 "https://mirrors.fedoraproject.org/metalink?repo=rawhide&arch=%s", u->arch);
	else
		snprintf(url, sizeof url,
			 "https://mirrors.fedoraproject.org/metalink?repo=fedora-%s&arch=%s",
			 u->release, u->arch);
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
static int repomd_from_metalink(struct update *u, struct ed_diag *d)
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
					    .max_size = REPOMD_MAX };

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

/* The update, with U->dir's lock held: repomd.xml, then the data it names,
 * then repomd.xml put in place. */
static int update_locked(struct update *u, struct ed_diag *d)
{
	struct fetch_opts fo;
	int rc;

	eco_fetch_opts(u->o, &fo);
	lockfile_sweep(u->dir);
	if (!(u->f = fetch_new(&fo, d)))
		return d->status;
	if (u->baseurl)
		rc = repomd_from_mirror(u, d);
	else
		rc = repomd_from_metalink(u, d);
	if (!rc && !(rc = fetch_data(u, "primary", d)) && u->o && u->o->file_lists)
		rc = fetch_data(u, "filelists", d);
	/* EL's module streams, where the repository has them */
	if (!rc && names_type(u->use, "modules"))
		rc = fetch_data(u, "modules", d);
	if (!rc && u->use == u->next)
		rc = atomicfile_rename(u->next, u->repomd, d);
	if (!rc)
		remove_stale(u->dir, u->repomd);
	fetch_free(u->f);
	return rc;
}

/* Update the cache of O's target (EXTRA NULL: from its metalink, or
 * --mirror as a baseurl) or of the repository EXTRA beside it (from its
 * URL), under the directory's lock. ST may be NULL; counts are added. */
static int update_one(const struct eco_opts *o, const struct eco_repo *extra,
		      struct eco_update_stats *st, struct ed_diag *d)
{
	struct update u = { .o = o, .st = st };
	struct lockfile lk = LOCKFILE_INIT;
	struct lockfile_opts lo;
	struct repocache *cache;
	int rc;

	if ((rc = target(o, &u.release, &u.arch, d)))
		return rc;
	/* a baseurl */
	if (extra)
		rc = eco_repo_url(extra, "/", u.base, sizeof u.base, d);
	else if (o && o->mirror)
		rc = eco_mirror_url(o, NULL, "/", u.base, sizeof u.base, d);
	if (rc || (rc = expand_vars(u.base, u.release, u.arch, u.base, sizeof u.base, d)))
		return rc;
	u.baseurl = u.base[0] != '\0';
	if (o && o->offline)
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "cannot update %s with --offline",
				   extra ? extra->id : "Fedora");
	if (!(cache = target_cache(o, u.release, u.arch, extra, d)))
		return d && d->status ? (int)d->status : ED_EXIT_ENV;
	u.dir = repocache_dir(cache);
	snprintf(u.repomd, sizeof u.repomd, "%s/repomd.xml", u.dir);
	snprintf(u.next, sizeof u.next, "%s/repomd.xml.next", u.dir);
	eco_lock_opts(o, false, &lo);
	if (!(rc = lockfile_lock_dir(&lk, u.dir, &lo, d)))
		rc = update_locked(&u, d);
	lockfile_unlock(&lk);
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

/* Whether the .repo file at PATH has an enabled section named ID (dnf's
 * enabled= defaults to 1). */
static bool repo_file_enables(const char *path, const char *id)
{
	FILE *f = util_fopen_regular(path);
	char line[1024];
	bool in = false, enabled = false;

	if (!f)
		return false;
	while (fgets(line, sizeof line, f)) {
		char *p = line, *end = line + strcspn(line, "\r\n");

		*end = '\0';
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '[') {
			char *close = strchr(p, ']');

			if (in && enabled)
				break;
			in = close && (size_t)(close - p - 1) == strlen(id) && !strncmp(p + 1, id, strlen(id));
			enabled = in;
		} else if (in && !strncmp(p, "enabled", 7)) {
			p += 7 + strspn(p + 7, " \t");
			if (*p == '=') {
				p += 1 + strspn(p + 1, " \t");
				enabled = !strcmp(p, "1") || !strcasecmp(p, "true") || !strcasecmp(p, "yes");
			}
		}
	}
	fclose(f);
	return in && enabled;
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
	char dir[PATH_BUF], path[PATH_BUF], idbuf[128];
	const char *id = dnf_repo_id(r, idbuf, sizeof idbuf);
	struct dirent *ent;
	bool has = false;
	DIR *dh;

	snprintf(dir, sizeof dir, "%s/etc/yum.repos.d", strcmp(eco_root(o), "/") ? eco_root(o) : "");
	if (!(dh = opendir(dir)))
		return false;
	while (!has && (ent = readdir(dh))) {
		size_t n = strlen(ent->d_name);

		if (n < 6 || strcmp(ent->d_name + n - 5, ".repo"))
			continue;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, ent->d_name) < sizeof path)
			has = repo_file_enables(path, id);
	}
	closedir(dh);
	return has;
}

static bool dnf_has_db(const struct eco_opts *o)
{
	return installed_has_rpmdb(eco_root(o));
}

static int dnf_open_db(const struct eco_opts *o, struct installed **out, struct ed_diag *d)
{
	*out = NULL;
	if (!dnf_has_db(o))
		return 0;
	*out = installed_open_rpm(eco_root(o), d);
	return *out ? 0 : d->status ? (int)d->status : ED_EXIT_ENV;
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
	.load_installed = dnf_load_installed,
	.install_argv = dnf_install_argv,
	.install_needs_root = dnf_install_needs_root,
	.refresh_argv = dnf_refresh,
	.open_db = dnf_open_db,
	.has_db = dnf_has_db,
	.ecosystems = dnf_ecosystems,
	.update = dnf_update,
	.repo_kinds = ECO_REPO_URL,
	.hidden_why = dnf_modules_why,
	.has_repo = dnf_has_repo,
};
