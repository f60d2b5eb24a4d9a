/* target.c - a target's backend and release, through inheritance. */
#include "extdeps/eco/backends.h"
#include "extdeps/map/target.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

#include "extdeps/eco/arch.h"
#include "extdeps/util/pysite.h"

static const struct reg_ecosystem *parent(const struct registry *reg,
					  const struct reg_ecosystem *e)
{
	return e->inherits ? registry_find_ecosystem(reg, e->inherits) : NULL;
}

const struct eco_ops *target_backend(const struct registry *reg, const struct reg_target *t)
{
	for (const struct reg_ecosystem *e = t->eco; e; e = parent(reg, e)) {
		const struct eco_ops *ops = eco_for_ecosystem(e->id);
		if (ops)
			return ops;
	}
	return NULL;
}

const struct reg_release *target_release(const struct registry *reg, const struct reg_target *t)
{
	for (const struct reg_ecosystem *e = t->eco; e && t->release; e = parent(reg, e))
		for (size_t i = 0; i < e->nreleases; i++)
			if (!strcmp(e->releases[i].number, t->release))
				return &e->releases[i];
	return NULL;
}

/* --- the target model --- */

/* How an os-release VERSION_ID becomes the family's release number. */
enum release_rule {
	REL_AS_IS,       /* "12", "24.04", "41", "15.6" */
	REL_MAJOR,       /* the RHEL family: "8.10" is release 8 */
	REL_MAJOR_MINOR, /* Alpine: "3.21.2" is release 3.21 */
	REL_ROLLING,     /* no numbers: ROLLING names the release, or none */
};

/* The operating systems extdeps recognises by their os-release ID, and the
 * family (the registry's ecosystem) each belongs to. */
static const struct os_family {
	const char *id, *family, *name, *libc;
	enum release_rule rule;
	const char *rolling;
} os_families[] = {
	{ "almalinux", "el", "the RHEL family", "glibc", REL_MAJOR, NULL },
	{ "alpine", "alpine", "Alpine Linux", "musl", REL_MAJOR_MINOR, NULL },
	{ "arch", "arch", "Arch Linux", "glibc", REL_ROLLING, NULL },
	{ "centos", "el", "the RHEL family", "glibc", REL_MAJOR, NULL },
	{ "debian", "debian", "Debian", "glibc", REL_AS_IS, NULL },
	{ "fedora", "fedora", "Fedora", "glibc", REL_AS_IS, NULL },
	{ "ol", "el", "the RHEL family", "glibc", REL_MAJOR, NULL },
	{ "opensuse-leap", "opensuse", "openSUSE", "glibc", REL_AS_IS, NULL },
	{ "opensuse-tumbleweed", "opensuse", "openSUSE", "glibc", REL_ROLLING, "tumbleweed" },
	{ "rhel", "el", "the RHEL family", "glibc", REL_MAJOR, NULL },
	{ "rocky", "el", "the RHEL family", "glibc", REL_MAJOR, NULL },
	{ "ubuntu", "ubuntu", "Ubuntu", "glibc", REL_AS_IS, NULL },
};

static const struct os_family *os_family(const char *id)
{
	for (size_t i = 0; i < sizeof os_families / sizeof *os_families; i++)
		if (!strcmp(os_families[i].id, id))
			return &os_families[i];
	return NULL;
}

/* The first entry of family FAMILY (its name and C library). */
static const struct os_family *family_entry(const char *family)
{
	for (size_t i = 0; i < sizeof os_families / sizeof *os_families; i++)
		if (!strcmp(os_families[i].family, family))
			return &os_families[i];
	return NULL;
}

const char *target_family_of_id(const char *id)
{
	const struct os_family *f = os_family(id);

	return f ? f->family : NULL;
}

/* The entry OS is recognised by (its ID's, else an ID_LIKE word's) into
 * *FOUND, and the word that decided into WORD; false when none. */
