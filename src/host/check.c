#include "extdeps/eco/backends.h"
#include "extdeps/host/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extdeps/eco/installed.h"
#include "extdeps/host/probe.h"
#include "extdeps/map/target.h"
#include "extdeps/read/upstream.h"
#include "extdeps/util/osrelease.h"
#include "extdeps/util/strbuf.h"
#include "extdeps/util/util.h"
#include "check_int.h"

const char *check_status_name(enum check_status s)
{
	static const char *const names[] = { "satisfied", "unverified", "not-checked",
					     "version-mismatch", "missing", "unknown" };
	return names[s];
}

bool check_status_ok(enum check_status s)
{
	return s == CHECK_SATISFIED || s == CHECK_UNVERIFIED || s == CHECK_NOT_CHECKED;
}

const char *check_method_name(enum check_method m)
{
	static const char *const names[] = { "none", "package", "env", "pkgconfig", "executable",
					     "file", "cuda-toolkit", "cuda-driver", "name",
					     "cuda-library" };
	return names[m];
}

bool check_offer(struct attempt *a, const struct check_evidence *ev)
{
	int rank = ev->verdict == -1 ? 1 : ev->verdict == 0 ? 2 : 3;

	if (rank > a->rank) {
		a->best = *ev;
		a->rank = rank;
	}
	return a->rank == 3;
}

void check_tried(struct attempt *a, const char *fmt, ...)
{
	va_list ap;

	if (a->tried.len)
		strbuf_addstr(&a->tried, "; ");
	va_start(ap, fmt);
	strbuf_vaddf(&a->tried, fmt, ap);
	va_end(ap);
}

/* --- the host --- */

static bool target_of(const struct registry *reg, const char *text, struct reg_target *t)
{
	struct ed_diag d;

	return text && *text && registry_find_ecosystem(reg, text) &&
	       !registry_parse_target(reg, text, t, &d);
}

/* The host's own target as every command decides it (target.h); a
 * release the registry cannot place (older than those it knows) still
 * names the family's database. */
static bool host_target(const struct registry *reg, const char *root, struct reg_target *t)
{
	struct target_in in = { .root = root };
	struct target_model *m = malloc(sizeof *m);
	struct ed_diag d;
	bool ok;

	if (!m)
		return false;
	ok = !target_decide(reg, &in, m, &d) || target_of(reg, m->family.value, &m->target);
	if (ok)
		*t = m->target;
	free(m);
	return ok;
}

static int add_db(struct check_host *h, struct installed *db, const struct reg_target *t)
{
	struct check_db_info *info = &h->infos[h->ndbs];

	h->dbs[h->ndbs].db = db;
	h->dbs[h->ndbs].target = *t;
	info->kind = installed_kind_name(installed_kind(db));
	info->path = installed_source(db);
	info->ecosystem = t->eco->id;
	info->count = installed_count(db);
	h->ndbs++;
	return 0;
}

/* The per-user backends (conda, Homebrew, Nix) in the order of their
 * ecosystems' names, so that every report lists their databases alike;
 * returns how many, at most MAX. */
static size_t user_backends(const struct eco_ops **out, size_t max)
{
	size_t n = 0;

	for (const struct eco_ops *const *e = eco_backends; *e && n < max; e++) {
		size_t at = n;
		if ((*e)->scope != ECO_USER || !(*e)->has_db)
			continue;
		while (at > 0 && strcmp(out[at - 1]->ecosystems[0], (*e)->ecosystems[0]) > 0) {
			out[at] = out[at - 1];
			at--;
		}
		out[at] = *e;
		n++;
	}
	return n;
}

static bool listed(char (*ids)[CHECK_ECO_ID_MAX], size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ids[i], id))
			return true;
	return false;
}

size_t check_host_ecosystems(const char *root, char (*ids)[CHECK_ECO_ID_MAX], size_t max)
{
	const struct eco_ops *users[CHECK_ECO_MAX];
	struct eco_opts o = { .root = root };
	size_t nusers = user_backends(users, CHECK_ECO_MAX), n = 0;
	struct os_release os;
	struct ed_diag d;

#define ADD(id) \
	do { \
		if (n < max && !listed(ids, n, (id))) \
			snprintf(ids[n++], CHECK_ECO_ID_MAX, "%s", (id)); \
	} while (0)
	if (!os_release_read(root, &os, &d) && os.id[0]) {
		char family[CHECK_ECO_ID_MAX];
		target_os_family(&os, family, sizeof family);
		ADD(os.id);
		ADD(family);
		for (char *save = NULL, *w = strtok_r(os.id_like, " ", &save); w;
		     w = strtok_r(NULL, " ", &save))
			ADD(w);
	}
	for (size_t i = 0; i < nusers; i++)
		if (users[i]->has_db(&o))
			ADD(users[i]->ecosystems[0]);
#undef ADD
	return n;
}

/* Open BACKEND's database on this machine (O) and add it, named with T,
 * when there is one. */
static int open_db(struct check_host *h, const struct eco_ops *backend, const struct eco_opts *o,
		   const struct reg_target *t, struct ed_diag *d)
{
	struct installed *db;
	int rc;

	if (h->ndbs == MAX_DBS || (rc = backend->open_db(o, &db, d)))
		return h->ndbs == MAX_DBS ? 0 : rc;
	if (db)
		add_db(h, db, t);
	return 0;
}

/* The system's own database, named with the host's target: the first of
 * the system backends this machine has one of (dpkg's before rpm's:
 * Debian's rpm package leaves an empty rpm database); then the per-user
 * prefixes, named with their own ecosystems. */
static int open_dbs(struct check_host *h, const char *root, struct ed_diag *d)
{
	const struct eco_ops *users[CHECK_ECO_MAX];
	struct eco_opts o = { .root = root };
	size_t nusers = user_backends(users, CHECK_ECO_MAX);
	struct reg_target t;
	int rc;

	for (const struct eco_ops *const *e = eco_backends; h->has_target && *e; e++)
		if ((*e)->scope == ECO_SYSTEM && (*e)->has_db && (*e)->has_db(&o)) {
			if ((rc = open_db(h, *e, &o, &h->target, d)))
				return rc;
			break;
		}
	for (size_t i = 0; i < nusers; i++)
		if (target_of(h->reg, users[i]->ecosystems[0], &t) &&
		    (rc = open_db(h, users[i], &o, &t, d)))
			return rc;
	return 0;
}

int check_host_new(const struct registry *reg, const char *root, const char *search_path,
		   struct check_host **out, struct ed_diag *d)
{
	struct check_host *h = calloc(1, sizeof *h);
	int rc;

	*out = NULL;
	if (!h || (search_path && !(h->search_path = util_strdup(search_path))) ||
	    (root && !(h->root = util_strdup(root)))) {
		check_host_free(h);
		return ed_diag_oom(d);
	}
	h->reg = reg;
	h->has_target = host_target(reg, root, &h->target);
	if ((rc = open_dbs(h, root, d))) {
		check_host_free(h);
		return rc;
	}
	*out = h;
	return 0;
}

void check_host_free(struct check_host *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->ndbs; i++)
		installed_free(h->dbs[i].db);
	probe_pc_free(h->pc);
	check_cuda_fini(h);
	free(h->search_path);
	free(h->root);
	free(h);
}

void check_host_no_gpu(struct check_host *h)
{
	h->no_gpu = true;
}

const struct reg_target *check_host_target(const struct check_host *h)
{
	return h->has_target ? &h->target : NULL;
}

const struct check_db_info *check_host_dbs(const struct check_host *h, size_t *n)
{
	*n = h->ndbs;
	return h->infos;
}

/* --- one dependency --- */

static const char *spec_text(const struct project_dep *dep)
{
	return dep->url->version ? dep->url->version : "";
}

/* Built-in probes for the virtual compilers, used when the registry
 * defines none: the variables build systems honour, then the usual names. */
static const struct {
	const char *id, *env;
	const char *exes[4];
} compilers[] = {
	{ "dep:virtual/compiler/c", "CC", { "cc", "gcc", "clang", NULL } },
	{ "dep:virtual/compiler/cxx", "CXX", { "c++", "g++", "clang++", NULL } },
	{ "dep:virtual/compiler/fortran", "FC", { "gfortran", "flang-new", "flang", NULL } },
	{ "dep:virtual/compiler/cuda", "CUDACXX", { "nvcc", NULL, NULL, NULL } },
	{ "dep:virtual/compiler/rust", "RUSTC", { "rustc", NULL, NULL, NULL } },
};