static bool os_entry(const struct os_release *os, const struct os_family **found, char *word,
		     size_t size)
{
	char like[sizeof os->id_like];

	if ((*found = os_family(os->id))) {
		snprintf(word, size, "ID=%s", os->id);
		return true;
	}
	snprintf(like, sizeof like, "%s", os->id_like);
	for (char *save = NULL, *w = strtok_r(like, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if ((*found = os_family(w))) {
			snprintf(word, size, "ID_LIKE=%s", os->id_like);
			return true;
		}
	return false;
}

void target_os_family(const struct os_release *os, char *out, size_t size)
{
	const struct os_family *f;
	char word[160];

	snprintf(out, size, "%s", os_entry(os, &f, word, sizeof word) ? f->family : os->id);
}

/* The release OS names, as its family numbers releases, into FACT. */
static void os_release_number(const struct os_release *os, const struct os_family *f,
			      struct target_fact *fact)
{
	const char *v = os->version_id;
	size_t n = strlen(v);

	if (f && f->rule == REL_ROLLING) {
		if (f->rolling)
			snprintf(fact->value, sizeof fact->value, "%s", f->rolling);
		snprintf(fact->from, sizeof fact->from, "os-release ID=%s (a rolling release)", os->id);
		return;
	}
	if (!v[0]) {
		/* Debian testing and sid name a code name only */
		snprintf(fact->value, sizeof fact->value, "%s", os->codename);
		if (os->codename[0])
			snprintf(fact->from, sizeof fact->from, "os-release VERSION_CODENAME=%s",
				 os->codename);
		return;
	}
	if (f && f->rule == REL_MAJOR)
		n = strcspn(v, ".");
	else if (f && f->rule == REL_MAJOR_MINOR && strchr(v, '.'))
		n = (size_t)(strchr(v, '.') - v) + 1 + strcspn(strchr(v, '.') + 1, ".");
	snprintf(fact->value, sizeof fact->value, "%.*s", (int)n, v);
	snprintf(fact->from, sizeof fact->from, "os-release VERSION_ID=%s", v);
}

static bool is_rolling_word(const char *rel)
{
	static const char *const words[] = { "sid", "unstable", "testing", "rawhide",
					     "tumbleweed", "edge", "rolling", NULL };

	for (const char *const *w = words; *w; w++)
		if (!strcasecmp(*w, rel))
			return true;
	return false;
}

/* The known release nearest to REL, which the registry does not know: for
 * a rolling release (or a code name os-release gives, when ANY_NAME) the
 * newest, for a number the newest older than it; NULL for a number older
 * than all, or a word that is no release. */
static const struct reg_release *nearest_release(const struct registry *reg,
						 const struct reg_ecosystem *eco, const char *rel,
						 bool any_name)
{
	size_t n;
	const struct reg_release *v = registry_releases(reg, eco, &n), *best = NULL;
	bool number = isdigit((unsigned char)rel[0]);

	if (!number && !is_rolling_word(rel) && !any_name)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *k = v[i].number;
		if (!isdigit((unsigned char)k[0]) || (number && strverscmp(k, rel) > 0))
			continue;
		if (!best || strverscmp(k, best->number) > 0)
			best = &v[i];
	}
	return best;
}

/* "debian:12" of T into BUF. */
static void target_name(const struct reg_target *t, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", t->eco->id, t->release ? ":" : "", t->release ? t->release : "");
}

/* Whether this machine's os-release names T (its family, and the release
 * when T names one). */
static bool os_is(const struct registry *reg, const struct target_in *in,
		  const struct reg_target *t)
{
	struct os_release os;
	struct target_fact rel = { "", "" };
	struct reg_target mine;
	const struct os_family *f;
	char family[64], word[160], text[160];
	struct ed_diag ignored;

	if (os_release_read(in->root, &os, &ignored))
		return false;
	target_os_family(&os, family, sizeof family);
	if (strcmp(family, t->eco->id) && strcmp(os.id, t->eco->id))
		return false;
	if (!t->release_given || !t->release)
		return true;
	os_entry(&os, &f, word, sizeof word);
	os_release_number(&os, f, &rel);
	snprintf(text, sizeof text, "%s:%s", family, rel.value);
	return rel.value[0] && !registry_parse_target(reg, text, &mine, &ignored) &&
	       mine.release && !strcmp(mine.release, t->release);
}

/* FAMILY[:RELEASE] for the registry, reading a release it does not know
 * as the nearest one it knows (saying so in M->warning). */
static int resolve(const struct registry *reg, const char *family, const char *rel, bool from_os,
		   struct target_model *m, struct ed_diag *d)
{
	const struct reg_ecosystem *eco = registry_find_ecosystem(reg, family);
	const struct reg_release *near;
	char text[192];
	int rc;

	snprintf(text, sizeof text, "%s%s%s", family, rel && *rel ? ":" : "", rel ? rel : "");
	if (!(rc = registry_parse_target(reg, text, &m->target, d)) || !eco || !rel || !*rel ||
	    !(near = nearest_release(reg, eco, rel, from_os)))
		return rc;
	ed_diag_clear(d);
	snprintf(text, sizeof text, "%s:%s", family, near->number);
	if ((rc = registry_parse_target(reg, text, &m->target, d)))
		return rc;
	snprintf(m->warning, sizeof m->warning,
		 "%s %s is not a release extdeps knows; read as %s, the nearest it knows", family,
		 rel, text);
	snprintf(m->release.from + strlen(m->release.from),
		 sizeof m->release.from - strlen(m->release.from), ", %s read as the nearest known",
		 rel);
	return 0;
}

/* The family and release: from --distro, else os-release. */
static int decide_system(const struct registry *reg, const struct target_in *in,
			 struct target_model *m, struct ed_diag *d)
{
	const struct os_family *f = NULL;
	const char *rel = NULL;
	struct os_release os;
	bool from_os = !in->distro;
	char machine[320];
	int rc;

	if (in->distro) {
		size_t idlen = strcspn(in->distro, ":+");
		char id[64];

		snprintf(id, sizeof id, "%.*s", (int)idlen, in->distro);
		rel = in->distro[idlen] ? in->distro + idlen + 1 : NULL;
		f = os_family(id);
		/* a distribution the registry maps itself (almalinux inherits el)
		 * is its own ecosystem; else its family's */
		snprintf(m->family.value, sizeof m->family.value, "%s",
			 f && !(reg && registry_find_ecosystem(reg, id)) ? f->family : id);
		if (strcmp(m->family.value, id))
			snprintf(m->family.from, sizeof m->family.from, "--distro (%s is of %s)", id,
				 f->name);
		else
			snprintf(m->family.from, sizeof m->family.from, "--distro");
		if (rel) {
			snprintf(m->release.value, sizeof m->release.value, "%s", rel);
			snprintf(m->release.from, sizeof m->release.from, "--distro");
		} else if (f && f->rolling && strcmp(m->family.value, id)) {
			/* opensuse-tumbleweed is its family's release tumbleweed */
			rel = f->rolling;
			snprintf(m->release.value, sizeof m->release.value, "%s", rel);
			snprintf(m->release.from, sizeof m->release.from, "--distro (%s is a rolling release)", id);
		}
	} else {
		char word[160];
		if ((rc = os_release_read(in->root, &os, d)))
			return rc;
		if (reg && os.id[0] && registry_find_ecosystem(reg, os.id)) {
			f = os_family(os.id);
			snprintf(m->family.value, sizeof m->family.value, "%s", os.id);
			snprintf(m->family.from, sizeof m->family.from, "os-release ID=%s%s%s", os.id,
				 f && strcmp(f->family, os.id) ? ", of " : "",
				 f && strcmp(f->family, os.id) ? f->name : "");
		} else if (os_entry(&os, &f, word, sizeof word)) {
			snprintf(m->family.value, sizeof m->family.value, "%s", f->family);
			snprintf(m->family.from, sizeof m->family.from, "os-release %s", word);
		} else if (os.id[0]) {
			snprintf(m->family.value, sizeof m->family.value, "%s", os.id);
			snprintf(m->family.from, sizeof m->family.from, "os-release ID=%s", os.id);
		}
		os_release_number(&os, f, &m->release);
		rel = m->release.value;
	}
	if (!f)
		f = family_entry(m->family.value);
	if (f) {
		snprintf(m->family_name, sizeof m->family_name, "%s", f->name);
		snprintf(m->libc.value, sizeof m->libc.value, "%s", f->libc);
		snprintf(m->libc.from, sizeof m->libc.from, "%s's", f->name);
	}
	if (!reg)
		return 0;
	snprintf(machine, sizeof machine, "%s",
		 from_os ? (os.pretty_name[0] ? os.pretty_name : os.id[0] ? os.id : "unknown") : "");
	if (!m->family.value[0])
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
				   "this machine (%s) is not a known target; use --distro", machine);
	if (!registry_find_ecosystem(reg, m->family.value)) {
		if (!f && !from_os)
			return registry_parse_target(reg, in->distro, &m->target, d);
		if (!f)
			return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
					   "this machine (%s) is not a known target; use --distro",
					   machine);
		if (from_os)
			return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0,
					   "this machine (%s) is of %s (%s), which extdeps has no "
					   "mapping file for yet; use --distro",
					   machine, f->name, m->family.value);
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "'%s' is of %s (%s), which extdeps has no mapping file for yet",
				   in->distro, f->name, m->family.value);
	}
	if ((rc = resolve(reg, m->family.value, rel, from_os, m, d))) {
		char why[sizeof d->msg];
		if (!from_os)
			return rc;
		snprintf(why, sizeof why, "%s", d->msg);
		return ed_diag_set(d, ED_EXIT_ENV, NULL, 0, 0, "this machine (%s): %s; use --distro",
				   machine, why);
	}
	if (from_os && !os.version_id[0] && m->target.release && !m->warning[0] &&
	    (!f || f->rule != REL_ROLLING))
		snprintf(m->warning, sizeof m->warning,
			 "this machine (%s) names no release number; read as %s:%s, the release "
			 "its code name '%s' names",
			 machine, m->target.eco->id, m->target.release, os.codename);
	m->has_target = true;
	snprintf(m->release.value, sizeof m->release.value, "%s",
		 m->target.release ? m->target.release : "");
	if (m->target.release && !m->release.from[0])
		snprintf(m->release.from, sizeof m->release.from, "the default of %s (registry)",
			 m->target.eco->id);
	m->backend = target_backend(reg, &m->target);
	if (m->backend && m->backend->scope == ECO_USER)
		m->host = !in->platform;
	else
		m->host = !in->mirror && (from_os || os_is(reg, in, &m->target));
	return 0;
}