#define COMPILER_PREFIX "dep:virtual/compiler/"

/* Fill EV for an executable at PATH; its version only when SPEC needs it. */
static void exe_evidence(struct check_evidence *ev, const char *path, const struct pep440_spec *spec,
			 struct attempt *a)
{
	snprintf(ev->path, sizeof ev->path, "%s", path);
	ev->verdict = 2;
	if (spec && spec->count) {
		struct ed_diag d;
		ed_diag_clear(&d);
		if (probe_exec_version(path, "--version", VERSION_TIMEOUT_MS, ev->version,
				       sizeof ev->version, &d)) {
			check_tried(a, "%s", d.msg);
			ev->verdict = -1;
			return;
		}
		ev->verdict = probe_spec_check(spec, ev->version, PROBE_CMP_PEP440);
		if (ev->verdict == -1)
			/* "1.11.1.git.kitware" and the like: compare their numbers */
			ev->verdict = probe_spec_check(spec, ev->version, PROBE_CMP_PKGCONFIG);
	}
}

/* Probe VAR (names an executable, possibly with arguments: the first word
 * counts). Returns true when the variable is set: it then decides for the
 * executables (the build would use it). */
static bool try_env(struct check_host *h, const char *var, const struct pep440_spec *spec,
		    const char *provider, struct attempt *a)
{
	const char *value = getenv(var);
	char word[1024], path[PROBE_PATH_MAX];
	struct check_evidence ev;

	if (!value || !*value)
		return false;
	snprintf(word, sizeof word, "%.*s", (int)strcspn(value, " \t"), value);
	if (!probe_which(word, h->search_path, path, sizeof path)) {
		check_tried(a, "$%s names '%s', which is not an executable", var, word);
		return true;
	}
	memset(&ev, 0, sizeof ev);
	ev.method = CHECK_BY_ENV;
	ev.provider = provider;
	snprintf(ev.what, sizeof ev.what, "$%s", var);
	exe_evidence(&ev, path, spec, a);
	check_offer(a, &ev);
	return true;
}

static bool try_exe(struct check_host *h, const char *name, const struct pep440_spec *spec,
		    const char *provider, enum check_method method, struct attempt *a)
{
	char path[PROBE_PATH_MAX];
	struct check_evidence ev;

	if (!probe_which(name, h->search_path, path, sizeof path)) {
		check_tried(a, "no '%s' on PATH", name);
		return false;
	}
	memset(&ev, 0, sizeof ev);
	ev.method = method;
	ev.provider = provider;
	snprintf(ev.what, sizeof ev.what, "%s", name);
	exe_evidence(&ev, path, spec, a);
	return check_offer(a, &ev);
}

/* A compiler: the first of EXES (NULL-terminated, N at most) on the search
 * path is the one the build runs, and decides. When its version fails SPEC
 * and another of them would meet it, the evidence says how to select that
 * one through VAR. True when satisfied. */
static bool try_compiler(struct check_host *h, const char *const *exes, size_t n, const char *var,
			 const struct pep440_spec *spec, const char *provider, struct attempt *a)
{
	char path[PROBE_PATH_MAX];
	size_t first = 0;

	while (first < n && exes[first] && !probe_which(exes[first], h->search_path, path, sizeof path))
		check_tried(a, "no '%s' on PATH", exes[first++]);
	if (first == n || !exes[first])
		return false;
	if (try_exe(h, exes[first], spec, provider, CHECK_BY_EXECUTABLE, a))
		return true;
	if (a->rank != 2 || strcmp(a->best.path, path))
		return false;
	for (size_t i = first + 1; i < n && exes[i]; i++) {
		char other[PROBE_PATH_MAX];
		struct check_evidence ev;
		struct attempt quiet = { 0 };

		if (!probe_which(exes[i], h->search_path, other, sizeof other) || !strcmp(other, path))
			continue;
		memset(&ev, 0, sizeof ev);
		exe_evidence(&ev, other, spec, &quiet);
		strbuf_release(&quiet.tried);
		/* a path too long for the note is cut: it only advises */
		if (ev.verdict == 1 &&
		    snprintf(a->best.note, sizeof a->best.note,
			     "the build runs %s; %s %s would meet it: set %s=%s", exes[first],
			     exes[i], ev.version, var ? var : "the compiler variable", other) >= 0)
			break;
	}
	return false;
}

static bool try_pc(struct check_host *h, const char *module, const struct pep440_spec *spec,
		   const char *provider, enum check_method method, struct attempt *a)
{
	struct probe_hit hit;
	struct check_evidence ev;

	if (!h->pc && !h->pc_failed && !(h->pc = probe_pc_new()))
		h->pc_failed = true;
	if (!probe_pc_find(h->pc, module, &hit)) {
		check_tried(a, "no pkg-config module '%s'", module);
		return false;
	}
	memset(&ev, 0, sizeof ev);
	ev.method = method;
	ev.provider = provider;
	snprintf(ev.what, sizeof ev.what, "%s", module);
	snprintf(ev.path, sizeof ev.path, "%s", hit.path);
	snprintf(ev.version, sizeof ev.version, "%s", hit.version);
	ev.verdict = spec && spec->count ? probe_spec_check(spec, hit.version, PROBE_CMP_PKGCONFIG) : 2;
	return check_offer(a, &ev);
}

static bool try_file(const char *pattern, const struct pep440_spec *spec, const char *provider,
		     struct attempt *a)
{
	struct probe_hit hit;
	struct check_evidence ev;

	if (!probe_file(pattern, &hit)) {
		check_tried(a, "no file '%s'", pattern);
		return false;
	}
	memset(&ev, 0, sizeof ev);
	ev.method = CHECK_BY_FILE;
	ev.provider = provider;
	snprintf(ev.what, sizeof ev.what, "%s", pattern);
	snprintf(ev.path, sizeof ev.path, "%s", hit.path);
	ev.verdict = spec && spec->count ? -1 : 2;
	return check_offer(a, &ev);
}

/* Step 2: the definition's probes (or the built-in compiler probes). */
static bool try_probes(struct check_host *h, const struct reg_def *def, const struct pep440_spec *spec,
		       const char *provider, struct attempt *a)
{
	bool env_decides = false;

	if (!def->nenv && !def->npkgconfig && !def->nexecutables && !def->nfiles) {
		for (size_t i = 0; i < sizeof compilers / sizeof *compilers; i++) {
			if (strcmp(compilers[i].id, def->id))
				continue;
			if (try_env(h, compilers[i].env, spec, provider, a))
				return a->rank == 3;
			return try_compiler(h, compilers[i].exes, 4, compilers[i].env, spec, provider,
					    a);
		}
		return false;
	}
	for (size_t i = 0; i < def->nenv; i++)
		if (try_env(h, def->env[i], spec, provider, a)) {
			env_decides = true;
			if (a->rank == 3)
				return true;
			break;
		}
	for (size_t i = 0; i < def->npkgconfig; i++)
		if (try_pc(h, def->pkgconfig[i], spec, provider, CHECK_BY_PKGCONFIG, a))
			return true;
	if (!env_decides && !strncmp(def->id, COMPILER_PREFIX, strlen(COMPILER_PREFIX))) {
		if (try_compiler(h, (const char *const *)def->executables, def->nexecutables,
				 def->nenv ? def->env[0] : NULL, spec, provider, a))
			return true;
	} else {
		for (size_t i = 0; i < def->nexecutables && !env_decides; i++)
			if (try_exe(h, def->executables[i], spec, provider, CHECK_BY_EXECUTABLE, a))
				return true;
	}
	for (size_t i = 0; i < def->nfiles; i++)
		if (try_file(def->files[i], spec, provider, a))
			return true;
	return false;
}