/* "3.11" or "3.11.4": VALUE X.Y and FULL X.Y.Z into M. */
static bool take_python(const char *text, struct target_model *m)
{
	size_t major = strspn(text, "0123456789"), minor, micro = 0;

	if (!major || text[major] != '.')
		return false;
	minor = strspn(text + major + 1, "0123456789");
	if (!minor)
		return false;
	if (text[major + 1 + minor] == '.')
		micro = 1 + strspn(text + major + 2 + minor, "0123456789");
	if (micro == 1 || text[major + 1 + minor + micro] || major + 1 + minor + micro >= 32)
		return false;
	snprintf(m->python.value, sizeof m->python.value, "%.*s", (int)(major + 1 + minor), text);
	snprintf(m->python_full, sizeof m->python_full, "%s%s", text, micro ? "" : ".0");
	return true;
}

/* Python M->python, the Python that will build, is interpreter PATH (its
 * origin FROM): M->python_own says whether it brings its own headers
 * rather than using the system's Python development package, and the
 * origin says so too. */
static void python_from(struct target_model *m, const char *from, const char *path)
{
	/* only this machine's system packages would give it headers */
	m->python_own = (!m->has_target ||
			 (m->host && (!m->backend || m->backend->scope == ECO_SYSTEM))) &&
			pysite_own_headers(path, m->python.value);
	snprintf(m->python.from, sizeof m->python.from, "%s (%.250s)%s", from, path,
		 m->python_own ? ", with its own headers" : "");
}