/* Step 1: the package databases. */
static int try_packages(struct check_host *h, const struct depurl *url, enum ed_stage stage,
			const struct pep440_spec *spec, const char *provider, struct attempt *a,
			struct ed_diag *d)
{
	for (size_t i = 0; i < h->ndbs; i++) {
		const struct check_db *cdb = &h->dbs[i];
		const char *kind = installed_kind_name(installed_kind(cdb->db));
		const struct installed_pkg *principal = NULL;
		const char *missing = NULL;
		struct check_evidence ev;
		struct reg_map m;
		int rc;

		memset(&m, 0, sizeof m);
		if ((rc = registry_map(h->reg, &cdb->target, url, stage, &m, d)))
			return rc;
		if (m.status != REG_MAPPED || !m.npkgs) {
			reg_map_fini(&m);
			continue;
		}
		/* every package of the mapping, each by any alternative */
		for (size_t p = 0; p < m.npkgs && !missing; p++) {
			const struct installed_pkg *found = NULL;
			size_t n;
			for (size_t k = 0; k < m.pkgs[p].nalts && !found; k++)
				found = installed_find(cdb->db, m.pkgs[p].alts[k].name, &n);
			if (!found)
				missing = m.pkgs[p].alts[0].name;
			else if (!principal)
				principal = found;
		}
		if (missing) {
			check_tried(a, "%s: %s not installed", kind, missing);
			reg_map_fini(&m);
			continue;
		}
		memset(&ev, 0, sizeof ev);
		ev.method = CHECK_BY_PACKAGE;
		ev.database = kind;
		ev.provider = provider;
		snprintf(ev.what, sizeof ev.what, "%s", principal->name);
		snprintf(ev.path, sizeof ev.path, "%s", installed_source(cdb->db));
		snprintf(ev.version, sizeof ev.version, "%s", principal->version ? principal->version : "");
		if (!spec || !spec->count) {
			ev.verdict = 2;
		} else if (m.version != REG_VERSION_UPSTREAM || !principal->version) {
			/* the registry says package versions are not upstream's */
			ev.verdict = -1;
		} else if (!upstream_version(principal->version, ev.compared, sizeof ev.compared)) {
			ev.verdict = -1;
		} else {
			ev.verdict = probe_spec_check(spec, ev.compared, PROBE_CMP_PEP440);
			if (!strcmp(ev.compared, ev.version))
				ev.compared[0] = '\0';
		}
		if (!ev.provider)
			ev.provider = m.via; /* a virtual DepURL mapped through a provider */
		reg_map_fini(&m);
		if (check_offer(a, &ev))
			return 0;
	}
	return 0;
}

/* Does DEF provide ID? */
static bool provides(const struct reg_def *def, const char *id)
{
	for (size_t i = 0; i < def->nprovides; i++)
		if (!strcmp(def->provides[i], id))
			return true;
	return false;
}

static void describe(struct check_result *r, struct strbuf *msg)
{
	const struct check_evidence *ev = &r->ev;
	const char *spec = spec_text(r->dep);

	switch (ev->method) {
	case CHECK_BY_PACKAGE:
		strbuf_addf(msg, "%s %s installed (%s)", ev->what, ev->version, ev->database);
		break;
	case CHECK_BY_ENV:
		strbuf_addf(msg, "%s = %s", ev->what, ev->path);
		if (ev->version[0])
			strbuf_addf(msg, " %s", ev->version);
		break;
	case CHECK_BY_PKGCONFIG:
	case CHECK_BY_NAME:
	case CHECK_BY_EXECUTABLE:
		/* CHECK_BY_NAME finds either a .pc file or an executable */
		if (ev->method != CHECK_BY_EXECUTABLE && strstr(ev->path, ".pc"))
			strbuf_addf(msg, "pkg-config %s %s (%s)", ev->what, ev->version, ev->path);
		else if (ev->version[0])
			strbuf_addf(msg, "%s %s", ev->path, ev->version);
		else
			strbuf_addf(msg, "%s", ev->path);
		break;
	case CHECK_BY_FILE:
		strbuf_addf(msg, "file %s", ev->path);
		break;
	case CHECK_BY_CUDA_TOOLKIT:
		strbuf_addf(msg, "CUDA toolkit %s (%s)", ev->version[0] ? ev->version : "of unknown version",
			ev->path);
		break;
	case CHECK_BY_CUDA_LIBRARY:
		strbuf_addf(msg, "%s %s (%s)", ev->what, ev->version[0] ? ev->version : "of unknown version",
			    ev->path);
		break;
	case CHECK_BY_CUDA_DRIVER:
		strbuf_addf(msg, "NVIDIA driver for CUDA %s (%s)", ev->version, ev->path);
		break;
	case CHECK_BY_NONE:
		break;
	}
	/* the installation, where the path does not already show it */
	if (ev->place && strncmp(ev->path, ev->location, strlen(ev->location)))
		strbuf_addf(msg, " in %s", ev->location);
	if (ev->provider)
		strbuf_addf(msg, ", provided by %s", ev->provider);
	if (ev->compared[0])
		strbuf_addf(msg, ", upstream %s", ev->compared);
	if (ev->about && *spec)
		strbuf_addf(msg, "; the constraint is about the %s", ev->about);
	if (ev->about && !strcmp(ev->about, "driver") && *spec)
		strbuf_addf(msg, " (lower bounds only)");
	switch (ev->verdict) {
	case 1:
		strbuf_addf(msg, "; meets %s", spec);
		break;
	case 0:
		strbuf_addf(msg, "; does not meet %s", spec);
		break;
	case -1:
		strbuf_addf(msg, "; version not compared with %s: %s", spec,
			ev->method == CHECK_BY_PACKAGE && ev->version[0]
				? "the registry says package versions are not upstream's"
				: ev->version[0] ? "not a comparable version" : "no version found");
		break;
	}
	if (ev->note[0])
		strbuf_addf(msg, "; %s", ev->note);
}