/* The Python that will build: --python, $EXTDEPS_PYTHON_VERSION, python3
 * on PATH when the target is this machine's system (or no target), the
 * registry's default for another target. */
static int decide_python(const struct registry *reg, const struct target_in *in,
			 struct target_model *m, struct ed_diag *d)
{
	const char *env = getenv("EXTDEPS_PYTHON_VERSION");
	const char *regpy = reg && m->has_target ? registry_python(reg, &m->target) : NULL;
	bool host_python = !m->has_target || (m->host && (!m->backend || m->backend->scope == ECO_SYSTEM));
	char version[32], path[4096] = "", name[192];
	bool found;

	if (in->python) {
		if (take_python(in->python, m)) {
			snprintf(m->python.from, sizeof m->python.from, "--python");
			return 0;
		}
		if (pysite_python_version(in->python, in->search_path, version, sizeof version, path,
					  sizeof path) &&
		    take_python(version, m)) {
			python_from(m, "--python", path);
			return 0;
		}
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0,
				   "--python '%s' is neither a version X.Y nor a Python interpreter "
				   "whose version extdeps can tell",
				   in->python);
	}
	if (env && *env && take_python(env, m)) {
		snprintf(m->python.from, sizeof m->python.from, "$EXTDEPS_PYTHON_VERSION");
		return 0;
	}
	found = pysite_python_version("python3", in->search_path, version, sizeof version, path,
				      sizeof path) &&
		take_python(version, m);
	if (found && (host_python || !regpy)) {
		python_from(m, "python3 on PATH", path);
		return 0;
	}
	if (regpy && take_python(regpy, m)) {
		/* python3 on PATH would have decided, had its version been known */
		bool unknown = host_python && path[0] && !found;

		target_name(&m->target, name, sizeof name);
		snprintf(m->python.from, sizeof m->python.from, "the default of %s (registry)%s%.200s%s",
			 name, unknown ? "; the version of " : "", unknown ? path : "",
			 unknown ? " is unknown, use --python" : "");
		return 0;
	}
	take_python("3.12", m);
	if (path[0])
		snprintf(m->python.from, sizeof m->python.from,
			 "extdeps's default: the version of %.200s is unknown; use --python", path);
	else
		snprintf(m->python.from, sizeof m->python.from,
			 "extdeps's default: no python3 on PATH; use --python");
	return 0;
}