/* The mapping of what fixes DEP: its own, or the driver's for what only
 * the driver answers. */
static int map_fix(struct check_host *h, const struct project_dep *dep, struct reg_map *m,
		   bool *own, struct ed_diag *d)
{
	struct reg_resolved rr;
	struct ed_parse_err perr;
	struct depurl *url;
	const char *id;
	int rc;

	*own = true;
	if (registry_resolve(h->reg, dep->url->id, &rr, NULL) || !rr.def ||
	    !strcmp(id = check_cuda_fix_id(rr.def->id, dep->stage), rr.def->id))
		return registry_map(h->reg, &h->target, dep->url, dep->stage, m, d);
	*own = false;
	if (!(url = depurl_parse(id, strlen(id), &perr)))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "'%s': %s", id, perr.msg);
	rc = registry_map(h->reg, &h->target, url, ED_STAGE_RUN, m, d);
	depurl_free(url);
	return rc;
}

/* What to install for an unmet DEP with the host's package manager. */
static int fix_for(struct check_host *h, const struct project_dep *dep, struct check_result *r,
		   struct ed_diag *d)
{
	struct reg_map m;
	int rc;

	if (!h->has_target) {
		r->install_note = util_strdup("this machine is not a known target");
		return r->install_note ? 0 : ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
	}
	memset(&m, 0, sizeof m);
	if ((rc = map_fix(h, dep, &m, &r->install_own, d)))
		return rc;
	if (m.status == REG_MAPPED) {
		for (size_t i = 0; i < m.npkgs; i++)
			if (m.pkgs[i].nalts && !util_strv_push(&r->install, &r->ninstall, m.pkgs[i].alts[0].name)) {
				reg_map_fini(&m);
				return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
			}
	} else {
		struct strbuf note = { 0 };
		if (m.status == REG_UNAVAILABLE)
			strbuf_addf(&note, "%s has no package: %s", h->target.eco->id, m.reason ? m.reason : "");
		else if (m.status == REG_UNMAPPED)
			strbuf_addf(&note, "no %s package is mapped yet", h->target.eco->id);
		else
			strbuf_addf(&note, "not in the registry");
		r->install_note = strbuf_detach(&note);
	}
	reg_map_fini(&m);
	return 0;
}

void check_result_fini(struct check_result *r)
{
	if (!r)
		return;
	free(r->message);
	free(r->tried);
	util_strv_free(r->install, r->ninstall);
	free(r->install_note);
	memset(r, 0, sizeof *r);
}

/* The providers of DEF (virtual interfaces): each with its own versions, as
 * the constraint of an interface does not carry over. */
static int try_providers(struct check_host *h, const struct reg_def *def, enum ed_stage stage,
			 struct attempt *a, struct ed_diag *d)
{
	for (size_t i = 0; a->rank < 3 && i < registry_ndefs(h->reg); i++) {
		const struct reg_def *p = registry_def_at(h->reg, i);
		struct ed_parse_err perr;
		struct depurl *purl;
		int rc;

		if (p == def || !provides(p, def->id) ||
		    !(purl = depurl_parse(p->id, strlen(p->id), &perr)))
			continue;
		rc = try_packages(h, purl, stage, NULL, p->id, a, d);
		depurl_free(purl);
		if (rc)
			return rc;
		if (a->rank < 3)
			try_probes(h, p, NULL, p->id, a);
	}
	return 0;
}

/* A registry definition: the DepURL's packages, then CUDA or the
 * definition's probes, then every definition that provides it. */
static int try_defined(struct check_host *h, const struct project_dep *dep,
		       const struct reg_def *def, struct attempt *a, struct ed_diag *d)
{
	const struct pep440_spec *spec = dep->url->spec;
	bool cuda = check_cuda_applies(def->id);
	int rc;

	if ((!cuda || check_cuda_packages_first(def->id, dep->stage)) &&
	    (rc = try_packages(h, dep->url, dep->stage, spec, NULL, a, d)))
		return rc;
	if (a->rank < 3 && cuda)
		check_cuda_try(h, def->id, dep->stage, spec, a);
	else if (a->rank < 3)
		try_probes(h, def, spec, NULL, a);
	return try_providers(h, def, dep->stage, a, d);
}

/* Not in the registry: a pkg-config module or a tool of its name; false
 * when neither is found (MSG then says what the registry suggests). */
static bool try_unregistered(struct check_host *h, const struct project_dep *dep,
			     struct attempt *a, struct strbuf *msg)
{
	const char *near;

	if (!strcmp(dep->url->type, "generic") &&
	    !try_pc(h, dep->url->name, dep->url->spec, NULL, CHECK_BY_NAME, a))
		try_exe(h, dep->url->name, dep->url->spec, NULL, CHECK_BY_NAME, a);
	if (a->rank)
		return true;
	strbuf_addf(msg, "not in the registry");
	if ((near = registry_suggest(h->reg, dep->url->id)))
		strbuf_addf(msg, "; did you mean '%s'?", near);
	return false;
}

int check_dep(struct check_host *h, const struct project_dep *dep, struct check_result *out,
	      struct ed_diag *d)
{
	struct attempt a;
	struct reg_resolved rr;
	struct strbuf msg = { 0 };
	int rc = 0;

	memset(out, 0, sizeof *out);
	memset(&a, 0, sizeof a);
	out->dep = dep;
	if (registry_resolve(h->reg, dep->url->id, &rr, NULL) || (!rr.def && !rr.rule_type)) {
		if (!try_unregistered(h, dep, &a, &msg)) {
			out->status = CHECK_UNKNOWN;
			goto done;
		}
	} else if (!rr.def) {
		/* named by an ecosystem's rule for its type: its packages only */
		if ((rc = try_packages(h, dep->url, dep->stage, dep->url->spec, NULL, &a, d)))
			goto done;
	} else if ((rc = try_defined(h, dep, rr.def, &a, d))) {
		goto done;
	}
	out->ev = a.best;
	out->status = a.rank == 3 ? CHECK_SATISFIED : a.rank == 2 ? CHECK_TOO_OLD
		      : a.rank == 1 ? CHECK_UNVERIFIED : CHECK_MISSING;
	if (a.not_checked && a.rank < 3) {
		out->status = CHECK_NOT_CHECKED;
		strbuf_addf(&msg, "not checked: the GPU driver answers it (--no-gpu)");
	} else if (a.rank) {
		describe(out, &msg);
	} else {
		strbuf_addf(&msg, "not found");
	}
done:
	if (!rc && !check_status_ok(out->status) && out->status != CHECK_UNKNOWN)
		rc = fix_for(h, dep, out, d);
	if (msg.oom || a.tried.oom) {
		strbuf_release(&msg);
		strbuf_release(&a.tried);
		check_result_fini(out);
		return ed_diag_oom(d);
	}
	out->message = strbuf_detach(&msg);
	out->tried = a.tried.len ? strbuf_detach(&a.tried) : NULL;
	strbuf_release(&a.tried);
	return rc;
}