/* The architecture and operating system packages are built for: --arch,
 * --platform through the backend, else this machine's (an operating
 * system's family is Linux). */
static int decide_platform(const struct target_in *in, struct target_model *m, struct ed_diag *d)
{
	const char *sys = NULL, *machine = NULL;
	bool by_backend = m->backend && m->backend->markers &&
			  m->backend->markers(in->platform, &sys, &machine);
	struct utsname u;

	if (in->platform && m->backend && m->backend->markers && !by_backend)
		return ed_diag_set(d, ED_EXIT_INPUT, NULL, 0, 0, "'%s' is not a platform of %s",
				   in->platform, m->target.eco->id);
	if (uname(&u))
		memset(&u, 0, sizeof u);
	if (in->machine)
		snprintf(u.machine, sizeof u.machine, "%s", in->machine);
	if (in->sys_platform)
		snprintf(u.sysname, sizeof u.sysname, "%s", in->sys_platform);
	if (in->arch) {
		const char *mach = arch_convert(in->arch, ARCH_MACHINE);
		snprintf(m->arch.value, sizeof m->arch.value, "%s", mach ? mach : in->arch);
		snprintf(m->arch.from, sizeof m->arch.from, "--arch");
	} else if (machine) {
		snprintf(m->arch.value, sizeof m->arch.value, "%s", machine);
		snprintf(m->arch.from, sizeof m->arch.from, "%s", in->platform ? "--platform" :
			 "the default of its package manager");
	} else {
		snprintf(m->arch.value, sizeof m->arch.value, "%.60s", u.machine);
		snprintf(m->arch.from, sizeof m->arch.from, "this machine");
	}
	if (by_backend) {
		snprintf(m->sys_platform.value, sizeof m->sys_platform.value, "%s", sys);
		snprintf(m->sys_platform.from, sizeof m->sys_platform.from, "%s",
			 in->platform ? "--platform" : "the default of its package manager");
	} else if (m->family_name[0]) {
		snprintf(m->sys_platform.value, sizeof m->sys_platform.value, "linux");
		snprintf(m->sys_platform.from, sizeof m->sys_platform.from, "%s", m->family_name);
	} else {
		for (size_t i = 0; u.sysname[i] && i + 1 < sizeof m->sys_platform.value; i++)
			m->sys_platform.value[i] = (char)tolower((unsigned char)u.sysname[i]);
		snprintf(m->sys_platform.from, sizeof m->sys_platform.from, "this machine");
	}
	if (!strcmp(m->sys_platform.value, "darwin")) {
		snprintf(m->libc.value, sizeof m->libc.value, "libSystem");
		snprintf(m->libc.from, sizeof m->libc.from, "macOS's");
	}
	return 0;
}

int target_decide(const struct registry *reg, const struct target_in *in,
		  struct target_model *m, struct ed_diag *d)
{
	struct ed_diag later;
	int rc, rc2;

	memset(m, 0, sizeof *m);
	ed_diag_clear(&later);
	rc = decide_system(reg, in, m, d);
	if (!(rc2 = decide_platform(in, m, &later)))
		rc2 = decide_python(reg, in, m, &later);
	if (!rc && rc2)
		*d = later;
	return rc ? rc : rc2;
}

void target_apply_markers(const struct target_model *m, struct marker_env *env)
{
	const char *sys = m->sys_platform.value;

	env->values[MARKER_PYTHON_VERSION] = m->python.value;
	env->values[MARKER_PYTHON_FULL_VERSION] = m->python_full;
	env->values[MARKER_IMPLEMENTATION_VERSION] = m->python_full;
	if (strcmp(m->arch.from, "this machine"))
		env->values[MARKER_PLATFORM_MACHINE] = m->arch.value;
	if (!sys[0] || (env->values[MARKER_SYS_PLATFORM] && !strcmp(env->values[MARKER_SYS_PLATFORM], sys)))
		return;
	env->values[MARKER_SYS_PLATFORM] = sys;
	env->values[MARKER_PLATFORM_SYSTEM] = !strcmp(sys, "darwin")  ? "Darwin"
					      : !strcmp(sys, "win32") ? "Windows"
					      : !strcmp(sys, "linux") ? "Linux"
								      : "";
	env->values[MARKER_OS_NAME] = !strcmp(sys, "win32") ? "nt" : "posix";
	/* another system's kernel is unknown */
	env->values[MARKER_PLATFORM_RELEASE] = "";
	env->values[MARKER_PLATFORM_VERSION] = "";
}