/* The names to install for everything unmet, each once. */
static int unmet_names(const struct check_report *r, char ***names, size_t *n, struct ed_diag *d)
{
	for (size_t i = 0; i < r->count; i++)
		for (size_t k = 0; k < r->results[i].ninstall; k++) {
			const char *name = r->results[i].install[k];
			bool seen = false;
			for (size_t j = 0; j < *n && !seen; j++)
				seen = !strcmp((*names)[j], name);
			if (!seen && !util_strv_push(names, n, name))
				return ed_diag_oom(d);
		}
	return 0;
}

/* One install command for everything unmet: the command of the backend
 * that serves the host's target (what `extdeps install` runs), else the one
 * its mapping file describes. */
static int install_command(struct check_host *h, struct check_report *out, struct ed_diag *d)
{
	const struct eco_ops *eco = target_backend(h->reg, &h->target);
	const struct reg_pm *pm = registry_package_manager(h->reg, &h->target);
	struct eco_opts o = { .root = h->root };
	char **names = NULL, **argv = NULL;
	size_t nnames = 0;
	int rc;

	if ((rc = unmet_names(out, &names, &nnames, d)) || !nnames)
		goto out;
	if (eco) {
		argv = eco->install_argv(&o, (const char *const *)names, nnames,
					 ECO_INSTALL_YES | ECO_INSTALL_NO_RECOMMENDS, d);
		if (!argv) {
			rc = d->status ? (int)d->status : ED_EXIT_INPUT;
			goto out;
		}
		for (size_t i = 0; argv[i]; i++)
			if (!util_strv_push(&out->argv, &out->nargv, argv[i]))
				rc = ed_diag_oom(d);
		out->needs_root = eco->install_needs_root(&o);
	} else if (pm) {
		for (size_t i = 0; i < pm->ninstall; i++)
			if (!util_strv_push(&out->argv, &out->nargv, pm->install[i]))
				rc = ed_diag_oom(d);
		for (size_t i = 0; i < nnames; i++)
			if (!util_strv_push(&out->argv, &out->nargv, names[i]))
				rc = ed_diag_oom(d);
		out->needs_root = pm->needs_root;
	}
out:
	eco_argv_free(argv);
	util_strv_free(names, nnames);
	return rc;
}

int check_result_set_install(struct check_result *r, const char *const *names, size_t n,
			     const char *note, struct ed_diag *d)
{
	util_strv_free(r->install, r->ninstall);
	r->install = NULL;
	r->ninstall = 0;
	free(r->install_note);
	r->install_note = NULL;
	for (size_t i = 0; i < n; i++)
		if (!util_strv_push(&r->install, &r->ninstall, names[i]))
			return ed_diag_oom(d);
	if (!n && note && !(r->install_note = util_strdup(note)))
		return ed_diag_oom(d);
	return 0;
}

int check_report_command(struct check_host *h, struct check_report *r, struct ed_diag *d)
{
	util_strv_free(r->argv, r->nargv);
	r->argv = NULL;
	r->nargv = 0;
	r->needs_root = false;
	return h->has_target ? install_command(h, r, d) : 0;
}

int check_run(struct check_host *h, const struct project *p, const enum select_skip *verdict,
	      struct check_report *out, struct ed_diag *d)
{
	size_t n = 0;
	int rc = 0;

	memset(out, 0, sizeof *out);
	out->dbs = h->infos;
	out->ndbs = h->ndbs;
	if (h->has_target) {
		out->ecosystem = h->target.eco->id;
		out->release = h->target.release;
	}
	for (size_t i = 0; i < p->ndeps; i++)
		n += verdict[i] == SELECT_IN;
	if (n && !(out->results = calloc(n, sizeof *out->results)))
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "out of memory");
	for (size_t i = 0; i < p->ndeps; i++) {
		struct check_result *r;
		if (verdict[i] != SELECT_IN)
			continue;
		r = &out->results[out->count++];
		if ((rc = check_dep(h, &p->deps[i], r, d)))
			return rc;
		if (r->status == CHECK_NOT_CHECKED)
			out->nnot_checked++;
		else if (check_status_ok(r->status))
			out->nsatisfied++;
		else
			out->nunmet++;
	}
	return h->has_target ? install_command(h, out, d) : 0;
}

void check_report_fini(struct check_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->count; i++)
		check_result_fini(&r->results[i]);
	free(r->results);
	util_strv_free(r->argv, r->nargv);
	memset(r, 0, sizeof *r);
}
